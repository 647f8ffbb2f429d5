"""Pick the text of a localized field for a respondent's language, with fallback.

A survey declares a default language and the others it is translated into; each text is a plain
string (the default language) or a ``{lang: text}`` mapping. Respondents bring a language tag
from their contact record or browser (``fr-CA``); we try it, then its base language (``fr``),
then the survey's default, so a half-translated survey still shows every question.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

from collections.abc import Iterator

from journeyscope.surveys.models import LocalizedText


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


def languages_of(text: LocalizedText, default_lang: str) -> set[str]:
    """The language tags a text is written in (a plain string counts as the default)."""
    return {default_lang} if isinstance(text, str) else set(text)


def _narrowing(tag: str) -> Iterator[str]:
    """``fr-ca-x`` → ``fr-ca-x``, ``fr-ca``, ``fr`` (empty tags give nothing)."""
    parts = tag.lower().split("-") if tag else []
    for size in range(len(parts), 0, -1):
        yield "-".join(parts[:size])
