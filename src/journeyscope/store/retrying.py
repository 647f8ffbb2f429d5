"""Run a transaction again when the database aborted it to break a deadlock.

PostgreSQL resolves a lock cycle between transactions by aborting one of them (SQLSTATE
40P01), and aborts a serializable transaction that lost a race (40001). Nothing of the
aborted one was kept, so running the same work again is safe, and it is what the server's
own error message asks for. Callers still take locks in one order (it makes cycles rare);
this is what turns the rare remaining ones into a short wait instead of a 500.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from journeyscope.store.database import Database

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_SQLSTATES = {
    "40P01": "deadlock detected",
    "40001": "serialization failure",
}
"""Errors after which the database guarantees nothing was written and a rerun may succeed."""
ATTEMPTS = 4
"""Runs in all, the first included: a deadlock twice in a row is already rare."""
BACKOFF_SECONDS = 0.02
"""The first wait; it doubles, with jitter, so the runs that collided do not collide again."""


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database aborted the transaction and a rerun may succeed."""
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def in_transaction_retrying(
    db: Database, work: Callable[[Session], T], *, attempts: int = ATTEMPTS
) -> T:
    """``work(session)`` in one transaction, run again when the database aborted it.

    ``work`` must only write through ``session`` (all of it is rolled back before a rerun)
    and must not keep anything from an aborted run. Other errors, and the last retryable one,
    are raised as they are.
    """
    for attempt in range(1, attempts):
        try:
            with db.transaction() as session:
                return work(session)
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            reason = RETRYABLE_SQLSTATES[exc.orig.sqlstate]  # type: ignore[union-attr]
            log.info(
                "transaction aborted (%s); running it again (%d/%d)", reason, attempt, attempts
            )
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))  # noqa: S311
    with db.transaction() as session:  # the last run: whatever it raises goes to the caller
        return work(session)
