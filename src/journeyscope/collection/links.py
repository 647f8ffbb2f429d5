"""Survey links to hand out: the anonymous link of a survey, and personal invitation links.

An anonymous link (``{base_url}/s/{public_id}``) is the same for everyone: put it on a website,
a receipt or a QR code. A personal link (``{base_url}/i/{token}``) is made for one contact (or
one unnamed recipient) and one channel, expires, and fills exactly one response however often
it is opened, which is what an email or SMS invitation needs. The API and the CLI both make
links here, so they make the same ones. Must not import the web.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from journeyscope import surveys
from journeyscope.collection.email_snippet import EmailSnippet, SnippetWords, render_email_snippet
from journeyscope.collection.hosted import contact_by_external_id, contact_fields
from journeyscope.collection.models import Contact
from journeyscope.collection.tokens import new_invitation, sign_invitation
from journeyscope.collection.urls import invitation_url, survey_url
from journeyscope.journey import Channel
from journeyscope.store import Database


@dataclass(frozen=True, slots=True)
class PersonalLink:
    """A signed personal link, with what is needed to write the email around it."""

    token: str
    url: str
    nonce: str
    """The invitation nonce the token carries (it names the one response of the link)."""
    expires_at: dt.datetime
    lang: str
    """The survey language the respondent will see (asked, else the contact's, else default)."""
    survey: surveys.PublishedSurvey
    contact: Contact | None

    def email(self, words: SnippetWords | None = None) -> EmailSnippet:
        """The email snippet for this link: the first question, or a "start" button."""
        return render_email_snippet(
            self.survey.definition,
            url=self.url,
            lang=self.lang,
            contact=contact_fields(self.contact),
            words=words,
        )


def anonymous_link(base_url: str, public_id: str) -> str:
    """The survey's link for everyone."""
    return survey_url(base_url, public_id)


def published_survey(db: Database, *, workspace_id: uuid.UUID, key: str) -> surveys.PublishedSurvey:
    """The published survey with this key; :class:`NotFound` if unknown or never published."""
    found = surveys.get_survey(db, workspace_id=workspace_id, key=key)
    return surveys.published_by_id(db, workspace_id, found.id)


def personal_link(
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
    """Sign a new invitation to a published survey and build its link.

    Raises:
        NotFound: The survey is unknown or unpublished (field ``survey_key``), or the contact
            is unknown (field ``contact_external_id``).
    """
    survey = published_survey(db, workspace_id=workspace_id, key=survey_key)
    contact = None
    if contact_external_id is not None:
        contact = contact_by_external_id(
            db, workspace_id=workspace_id, external_id=contact_external_id
        )
    invitation = new_invitation(
        workspace_id=workspace_id,
        survey_id=survey.survey_id,
        contact_id=contact.id if contact else None,
        channel=channel,
        now=db.clock.now(),
        lifetime=lifetime,
    )
    token = sign_invitation(invitation, secret_key)
    url = invitation_url(base_url, token)
    if lang:
        url += "?" + urlencode({"lang": lang})
    wanted = [lang or "", (contact.locale if contact else None) or ""]
    return PersonalLink(
        token=token,
        url=url,
        nonce=invitation.nonce,
        expires_at=invitation.expires_at,
        lang=surveys.match_language(survey.definition, wanted),
        survey=survey,
        contact=contact,
    )
