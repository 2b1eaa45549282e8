"""A first load into Neo4j in many small committed transactions that is still all-or-nothing.

One transaction per case grew with the case: slow, and refused by the server's transaction memory
at caseload scale. Plain committed batches would leave half a case behind a failure. So a first
load is *staged*: every node is created under the one label ``JoinedUpStaging`` instead of its
own (relationships get their real types but join staged nodes only), in batches that commit on
their own, several in flight. A staged node is no record: every query starts from a record label,
and counts, ids and exports anchor a relationship on one (``statements._stored_edges``). One final
transaction, the switch, gives each staged node its label: before it commits the case is not in
the store, after it all of it is. A failed load removes its staging; one that cannot (the server
stopped) leaves it, unseen, to the next load of the case, which sweeps it first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from neo4j import Driver, SummaryCounters
from neo4j.exceptions import TransientError

from graph import statements as st
from graph.backend import BackendError, Creation, Progress, Statement, creation_cases
from graph.cypher import check_parameters
from graph.schema import NodeType

log = logging.getLogger(__name__)

STAGING = "JoinedUpStaging"
# Batches sent before waiting for the first of them: the client packs the next batch while the
# server writes one, and the server writes two at once (measured on 2 cores; see docs/decisions.md).
IN_FLIGHT = 2
SWITCH_CHUNK = 20_000  # uids per statement of the switch (all statements in its one transaction)
DEADLOCK_TRIES = 5  # two batches linking the same nodes can deadlock; the server rolls one back
SWEEP = f"MATCH (n:{STAGING}) WHERE n.case_id IN $case_ids CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 2000 ROWS"


def staging_ddl() -> list[str]:
    """The index that finds a staged edge's ends by ``uid`` while no record label is on them yet."""
    return [f"CREATE INDEX joinedup_staging_uid IF NOT EXISTS FOR (n:{STAGING}) ON (n.uid)"]


def switch(label: str) -> str:
    """Staged nodes become records of ``label``: the uniqueness constraint is checked here."""
    return f"UNWIND $uids AS u MATCH (n:{STAGING} {{uid: u}}) SET n:{label} REMOVE n:{STAGING} RETURN count(n) AS n"


def staged_write(driver: Driver, database: str | None, creations: list[Creation], progress: Progress | None) -> None:
    """Create ``creations`` (nodes first, then the edges between them) all-or-nothing, as above."""
    case_ids = creation_cases(creations)
    sweep(driver, database, case_ids)
    nodes = [c for c in creations if isinstance(c.kind, NodeType)]
    edges = [c for c in creations if not isinstance(c.kind, NodeType)]
    try:
        _commit_batches(driver, database, _batches(nodes), progress)
        _commit_batches(driver, database, _batches(edges), progress)
        _switch(driver, database, nodes)
    except BaseException:
        try:
            sweep(driver, database, case_ids)
        except Exception:  # noqa: BLE001 - the load's own failure is the one to report
            log.warning("staged records of case(s) %s left for the next load to sweep", ", ".join(case_ids))
        raise


def sweep(driver: Driver, database: str | None, case_ids: list[str]) -> None:
    """Remove what loads of these cases staged and never switched (a failed or stopped load)."""
    with driver.session(database=database) as session:
        session.run(SWEEP, {"case_ids": case_ids}).consume()


def kind_name(creation: Creation) -> str:
    """The label or type a creation makes (for a message)."""
    return creation.kind.label if isinstance(creation.kind, NodeType) else creation.kind.type


def _batches(creations: Iterable[Creation]) -> Iterator[tuple[str, Statement]]:
    """Each creation's staged batches, with the label or type they create."""
    for creation in creations:
        yield from ((kind_name(creation), statement) for statement in st.create_batches(creation, STAGING))


def _commit_batches(
    driver: Driver, database: str | None, statements: Iterator[tuple[str, Statement]], progress: Progress | None
) -> None:
    """Each statement in its own transaction, ``IN_FLIGHT`` at a time; stops at the first failure."""
    with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="neo4j-load") as pool:
        pending: set[Future[int]] = set()
        try:
            for name, statement in statements:
                if len(pending) >= IN_FLIGHT:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    _report(done, progress)
                pending.add(pool.submit(_commit_batch, driver, database, name, statement))
            _report(wait(pending)[0], progress)
        finally:
            for future in pending:
                future.cancel()


def _report(done: set[Future[int]], progress: Progress | None) -> None:
    for future in done:
        rows = future.result()  # a failed batch raises here, in the loading thread
        if progress:
            progress(rows)


def _commit_batch(driver: Driver, database: str | None, name: str, statement: Statement) -> int:
    """One batch in one transaction, tried again when the server broke a deadlock by rolling it back."""
    query, params = statement
    check_parameters(query, params)
    rows = len(params["rows"])  # type: ignore[arg-type]
    for attempt in range(1, DEADLOCK_TRIES + 1):
        try:
            with driver.session(database=database) as session, session.begin_transaction() as tx:
                counters = tx.run(query, params).consume().counters
                tx.commit()
            break
        except TransientError:
            if attempt == DEADLOCK_TRIES:
                raise
            time.sleep(0.05 * attempt)
    check_created(counters, rows, name)
    return rows


def check_created(counters: SummaryCounters, rows: int, name: str) -> None:
    """A creation batch must create one record per row: an edge whose end is not in the store matches
    nothing (``UNWIND … MATCH`` drops the row silently), one whose end was staged twice matches two."""
    created = counters.nodes_created or counters.relationships_created
    if created != rows:
        raise BackendError(
            f"a batch of {rows} {name} rows created {created} records: an edge names an end that is not in "
            "the store or this load, or the case is being loaded twice at once; nothing was written"
        )


def _switch(driver: Driver, database: str | None, nodes: list[Creation]) -> None:
    """The one transaction that makes the staged case a stored one, or leaves it staged."""
    with driver.session(database=database) as session, session.begin_transaction() as tx:
        for creation in nodes:
            label = creation.kind.label
            uids = creation.keys("id").to_pylist()
            switched = 0
            for i in range(0, len(uids), SWITCH_CHUNK):
                switched += tx.run(switch(label), {"uids": uids[i : i + SWITCH_CHUNK]}).single(strict=True)["n"]
            if switched != len(uids):
                raise BackendError(
                    f"{switched} of {len(uids)} staged {label} records were found at the switch (was the same "
                    "case loaded twice at once?); nothing was written"
                )
        tx.commit()
