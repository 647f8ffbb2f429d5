from typing import Any

import pytest

from journeyscope.surveys import (
    CesQuestion,
    CsatQuestion,
    MatrixQuestion,
    MultiChoiceQuestion,
    NpsQuestion,
    OpenTextQuestion,
    RatingQuestion,
    SingleChoiceQuestion,
    import_surveyjs,
)

HOTEL_STAY: dict[str, Any] = {
    "title": {"default": "Your stay", "fr": "Votre séjour"},
    "locale": "en",
    "completedHtml": "<h3>Thank you!</h3>",
    "pages": [
        {
            "name": "Scores",
            "elements": [
                {
                    "type": "rating",
                    "name": "NPS",
                    "title": {
                        "default": "Would you recommend us?",
                        "fr": "Nous recommanderiez-vous ?",
                    },
                    "rateMin": 0,
                    "rateMax": 10,
                    "isRequired": True,
                    "minRateDescription": "Not likely",
                    "maxRateDescription": "Very likely",
                },
                {
                    "type": "rating",
                    "name": "satisfaction",
                    "title": "How satisfied were you with your room?",
                    "rateType": "smileys",
                },
                {"type": "rating", "name": "ease", "title": "How easy was check-in?", "rateMax": 7},
                {"type": "rating", "name": "breakfast", "rateType": "stars", "rateCount": 4},
                {"type": "html", "name": "banner", "html": "<b>Almost done</b>"},
            ],
        },
        {
            "name": "details",
            "visibleIf": "{NPS} <= 6",
            "elements": [
                {"type": "comment", "name": "What went wrong", "maxLength": 500},
                {
                    "type": "checkbox",
                    "name": "reasons",
                    "choices": [
                        "Price",
                        {"value": "staff", "text": {"default": "Staff", "fr": "Personnel"}},
                        3,
                    ],
                    "hasOther": True,
                    "otherText": "Something else",
                    "maxSelectedChoices": 2,
                },
                {
                    "type": "panel",
                    "name": "follow-up",
                    "elements": [
                        {
                            "type": "radiogroup",
                            "name": "callback",
                            "title": "May we call you?",
                            "choices": ["Yes", "No"],
                            "visibleIf": "{reasons} contains 'staff' and {satisfaction} < 3",
                        },
                        {
                            "type": "text",
                            "name": "phone",
                            "inputType": "tel",
                            "visibleIf": "{callback} = 'Yes'",
                        },
                        {"type": "text", "name": "age", "visibleIf": "age({birthdate}) > 18"},
                    ],
                },
                {
                    "type": "matrix",
                    "name": "quality",
                    "title": "Rate our services",
                    "columns": ["Poor", "Fair", "Good"],
                    "rows": [{"value": "food", "text": "Food"}, "Room service"],
                },
                {"type": "file", "name": "photo"},
            ],
        },
    ],
}


def test_import_surveyjs_maps_shared_question_types() -> None:
    definition, _ = import_surveyjs(HOTEL_STAY)

    types = {q.id: type(q) for q in definition.questions()}

    assert types == {
        "nps": NpsQuestion,
        "satisfaction": CsatQuestion,
        "ease": CesQuestion,
        "breakfast": RatingQuestion,
        "what-went-wrong": OpenTextQuestion,
        "reasons": MultiChoiceQuestion,
        "callback": SingleChoiceQuestion,
        "phone": OpenTextQuestion,
        "age": OpenTextQuestion,
        "quality": MatrixQuestion,
    }


def test_import_surveyjs_keeps_rating_details_and_languages() -> None:
    definition, _ = import_surveyjs(HOTEL_STAY)

    nps, satisfaction, ease, breakfast = definition.pages[0].questions
    assert isinstance(nps, NpsQuestion)
    assert nps.required is True
    assert nps.text == {"en": "Would you recommend us?", "fr": "Nous recommanderiez-vous ?"}
    assert nps.low_label == "Not likely"
    assert isinstance(satisfaction, CsatQuestion) and satisfaction.style == "smileys"
    assert isinstance(ease, CesQuestion)
    assert isinstance(breakfast, RatingQuestion) and breakfast.scale == 4
    assert breakfast.style == "stars"
    assert definition.languages == ["fr"]


def test_import_surveyjs_uses_our_hint_over_heuristics() -> None:
    data = {"elements": [{"type": "rating", "name": "q", "rateMax": 7, "journeyscopeType": "ces"}]}

    definition, problems = import_surveyjs(data)

    assert problems == []
    assert definition.questions()[0].type == "ces"


def test_import_surveyjs_maps_choices_and_other() -> None:
    definition, _ = import_surveyjs(HOTEL_STAY)

    reasons = definition.question("reasons")

    assert isinstance(reasons, MultiChoiceQuestion)
    assert [c.id for c in reasons.choices] == ["price", "staff", "3"]
    assert reasons.choices[1].label == {"en": "Staff", "fr": "Personnel"}
    assert reasons.allow_other is True
    assert reasons.other_label == "Something else"
    assert reasons.max_selected == 2


def test_import_surveyjs_turns_visible_if_into_conditions() -> None:
    definition, _ = import_surveyjs(HOTEL_STAY)

    details = definition.pages[1]
    callback = definition.question("callback")

    assert details.show_if is not None
    assert details.show_if.model_dump() == {"question": "nps", "op": "lte", "value": 6}
    assert callback is not None and callback.show_if is not None
    assert callback.show_if.model_dump() == {
        "all": [
            {"question": "reasons", "op": "contains", "value": "staff"},
            {"question": "satisfaction", "op": "lt", "value": 3},
        ]
    }


def test_import_surveyjs_splits_pages_where_questions_depend_on_the_same_page() -> None:
    definition, problems = import_surveyjs(HOTEL_STAY)

    assert [p.id for p in definition.pages] == ["scores", "details", "details-2", "details-3"]
    assert [q.id for q in definition.pages[2].questions] == ["callback"]
    assert [q.id for q in definition.pages[3].questions] == ["phone", "age", "quality"]
    assert definition.pages[3].show_if == definition.pages[1].show_if
    assert not any(
        p.field and p.field.startswith("pages[") and "show_if" in p.field for p in problems
    )


def test_import_surveyjs_reports_what_it_skips() -> None:
    _, problems = import_surveyjs(HOTEL_STAY)

    fields = [p.field for p in problems]

    assert fields == [
        "pages[0].elements[4]",
        "pages[1].elements[2].elements[1]",
        "pages[1].elements[2].elements[2].visibleIf",
        "pages[1].elements[4]",
        "completedHtml",
    ]
    assert "`html` elements have no counterpart" in problems[0].problem
    assert "`age({birthdate}) > 18`" in problems[2].problem


def test_import_surveyjs_reports_unknown_question_in_expression() -> None:
    data = {"elements": [{"type": "comment", "name": "a", "visibleIf": "{nope} notempty"}]}

    definition, [problem] = import_surveyjs(data)

    assert problem.field == "pages[0].elements[0].visibleIf"
    assert "no earlier question is named `nope`" in problem.problem
    assert definition.questions()[0].show_if is None


@pytest.mark.parametrize("data", [[], "survey", {"pages": "x"}, {"pages": [1, {"elements": 5}]}])
def test_import_surveyjs_never_crashes_on_odd_input(data: Any) -> None:
    definition, problems = import_surveyjs(data)

    assert definition.pages == []
    assert problems != []
