"""Emotions per stage: counts, mean valence and played-down turns from analysed interviews."""

from journeyscope.interviews.analysis_models import InterviewAnalysis, StageTag, UtteranceAnalysis
from journeyscope.interviews.stage_summary import emotions_by_stage
from journeyscope.nlp import Annotation, Minimization, Sentiment, Span


def _turn(position, stage, valence, emotions, *, minimized=False, text="t"):
    minimization = Minimization(Span(0, 1, "a"), Span(2, 3, "b")) if minimized else None
    annotation = Annotation(
        text=text,
        emotions=emotions,
        valence=valence,
        sentiment=Sentiment.NEUTRAL,
        minimization=minimization,
    )
    tag = StageTag(stage=stage, confidence=0.9) if stage else None
    return UtteranceAnalysis(position=position, annotation=annotation, stage=tag)


def test_stages_average_valence_and_count_emotions():
    first = InterviewAnalysis(
        utterances=(
            _turn(0, "purchase", -0.6, {"frustrated": 0.8}, minimized=True),
            _turn(1, "purchase", -0.2, {"frustrated": 0.6, "confused": 0.5}),
            _turn(2, "onboarding", 0.8, {"delighted": 0.9}),
            _turn(3, None, -1.0, {"angry": 1.0}),
            UtteranceAnalysis(position=4, stage=StageTag(stage="purchase", confidence=1.0)),
        ),
        findings=(),
        model="m",
    )
    second = InterviewAnalysis(
        utterances=(_turn(0, "onboarding", 0.4, {}),), findings=(), model="m"
    )
    purchase, onboarding = emotions_by_stage([first, second])
    assert purchase.stage == "purchase" and purchase.turns == 2
    assert purchase.valence == -0.4
    assert purchase.emotions == {"frustrated": (2, 0.7), "confused": (1, 0.5)}
    assert purchase.minimized == 1
    assert onboarding.turns == 2 and onboarding.valence == 0.6
    assert onboarding.emotions == {"delighted": (1, 0.9)}


def test_no_tagged_turns_no_stages():
    assert emotions_by_stage([InterviewAnalysis(utterances=(), findings=(), model="m")]) == []


def test_a_long_story_outweighs_a_short_yes():
    story = "The first invoice charged us twice and it went to our accountant before we noticed."
    analysis = InterviewAnalysis(
        utterances=(
            _turn(0, "purchase", 0.9, {"trusting": 0.8}, text="Yes, we did."),
            _turn(1, "purchase", -0.6, {"angry": 0.4}, text=story),
        ),
        findings=(),
        model="m",
    )
    (purchase,) = emotions_by_stage([analysis])
    assert purchase.valence == round((3 * 0.9 - 15 * 0.6) / 18, 4)
    assert purchase.valence < 0


def test_stages_follow_the_journeys_order_then_first_mention():
    analysis = InterviewAnalysis(
        utterances=(
            _turn(0, "support", 0.1, {}),
            _turn(1, "unknown-b", 0.1, {}),
            _turn(2, "purchase", 0.1, {}),
            _turn(3, "awareness", 0.1, {}),
            _turn(4, "unknown-a", 0.1, {}),
        ),
        findings=(),
        model="m",
    )
    order = ["awareness", "purchase", "onboarding", "support"]
    stages = [s.stage for s in emotions_by_stage([analysis], order=order)]
    assert stages == ["awareness", "purchase", "support", "unknown-b", "unknown-a"]
