"""PII redaction: e-mail addresses, phone numbers, payment card numbers and given names.

What is found, and how:

- **E-mail addresses**: ``local@domain.tld``.
- **Phone numbers**: Google's libphonenumber (the ``phonenumbers`` package),
  ``PhoneNumberMatcher`` at its ``VALID`` leniency, so only numbers that are valid for their
  country count — dates, prices and order numbers do not. Numbers written with ``+`` and a
  country code are found whatever the region; numbers in national format
  (``(415) 555-2671``, ``0161 496 0000``) only for the regions in ``phone_regions``
  (default: US/Canada and the UK). Add your customers' regions; variable-length numbering
  plans (e.g. ``DE``) also match long digit runs, so add them only where needed.
- **Payment card numbers**: 13 to 19 digits, optionally grouped with spaces or dashes, starting
  with 2 to 6 (the card networks' ranges) and passing the Luhn check — so a random 16-digit
  order number is left alone nine times in ten.
- **Names** you pass: whole words, case-insensitive; a name of several words also redacts
  each of its words of three letters or more (``"Ana Souza"`` → ``Ana``, ``Souza``), except
  particles such as ``de``, ``van``, ``von``.

Each finding is replaced by ``[EMAIL]``, ``[PHONE]``, ``[CARD]`` or ``[NAME]``. Where two
findings overlap, the first in that order wins. Pure: imports nothing from the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from phonenumbers import Leniency, PhoneNumberMatcher

EMAIL = "email"
PHONE = "phone"
CARD = "card"
NAME = "name"
PLACEHOLDERS = {EMAIL: "[EMAIL]", PHONE: "[PHONE]", CARD: "[CARD]", NAME: "[NAME]"}
DEFAULT_PHONE_REGIONS = ("US", "GB")
"""Regions whose national-format numbers are found; ``+``-prefixed numbers always are."""

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_CARD = re.compile(r"(?<![\d-])[2-6]\d(?:[ -]?\d){11,17}(?![\d-])")


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


_PARTICLES = _word_set(
    "de da do dos das del della di du le la van von der den ter ten bin ibn al el y"
)


@dataclass(frozen=True, slots=True)
class RedactedSpan:
    """One redacted finding: where it was in the original text and what it was.

    Attributes:
        start: Offset of its first character in the original text.
        end: Offset just after its last character in the original text.
        kind: ``"email"``, ``"phone"``, ``"card"`` or ``"name"``.
    """

    start: int
    end: int
    kind: str

    @property
    def placeholder(self) -> str:
        """What replaced it: ``[EMAIL]``, ``[PHONE]``, ``[CARD]`` or ``[NAME]``."""
        return PLACEHOLDERS[self.kind]


@dataclass(frozen=True, slots=True)
class Redacted:
    """A redacted text and what was taken out (spans in the original text, in order)."""

    text: str
    spans: tuple[RedactedSpan, ...]


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check used by card numbers."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _emails(text: str) -> Iterator[RedactedSpan]:
    for match in _EMAIL.finditer(text):
        yield RedactedSpan(match.start(), match.end(), EMAIL)


def _cards(text: str) -> Iterator[RedactedSpan]:
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            yield RedactedSpan(match.start(), match.end(), CARD)


def _phones(text: str, regions: Sequence[str]) -> Iterator[RedactedSpan]:
    wanted: list[str | None] = [r.upper() for r in regions] or [None]  # None: "+" numbers only
    for region in wanted:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            yield RedactedSpan(match.start, match.end, PHONE)


def name_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for the names and their words (see the module docstring); ``None`` if none."""
    terms: set[str] = set()
    for name in names:
        words = name.split()
        if words:
            terms.add(" ".join(words))
        if len(words) > 1:
            terms |= {w for w in words if len(w) >= 3 and w.casefold() not in _PARTICLES}
    if not terms:
        return None
    alternatives = "|".join(
        r"\s+".join(map(re.escape, term.split())) for term in sorted(terms, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _names(text: str, pattern: re.Pattern[str] | None) -> Iterator[RedactedSpan]:
    if pattern is not None:
        for match in pattern.finditer(text):
            yield RedactedSpan(match.start(), match.end(), NAME)


def find_pii(
    text: str, *, names: Sequence[str] = (), phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS
) -> list[RedactedSpan]:
    """The findings in ``text``, in order, without overlaps (earlier kinds win)."""
    found: list[RedactedSpan] = []
    candidates = [
        *_emails(text),
        *_cards(text),
        *_phones(text, phone_regions),
        *_names(text, name_pattern(names)),
    ]
    for span in candidates:
        if all(span.end <= kept.start or span.start >= kept.end for kept in found):
            found.append(span)
    return sorted(found, key=lambda s: s.start)


def redact(
    text: str, *, names: Sequence[str] = (), phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS
) -> Redacted:
    """Replace e-mails, phone and card numbers and the given names by placeholders.

    Args:
        text: Any text.
        names: People's names to take out (whole words, case-insensitive).
        phone_regions: ISO 3166 region codes whose national-format phone numbers are found
            (``+``-prefixed numbers are found whatever these are, even with none).

    Returns:
        The redacted text and the spans taken out, as offsets into the original ``text``.
    """
    spans = find_pii(text, names=names, phone_regions=phone_regions)
    pieces = []
    at = 0
    for span in spans:
        pieces += [text[at : span.start], span.placeholder]
        at = span.end
    pieces.append(text[at:])
    return Redacted("".join(pieces), tuple(spans))
