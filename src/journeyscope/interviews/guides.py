"""Interview guides generated from a journey: warm-up, a section per stage, wrap-up.

Each stage section has open main questions (a walk-through of the stage, what happened at its
touchpoints, how it felt, what got in the way) and the standard probes: echo, "tell me more",
"walk me through what happened", "how did that make you feel?" and the laddering "why does that
matter to you?". Stage and touchpoint names are quoted (“Checkout kiosk”), so they read as the
labels they are and the question checker does not parse them. Every generated main question is
``open`` by :func:`journeyscope.nlp.classify_question` (a test holds this for every bundled
example journey). Pure: no store, no web.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from journeyscope.errors import InvalidInput
from journeyscope.nlp import QuestionCheck, classify_question

MAX_QUESTIONS_PER_STAGE = 10


class TouchpointLike(Protocol):
    """What a guide needs of a touchpoint (``TouchpointSpec`` or ``TouchpointView``)."""

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def channel(self) -> str: ...  # noqa: D102


class StageLike(Protocol):
    """What a guide needs of a stage (``StageSpec`` or ``StageView``)."""

    @property
    def key(self) -> str: ...  # noqa: D102

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def description(self) -> str: ...  # noqa: D102

    @property
    def customer_actions(self) -> Sequence[str]: ...  # noqa: D102

    @property
    def touchpoints(self) -> Sequence[TouchpointLike]: ...  # noqa: D102


class JourneyLike(Protocol):
    """What a guide needs of a journey (``JourneySpec`` or ``JourneyView``)."""

    @property
    def key(self) -> str: ...  # noqa: D102

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def stages(self) -> Sequence[StageLike]: ...  # noqa: D102


@dataclass(frozen=True, slots=True)
class GuideQuestion:
    """One question of a guide, with an optional note for the interviewer."""

    text: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GuideSection:
    """A part of the guide: the warm-up, one journey stage, or the wrap-up.

    Attributes:
        key: ``warm-up``, the stage key, or ``wrap-up``.
        title: The heading.
        intro: What the interviewer should know or do first (may be empty).
        questions: The main questions, in order.
        probes: Follow-ups to use when an answer is short or hints at more.
    """

    key: str
    title: str
    intro: str
    questions: tuple[GuideQuestion, ...]
    probes: tuple[GuideQuestion, ...] = ()


@dataclass(frozen=True, slots=True)
class Guide:
    """A whole interview guide for one journey, in the order it is used."""

    title: str
    journey_key: str
    warm_up: GuideSection
    stages: tuple[GuideSection, ...]
    wrap_up: GuideSection

    @property
    def sections(self) -> tuple[GuideSection, ...]:
        """Warm-up, the stages, then the wrap-up."""
        return (self.warm_up, *self.stages, self.wrap_up)


@dataclass(frozen=True, slots=True)
class GuideCheck:
    """The checker's verdict on one question of a guide."""

    section_key: str
    question: GuideQuestion
    is_probe: bool
    check: QuestionCheck


PROBES = (
    GuideQuestion(
        "[Repeat their last few words, as a question]",
        "Echo probe: invites them to go on without adding your own words.",
    ),
    GuideQuestion("Tell me more about that.", None),
    GuideQuestion("Walk me through what happened.", "Use when they summarise or generalise."),
    GuideQuestion("How did that make you feel?", "Name no emotion yourself; use theirs."),
    GuideQuestion(
        "Why does that matter to you?",
        "Laddering: ask again about their answer to reach the value underneath.",
    ),
)
CHANNEL_QUESTIONS = {
    "onsite": "Walk me through your visit at that point, for example {names}.",
    "email": "Tell me about the emails you got from us at that point, for example {names}.",
    "call_center": "Tell me about your calls with us at that point, for example {names}.",
    "in_app": "Walk me through what you did in the app at that point, for example {names}.",
    "website": "Walk me through what you did on our website at that point, for example {names}.",
    "sms": "Tell me about the text messages you got from us at that point, for example {names}.",
    "other": "Tell me about your contact with us at that point, for example {names}.",
}
WARM_UP = GuideSection(
    key="warm-up",
    title="Warm-up",
    intro="Introduce yourself and the purpose of the talk, confirm consent to record, and say "
    "there are no right or wrong answers.",
    questions=(
        GuideQuestion("To start, tell me a little about yourself."),
        GuideQuestion(
            "Think back to the first time you came across us. Walk me through how that went.",
            "Let them tell it in their own order; the stages follow.",
        ),
    ),
)
WRAP_UP = GuideSection(
    key="wrap-up",
    title="Wrap-up",
    intro="Thank them, explain what happens with what they said, and stop the recording.",
    questions=(
        GuideQuestion("Looking back over everything we talked about, what stands out most?"),
        GuideQuestion("What else about your experience should we know?"),
        GuideQuestion("What should I have asked you that I did not?"),
    ),
)


def build_guide(journey: JourneyLike, *, questions_per_stage: int = 3) -> Guide:
    """Generate an interview guide with a section per stage of ``journey``.

    Args:
        journey: A ``JourneySpec`` (a YAML file) or a stored ``JourneyView``.
        questions_per_stage: Main questions per stage, 1 to 10; a stage with few touchpoints
            may have fewer when the question bank runs out.

    Returns:
        The guide: warm-up, one section per stage in journey order, wrap-up.

    Raises:
        InvalidInput: ``questions_per_stage`` is out of range.
    """
    if not 1 <= questions_per_stage <= MAX_QUESTIONS_PER_STAGE:
        raise InvalidInput(
            f"questions_per_stage must be between 1 and {MAX_QUESTIONS_PER_STAGE}",
            field="questions_per_stage",
            hint="ask for 3, the default, if unsure",
        )
    stages = tuple(_stage_section(s, questions_per_stage) for s in journey.stages)
    return Guide(
        title=f"Interview guide: {journey.name}",
        journey_key=journey.key,
        warm_up=WARM_UP,
        stages=stages,
        wrap_up=WRAP_UP,
    )


def check_guide(guide: Guide) -> list[GuideCheck]:
    """Run the question checker on every main question and probe of a (user-edited) guide."""
    return [
        GuideCheck(section.key, question, is_probe, classify_question(question.text))
        for section in guide.sections
        for is_probe, questions in ((False, section.questions), (True, section.probes))
        for question in questions
    ]


def _stage_section(stage: StageLike, count: int) -> GuideSection:
    label = _quoted(stage.name)
    main = [
        GuideQuestion(
            f"Let's talk about the {label} part of your experience. "
            "Walk me through what happened, from the beginning.",
            "Let them tell it in their own order; note each touchpoint they mention.",
        ),
        *_touchpoint_questions(stage.touchpoints)[:1],
        GuideQuestion("How did you feel at that point?", "Listen for emotions they play down."),
        GuideQuestion(f"What, if anything, got in your way during {label}?"),
        *_touchpoint_questions(stage.touchpoints)[1:],
        GuideQuestion(f"What stood out for you during {label}?"),
        GuideQuestion("What did you expect to happen before you started?"),
    ]
    return GuideSection(
        key=stage.key,
        title=stage.name,
        intro=_intro(stage),
        questions=tuple(main[:count]),
        probes=PROBES,
    )


def _touchpoint_questions(touchpoints: Sequence[TouchpointLike]) -> list[GuideQuestion]:
    """One question per channel, naming that channel's touchpoints."""
    by_channel: dict[str, list[str]] = {}
    for touchpoint in touchpoints:
        by_channel.setdefault(str(touchpoint.channel), []).append(_quoted(touchpoint.name))
    return [
        GuideQuestion(
            CHANNEL_QUESTIONS.get(channel, CHANNEL_QUESTIONS["other"]).format(names=_listed(names))
        )
        for channel, names in by_channel.items()
    ]


def _intro(stage: StageLike) -> str:
    actions = "; ".join(a.rstrip(".") for a in stage.customer_actions)
    listen = f" Listen for: {actions}." if actions else ""
    return (" ".join(stage.description.split()) + listen).strip()


def _quoted(name: str) -> str:
    return "\u201c" + name.replace("\u201c", "").replace("\u201d", "") + "\u201d"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
