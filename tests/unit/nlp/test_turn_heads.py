"""The trained played-down and feeling heads over the shipped encoder (nlp.turn_heads)."""

from __future__ import annotations

import numpy as np
import pytest

from journeyscope.nlp import Sentiment, TurnContext, annotate
from journeyscope.nlp.turn_heads import (
    CUE_NAMES,
    CUES,
    HEADS_FILE,
    Heads,
    clauses,
    cue_features,
    explain,
)

GOOD_NEWS = "It came the next day, I guess I was lucky."


def test_the_heads_load_and_fit_the_features() -> None:
    heads = Heads.load()
    assert HEADS_FILE.stat().st_size < 100_000  # small enough to ship in the package
    clause_in = 384 + 39
    base_in = 39 + len(CUE_NAMES) + 4
    assert heads.clause.w.shape == (2, clause_in)
    assert heads.played_down.w.shape == (1, base_in)
    assert heads.played_down.mean.shape == (base_in,)
    assert heads.feeling.w.shape == (3, 384 + base_in)
    assert 0.0 < heads.threshold < 1.0
    assert np.all(heads.played_down.scale > 0)


@pytest.mark.parametrize(
    ("text", "concern", "dismissal"),
    [
        (
            "I was on hold for forty minutes, but that's banks for you.",
            "on hold for forty minutes",
            "banks for you",
        ),
        (
            "They charged me twice. Sorted it in the end, no drama.",
            "charged me twice",
            "no drama",
        ),
        ("Two hours for a five-minute form... anyway.", "Two hours", "anyway"),
        ("The onboarding was a bit confusing, but whatever, it's fine.", "confusing", "whatever"),
    ],
)
def test_clear_played_down_turns_are_flagged_with_their_spans(
    text: str, concern: str, dismissal: str
) -> None:
    (annotation,) = annotate([text])
    assert annotation.minimization is not None
    assert concern in annotation.minimization.concern.text
    assert dismissal in annotation.minimization.dismissal.text
    assert annotation.sentiment == Sentiment.NEGATIVE  # the experience's feeling
    assert annotation.valence < 0


def test_a_hedge_on_good_news_is_not_played_down() -> None:
    (annotation,) = annotate([GOOD_NEWS])
    assert not annotation.minimized
    assert annotation.sentiment == Sentiment.POSITIVE
    good_news = CUE_NAMES.index("good_news")
    assert cue_features(GOOD_NEWS)[good_news] >= 1  # "came the next day", "lucky"


@pytest.mark.parametrize(
    ("text", "feeling"),
    [
        ("The new dashboard is great, I love how fast it is.", Sentiment.POSITIVE),
        ("We have about forty people on the sales team.", Sentiment.NEUTRAL),
        ("Awful. Just awful.", Sentiment.NEGATIVE),
    ],
)
def test_clear_feelings_are_read_right(text: str, feeling: Sentiment) -> None:
    (annotation,) = annotate([text])
    assert annotation.sentiment == feeling
    assert not annotation.minimized


def test_context_reaches_the_heads_and_results_keep_their_order() -> None:
    texts = ["Yes, twice.", "", "I was on hold for forty minutes, but that's banks for you."]
    contexts = [
        TurnContext(question="Did the engineer fail to turn up?"),
        TurnContext(),
        TurnContext(question="How was the phone support?", previous="Yes, twice."),
    ]
    with_context = annotate(texts, contexts=contexts)
    assert [a.text for a in with_context] == texts
    assert with_context[2].minimized
    question = CUE_NAMES.index("question")
    assert cue_features("Yes, twice.", contexts[0])[question] == 1  # the question names a problem
    assert cue_features("Yes, twice.")[question] == 0


def test_cues_find_self_blame_normalising_and_only() -> None:
    assert CUES["self_blame"].search("I'm probably just bad with apps.")
    assert CUES["normalising"].search("that's banks for you")
    assert CUES["normalising"].search("I suppose that's how it works")
    assert CUES["only"].search("only lost a morning's work")
    assert CUES["flat_cost"].search("two hours for a five-minute form")
    assert not CUES["good_news"].search("The engineer didn't turn up.")


def test_clauses_cut_at_sentences_and_but() -> None:
    text = "The wait was long, but it's fine. We got there."
    assert [c.text for c in clauses(text)] == ["The wait was long", "it's fine.", "We got there."]
    for clause in clauses(text):
        assert text[clause.start : clause.end] == clause.text


def test_explanation_falls_back_to_the_last_sentence() -> None:
    text = "They lost the first booking. Ah well."
    found = explain(text)
    assert found is not None
    assert found.concern.text.startswith("They lost the first booking")
    assert "Ah well" in found.dismissal.text
    assert explain("Yes.") is None


def test_the_complaint_clause_is_never_quoted_as_the_dismissal() -> None:
    text = "The upgrade screen itself was fine. But the first invoice charged us twice."
    spans = clauses(text)
    # the complaint scores high as a concern and, wrongly, a little higher as a dismissal
    scores = np.array([[0.6, 0.1], [0.7, 0.9]])
    found = explain(text, spans, scores)
    assert found is not None
    assert found.dismissal.text == "The upgrade screen itself was fine."
    assert "charged us twice" in found.concern.text
