"""The phone survey (IVR): what a caller hears, and what their key presses mean.

Only scored questions can be answered on a keypad, so the others are skipped on the phone (a
response missing a required one of them stays partial). The keypad scheme keeps every answer
one gesture: a scale whose top is one digit (CSAT 1-5, CES 1-7, ratings up to 9) takes a single
key press and moves on at once; a scale up to 10 or 11 (NPS 0-10) takes up to two digits, ended
by ``#`` or a pause ("1 0" is ten, "7 #" is seven). A wrong or missing answer is asked once
more, then the question is skipped, so nobody is stuck in a loop on the line.

Provider-neutral and pure: a :class:`Step` says what to speak and what to collect; the web door
saves answers and a provider module renders the step (TwiML). Imports neither the store nor
the web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard
from urllib.parse import quote, urlencode

from journeyscope import surveys
from journeyscope.surveys import SCORED_TYPES, ScoredQuestion, SurveyDefinition

MAX_ATTEMPTS = 2
"""How many times one question is asked before it is skipped."""

PHONE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "keys_one": "Press a number from {low} to {high}.",
        "keys_two": "Enter a number from {low} to {high}, then press the hash key.",
        "sorry": "Sorry, that is not a valid answer.",
        "thanks": "Thank you for your feedback.",
        "goodbye": "Goodbye.",
        "done_before": "You have already answered this survey. Thank you, goodbye.",
        "unavailable": "Sorry, this survey is no longer available. Goodbye.",
        "no_questions": "Sorry, this survey cannot be answered by phone. Goodbye.",
    },
    "fr": {
        "keys_one": "Appuyez sur une touche de {low} à {high}.",
        "keys_two": "Tapez un nombre de {low} à {high}, puis la touche dièse.",
        "sorry": "Désolé, cette réponse n'est pas valide.",
        "thanks": "Merci pour votre avis.",
        "goodbye": "Au revoir.",
        "done_before": "Vous avez déjà répondu à cette enquête. Merci, au revoir.",
        "unavailable": "Désolé, cette enquête n'est plus disponible. Au revoir.",
        "no_questions": "Désolé, cette enquête ne peut pas se faire par téléphone. Au revoir.",
    },
    "de": {
        "keys_one": "Drücken Sie eine Taste von {low} bis {high}.",
        "keys_two": "Geben Sie eine Zahl von {low} bis {high} ein, dann die Rautetaste.",
        "sorry": "Entschuldigung, diese Antwort ist ungültig.",
        "thanks": "Vielen Dank für Ihr Feedback.",
        "goodbye": "Auf Wiederhören.",
        "done_before": "Sie haben diese Umfrage bereits beantwortet. Danke, auf Wiederhören.",
        "unavailable": "Diese Umfrage ist leider nicht mehr verfügbar. Auf Wiederhören.",
        "no_questions": "Diese Umfrage ist am Telefon leider nicht möglich. Auf Wiederhören.",
    },
    "es": {
        "keys_one": "Pulse un número del {low} al {high}.",
        "keys_two": "Marque un número del {low} al {high} y después la tecla almohadilla.",
        "sorry": "Lo sentimos, esa respuesta no es válida.",
        "thanks": "Gracias por su opinión.",
        "goodbye": "Adiós.",
        "done_before": "Ya ha respondido a esta encuesta. Gracias, adiós.",
        "unavailable": "Lo sentimos, esta encuesta ya no está disponible. Adiós.",
        "no_questions": "Lo sentimos, esta encuesta no se puede responder por teléfono. Adiós.",
    },
}
"""The flow's own words, by language; other languages fall back to English."""


@dataclass(frozen=True, slots=True)
class Speech:
    """One sentence to speak, in the language it is written in (a BCP 47 tag)."""

    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class Ask:
    """Collect the answer to one question: up to ``num_digits`` key presses."""

    question_id: str
    num_digits: int
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class Step:
    """What happens next on the line.

    ``ask`` is ``None`` when the call ends after speaking. ``answered`` holds the score to save
    for the question just answered (empty when nothing new); ``is_finished`` says the last
    question is behind us, so the response should be completed if it can be.
    """

    say: tuple[Speech, ...]
    ask: Ask | None = None
    answered: dict[str, int] = field(default_factory=dict)
    is_finished: bool = False


@dataclass(frozen=True, slots=True)
class Call:
    """What the flow knows about one call: the survey, the answers so far, the language."""

    definition: SurveyDefinition
    answers: Mapping[str, Any]
    lang: str
    contact: Mapping[str, Any] = field(default_factory=dict)


def phone_questions(
    definition: SurveyDefinition, answers: Mapping[str, Any]
) -> list[ScoredQuestion]:
    """The scored questions these answers show, in order: all a keypad can answer."""
    return [q for q in surveys.visible_questions(definition, answers) if _is_scored(q)]


def has_phone_questions(definition: SurveyDefinition) -> bool:
    """Whether a phone call could ask anything at all (some scored question exists)."""
    return any(_is_scored(q) for q in definition.questions())


def digits_for(question: ScoredQuestion) -> int:
    """Key presses a scale needs: 1 up to 9, 2 for 10 and 11 (NPS)."""
    return len(str(question.high))


def read_score(question: ScoredQuestion, digits: str | None) -> int | None:
    """The score typed for ``question``, or ``None`` if it is missing or off the scale.

    A trailing ``#`` or ``*`` is ignored; "07" is 7; more than two digits is never a score.
    """
    typed = (digits or "").strip().rstrip("#*")
    if not typed.isascii() or not typed.isdigit() or len(typed) > 2:
        return None
    score = int(typed)
    return score if question.low <= score <= question.high else None


def start_call(call: Call) -> Step:
    """The first question not answered yet (a dropped call resumes), or goodbye if none."""
    pending = [
        q for q in phone_questions(call.definition, call.answers) if q.id not in call.answers
    ]
    if not pending:
        return _finish(call, {}) if call.answers else _hang_up("no_questions", call.lang)
    return Step(say=_question(call, pending[0]), ask=_ask(pending[0], attempt=1))


def take_answer(call: Call, *, question_id: str, digits: str | None, attempt: int) -> Step:
    """Save a valid score and ask the next question; ask once more, then skip, when invalid."""
    question = call.definition.question(question_id)
    if question is None or not _is_scored(question):
        return start_call(call)  # a stale URL (the survey changed): carry on from the start
    score = read_score(question, digits)
    if score is None and attempt < MAX_ATTEMPTS:
        sorry = Speech(_text("sorry", call.lang), _prompt_voice(call.lang))
        return Step(
            say=(sorry, *_question(call, question)), ask=_ask(question, attempt=attempt + 1)
        )
    answers = dict(call.answers)
    answered = {question_id: score} if score is not None else {}
    answers.update(answered)
    following = _after(phone_questions(call.definition, answers), question_id, answers)
    if following is None:
        return _finish(Call(call.definition, answers, call.lang, call.contact), answered)
    return Step(say=_question(call, following), ask=_ask(following, attempt=1), answered=answered)


def already_answered(lang: str) -> Step:
    """Goodbye to someone whose response is already complete."""
    return _hang_up("done_before", lang)


def unavailable(lang: str = "en") -> Step:
    """Goodbye when the link is broken or expired, or the survey was withdrawn."""
    return _hang_up("unavailable", lang)


def can_complete(definition: SurveyDefinition, answers: Mapping[str, Any]) -> bool:
    """Whether these answers may be stored as a complete response (no required one missing)."""
    return not surveys.check_answers(definition, answers, complete=True)


def call_url(base_url: str, token: str, *, lang: str) -> str:
    """The voice webhook a placed call starts at: ``{base}/ivr/{token}/start?lang=..``."""
    return f"{base_url}/ivr/{quote(token, safe='')}/start?{urlencode({'lang': lang})}"


def answer_url(base_url: str, token: str, ask: Ask, *, lang: str) -> str:
    """Where the keypad answer to ``ask`` is posted: ``{base}/ivr/{token}/answer/{question}``."""
    query = urlencode({"attempt": ask.attempt, "lang": lang})
    return f"{base_url}/ivr/{quote(token, safe='')}/answer/{ask.question_id}?{query}"


def _is_scored(question: object) -> TypeGuard[ScoredQuestion]:
    return isinstance(question, SCORED_TYPES)


def _after(
    questions: list[ScoredQuestion], question_id: str, answers: Mapping[str, Any]
) -> ScoredQuestion | None:
    """The question after ``question_id``; if it is no longer shown, the first unanswered."""
    ids = [q.id for q in questions]
    if question_id in ids:
        rest = questions[ids.index(question_id) + 1 :]
        return rest[0] if rest else None
    return next((q for q in questions if q.id not in answers), None)


def _ask(question: ScoredQuestion, *, attempt: int) -> Ask:
    return Ask(question_id=question.id, num_digits=digits_for(question), attempt=attempt)


def _question(call: Call, question: ScoredQuestion) -> tuple[Speech, ...]:
    """The question, its scale labels if any, and which keys to press."""
    said = [Speech(_render(call, question.text), call.lang)]
    if question.low_label is not None and question.high_label is not None:
        low, high = _render(call, question.low_label), _render(call, question.high_label)
        said.append(Speech(f"{question.low}: {low}. {question.high}: {high}.", call.lang))
    keys = "keys_one" if digits_for(question) == 1 else "keys_two"
    line = _text(keys, call.lang).format(low=question.low, high=question.high)
    said.append(Speech(line, _prompt_voice(call.lang)))
    return tuple(said)


def _finish(call: Call, answered: dict[str, int]) -> Step:
    """Thanks (the survey's own words if it has them) and goodbye."""
    prompt = _prompt_voice(call.lang)
    if call.definition.thank_you is not None:
        thanks = Speech(_render(call, call.definition.thank_you), call.lang)
    else:
        thanks = Speech(_text("thanks", call.lang), prompt)
    goodbye = Speech(_text("goodbye", call.lang), prompt)
    return Step(say=(thanks, goodbye), answered=answered, is_finished=True)


def _hang_up(key: str, lang: str) -> Step:
    return Step(say=(Speech(_text(key, lang), _prompt_voice(lang)),))


def _render(call: Call, text: surveys.LocalizedText) -> str:
    return surveys.render_text(
        call.definition, text, lang=call.lang, contact=call.contact, answers=call.answers
    )


def _prompt_lang(lang: str) -> str:
    """The language of the flow's own words for ``lang`` (English when not translated)."""
    return surveys.best_language(list(PHONE_TEXT), [lang], "en")


def _prompt_voice(lang: str) -> str:
    """The tag to speak the flow's words in: ``fr-CA`` keeps its accent, untranslated is ``en``."""
    prompt = _prompt_lang(lang)
    return lang if lang.lower().split("-")[0] == prompt else prompt


def _text(key: str, lang: str) -> str:
    return PHONE_TEXT[_prompt_lang(lang)][key]
