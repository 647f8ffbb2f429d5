"""Where a respondent of a hosted survey stands: which pages they may see, what is missing.

Hosted pages save each page as a partial response, so a respondent can leave and come back.
These rules decide where they come back to (the first page on their path that still lacks a
required answer), which pages they may open (none past that one, so no required question is
skipped by editing the URL), and which stored answers a change of mind hides (answering NPS 10
after NPS 3 removes the "what went wrong?" answer, which the new path no longer shows).

Pure functions on a survey definition and answers, plus a contact lookup for personal links.
Must not import the web.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from journeyscope import surveys
from journeyscope.collection import repo
from journeyscope.collection.contacts import get_contact
from journeyscope.collection.models import Contact
from journeyscope.collection.tokens import Invitation
from journeyscope.errors import NotFound, Problem
from journeyscope.store import Database
from journeyscope.surveys import Answers, MatrixQuestion, Question, SurveyDefinition
from journeyscope.surveys.logic import is_shown


def is_missing(question: Question, answers: Answers) -> bool:
    """Whether a required question lacks an answer (a matrix: an answer for every row)."""
    if not question.required:
        return False
    value = answers.get(question.id)
    if isinstance(question, MatrixQuestion):
        return not isinstance(value, dict) or any(not value.get(r.id) for r in question.rows)
    return not surveys.is_answered(value)


def shown_on_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> list[Question]:
    """The questions of one page that these answers show, in order."""
    page = definition.page(page_id)
    return [q for q in page.questions if is_shown(q, answers)] if page else []


def missing_on_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> list[Problem]:
    """A problem for each required question of the page left unanswered."""
    return [
        Problem(f"answers.{q.id}", "This question is required.", "Answer it to go on.")
        for q in shown_on_page(definition, page_id, answers)
        if is_missing(q, answers)
    ]


def open_pages(definition: SurveyDefinition, answers: Answers) -> list[str]:
    """The pages a respondent may open: their path up to the first page still missing answers.

    Opening a later page by its URL would let a respondent skip a required question, so
    those pages are closed until the earlier ones are answered.
    """
    path = surveys.respondent_path(definition, answers)
    for index, page_id in enumerate(path):
        if missing_on_page(definition, page_id, answers):
            return path[: index + 1]
    return path


def resume_page(definition: SurveyDefinition, answers: Answers) -> str | None:
    """The page to show a returning respondent: the first with a required answer missing.

    When nothing required is missing, the first page (their answers are shown, so they can
    check them and go on); ``None`` when the survey shows no page at all.
    """
    pages = open_pages(definition, answers)
    if pages and missing_on_page(definition, pages[-1], answers):
        return pages[-1]
    return pages[0] if pages else None


def previous_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> str | None:
    """The page before ``page_id`` on the respondent's path (``None`` on the first)."""
    path = surveys.respondent_path(definition, answers)
    index = path.index(page_id) if page_id in path else 0
    return path[index - 1] if index > 0 else None


def clear_hidden(definition: SurveyDefinition, answers: Answers) -> dict[str, Any]:
    """``answers`` with ``None`` for every answer the respondent's path no longer shows.

    Clearing one answer can hide another (a condition on it no longer holds), so this repeats
    until nothing changes; each round clears at least one answer, so it ends.
    """
    cleared = dict(answers)
    while True:
        shown = {q.id for q in surveys.visible_questions(definition, cleared)}
        hidden = [k for k, v in cleared.items() if surveys.is_answered(v) and k not in shown]
        if not hidden:
            return cleared
        cleared.update(dict.fromkeys(hidden))


def contact_by_external_id(db: Database, *, workspace_id: uuid.UUID, external_id: str) -> Contact:
    """The contact a personal link is for; :class:`NotFound` naming the field otherwise."""
    with db.transaction() as session:
        found = repo.contact_ids_by_external_id(session, workspace_id, [external_id])
    if external_id not in found:
        raise NotFound(
            f"There is no contact with external_id {external_id!r}.",
            field="contact_external_id",
            hint="create it first with POST /v1/contacts/upsert, or leave it out",
        )
    return get_contact(db, workspace_id=workspace_id, contact_id=found[external_id])


class PipedContact(Protocol):
    """What :func:`contact_fields` reads: a stored contact, or a delivery's recipient."""

    @property
    def external_id(self) -> str: ...  # noqa: D102
    @property
    def email(self) -> str | None: ...  # noqa: D102
    @property
    def name(self) -> str | None: ...  # noqa: D102
    @property
    def locale(self) -> str | None: ...  # noqa: D102
    @property
    def attributes(self) -> dict[str, Any]: ...  # noqa: D102


def contact_fields(contact: PipedContact | None) -> dict[str, Any]:
    """What ``{{contact.x}}`` pipes can name: the contact's fields and, flat, its attributes.

    ``first_name`` is derived from ``name`` when no attribute gives one, since survey texts
    greet people by it (``Hi {{contact.first_name|there}}``). Hosted pages pass the stored
    contact; invitation emails pass the delivery's recipient, so both pipe the same values.
    """
    if contact is None:
        return {}
    fields: dict[str, Any] = {
        "external_id": contact.external_id,
        "email": contact.email,
        "name": contact.name,
        "locale": contact.locale,
        "first_name": contact.name.split()[0] if contact.name and contact.name.split() else None,
    }
    return {**fields, **contact.attributes, "attributes": contact.attributes}


def invited_contact(db: Database, invitation: Invitation) -> Contact | None:
    """The contact an invitation names; ``None`` if there is none or it was deleted since."""
    if invitation.contact_id is None:
        return None
    try:
        return get_contact(
            db, workspace_id=invitation.workspace_id, contact_id=invitation.contact_id
        )
    except NotFound:
        return None
