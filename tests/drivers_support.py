"""A survey whose NPS follows its ratings, with the "why us" competitor questions."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np

from factories import Tenant
from journeyscope import collection
from journeyscope.analytics.driver_queries import CONSIDERED, FACTORS
from journeyscope.collection import ResponseIn
from journeyscope.store import Database
from journeyscope.surveys import SurveyCreate, create_survey, publish_survey

WHY: dict[str, Any] = {
    "title": "Why us",
    "pages": [
        {
            "id": "p",
            "questions": [
                {"id": "nps", "type": "nps", "text": "Recommend us?"},
                {"id": "price", "type": "rating", "text": "Price?", "scale": 5},
                {"id": "speed", "type": "rating", "text": "Speed?", "scale": 5},
                {"id": "staff", "type": "rating", "text": "Staff?", "scale": 5},
                {
                    "id": CONSIDERED,
                    "type": "multi_choice",
                    "text": "Alternatives?",
                    "choices": [{"id": "acme", "label": "Acme"}, {"id": "none", "label": "None"}],
                    "allow_other": True,
                },
                {
                    "id": FACTORS,
                    "type": "multi_choice",
                    "text": "Why?",
                    "choices": [
                        {"id": "cheap", "label": "Price"},
                        {"id": "fast", "label": "Speed"},
                    ],
                },
            ],
        }
    ],
}


def _answer(db: Database, tenant: Tenant, answers: dict[str, Any]) -> None:
    data = ResponseIn.model_validate(
        {"id": uuid.uuid4(), "survey_key": "why", "channel": "email", "answers": answers,
         "complete": True}
    )  # fmt: skip
    collection.submit_response(db, workspace_id=tenant.id, data=data)


def answer_why(db: Database, tenant: Tenant) -> dict[str, list[float]]:
    """40 responses where NPS follows speed strongly, price weakly, staff not at all."""
    data = {"key": "why", "name": "Why", "definition": WHY}
    create_survey(db, workspace_id=tenant.id, data=SurveyCreate.model_validate(data))
    publish_survey(db, workspace_id=tenant.id, key="why")
    rng = np.random.default_rng(3)
    frame: dict[str, list[float]] = {"nps": [], "price": [], "speed": [], "staff": []}
    for i in range(40):
        price, speed, staff = (int(v) for v in rng.integers(1, 6, size=3))
        nps = int(np.clip(round(speed * 1.6 + price * 0.5 + rng.normal(0, 1)), 0, 10))
        only_us = i % 2 == 0
        answers = {"nps": nps, "price": price, "speed": speed, "staff": staff}
        answers[CONSIDERED] = ["none"] if only_us else ["acme"]
        answers[FACTORS] = ["fast"] if only_us else ["cheap"] if i % 4 == 1 else ["fast"]
        _answer(db, tenant, answers)
        for name, value in (("nps", nps), ("price", price), ("speed", speed), ("staff", staff)):
            frame[name].append(value)
    return frame
