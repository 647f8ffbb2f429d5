"""A small NPS survey with skip and branch logic, shared by the surveys tests."""

from __future__ import annotations

from typing import Any

import pytest

from journeyscope.surveys import SurveyDefinition


def nps_survey_data() -> dict[str, Any]:
    """Score page → (detractors) what went wrong → details page → end; promoters end early."""
    return {
        "title": {"en": "Your opinion", "fr": "Votre avis"},
        "languages": ["fr"],
        "pages": [
            {
                "id": "score",
                "questions": [
                    {
                        "id": "nps",
                        "type": "nps",
                        "required": True,
                        "text": {"en": "Recommend us?", "fr": "Nous recommanderiez-vous ?"},
                    }
                ],
                "branches": [{"if": {"question": "nps", "op": "gte", "value": 9}, "goto": "end"}],
            },
            {
                "id": "why",
                "questions": [
                    {
                        "id": "went-wrong",
                        "type": "open_text",
                        "required": True,
                        "text": {"en": "What went wrong?", "fr": "Qu'est-ce qui n'a pas été ?"},
                        "show_if": {"question": "nps", "op": "lte", "value": 6},
                    },
                    {
                        "id": "topics",
                        "type": "multi_choice",
                        "text": {"en": "Which topics?", "fr": "Quels sujets ?"},
                        "allow_other": True,
                        "choices": [
                            {"id": "price", "label": {"en": "Price", "fr": "Prix"}},
                            {"id": "staff", "label": {"en": "Staff", "fr": "Personnel"}},
                        ],
                    },
                ],
            },
            {
                "id": "details",
                "show_if": {"question": "topics", "op": "contains", "value": "staff"},
                "questions": [
                    {
                        "id": "staff-rating",
                        "type": "rating",
                        "scale": 7,
                        "required": True,
                        "text": {"en": "Rate our staff", "fr": "Notez notre personnel"},
                    },
                    {
                        "id": "quality",
                        "type": "matrix",
                        "text": {"en": "Quality", "fr": "Qualité"},
                        "rows": [
                            {"id": "food", "label": {"en": "Food", "fr": "Repas"}},
                            {"id": "room", "label": {"en": "Room", "fr": "Chambre"}},
                        ],
                        "columns": [
                            {"id": "bad", "label": {"en": "Bad", "fr": "Mauvais"}},
                            {"id": "good", "label": {"en": "Good", "fr": "Bon"}},
                        ],
                    },
                ],
            },
        ],
    }


@pytest.fixture
def nps_survey() -> SurveyDefinition:
    return SurveyDefinition.model_validate(nps_survey_data())


@pytest.fixture
def nps_data() -> dict[str, Any]:
    """The shared survey as JSON-shaped data, fresh for each test to edit."""
    return nps_survey_data()
