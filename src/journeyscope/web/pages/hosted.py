"""Hosted survey pages: ``/s/{public_id}`` (anonymous link) and ``/i/{token}`` (personal link).

Plain HTML forms, rendered on the server, that work without JavaScript. The anonymous link
keeps its response id in a cookie scoped to the link, so a respondent resumes where they left
off; a personal link's signed token names its one response, so every click (and a score clicked
in an email, ``/i/{token}?nps=9``, shown selected and saved by the page's POST) lands on the
same response. What happens on a page lives in
:mod:`~journeyscope.web.pages.hosted_flow`; this module only finds the survey, the response
and the language, and turns broken links into clear pages instead of errors.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from journeyscope import collection, orchestration, surveys
from journeyscope.collection import contact_fields, invited_contact
from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.web.deps import DbDep
from journeyscope.web.pages.forms import FormFields, first_value
from journeyscope.web.pages.hosted_flow import (
    Visit,
    answer,
    find_stored,
    message_page,
    resumed,
    show,
)
from journeyscope.web.pages.hosted_security import (
    cookie_response_id,
    is_cross_site,
    is_same_origin,
    read_form,
)
from journeyscope.web.pages.hosted_view import chrome_language, pick_language
from journeyscope.web.ratelimit import PublicRateLimit

router = APIRouter(include_in_schema=False)


@router.get("/s/{public_id}")
def open_link(request: Request, db: DbDep, public_id: str) -> Response:
    """Show the survey behind an anonymous link, resuming the response in the cookie."""
    kept = cookie_response_id(request)
    found = _link_visit(request, db, public_id, kept)
    if isinstance(found, Response):
        return found
    return show(request, found, request.query_params.get("page"))


@router.post("/s/{public_id}")
async def answer_link(request: Request, db: DbDep, public_id: str, _: PublicRateLimit) -> Response:
    """Take one page of answers sent through an anonymous link.

    Refused (403) when the browser says another site sent it; without a resume cookie the
    answers are saved under the form's signed id, but the cookie is only set when the browser
    vouches that the form was posted from our own page (see ``hosted_security``).
    """
    if is_cross_site(request):
        return _refused(request)
    form = await _read(request)
    survey = await run_in_threadpool(_published, db, public_id)
    if survey is None:
        return _message(request, "not_found", 404)
    signed = read_form(request.app.state.secret_key, survey.survey_id, first_value(form, "_form"))
    kept = cookie_response_id(request)
    if signed is None or (kept is not None and kept != signed):
        return _refused(request)
    found = await run_in_threadpool(
        _link_visit,
        request,
        db,
        public_id,
        signed,
        survey=survey,
        lang=first_value(form, "_lang"),
        may_set_cookie=kept is not None or is_same_origin(request),
    )
    if isinstance(found, Response):  # pragma: no cover - the survey was found just above
        return found
    return await run_in_threadpool(answer, request, db, found, form)


@router.get("/i/{token}")
def open_invitation(request: Request, db: DbDep, token: str) -> Response:
    """Show the survey of a personal link; ``?<question>=<score>`` selects a clicked score.

    The score is saved by the page's POST (its script, or a button), never by this GET: mail
    scanners open links too. Opening the link moves the invitation to ``opened`` only.
    """
    found = _invitation_visit(request, db, token, request.query_params.get("lang"))
    if isinstance(found, Response):
        return found
    if found.invitation_nonce is not None:
        orchestration.record_opened(
            db, workspace_id=found.survey.workspace_id, nonce=found.invitation_nonce
        )
    return show(request, found, request.query_params.get("page"))


@router.post("/i/{token}")
async def answer_invitation(
    request: Request, db: DbDep, token: str, _: PublicRateLimit
) -> Response:
    """Take one page of answers sent through a personal link (403 when sent by another site)."""
    if is_cross_site(request):
        return _refused(request)
    form = await _read(request)
    lang = first_value(form, "_lang")
    found = await run_in_threadpool(_invitation_visit, request, db, token, lang)
    if isinstance(found, Response):
        return found
    signed = read_form(found.secret_key, found.survey.survey_id, first_value(form, "_form"))
    if signed != found.response_id:
        return _refused(request)
    return await run_in_threadpool(answer, request, db, found, form)


def _link_visit(
    request: Request,
    db: DbDep,
    public_id: str,
    response_id: uuid.UUID | None,
    *,
    survey: surveys.PublishedSurvey | None = None,
    lang: str | None = None,
    may_set_cookie: bool = True,
) -> Visit | Response:
    """The visit of an anonymous link, or the "not found" page.

    ``response_id`` is ``None`` for a first visit (no cookie): a new id is made, and nothing
    stored is looked up for it. A kept id whose response answers another survey is replaced
    by a new one.
    """
    survey = survey or _published(db, public_id)
    if survey is None:
        return _message(request, "not_found", 404)
    stored = None if response_id is None else find_stored(db, survey, response_id)
    answering, resumed_response = resumed(db, survey, stored)
    if response_id is None or (stored is not None and resumed_response is None):
        response_id = uuid.uuid4()
    asked = lang or request.query_params.get("lang")
    accept = request.headers.get("accept-language")
    return Visit(
        survey=answering,
        response_id=response_id,
        channel=survey.touchpoint_channel or Channel.WEBSITE,
        lang=pick_language(answering.definition, asked, accept),
        path=f"/s/{public_id}",
        secret_key=request.app.state.secret_key,
        cookie_path=f"/s/{public_id}" if may_set_cookie else None,
        stored=resumed_response,
    )


def _invitation_visit(
    request: Request, db: DbDep, token: str, lang: str | None
) -> Visit | Response:
    """The visit of a personal link, or the page saying why the link does not work."""
    secret_key: str = request.app.state.secret_key
    try:
        invitation = collection.read_invitation(token, secret_key, now=db.clock.now())
        survey = surveys.published_by_id(db, invitation.workspace_id, invitation.survey_id)
    except collection.InvalidToken as exc:
        key, status = ("expired_link", 410) if exc.expired else ("invalid_link", 403)
        return _message(request, key, status)
    except NotFound:
        return _message(request, "not_found", 404)
    contact = invited_contact(db, invitation)
    preferred = lang or (contact.locale if contact else None)
    answering, stored = resumed(db, survey, find_stored(db, survey, invitation.response_id))
    accept = request.headers.get("accept-language")
    return Visit(
        survey=answering,
        response_id=invitation.response_id,
        channel=invitation.channel,
        lang=pick_language(answering.definition, preferred, accept),
        path=f"/i/{token}",
        secret_key=secret_key,
        contact_id=contact.id if contact else None,
        contact=contact_fields(contact),
        stored=stored,
        invitation_nonce=invitation.nonce,
    )


def _published(db: DbDep, public_id: str) -> surveys.PublishedSurvey | None:
    try:
        return surveys.published_by_public_id(db, public_id)
    except NotFound:
        return None


def _refused(request: Request) -> Response:
    """403: a form that is forged, out of date, for another response, or sent by another site."""
    return _message(request, "bad_form", 403)


def _message(request: Request, key: str, status: int) -> Response:
    """A message page in the browser's language (no survey is known yet)."""
    lang = chrome_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    return message_page(request, key, lang=lang, status=status)


async def _read(request: Request) -> FormFields:
    """The form's text fields (file uploads, which no survey asks for, are dropped)."""
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}
