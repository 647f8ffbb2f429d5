"""Pick the text of a localized field for a respondent's language, with fallback.

A survey declares a default language and the others it is translated into; each text is a plain
string (the default language) or a ``{lang: text}`` mapping. Respondents bring a language tag
from their contact record or browser (``fr-CA``); we try it, then its base language (``fr``),
then the survey's default, so a half-translated survey still shows every question.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from journeyscope.surveys.models import LocalizedText, Question, SurveyDefinition


def fallback_chain(lang: str | None, default_lang: str) -> list[str]:
    """The languages to try, best first: ``fr-CA`` → ``fr`` → the default (and its base).

    Tags are compared in lower case, since ``fr-ca`` and ``fr-CA`` name the same language.
    """
    chain: list[str] = []
    for tag in (lang, default_lang):
        for candidate in _narrowing(tag or ""):
            if candidate not in chain:
                chain.append(candidate)
    return chain


def localize(text: LocalizedText, lang: str | None, default_lang: str) -> str:
    """The text to show in ``lang``, falling back ``fr-CA`` → ``fr`` → ``default_lang``.

    Args:
        text: A plain string (taken as the default language) or a ``{lang: text}`` mapping.
        lang: The respondent's language tag, or ``None`` when unknown.
        default_lang: The survey's default language.

    Returns:
        The best match; when even the default is missing (validation forbids that), the
        mapping's first text, so that a respondent never sees an empty question.
    """
    if isinstance(text, str):
        return text
    by_tag = {tag.lower(): value for tag, value in text.items()}
    for candidate in fallback_chain(lang, default_lang):
        if candidate in by_tag:
            return by_tag[candidate]
    return next(iter(text.values()))


def best_language(offered: Sequence[str], wanted: Sequence[str | None], default: str) -> str:
    """The tag of ``offered`` that best fits ``wanted`` (best first), else ``default``.

    Tags match ignoring case, ``_`` for ``-`` and narrowing: ``fr_CA`` finds an offered ``fr``.
    Used for a survey's languages and for the fixed words of pages, emails and calls alike.
    """
    by_lower = {tag.lower(): tag for tag in offered}
    for tag in wanted:
        for candidate in _narrowing(tag or ""):
            if candidate in by_lower:
                return by_lower[candidate]
    return default


def match_language(definition: SurveyDefinition, wanted: Sequence[str | None]) -> str:
    """The survey's language that best fits ``wanted`` (best first), else its default."""
    offered = [definition.default_language, *definition.languages]
    return best_language(offered, wanted, definition.default_language)


def localized_definition(definition: SurveyDefinition, lang: str) -> dict[str, Any]:
    """The definition as JSON with every localized text resolved to ``lang`` (with fallback).

    What a client that shows the survey itself (the widget, a kiosk, an app) needs: plain
    strings, no language logic. The text fields are the ones :func:`iter_texts` visits.
    """
    default = definition.default_language
    resolved = {path: localize(text, lang, default) for path, text, _ in iter_texts(definition)}
    data: dict[str, Any] = definition.model_dump(mode="json", exclude_none=True)
    for path, text in resolved.items():
        _set_path(data, path, text)
    return data


def _set_path(data: dict[str, Any], path: str, value: str) -> None:
    """Set ``pages[0].questions[1].text``-style ``path`` in nested JSON."""
    node: Any = data
    parts = re.findall(r"(\w+)(?:\[(\d+)\])?", path)
    for i, (name, index) in enumerate(parts):
        last = i == len(parts) - 1
        if index:
            node = node[name][int(index)]
            if last:  # pragma: no cover - text paths never end on an index
                raise ValueError(path)
        elif last:
            node[name] = value
        else:
            node = node[name]


def _narrowing(tag: str) -> Iterator[str]:
    """``fr-ca-x`` (or ``fr_CA_x``) → ``fr-ca-x``, ``fr-ca``, ``fr`` (empty tags give nothing)."""
    parts = re.split(r"[-_]", tag.lower()) if tag else []
    for size in range(len(parts), 0, -1):
        yield "-".join(parts[:size])


TextSite = tuple[str, LocalizedText, int]
"""A text in a survey: its dotted field, the text, and the page it is shown on.

The page is a position in ``pages``: ``-1`` for the survey title and description (shown before
any page), ``len(pages)`` for the thank-you text (shown after the last).
"""

_QUESTION_TEXTS = ("text", "description", "low_label", "high_label", "other_label", "placeholder")
_OPTION_LISTS = ("choices", "rows", "columns")


def iter_texts(definition: SurveyDefinition) -> Iterator[TextSite]:
    """Every localized text of a survey with its field path, in document order."""
    for name in ("title", "description"):
        yield from _site(name, getattr(definition, name), -1)
    for i, page in enumerate(definition.pages):
        yield from _site(f"pages[{i}].title", page.title, i)
        for j, question in enumerate(page.questions):
            yield from _question_texts(f"pages[{i}].questions[{j}]", question, i)
    yield from _site("thank_you", definition.thank_you, len(definition.pages))


def _question_texts(path: str, question: Question, page: int) -> Iterator[TextSite]:
    """The texts of one question: its own, then its options' labels."""
    for name in _QUESTION_TEXTS:
        yield from _site(f"{path}.{name}", getattr(question, name, None), page)
    for name in _OPTION_LISTS:
        for k, option in enumerate(getattr(question, name, [])):
            yield from _site(f"{path}.{name}[{k}].label", option.label, page)


def _site(field: str, text: LocalizedText | None, page: int) -> Iterator[TextSite]:
    if text is not None:
        yield field, text, page
