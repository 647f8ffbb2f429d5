"""`/v1/hooks`: notifications other systems push to us (today: mail bounces and complaints)."""

from __future__ import annotations

from fastapi import APIRouter

from journeyscope import orchestration
from journeyscope.orchestration import BounceReport, BouncesIn
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/hooks", tags=["hooks"], responses=PROBLEM_RESPONSES)


@router.post("/bounces")
def report_bounces(db: DbDep, workspace_id: WorkspaceDep, body: BouncesIn) -> BounceReport:
    """Report bounces and complaints from your mail provider (up to 1,000 at once).

    Each item names the email by `message_id` (best: it names the invitation) or by `email`.
    A `hard` bounce or a `complaint` marks the invitation `bounced` and the contact's email
    channel `bounced`, so nothing more is sent to that address; a `soft` bounce is only noted
    on the invitation. Idempotent: a resent report changes nothing more. Items that match
    nothing are listed in `unmatched`, not refused.
    """
    return orchestration.record_bounces(db, workspace_id=workspace_id, bounces=body.bounces)
