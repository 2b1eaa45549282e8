"""The app's refusal to run against Neo4j as a user that can write.

The explorer only reads. Connected as a user with write rights, a single flaw in the read path
could change the record of a child's case; connected as a read-only user (the ``reader`` role on
Neo4j Enterprise or Aura) the server itself refuses whatever gets through. Neo4j Community has
no roles, so every user there can write: a deployment on Community must say that it accepts this
(``JOINED_UP_ALLOW_WRITE_USER=1``) or the app will not start. See docs/deployment.md.
"""

from __future__ import annotations

import logging
import os

from graph.backend import Backend, BackendError
from graph.neo4j_backend import Neo4jBackend

ALLOW_WRITE_USER = "JOINED_UP_ALLOW_WRITE_USER"
LOG = logging.getLogger("joined_up.access")


def require_read_only_user(backend: Backend) -> None:
    """Raise BackendError if ``backend`` is Neo4j and its user may write, unless the deployment allows it.

    The embedded store has no users; its protection is the read path's guard (graph/cypher.py).
    """
    if not isinstance(backend, Neo4jBackend):
        return
    if os.environ.get(ALLOW_WRITE_USER) == "1":
        LOG.warning("%s=1: the app runs as a Neo4j user that can write", ALLOW_WRITE_USER)
        return
    backend.verify()
    try:
        writable = backend.can_write()
    except BackendError:
        raise  # already one line that says what to fix (stopped server, wrong password)
    except Exception as exc:  # noqa: BLE001 - a driver failure here is the same one-line problem as any other
        raise BackendError(
            f"cannot tell whether the Neo4j user can write ({type(exc).__name__}); "
            "check that Neo4j is running and reachable"
        ) from None
    if writable:
        raise BackendError(
            f"the Neo4j user (NEO4J_USER) can write: connect the app as a read-only user "
            f"(docs/deployment.md), or set {ALLOW_WRITE_USER}=1 to accept a user that can write"
        )
