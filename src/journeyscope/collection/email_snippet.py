"""The survey's first question, ready to paste into an email: one click answers it.

Answering in the email itself gets far more replies than a "take our survey" button, so when the
first question is a score (NPS, CSAT, CES, rating) the snippet shows its scale as a row of links,
each opening the respondent's personal page with that score selected (``{url}?nps=9``); the
page saves it by a POST, never on the link's GET, so a mail scanner opening the links saves
nothing. Otherwise it is a single button to the page.

Email clients strip ``<style>``, classes and scripts and many ignore CSS layout, so the HTML is
nested tables with inline styles only. Every text (question, labels, a piped contact name) is
escaped here; the caller pastes the result as HTML and never escapes it again. A plain-text
alternative goes in the ``text/plain`` part of the message. Pure code: no store, no web.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from journeyscope.surveys import (
    SCORED_TYPES,
    LocalizedText,
    NpsQuestion,
    Question,
    ScoredQuestion,
    SurveyDefinition,
    best_language,
    first_page,
    render_text,
    shown_on_page,
)

FONT = "font-family:Arial,Helvetica,sans-serif;color:#1f2328;"
LINK = (
    "display:inline-block;min-width:28px;padding:10px 6px;border:1px solid #0b57d0;"
    "border-radius:4px;background-color:#ffffff;color:#0b57d0;text-decoration:none;"
    "font-size:16px;font-weight:bold;text-align:center;"
)
BUTTON = (
    "display:inline-block;padding:12px 24px;border-radius:4px;background-color:#0b57d0;"
    "color:#ffffff;text-decoration:none;font-size:16px;font-weight:bold;"
)
TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"'


@dataclass(frozen=True, slots=True)
class SnippetWords:
    """The words around the question, in the respondent's language (the door localizes them)."""

    start: str = "Start the survey"
    answer_here: str = "Answer here"
    nps_low: str = "Not at all likely"
    nps_high: str = "Extremely likely"


SNIPPET_WORDS: dict[str, SnippetWords] = {
    "en": SnippetWords(
        start="Start the survey",
        answer_here="Answer here",
        nps_low="Not at all likely",
        nps_high="Extremely likely",
    ),
    "fr": SnippetWords(
        start="Commencer le questionnaire",
        answer_here="Répondez ici",
        nps_low="Pas du tout probable",
        nps_high="Très probable",
    ),
    "de": SnippetWords(
        start="Umfrage starten",
        answer_here="Hier antworten",
        nps_low="Überhaupt nicht wahrscheinlich",
        nps_high="Äußerst wahrscheinlich",
    ),
    "es": SnippetWords(
        start="Empezar la encuesta",
        answer_here="Responda aquí",
        nps_low="Nada probable",
        nps_high="Muy probable",
    ),
    "pt": SnippetWords(
        start="Começar o inquérito",
        answer_here="Responda aqui",
        nps_low="Nada provável",
        nps_high="Extremamente provável",
    ),
    "it": SnippetWords(
        start="Inizia il sondaggio",
        answer_here="Rispondi qui",
        nps_low="Per niente probabile",
        nps_high="Estremamente probabile",
    ),
    "nl": SnippetWords(
        start="Enquête starten",
        answer_here="Hier antwoorden",
        nps_low="Helemaal niet waarschijnlijk",
        nps_high="Zeer waarschijnlijk",
    ),
}
"""The snippet's words per language: one table for the API, the CLI and sent emails."""


def snippet_words(lang: str | None) -> SnippetWords:
    """The snippet's words in ``lang`` (``pt-BR`` → ``pt`` → English)."""
    return SNIPPET_WORDS[best_language(list(SNIPPET_WORDS), [lang], "en")]


@dataclass(frozen=True, slots=True)
class EmailSnippet:
    """The snippet as HTML (for the ``text/html`` part) and plain text (``text/plain``)."""

    html: str
    text: str
    question_id: str | None = field(default=None)
    """The question the score links answer, or ``None`` for a plain "start" button."""


def score_url(url: str, question_id: str, score: int) -> str:
    """``url`` with ``question_id=score`` added to its query (kept: ``lang`` and the rest)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), (question_id, str(score))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def first_question(definition: SurveyDefinition) -> Question | None:
    """The question a respondent sees first, or ``None`` when no page is shown at all."""
    page_id = first_page(definition, {})
    shown = shown_on_page(definition, page_id, {}) if page_id else []
    return shown[0] if shown else None


def render_email_snippet(
    definition: SurveyDefinition,
    *,
    url: str,
    lang: str | None = None,
    contact: Mapping[str, Any] | None = None,
    words: SnippetWords | None = None,
) -> EmailSnippet:
    """Build the snippet for one respondent's personal ``url``.

    Args:
        definition: The published survey version.
        url: The respondent's personal page (``{base_url}/i/{token}``, maybe with ``?lang=``).
        lang: The respondent's language, for the question and its labels.
        contact: Contact fields for ``{{contact.first_name}}`` pipes in the question.
        words: Localized words around the question; English by default.
    """
    words = words or SnippetWords()
    question = first_question(definition)
    if question is None or not isinstance(question, SCORED_TYPES):
        return _start_button(url, words)
    say = _Texts(definition, lang, dict(contact or {}))
    low, high = _end_labels(question, say, words)
    prompt = say(question.text)
    links = [(score, score_url(url, question.id, score)) for score in _scale(question)]
    body = _table(_row(_question_cell(prompt)), _row(_score_row(links)), _row(_labels(low, high)))
    scale = f"({links[0][0]} = {low}, {links[-1][0]} = {high})" if low and high else ""
    lines = [prompt, *([scale] if scale else []), "", f"{words.answer_here}: {url}"]
    return EmailSnippet(html=body, text="\n".join(lines) + "\n", question_id=question.id)


class _Texts:
    """Localize and pipe survey texts for one respondent (plain text, escaped later)."""

    def __init__(self, definition: SurveyDefinition, lang: str | None, contact: dict[str, Any]):
        self.definition, self.lang, self.contact = definition, lang, contact

    def __call__(self, text: LocalizedText) -> str:
        return render_text(
            self.definition, text, lang=self.lang, contact=self.contact, answers={}
        ).strip()


def _scale(question: ScoredQuestion) -> range:
    return range(question.low, question.high + 1)


def _end_labels(question: ScoredQuestion, say: _Texts, words: SnippetWords) -> tuple[str, str]:
    """The texts at both ends of the scale; NPS gets the usual ones when the survey has none."""
    is_nps = isinstance(question, NpsQuestion)
    low = say(question.low_label) if question.low_label else (words.nps_low if is_nps else "")
    high = say(question.high_label) if question.high_label else (words.nps_high if is_nps else "")
    return low, high


def _start_button(url: str, words: SnippetWords) -> EmailSnippet:
    link = f'<a href="{_e(url)}" style="{BUTTON}">{_e(words.start)}</a>'
    body = _table(_row(f'<td style="{FONT}">{link}</td>'))
    return EmailSnippet(html=body, text=f"{words.start}: {url}\n")


def _table(*rows: str) -> str:
    return f'<table {TABLE} style="border-collapse:collapse;{FONT}">\n{"".join(rows)}</table>\n'


def _row(cell: str) -> str:
    return f"<tr>{cell}</tr>\n"


def _question_cell(prompt: str) -> str:
    style = f"{FONT}padding:0 0 12px 0;font-size:16px;line-height:1.4;font-weight:bold;"
    return f'<td style="{style}">{_e(prompt)}</td>'


def _score_row(links: list[tuple[int, str]]) -> str:
    cells = "".join(
        f'<td style="padding:0 4px 0 0;"><a href="{_e(href)}" style="{LINK}">{score}</a></td>'
        for score, href in links
    )
    return f"<td><table {TABLE}><tr>{cells}</tr></table></td>"


def _labels(low: str, high: str) -> str:
    style = "font-family:Arial,Helvetica,sans-serif;padding:8px 0 0 0;font-size:13px;color:#57606a;"
    left = f'<td style="{style}text-align:left;">{_e(low)}</td>'
    right = f'<td style="{style}text-align:right;">{_e(high)}</td>'
    return f'<td><table {TABLE} width="100%"><tr>{left}{right}</tr></table></td>'


def _e(text: str) -> str:
    return html.escape(text, quote=True)
