"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from journeyscope.errors import JourneyscopeError
from journeyscope.store import current_revision, head_revision
from journeyscope.web.deps import DbDep
from journeyscope.web.openapi import problem_response_doc

router = APIRouter(tags=["health"])


class NotReady(JourneyscopeError):
    """The database cannot serve requests yet."""

    code = "not-ready"
    status = 503


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (does not touch the database)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: problem_response_doc("Database unreachable or schema old")})
def readyz(db: DbDep) -> dict[str, str]:
    """The database answers and its schema is current; 503 problem otherwise."""
    try:
        db.ping()
        revision = current_revision(db.engine)
    except SQLAlchemyError as exc:
        raise NotReady(
            f"The database cannot be reached ({type(exc).__name__}).",
            hint="check JOURNEYSCOPE_DATABASE_URL and that the server runs",
        ) from None
    if revision != head_revision():
        raise NotReady(
            f"The database schema is at {revision}, this version needs {head_revision()}.",
            hint="run `journeyscope db upgrade`",
        )
    return {"status": "ready", "database": db.dialect, "schema": revision}
