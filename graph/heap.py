"""The process's C heap (glibc's malloc), which the embedded engine allocates from.

The engine allocates and frees its plan's vectors on every read. glibc gives freed memory at the top of its
heap back to the kernel as soon as 128 KB of it is free, so every read took its pages back, zeroed, through
page faults: about 900 faults and 1.5 ms of a ~10 ms one-child question at 20,000 children, measured as
178,000-211,000 page faults against 58,000 over 164 reads of ``knowledge_horizon`` (issue 17). Keeping up to
``KEPT_FREE`` of free heap, and growing it ``GROWTH`` at a time, stops that; ``give_back`` still returns all
of it when asked (the benchmark does between phases). Elsewhere than glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's malloc.h
M_TOP_PAD = -2
KEPT_FREE = 64 * 1024 * 1024
GROWTH = 16 * 1024 * 1024


@cache
def _libc() -> ctypes.CDLL | None:
    """glibc, when this process runs on it (not on macOS or musl, whose C libraries have no mallopt)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


@cache
def keep_freed() -> bool:
    """Keep freed heap for the next read instead of returning it at once (once per process); whether it could."""
    libc = _libc()
    return bool(libc and libc.mallopt(M_TRIM_THRESHOLD, KEPT_FREE) and libc.mallopt(M_TOP_PAD, GROWTH))


def give_back() -> None:
    """Return every free page of the heap to the kernel now (glibc's ``malloc_trim``)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
