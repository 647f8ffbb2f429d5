"""One sampling hash for rules and the widget; one language matcher for every fixed text."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from journeyscope.collection.eligibility import is_sampled
from journeyscope.orchestration import ivr
from journeyscope.orchestration.channels.email_text import words_for


def _sampled_before(percent: float, rule_id: uuid.UUID, contact_id: uuid.UUID) -> bool:
    """The hash the planner used before it shared the widget's (kept stable across upgrade)."""
    digest = hashlib.sha256(f"{rule_id}:{contact_id}".encode()).digest()
    return percent >= 100 or int.from_bytes(digest[:8], "big") / 2**64 * 100 < percent


@pytest.mark.parametrize("percent", [0, 10, 50, 99.5, 100])
def test_rule_sampling_keeps_the_same_contacts_as_before(percent: float) -> None:
    rule = uuid.UUID(int=7)
    for n in range(200):
        contact = uuid.UUID(int=n)
        assert is_sampled(str(contact), rule, percent) is _sampled_before(percent, rule, contact)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr_CA", "fr"), ("FR-ca", "fr"), ("de", "de"), ("it", "en"), (None, "en")],
)
def test_fixed_words_follow_one_language_matcher(lang: str | None, expected: str) -> None:
    assert words_for(lang).lang == expected
    assert ivr._prompt_lang(lang or "") == expected
