"""Invitations: personal survey links with an email snippet to send them, and the funnel.

`POST /v1/surveys/{key}/invitations` makes a link by hand; `GET /v1/invitations/funnel` counts
what became of the invitations: those rules and waves planned, and the links made by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import orchestration
from journeyscope.collection import ExternalId, Locale, snippet_words
from journeyscope.inputs import StrictInput
from journeyscope.journey import Channel
from journeyscope.orchestration import Funnel, FunnelDimension, FunnelQuery
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["invitations"], responses=PROBLEM_RESPONSES)
SurveyKey = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$",
        description="Count only this survey's invitations (its key); 404 if there is none.",
    ),
]
Since = Annotated[
    dt.date | None,
    Query(alias="from", description="First day (UTC) the invitations were planned, included."),
]
Until = Annotated[
    dt.date | None,
    Query(alias="to", description="Last day (UTC) the invitations were planned, included."),
]
GroupBy = Annotated[
    list[FunnelDimension] | None,
    Query(
        description="Group on these dimensions (repeat the parameter: "
        "`group_by=survey&group_by=channel`); default: all three."
    ),
]


class InvitationIn(StrictInput):
    """Who the personal link is for, how it is sent, and for how long it works."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_external_id: ExternalId | None = Field(
        default=None,
        description="The contact it is for (must exist); leave out for an unnamed recipient.",
    )
    channel: Channel = Field(
        default=Channel.EMAIL, description="How the link is sent; responses record it."
    )
    expires_in_days: Annotated[int, Field(ge=1, le=365)] = Field(
        default=30, description="Days until the link stops working (1-365)."
    )
    lang: Locale | None = Field(
        default=None,
        description="Language of the page and snippet; default: the contact's locale, else "
        "the survey's default language.",
    )


class InvitationOut(BaseModel):
    """A personal link and the email content to send it in."""

    token: str = Field(description="The signed invitation token (part of `url`).")
    url: str = Field(description="The personal survey page, `{base_url}/i/{token}`.")
    expires_at: dt.datetime
    lang: str = Field(description="The survey language the respondent will see.")
    email_html: str = Field(
        description="HTML to paste into the email body: the first question as one-click "
        "score links when it is a score, else a start button. Already escaped."
    )
    email_text: str = Field(description="The plain-text alternative for the `text/plain` part.")


@router.post("/v1/surveys/{survey_key}/invitations", status_code=status.HTTP_201_CREATED)
def create_invitation(
    request: Request, db: DbDep, workspace_id: WorkspaceDep, survey_key: str, body: InvitationIn
) -> InvitationOut:
    """Make a personal link to a published survey, for one contact, and its email snippet.

    The link opens `/i/{token}`: no login, one response per invitation however often it is
    opened, and it expires after `expires_in_days`. The snippet's score links record the
    clicked score as soon as the page opens. The link is stored as an invitation `sent` now
    (you send it), so `GET /v1/invitations/funnel` counts it and what became of it. 404 when
    the survey is unknown or unpublished, or `contact_external_id` names no contact.
    """
    link = orchestration.make_personal_link(
        db,
        workspace_id=workspace_id,
        survey_key=survey_key,
        secret_key=request.app.state.secret_key,
        base_url=request.app.state.settings.web.base_url,
        contact_external_id=body.contact_external_id,
        channel=body.channel,
        lifetime=dt.timedelta(days=body.expires_in_days),
        lang=body.lang,
    )
    email = link.email(snippet_words(link.lang))
    return InvitationOut(
        token=link.token,
        url=link.url,
        expires_at=link.expires_at,
        lang=link.lang,
        email_html=email.html,
        email_text=email.text,
    )


@router.get("/v1/invitations/funnel")
def invitation_funnel(
    db: DbDep,
    workspace_id: WorkspaceDep,
    survey: SurveyKey = None,
    since: Since = None,
    until: Until = None,
    group_by: GroupBy = None,
) -> Funnel:
    """Count the invitations that reached each step, per survey, touchpoint and channel.

    Planned, suppressed (by reason), pending, sent, bounced, opened, started, completed,
    failed, expired and reminded, for the invitations planned from `from` to `to`: the inputs
    of response rates. A step counts every invitation that got that far, so `completed` ≤
    `started` ≤ `opened` ≤ `sent` ≤ `planned`. One grouped query, whatever the volume.
    """
    dims = tuple(dict.fromkeys(group_by)) if group_by else FunnelQuery().group_by
    query = FunnelQuery(survey=survey, since=since, until=until, group_by=dims)
    return orchestration.invitation_funnel(db, workspace_id=workspace_id, query=query)
