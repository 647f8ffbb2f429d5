"""Hosted survey pages: ``/s/{public_id}`` (anonymous link) and ``/i/{token}`` (personal link).

Plain HTML forms, rendered on the server, that work without JavaScript. The anonymous link
keeps its response id in a cookie scoped to the link, so a respondent resumes where they left
off; a personal link's signed token names its one response, so every click (and a score clicked
in an email, ``/i/{token}?nps=9``) lands on the same response. What happens on a page lives in
:mod:`~journeyscope.web.pages.hosted_flow`; this module only finds the survey, the response
and the language, and turns broken links into clear pages instead of errors.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from journeyscope import collection, surveys
from journeyscope.collection.hosted import contact_fields, invited_contact
from journeyscope.errors import NotFound
from journeyscope.journey.models import Channel
from journeyscope.web.deps import DbDep
from journeyscope.web.pages.forms import FormFields
from journeyscope.web.pages.hosted_flow import Visit, answer, message_page, show
from journeyscope.web.pages.hosted_security import cookie_response_id, read_form
from journeyscope.web.pages.hosted_view import pick_language
from journeyscope.web.pages.ui_text import UI_TEXT
from journeyscope.web.ratelimit import PublicRateLimit

router = APIRouter(include_in_schema=False)


@router.get("/s/{public_id}")
def open_link(request: Request, db: DbDep, public_id: str) -> Response:
    """Show the survey behind an anonymous link, resuming the response in the cookie."""
    found = _link_visit(request, db, public_id, cookie_response_id(request) or uuid.uuid4())
    if isinstance(found, Response):
        return found
    return show(request, db, found, request.query_params.get("page"))


@router.post("/s/{public_id}")
async def answer_link(request: Request, db: DbDep, public_id: str, _: PublicRateLimit) -> Response:
    """Take one page of answers sent through an anonymous link."""
    form = await _read(request)
    survey = await run_in_threadpool(_published, db, public_id)
    if survey is None:
        return message_page(request, "not_found", lang=_chrome_language(request), status=404)
    signed = read_form(request.app.state.secret_key, survey.survey_id, _first(form, "_form"))
    kept = cookie_response_id(request)
    if signed is None or (kept is not None and kept != signed):
        return _bad_form(request)
    found = _link_visit(request, db, public_id, signed, survey=survey, lang=_first(form, "_lang"))
    if isinstance(found, Response):  # pragma: no cover - the survey was found just above
        return found
    return await run_in_threadpool(answer, request, db, found, form)


@router.get("/i/{token}")
def open_invitation(request: Request, db: DbDep, token: str) -> Response:
    """Show the survey of a personal link; ``?<question>=<score>`` records a clicked score."""
    found = _invitation_visit(request, db, token, request.query_params.get("lang"))
    if isinstance(found, Response):
        return found
    return show(request, db, found, request.query_params.get("page"))


@router.post("/i/{token}")
async def answer_invitation(
    request: Request, db: DbDep, token: str, _: PublicRateLimit
) -> Response:
    """Take one page of answers sent through a personal link."""
    form = await _read(request)
    found = await run_in_threadpool(_invitation_visit, request, db, token, _first(form, "_lang"))
    if isinstance(found, Response):
        return found
    signed = read_form(found.secret_key, found.survey.survey_id, _first(form, "_form"))
    if signed != found.response_id:
        return _bad_form(request)
    return await run_in_threadpool(answer, request, db, found, form)


def _link_visit(
    request: Request,
    db: DbDep,
    public_id: str,
    response_id: uuid.UUID,
    *,
    survey: surveys.PublishedSurvey | None = None,
    lang: str | None = None,
) -> Visit | Response:
    """The visit of an anonymous link, or the "not found" page."""
    survey = survey or _published(db, public_id)
    if survey is None:
        return message_page(request, "not_found", lang=_chrome_language(request), status=404)
    asked = lang or request.query_params.get("lang")
    return Visit(
        survey=survey,
        response_id=response_id,
        channel=survey.touchpoint_channel or Channel.WEBSITE,
        lang=pick_language(survey.definition, asked, request.headers.get("accept-language")),
        path=f"/s/{public_id}",
        secret_key=request.app.state.secret_key,
        cookie_path=f"/s/{public_id}",
    )


def _invitation_visit(
    request: Request, db: DbDep, token: str, lang: str | None
) -> Visit | Response:
    """The visit of a personal link, or the page saying why the link does not work."""
    secret_key: str = request.app.state.secret_key
    try:
        invitation = collection.read_invitation(token, secret_key)
        survey = surveys.published_by_id(db, invitation.workspace_id, invitation.survey_id)
    except collection.InvalidToken as exc:
        key, status = ("expired_link", 410) if exc.expired else ("invalid_link", 403)
        return message_page(request, key, lang=_chrome_language(request), status=status)
    except NotFound:
        return message_page(request, "not_found", lang=_chrome_language(request), status=404)
    contact = invited_contact(db, invitation)
    preferred = lang or (contact.locale if contact else None)
    return Visit(
        survey=survey,
        response_id=invitation.response_id,
        channel=invitation.channel,
        lang=pick_language(survey.definition, preferred, request.headers.get("accept-language")),
        path=f"/i/{token}",
        secret_key=secret_key,
        contact_id=contact.id if contact else None,
        contact=contact_fields(contact),
    )


def _published(db: DbDep, public_id: str) -> surveys.PublishedSurvey | None:
    try:
        return surveys.published_by_public_id(db, public_id)
    except NotFound:
        return None


def _bad_form(request: Request) -> Response:
    return message_page(request, "bad_form", lang=_chrome_language(request), status=403)


def _chrome_language(request: Request) -> str:
    """The language of a page shown before any survey is known: the browser's, if we have it."""
    asked = request.query_params.get("lang", "")
    header = request.headers.get("accept-language", "")
    for part in [asked, *header.split(",")]:
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in UI_TEXT:
            return tag
    return "en"


async def _read(request: Request) -> FormFields:
    """The form's text fields (file uploads, which no survey asks for, are dropped)."""
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


def _first(form: FormFields, name: str) -> str:
    values = form.get(name) or [""]
    return values[0]
