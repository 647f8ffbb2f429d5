"""One respondent's way through a hosted survey: show a page, take its answers, go on or back.

Both doors (the anonymous link ``/s/{public_id}`` and the personal link ``/i/{token}``) only
differ in how they find the survey and the response id; from there a :class:`Visit` carries
everything, and these functions do the rest. Every page is saved as a partial response as soon
as it is sent, so a respondent who leaves comes back to where they were. The last page
completes the response; after that the page only says thank you, and the stored answers
never change again. Where the respondent goes (pages, what is missing, what a change of mind
hides) is decided by :mod:`journeyscope.surveys.flow`, as for every other door.

A score clicked in an invitation email (``/i/{token}?nps=9``) is never saved by the GET: mail
scanners open links too. The page opens with the score selected, and ``hosted.js`` saves it at
once with a POST (``_action=save``); without script a button does the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from journeyscope import collection, orchestration, surveys
from journeyscope.collection import PublicResponseIn
from journeyscope.errors import Conflict, InvalidInput
from journeyscope.journey import Channel
from journeyscope.store import Database
from journeyscope.surveys import (
    SCORED_TYPES,
    Answers,
    PublishedSurvey,
    check_answer,
    clear_hidden,
    open_pages,
    previous_page,
    resume_page,
    shown_on_page,
)
from journeyscope.web.pages import templates
from journeyscope.web.pages.forms import (
    FormFields,
    check_page,
    first_value,
    parse_answers,
    parse_score,
)
from journeyscope.web.pages.hosted_security import secure, set_resume_cookie, sign_form
from journeyscope.web.pages.hosted_view import Texts, device_class, view_question
from journeyscope.web.pages.page_cache import PageCache
from journeyscope.web.pages.ui_text import ui_words

PAGE = "hosted/page.html"
BLANK_PAGES = PageCache()
"""Pages that show nothing of their visitor's but the form token (see ``page_cache``)."""


@dataclass(frozen=True, slots=True)
class Visit:
    """Who is answering what, through which door, in which language.

    ``survey`` is the version the stored response answers (the latest for a new response), so
    pages are shown and answers checked against one and the same definition even when the
    survey is republished while a respondent is halfway through.
    """

    survey: PublishedSurvey
    response_id: uuid.UUID
    channel: Channel
    lang: str
    path: str
    secret_key: str
    contact_id: uuid.UUID | None = None
    contact: Mapping[str, Any] = field(default_factory=dict)
    cookie_path: str | None = None
    """Set for anonymous links whose request may set the resume cookie (scoped to this path)."""
    invitation_nonce: str | None = None
    """The nonce of a personal link's invitation: saving answers moves it on (started...)."""
    stored: collection.ResponseView | None = None
    """The response saved so far under ``response_id``; ``None`` for a new one."""
    words: dict[str, str] = field(init=False)
    """The page chrome in the respondent's language."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", ui_words(self.lang))

    def url(self, **query: str) -> str:
        """This door's URL with ``query`` (and the language, so it sticks)."""
        return f"{self.path}?{urlencode({**query, 'lang': self.lang})}"


def resumed(
    db: Database, survey: PublishedSurvey, stored: collection.ResponseView | None
) -> tuple[PublishedSurvey, collection.ResponseView | None]:
    """The survey version ``stored`` answers, and ``stored`` if it answers this survey at all.

    A response of another survey (a response id reused by another door) counts as none: its
    answers are never shown here.
    """
    if stored is None or stored.survey_key != survey.key:
        return survey, None
    return surveys.at_version(db, survey, stored.version), stored


def find_stored(
    db: Database, survey: PublishedSurvey, response_id: uuid.UUID
) -> collection.ResponseView | None:
    """The response stored under ``response_id`` in the survey's workspace (any survey)."""
    return collection.find_response(db, workspace_id=survey.workspace_id, response_id=response_id)


def show(request: Request, visit: Visit, page_id: str | None) -> Response:
    """GET: the page asked for if the respondent may see it yet, else where they left off.

    Never saves anything: a GET may come from a mail scanner or a link preview.
    """
    stored = visit.stored
    if stored is not None and stored.is_complete:
        again = request.query_params.get("done") != "1"
        return thank_you(request, visit, stored.answers, again=again)
    answers = dict(stored.answers) if stored else {}
    clicked = _clicked_scores(request, visit, answers)
    if clicked is not None:
        return clicked
    if page_id not in open_pages(visit.survey.definition, answers):
        page_id = resume_page(visit.survey.definition, answers)
    if page_id is None:  # every page is hidden: nothing to ask
        return thank_you(request, visit, answers, again=False)
    return render_page(request, visit, page_id, answers)


def answer(request: Request, db: Database, visit: Visit, form: FormFields) -> Response:
    """POST: save the page's answers, then go to the next page, back, or to the thank-you."""
    try:
        return _answer(request, db, visit, form)
    except Conflict:  # the id holds another survey's response: never a 500, never its answers
        return message_page(request, "bad_form", lang=visit.lang, status=403)


def _answer(request: Request, db: Database, visit: Visit, form: FormFields) -> Response:
    definition = visit.survey.definition
    stored = visit.stored
    if stored is not None and stored.is_complete:
        return redirect(request, visit, visit.url())
    before = dict(stored.answers) if stored else {}
    page_id = first_value(form, "_page")
    if page_id not in open_pages(definition, before):
        return redirect(request, visit, visit.url())
    questions = shown_on_page(definition, page_id, before)
    sent = parse_answers(questions, form)
    merged = {**before, **sent}
    action = first_value(form, "_action")
    if action == "back":
        return _go_back(request, db, visit, page_id, before, sent)
    errors = check_page(questions, merged, visit.words, partial=action == "save")
    if errors:
        return render_page(request, visit, page_id, merged, errors=errors)
    if action == "save":  # a score from an email link: saved, and the page stays to go on
        save(request, db, visit, clear_hidden(definition, merged), before=before, complete=False)
        return redirect(request, visit, visit.url(page=page_id))
    return _save_and_go_on(request, db, visit, page_id, before, merged)


def _go_back(
    request: Request,
    db: Database,
    visit: Visit,
    page_id: str,
    before: Answers,
    sent: dict[str, Any],
) -> Response:
    """Keep what fits of this page's answers (missing ones are fine), then the page before."""
    definition = visit.survey.definition
    questions = shown_on_page(definition, page_id, before)
    fitting = {q.id: sent[q.id] for q in questions if _fits(q, sent[q.id])}
    kept = clear_hidden(definition, {**before, **fitting})
    save(request, db, visit, kept, before=before, complete=False)
    back = previous_page(definition, page_id, {**before, **sent}) or page_id
    return redirect(request, visit, visit.url(page=back))


def _save_and_go_on(
    request: Request,
    db: Database,
    visit: Visit,
    page_id: str,
    before: Answers,
    merged: dict[str, Any],
) -> Response:
    """Save (completing on the last page) and redirect; answers the store refuses come back."""
    following = surveys.next_page(visit.survey.definition, page_id, merged)
    cleared = clear_hidden(visit.survey.definition, merged)
    try:
        save(request, db, visit, cleared, before=before, complete=following is None)
    except InvalidInput as exc:
        refused = {(p.field or "").removeprefix("answers.") for p in exc.problems}
        on_page = {q.id for q in shown_on_page(visit.survey.definition, page_id, merged)}
        if refused & on_page:
            errors = dict.fromkeys(refused & on_page, visit.words["error_invalid"])
            return render_page(request, visit, page_id, merged, errors=errors)
        # Something earlier is missing (e.g. a page skipped in another tab): keep this page
        # and send the respondent to the first page that still needs an answer.
        save(request, db, visit, cleared, before=before, complete=False)
        return redirect(request, visit, visit.url())
    if following is None:
        return redirect(request, visit, visit.url(done="1"))
    return redirect(request, visit, visit.url(page=following))


def save(
    request: Request,
    db: Database,
    visit: Visit,
    answers: Answers,
    *,
    before: Answers,
    complete: bool,
) -> collection.ResponseView:
    """Store the answers under the visit's response id (merged into what is there).

    An empty answer is only sent to clear one stored before (``before``), so the stored
    response holds the questions answered, not every question shown.
    """
    data = PublicResponseIn(
        id=visit.response_id,
        answers={k: v for k, v in answers.items() if v is not None or before.get(k) is not None},
        complete=complete,
        locale=visit.lang,
        device_class=device_class(request.headers.get("user-agent")),
    )
    saved, _ = collection.submit_public(
        db, visit.survey, data, channel=visit.channel, contact_id=visit.contact_id
    )
    if visit.invitation_nonce is not None and (saved.answers or saved.is_complete):
        orchestration.record_answered(
            db,
            workspace_id=visit.survey.workspace_id,
            nonce=visit.invitation_nonce,
            is_complete=saved.is_complete,
        )
    return saved


def render_page(
    request: Request,
    visit: Visit,
    page_id: str,
    answers: Answers,
    *,
    errors: Mapping[str, str] | None = None,
    autosave: bool = False,
) -> Response:
    """The survey page with ``answers`` filled in; 422 when it shows ``errors``.

    ``autosave``: the answers came from an email link and are not saved yet; the page's
    script saves them on load (a button does where script is off). A page with nothing of
    the visitor's own on it but its form token comes from :data:`BLANK_PAGES`.
    """
    errors = errors or {}
    token = sign_form(visit.secret_key, visit.survey.survey_id, visit.response_id)
    if answers or errors or autosave or visit.contact or visit.invitation_nonce is not None:
        context = _page_context(visit, page_id, answers, errors, autosave=autosave)
        context["form_token"] = token
        return _finish(request, visit, PAGE, context, 422 if errors else 200)
    root_path = request.scope.get("root_path", "")
    key = (visit.survey.version_id, visit.lang, page_id, visit.url(), root_path)

    def render(form_token: str) -> str:
        context = _page_context(visit, page_id, {}, {}, autosave=False)
        context |= {"form_token": form_token, "request": request}
        return templates.get_template(PAGE).render(context)

    page = HTMLResponse(BLANK_PAGES.page(key, render, token))
    return _cookie(request, visit, secure(page))


def _page_context(
    visit: Visit,
    page_id: str,
    answers: Answers,
    errors: Mapping[str, str],
    *,
    autosave: bool,
) -> dict[str, Any]:
    """What ``hosted/page.html`` shows, but the form token."""
    definition, words = visit.survey.definition, visit.words
    say = Texts(definition, visit.lang, visit.contact, answers)
    questions = [
        view_question(q, answers.get(q.id), say=say, words=words, error=errors.get(q.id, ""))
        for q in shown_on_page(definition, page_id, answers)
    ]
    page = definition.page(page_id)
    is_first = surveys.first_page(definition, answers) == page_id
    return {
        "lang": visit.lang,
        "words": words,
        "survey_title": say(definition.title),
        "description": say(definition.description) if is_first else "",
        "page_title": say(page.title) if page else "",
        "questions": questions,
        "errors": [q for q in questions if q.error],
        "page_id": page_id,
        "action": visit.url(),
        # "Submit" only where every answer ends the survey: never on a page that may branch on
        "is_last": surveys.ends_after(definition, page_id, answers) is True,
        "has_back": previous_page(definition, page_id, answers) is not None,
        "autosave": autosave and not errors,
    }


def thank_you(request: Request, visit: Visit, answers: Answers, *, again: bool) -> Response:
    """The survey's thank-you text (or ours); ``again`` when they come back after finishing."""
    definition, words = visit.survey.definition, visit.words
    say = Texts(definition, visit.lang, visit.contact, answers)
    context = {
        "lang": visit.lang,
        "words": words,
        "survey_title": say(definition.title),
        "heading": say(definition.thank_you) or words["thank_you"],
        "note": words["already_answered"] if again else "",
    }
    return _finish(request, visit, "hosted/thanks.html", context, 200)


def message_page(request: Request, key: str, *, lang: str, status: int) -> Response:
    """A page with only a message (link not valid, expired, not found): no survey data."""
    words = ui_words(lang)
    context = {"lang": lang, "words": words, "heading": words[key], "help": words[f"{key}_help"]}
    page = templates.TemplateResponse(request, "hosted/message.html", context, status_code=status)
    return secure(page)


def redirect(request: Request, visit: Visit, url: str) -> Response:
    """303 to ``url`` (a GET), keeping the resume cookie fresh."""
    return _cookie(request, visit, secure(RedirectResponse(url, status_code=303)))


def _finish(
    request: Request, visit: Visit, name: str, context: dict[str, Any], status: int
) -> Response:
    page = templates.TemplateResponse(request, name, context, status_code=status)
    return _cookie(request, visit, secure(page))


def _cookie(request: Request, visit: Visit, response: Response) -> Response:
    if visit.cookie_path is not None:
        set_resume_cookie(request, response, visit.cookie_path, visit.response_id)
    return response


def _clicked_scores(request: Request, visit: Visit, answers: Answers) -> Response | None:
    """The first page with the scores of an email link (``?nps=9``) selected, not yet saved.

    Only scores of the first page's questions count. Saving waits for a POST (the page's
    script sends it on load): a GET may come from a mail scanner that nobody asked to answer.
    A score that is not one (``?nps=11``, ``?nps=²``) shows the page with its error (422).
    ``None`` when the link carries no score.
    """
    definition = visit.survey.definition
    first = surveys.first_page(definition, answers)
    clicked: dict[str, Any] = {}
    for question in shown_on_page(definition, first, answers) if first else []:
        raw = request.query_params.get(question.id, "").strip()
        if isinstance(question, SCORED_TYPES) and raw:
            clicked[question.id] = parse_score(raw)
    if first is None or not clicked:
        return None
    merged = {**answers, **clicked}
    wrong = [q for q, value in clicked.items() if not _fits(definition.question(q), value)]
    if wrong:
        errors = dict.fromkeys(wrong, visit.words["error_invalid"])
        return render_page(request, visit, first, merged, errors=errors)
    return render_page(request, visit, first, merged, autosave=True)


def _fits(question: surveys.Question | None, value: object) -> bool:
    return question is not None and (value is None or check_answer(question, value) is None)
