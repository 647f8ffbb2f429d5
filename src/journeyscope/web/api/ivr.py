"""Voice webhooks for phone surveys: the provider posts key presses, we answer with TwiML.

``POST /ivr/{token}/start`` is the URL a placed call opens with (see
:class:`~journeyscope.orchestration.channels.phone.PhoneSender`); every question's keypad
answer is then posted to ``POST /ivr/{token}/answer/{question_id}``. Each request must carry a
valid ``X-Twilio-Signature`` for the account's auth token (403 otherwise, and nothing is
read or stored), so only the provider can put answers into a response. The invitation token
names the one response of the invitation, saved after every answer (channel ``call_center``)
and completed after the last, so a dropped call keeps what was said and resumes on a new call.

A broken or expired invitation still gets a 200 with spoken words and a hang-up, because the
provider would read an error status to the customer as "an application error has occurred".
These routes are for the provider, not API clients, so they stay out of the OpenAPI document.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from journeyscope import collection, orchestration, surveys
from journeyscope.collection import contact_fields, invited_contact
from journeyscope.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from journeyscope.journey import Channel
from journeyscope.orchestration import (
    PHONE_MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    PhoneCall,
    PhoneStep,
    is_valid_signature,
    phone_already_answered,
    phone_answer_url,
    phone_can_complete,
    phone_unavailable,
    public_url,
    render_twiml,
    start_phone_call,
    take_phone_answer,
)
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.web.deps import DbDep

log = logging.getLogger(__name__)

router = APIRouter(prefix="/ivr", include_in_schema=False)

TWIML = "text/xml"


@dataclass(frozen=True, slots=True)
class _Line:
    """One call as the webhooks see it: the invitation's survey, response and language."""

    token: str
    survey: surveys.PublishedSurvey
    response_id: uuid.UUID
    contact_id: uuid.UUID | None
    is_complete: bool
    call: PhoneCall
    nonce: str


@dataclass(frozen=True, slots=True)
class _Door:
    """What the webhooks need from the app: the signing key and the public base URL."""

    secret_key: str
    base_url: str


@router.post("/{token}/start")
async def start_call(request: Request, db: DbDep, token: str) -> Response:
    """Open a survey call: the first question still unanswered, or goodbye."""
    await _signed_form(request)
    lang = request.query_params.get("lang")
    twiml = await run_in_threadpool(_on_line, db, _door(request), token, lang, None)
    return Response(content=twiml, media_type=TWIML)


@router.post("/{token}/answer/{question_id}")
async def take_answer(request: Request, db: DbDep, token: str, question_id: str) -> Response:
    """Take the keypad answer (``Digits``) to one question and go on to the next."""
    form = await _signed_form(request)
    query = request.query_params
    pressed = _Pressed(question_id, form.get("Digits"), _attempt(query.get("attempt", "1")))
    lang = query.get("lang")
    twiml = await run_in_threadpool(_on_line, db, _door(request), token, lang, pressed)
    return Response(content=twiml, media_type=TWIML)


@dataclass(frozen=True, slots=True)
class _Pressed:
    """A keypad answer as posted: the question, the digits, which try it was."""

    question_id: str
    digits: str | None
    attempt: int


def _attempt(raw: str) -> int:
    """Which try this is; anything odd counts as the last one, so the call moves on."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 3 else PHONE_MAX_ATTEMPTS


def _door(request: Request) -> _Door:
    settings: Settings = request.app.state.settings
    return _Door(secret_key=request.app.state.secret_key, base_url=settings.web.base_url)


async def _signed_form(request: Request) -> dict[str, str]:
    """The posted parameters, once the provider's signature over them checks out."""
    settings: Settings = request.app.state.settings
    form = await request.form()
    pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    token = settings.sms.auth_token.get_secret_value() if settings.sms.auth_token else ""
    url = public_url(settings.web.base_url, request.url.path, request.url.query)
    if not is_valid_signature(token, url, pairs, request.headers.get(SIGNATURE_HEADER)):
        log.warning("Refused a voice webhook with a bad or missing %s", SIGNATURE_HEADER)
        raise PermissionDenied(
            "This webhook only accepts requests signed by the SMS and voice provider.",
            hint=f"the provider signs with {SIGNATURE_HEADER}; check JOURNEYSCOPE_SMS_AUTH_TOKEN "
            "and that JOURNEYSCOPE_BASE_URL is the public URL the provider calls",
        )
    return dict(pairs)


def _on_line(
    db: Database, door: _Door, token: str, lang: str | None, pressed: _Pressed | None
) -> str:
    """The TwiML for a call opening (``pressed`` is ``None``) or for one keypad answer."""
    line = _open_line(db, door.secret_key, token, lang)
    if line is None:
        return render_twiml(phone_unavailable())
    if line.is_complete:
        return render_twiml(phone_already_answered(line.call.lang))
    if pressed is None:
        return _reply(db, door, line, start_phone_call(line.call))
    step = take_phone_answer(
        line.call, question_id=pressed.question_id, digits=pressed.digits, attempt=pressed.attempt
    )
    return _reply(db, door, line, step)


def _reply(db: Database, door: _Door, line: _Line, step: PhoneStep) -> str:
    """Store what ``step`` answered, then its TwiML, posting the next answer back to us."""
    _save(db, line, step)
    action = None
    if step.ask is not None:
        action = phone_answer_url(door.base_url, line.token, step.ask, lang=line.call.lang)
    return render_twiml(step, action=action)


def _save(db: Database, line: _Line, step: PhoneStep) -> None:
    """Store a new score, and complete the response after the last question if it can be."""
    answers = {**line.call.answers, **step.answered}
    complete = (
        step.is_finished and bool(answers) and phone_can_complete(line.call.definition, answers)
    )
    if step.answered or complete:
        data = collection.PublicResponseIn(
            id=line.response_id, answers=step.answered, complete=complete
        )
        try:
            collection.submit_public(
                db, line.survey, data, channel=Channel.CALL_CENTER, contact_id=line.contact_id
            )
        except (InvalidInput, Conflict) as exc:  # e.g. the id holds another survey's response
            log.warning("A phone answer could not be stored: %s", exc.message)
            return
        orchestration.record_answered(  # the call's invitation: started, or completed
            db, workspace_id=line.survey.workspace_id, nonce=line.nonce, is_complete=complete
        )


def _open_line(db: Database, secret_key: str, token: str, lang: str | None) -> _Line | None:
    """The call behind ``token``, or ``None`` if the token or its survey is no longer good."""
    try:
        invitation = collection.read_invitation(token, secret_key, now=db.clock.now())
        survey = surveys.published_by_id(db, invitation.workspace_id, invitation.survey_id)
    except (collection.InvalidToken, NotFound):
        return None
    contact = invited_contact(db, invitation)
    stored = collection.find_response(
        db, workspace_id=invitation.workspace_id, response_id=invitation.response_id
    )
    if stored is not None and stored.survey_key != survey.key:
        stored = None  # another survey's response: never read its answers out
    if stored is not None:  # ask what the stored version asks, even after a republish
        survey = surveys.at_version(db, survey, stored.version)
    asked = lang or (contact.locale if contact else None)
    call = PhoneCall(
        definition=survey.definition,
        answers=dict(stored.answers) if stored else {},
        lang=surveys.match_language(survey.definition, [asked]),
        contact=contact_fields(contact),
    )
    return _Line(
        token=token,
        survey=survey,
        response_id=invitation.response_id,
        contact_id=contact.id if contact else None,
        is_complete=bool(stored and stored.is_complete),
        call=call,
        nonce=invitation.nonce,
    )
