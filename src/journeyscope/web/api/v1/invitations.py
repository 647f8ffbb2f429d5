"""`/v1/surveys/{key}/invitations`: personal survey links, with an email snippet to send them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, ConfigDict, Field

from journeyscope.collection.email_snippet import snippet_words
from journeyscope.collection.links import personal_link
from journeyscope.collection.models import ExternalId, Locale
from journeyscope.journey.models import Channel
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/surveys", tags=["invitations"], responses=PROBLEM_RESPONSES)


class InvitationIn(BaseModel):
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


@router.post("/{survey_key}/invitations", status_code=status.HTTP_201_CREATED)
def create_invitation(
    request: Request, db: DbDep, workspace_id: WorkspaceDep, survey_key: str, body: InvitationIn
) -> InvitationOut:
    """Make a personal link to a published survey, for one contact, and its email snippet.

    The link opens `/i/{token}`: no login, one response per invitation however often it is
    opened, and it expires after `expires_in_days`. The snippet's score links record the
    clicked score as soon as the page opens. 404 when the survey is unknown or unpublished,
    or `contact_external_id` names no contact.
    """
    link = personal_link(
        db,
        workspace_id=workspace_id,
        survey_key=survey_key,
        secret_key=request.app.state.secret_key,
        base_url=request.app.state.settings.base_url,
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
