"""Personal links made by hand (API, CLI): each one is an invitation, counted in the funnel.

A link made with ``POST /v1/surveys/{key}/invitations`` or ``journeyscope survey invite`` is
sent by the company itself (its own mail, a CRM, a chat). It is stored as an invitation row in
state ``sent`` the moment it is handed out, with the link's nonce, so the page opening it and
the answers given through it (hosted page, a score clicked in an email, phone) move it to
``opened``, ``started`` and ``completed`` exactly as they move one the dispatcher sent, and
``GET /v1/invitations/funnel`` counts it. It has no rule, no event and no reminder, and it
counts as an ask of its contact for the recontact period, like any invitation sent.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import insert

from journeyscope.collection import PersonalLink, personal_link
from journeyscope.journey import Channel
from journeyscope.orchestration import outbox
from journeyscope.orchestration.models import InvitationState
from journeyscope.store import Database, tables


def make_personal_link(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    survey_key: str,
    secret_key: str,
    base_url: str,
    contact_external_id: str | None = None,
    channel: Channel = Channel.EMAIL,
    lifetime: dt.timedelta = dt.timedelta(days=30),
    lang: str | None = None,
) -> PersonalLink:
    """Sign a personal link to a published survey, and store it as a sent invitation.

    Raises:
        NotFound: The survey is unknown or unpublished (field ``survey_key``), or the contact
            is unknown (field ``contact_external_id``).
    """
    link = personal_link(
        db,
        workspace_id=workspace_id,
        survey_key=survey_key,
        secret_key=secret_key,
        base_url=base_url,
        contact_external_id=contact_external_id,
        channel=channel,
        lifetime=lifetime,
        lang=lang,
    )
    now = db.clock.now()
    row = outbox.new_row(
        reason=None,
        now=now,
        workspace_id=workspace_id,
        survey_id=link.survey.survey_id,
        rule_id=None,
        contact_id=link.contact.id if link.contact else None,
        event_id=None,
        touchpoint_id=link.survey.touchpoint_id,
        channel=channel.value,
        dedup_key=None,
        due_at=now,
        expires_at=link.expires_at,
    )
    row |= {"nonce": link.nonce, "state": InvitationState.SENT, "sent_at": now}
    with db.transaction() as session:
        session.execute(insert(tables.Invitation), [row])
    return link
