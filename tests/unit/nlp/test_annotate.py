"""nlp.annotate with the shipped model: emotions, valence, and played-down feedback."""

import numpy as np
import pytest

from journeyscope.nlp import Sentiment, annotate, embed
from journeyscope.nlp.emotions import CX_EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS

PLAYED_DOWN = "The onboarding was a bit confusing, but whatever, it's fine."


def test_played_down_confusion_keeps_its_weight():
    (annotation,) = annotate([PLAYED_DOWN])
    assert annotation.minimized
    assert annotation.dismissal is not None
    assert "whatever" in annotation.dismissal.text
    assert annotation.valence < 0
    assert annotation.sentiment == Sentiment.NEGATIVE
    assert "confused" in annotation.emotions


def test_frustrated_then_not_important_is_negative_and_minimized():
    (annotation,) = annotate(
        ["I was really frustrated with the billing, but it's not really important."]
    )
    assert annotation.minimized
    assert annotation.sentiment == Sentiment.NEGATIVE
    assert set(annotation.emotions) & set(NEGATIVE_EMOTIONS)


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Thank you so much, the support team was wonderful.", "grateful"),
        ("I was so angry when they charged me twice.", "angry"),
        ("Honestly I'm worried the data migration will fail.", "anxious"),
        ("I have no idea how the export works, it makes no sense to me.", "confused"),
    ],
)
def test_clear_emotions_are_found(text, emotion):
    (annotation,) = annotate([text])
    assert emotion in annotation.emotions
    assert 0 < annotation.emotions[emotion] <= 1


def test_plain_praise_is_positive_and_not_minimized():
    (annotation,) = annotate(["The new dashboard is great, I love how fast it is."])
    assert not annotation.minimized
    assert annotation.sentiment == Sentiment.POSITIVE
    assert set(annotation.emotions) & set(POSITIVE_EMOTIONS)


def test_neutral_statement_has_no_strong_emotion():
    (annotation,) = annotate(["We have about forty people on the sales team."])
    assert annotation.sentiment == Sentiment.NEUTRAL
    assert all(score < 0.6 for score in annotation.emotions.values())


def test_results_follow_input_order_and_repeats_agree():
    texts = ["Great service!", "Awful wait.", "Great service!", ""]
    annotations = annotate(texts)
    assert [a.text for a in annotations] == texts
    assert annotations[0] == annotations[2]
    assert annotations[0].valence > annotations[1].valence
    assert annotations[3].emotions == {} or annotations[3].sentiment == Sentiment.NEUTRAL


def test_labels_come_from_the_cx_taxonomy_strongest_first():
    (annotation,) = annotate(["I was furious and so disappointed with the delivery."])
    assert set(annotation.emotions) <= set(CX_EMOTIONS)
    scores = list(annotation.emotions.values())
    assert scores == sorted(scores, reverse=True)


def test_long_turn_keeps_the_feeling_of_one_sentence():
    filler = "We talked about the plan and the team and the timeline for a while. " * 8
    (annotation,) = annotate([filler + "And then the app crashed and I was absolutely furious."])
    assert "angry" in annotation.emotions or "frustrated" in annotation.emotions
    assert annotation.valence < 0


def test_embeddings_are_normalised_and_meaningful():
    vectors = embed(["The checkout page was slow", "Paying took forever", "I like dogs"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_empty_batch():
    assert annotate([]) == []
