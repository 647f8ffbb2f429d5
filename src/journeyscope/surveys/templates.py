"""The template library: ready-made surveys for the usual touchpoints of a journey.

Each template names the journey stage it fits (the stage keys of ``examples/journeys/``:
``awareness``, ``purchase``, ``use-7d``, ``use-30d``, ``use-90d``, ``support``) and the channel
it suits, and holds a complete, valid definition: creating a survey from a template copies that
definition into a new draft at a touchpoint, which the author can then edit. The definitions are
data written as JSON-shaped dicts, so they read like the format described in
``docs/survey-json.md``. Pure code: imports neither the store nor the web.

Some template text only stands in for the author's own ("Competitor A"): it is written as
:class:`Placeholder`, each template lists where its placeholders are, and publishing a survey
made from the template refuses while one still reads as the template wrote it
(:func:`placeholders_left`), so customers never see "Competitor A".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from journeyscope.errors import NotFound, Problem
from journeyscope.surveys.models import LocalizedText, Question, SurveyDefinition
from journeyscope.surveys.validation import check_definition, check_translations

ChannelName = Literal["onsite", "email", "call_center", "in_app", "website", "sms", "other"]
"""The values of :class:`journeyscope.journey.Channel`, repeated (and pinned by a test) because
importing the journey package would pull in the store, and this module must stay pure."""


class Placeholder(str):
    """Template text that stands in for the author's own; customers must never see it."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class TemplatePlaceholder:
    """Where a template holds a placeholder: a question's text or description, or a choice.

    Attributes:
        question: The question's id.
        field: ``text``, ``description`` or ``choices`` (then ``choice`` names the choice).
        text: The placeholder as the template writes it.
        choice: The choice's id, for a choice label.
    """

    question: str
    field: str
    text: str
    choice: str | None = None


class SurveyTemplate(BaseModel):
    """A named, ready-made survey for one journey stage and channel."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name: str
    description: str
    stage: str
    channel: ChannelName
    definition: SurveyDefinition
    placeholders: tuple[TemplatePlaceholder, ...] = ()


def _choices(*pairs: tuple[str, Any]) -> list[dict[str, Any]]:
    """Choices from ``(id, label)`` pairs."""
    return [{"id": choice_id, "label": label} for choice_id, label in pairs]


def _page(page_id: str, *questions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": page_id, "questions": list(questions), **extra}


def _lte(question: str, value: int) -> dict[str, Any]:
    return {"question": question, "op": "lte", "value": value}


def _gte(question: str, value: int) -> dict[str, Any]:
    return {"question": question, "op": "gte", "value": value}


def _open(question_id: str, text: Any, show_if: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": question_id, "type": "open_text", "text": text, "show_if": show_if}


_YES_NO = _choices(("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
_THANKS = "Thank you for your feedback!"

_RELATIONSHIP_NPS = {
    "title": {"en": "Your opinion of {{contact.company|us}}", "fr": "Votre avis sur nous"},
    "languages": ["fr"],
    "thank_you": {"en": _THANKS, "fr": "Merci pour votre retour !"},
    "pages": [
        _page(
            "score",
            {
                "id": "nps",
                "type": "nps",
                "required": True,
                "text": {
                    "en": "How likely are you to recommend us to a friend or colleague?",
                    "fr": "Quelle est la probabilité que vous nous recommandiez à un proche ?",
                },
                "low_label": {"en": "Not at all likely", "fr": "Pas du tout probable"},
                "high_label": {"en": "Extremely likely", "fr": "Très probable"},
            },
        ),
        _page(
            "reason",
            _open(
                "went-wrong",
                {"en": "What went wrong?", "fr": "Qu'est-ce qui n'a pas été ?"},
                _lte("nps", 6),
            ),
            _open(
                "improve",
                {"en": "What would make it a 10?", "fr": "Que faudrait-il pour un 10 ?"},
                {"all": [_gte("nps", 7), _lte("nps", 8)]},
            ),
            _open(
                "liked",
                {"en": "What do you like most about us?", "fr": "Qu'appréciez-vous le plus ?"},
                _gte("nps", 9),
            ),
        ),
    ],
}

_WHY_US = {
    "title": "Why you chose us",
    "thank_you": _THANKS,
    "pages": [
        _page(
            "alternatives",
            {
                "id": "considered",
                "type": "multi_choice",
                "text": "Which alternatives did you consider before buying from us?",
                "description": Placeholder("Edit this list to name your competitors."),
                "choices": _choices(
                    ("competitor-a", Placeholder("Competitor A")),
                    ("competitor-b", Placeholder("Competitor B")),
                    ("competitor-c", Placeholder("Competitor C")),
                    ("none", "None, you were my only choice"),
                ),
                "allow_other": True,
                "other_label": "Another company",
            },
            {
                "id": "factors",
                "type": "multi_choice",
                "required": True,
                "text": "Which factors mattered most in your choice?",
                "max_selected": 3,
                "choices": _choices(
                    ("price", "Price"),
                    ("quality", "Product quality"),
                    ("availability", "Availability"),
                    ("delivery", "Delivery speed"),
                    ("reviews", "Reviews and ratings"),
                    ("recommendation", "A recommendation"),
                    ("brand", "Brand and reputation"),
                    ("service", "Customer service"),
                ),
                "allow_other": True,
            },
        ),
        _page(
            "why",
            _open(
                "why-us",
                "Why did you choose us over {{answers.considered|the alternatives}}?",
                # not "... over None, you were my only choice?"
                {"not": {"question": "considered", "op": "contains", "value": "none"}},
            ),
            {
                "id": "purchase-csat",
                "type": "csat",
                "text": "How satisfied are you with buying from us?",
            },
        ),
    ],
}


def _single_score(kind: str, question: str, follow_up: str, low: int) -> dict[str, Any]:
    """A one-score survey with an open follow-up for low scores (onboarding templates)."""
    return {
        "title": "A quick question",
        "thank_you": _THANKS,
        "pages": [
            _page("score", {"id": kind, "type": kind, "required": True, "text": question}),
            _page("follow-up", _open("reason", follow_up), show_if=_lte(kind, low)),
        ],
    }


_SUPPORT = {
    "title": "How did we do with your request?",
    "thank_you": _THANKS,
    "pages": [
        _page(
            "scores",
            {
                "id": "csat",
                "type": "csat",
                "required": True,
                "style": "stars",
                "text": "How satisfied are you with the support you received?",
            },
            {
                "id": "ces",
                "type": "ces",
                "required": True,
                "text": "How easy was it to get your issue resolved?",
                "low_label": "Very difficult",
                "high_label": "Very easy",
            },
            {
                "id": "resolved",
                "type": "single_choice",
                "text": "Is your issue resolved?",
                "choices": _YES_NO,
            },
        ),
        _page(
            "follow-up",
            _open("better", "What could we have done better?"),
            show_if={"any": [_lte("csat", 3), _lte("ces", 4)]},
        ),
    ],
}

_POST_CALL = {
    "title": "About your call",
    "thank_you": _THANKS,
    "pages": [
        _page(
            "call",
            {
                "id": "resolved",
                "type": "single_choice",
                "required": True,
                "text": "Was your question answered during this call?",
                "choices": _YES_NO,
            },
            {
                "id": "csat",
                "type": "csat",
                "required": True,
                "text": "How satisfied are you with the call?",
            },
            {
                "id": "agent",
                "type": "rating",
                "scale": 5,
                "style": "stars",
                "text": "How would you rate the person you spoke to?",
            },
            _open("comment", "Is there anything you would like to tell us?"),
        ),
    ],
}

_KIOSK = {
    "title": {"en": "How was your visit?", "fr": "Comment s'est passée votre visite ?"},
    "languages": ["fr"],
    "thank_you": {"en": "Thank you!", "fr": "Merci !"},
    "pages": [
        _page(
            "smiley",
            {
                "id": "csat",
                "type": "csat",
                "style": "smileys",
                "required": True,
                "text": {"en": "How was your visit today?", "fr": "Comment était votre visite ?"},
            },
            branches=[{"if": _gte("csat", 3), "goto": "end"}],
        ),
        _page(
            "what",
            {
                "id": "problem",
                "type": "single_choice",
                "text": {"en": "What went wrong?", "fr": "Qu'est-ce qui n'a pas été ?"},
                "choices": _choices(
                    ("waiting", {"en": "Waiting time", "fr": "Temps d'attente"}),
                    ("staff", {"en": "Staff", "fr": "Personnel"}),
                    ("cleanliness", {"en": "Cleanliness", "fr": "Propreté"}),
                    ("availability", {"en": "Product availability", "fr": "Disponibilité"}),
                    ("price", {"en": "Price", "fr": "Prix"}),
                ),
            },
        ),
    ],
}

_FOUND = {
    "title": "Did you find what you needed?",
    "pages": [
        _page(
            "found",
            {
                "id": "found",
                "type": "single_choice",
                "required": True,
                "text": "Did you find what you needed?",
                "choices": _YES_NO,
            },
        ),
        _page(
            "looking-for",
            _open("looking-for", "What were you looking for?"),
            show_if={"question": "found", "op": "ne", "value": "yes"},
        ),
    ],
    "thank_you": _THANKS,
}

_FEATURE = {
    "title": "Feature feedback",
    "thank_you": _THANKS,
    "pages": [
        _page(
            "feature",
            {
                "id": "useful",
                "type": "rating",
                "scale": 5,
                "style": "stars",
                "required": True,
                "text": "How useful is this feature for you?",
                "low_label": "Not useful",
                "high_label": "Very useful",
            },
            _open("improve", "How could we make it better?"),
        ),
    ],
}

_TEMPLATES = [
    (
        "relationship-nps",
        "Relationship NPS",
        "use-90d",
        "email",
        _RELATIONSHIP_NPS,
        'The yearly or quarterly "would you recommend us" with a follow-up that depends on the '
        "score; English and French.",
    ),
    (
        "post-purchase-why-us",
        "Post-purchase: why us",
        "purchase",
        "email",
        _WHY_US,
        "Why the customer chose you over the alternatives: the competitors considered and the "
        "factors that mattered.",
    ),
    (
        "onboarding-ces-7d",
        "Onboarding CES (+7 days)",
        "use-7d",
        "in_app",
        _single_score("ces", "How easy was it to get started?", "What made it hard?", 3),
        "Customer effort a week after sign-up or delivery.",
    ),
    (
        "onboarding-csat-30d",
        "Onboarding CSAT (+30 days)",
        "use-30d",
        "email",
        _single_score("csat", "How satisfied are you so far?", "What disappointed you?", 2),
        "Satisfaction after a month of use.",
    ),
    (
        "onboarding-nps-90d",
        "Onboarding NPS (+90 days)",
        "use-90d",
        "email",
        _single_score(
            "nps", "How likely are you to recommend us to a friend?", "What should we improve?", 6
        ),
        "Loyalty after three months, when the customer knows the product.",
    ),
    (
        "support-csat-ces",
        "Support CSAT and CES",
        "support",
        "email",
        _SUPPORT,
        "Sent when a ticket closes: satisfaction, effort and whether the issue is resolved.",
    ),
    (
        "call-center-post-call",
        "Call center post-call",
        "support",
        "call_center",
        _POST_CALL,
        "Right after a call: resolution, satisfaction and the agent.",
    ),
    (
        "kiosk-smiley-csat",
        "Onsite smiley CSAT",
        "purchase",
        "onsite",
        _KIOSK,
        "One tap on a kiosk or tablet, with a reason for unhappy faces; English and French.",
    ),
    (
        "website-found-it",
        "Website: did you find it?",
        "awareness",
        "website",
        _FOUND,
        "Asks visitors whether they found what they came for, and what was missing.",
    ),
    (
        "in-app-feature-feedback",
        "In-app feature feedback",
        "use-30d",
        "in_app",
        _FEATURE,
        "A star rating and a comment on one feature, shown inside the app.",
    ),
]


def _placeholders_in(definition: Any) -> Iterator[TemplatePlaceholder]:
    """Every :class:`Placeholder` of a raw definition, with where it is.

    Placeholders may be a question's text or description, or a choice label, plain or inside a
    localized ``{"en": ...}`` text.
    """
    for page in definition["pages"]:
        for question in page["questions"]:
            for field in ("text", "description"):
                for text in _texts(question.get(field)):
                    yield TemplatePlaceholder(question["id"], field, text)
            for choice in question.get("choices", ()):
                for text in _texts(choice["label"]):
                    yield TemplatePlaceholder(question["id"], "choices", text, choice["id"])


def _texts(value: Any) -> list[Placeholder]:
    values = value.values() if isinstance(value, dict) else [value]
    return [v for v in values if isinstance(v, Placeholder)]


TEMPLATES: dict[str, SurveyTemplate] = {
    key: SurveyTemplate(
        key=key,
        name=name,
        description=description,
        stage=stage,
        channel=channel,
        definition=SurveyDefinition.model_validate(definition),
        placeholders=tuple(_placeholders_in(definition)),
    )
    for key, name, stage, channel, definition, description in _TEMPLATES
}
"""Every template by key, in the order they are listed."""


def list_templates() -> list[SurveyTemplate]:
    """Every template, ordered along the journey as they are defined."""
    return list(TEMPLATES.values())


def get_template(key: str) -> SurveyTemplate:
    """The template with this key.

    Raises:
        NotFound: No template has this key; the hint lists those that exist.
    """
    template = TEMPLATES.get(key)
    if template is None:
        raise NotFound(
            f"There is no survey template `{key}`.",
            field="template",
            hint=f"Use one of: {', '.join(TEMPLATES)}.",
        )
    return template


def check_templates() -> dict[str, list[Problem]]:
    """The problems (blocking and translation warnings) of each template; all should be empty."""
    return {
        key: check_definition(t.definition) + check_translations(t.definition)
        for key, t in TEMPLATES.items()
    }


def placeholders_left(template: SurveyTemplate, draft: SurveyDefinition) -> list[Problem]:
    """The template's placeholders that ``draft`` still shows as the template wrote them.

    A placeholder the author replaced, or whose question or choice they removed, is gone.
    Each problem names the field (``pages[0].questions[0].choices[1].label``) and the text.
    """
    problems: list[Problem] = []
    for spot in template.placeholders:
        found = _locate(draft, spot)
        if found is not None and _shows(found[1], spot.text):
            problems.append(
                Problem(
                    field=found[0],
                    problem=f"Question `{spot.question}` still shows the template's placeholder "
                    f'"{spot.text}".',
                    fix="Replace it with your own text, or remove it, in the draft.",
                )
            )
    return problems


def _locate(
    draft: SurveyDefinition, spot: TemplatePlaceholder
) -> tuple[str, LocalizedText | None] | None:
    """Where ``spot`` is in ``draft`` (its dotted path) and the text there; ``None``: gone."""
    for page_index, page in enumerate(draft.pages):
        for index, question in enumerate(page.questions):
            if question.id == spot.question:
                at = f"pages[{page_index}].questions[{index}]"
                return _locate_in(question, spot, at)
    return None


def _locate_in(
    question: Question, spot: TemplatePlaceholder, at: str
) -> tuple[str, LocalizedText | None] | None:
    if spot.field != "choices":
        return f"{at}.{spot.field}", getattr(question, spot.field, None)
    for index, choice in enumerate(getattr(question, "choices", ())):
        if choice.id == spot.choice:
            return f"{at}.choices[{index}].label", choice.label
    return None


def _shows(value: LocalizedText | None, text: str) -> bool:
    """Whether ``value`` (plain or by language) still reads ``text`` in some language."""
    if isinstance(value, dict):
        return text in value.values()
    return value == text


def fill_placeholders(
    template: SurveyTemplate, values: Mapping[str, str | None]
) -> SurveyDefinition:
    """The template's definition with each placeholder text replaced by ``values[text]``.

    ``None`` removes it: a choice is dropped, a description left out. Placeholders that
    ``values`` does not name stay, so publishing still refuses them.
    """
    raw = template.definition.model_dump(mode="json")
    for page in raw["pages"]:
        for question in page["questions"]:
            for field in ("text", "description"):
                if isinstance(question.get(field), str) and question[field] in values:
                    question[field] = values[question[field]]
            if "choices" in question:
                question["choices"] = [
                    {**c, "label": values.get(c["label"], c["label"])}
                    for c in question["choices"]
                    if not (c["label"] in values and values[c["label"]] is None)
                ]
    return SurveyDefinition.model_validate(raw)
