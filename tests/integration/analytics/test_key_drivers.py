"""Key drivers and the competitor view from a survey's completed answers, on both databases."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from drivers_support import answer_why
from factories import Tenant
from journeyscope import analytics
from journeyscope.analytics import relative_importance
from journeyscope.analytics.driver_queries import CONSIDERED, FACTORS, _choice_question
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database
from journeyscope.surveys import get_template


@pytest.fixture
def answered(db: Database, tenant: Tenant) -> dict[str, list[float]]:
    """The "why" survey with 40 completed responses (drivers_support.answer_why)."""
    return answer_why(db, tenant)


def test_importance_is_relative_importance_of_the_answers(
    db: Database, tenant: Tenant, answered: dict[str, list[float]]
) -> None:
    found = analytics.key_drivers(
        db, workspace_id=tenant.id, survey="why", target="nps", drivers=["price", "speed", "staff"]
    )
    expected = relative_importance(answered, target="nps", drivers=["price", "speed", "staff"])
    assert (found.n, found.is_too_few) == (40, False)
    assert found.r_squared == pytest.approx(expected.r_squared)
    assert found.drivers[0].driver == "speed"
    by_name = {d.driver: d for d in found.drivers}
    assert by_name["price"].importance == pytest.approx(expected.importance["price"])
    assert by_name["staff"].performance == pytest.approx(np.mean(answered["staff"]))
    assert by_name["speed"].quadrant in {"keep-up-the-good-work", "concentrate-here"}


def test_bootstrap_gives_each_driver_an_interval(
    db: Database, tenant: Tenant, answered: dict[str, list[float]]
) -> None:
    found = analytics.key_drivers(
        db, workspace_id=tenant.id, survey="why", target="nps", drivers=["price", "speed"],
        method="johnson", bootstrap=50,
    )  # fmt: skip
    for driver in found.drivers:
        assert driver.low is not None and driver.high is not None
        assert driver.low <= driver.importance <= driver.high


@pytest.mark.usefixtures("answered")
def test_too_few_rows_give_n_and_no_figures(db: Database, tenant: Tenant) -> None:
    found = analytics.key_drivers(
        db, workspace_id=tenant.id, survey="why", target="nps", drivers=["price"], min_n=41
    )
    assert (found.is_too_few, found.n, found.r_squared, found.drivers) == (True, 40, None, ())


@pytest.mark.usefixtures("answered")
def test_the_competitor_view_compares_factor_shares(db: Database, tenant: Tenant) -> None:
    found = analytics.key_drivers(
        db, workspace_id=tenant.id, survey="why", target="nps", drivers=["price"], min_n=10
    )
    assert found.competitor is not None
    assert (found.competitor.only_us, found.competitor.considered) == (20, 20)
    cheap = next(f for f in found.competitor.factors if f.factor == "cheap")
    assert (cheap.only_us.value, cheap.considered.value) == (0.0, 0.5)
    assert cheap.difference.value == pytest.approx(0.5)


@pytest.mark.usefixtures("answered")
@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"target": "nps", "drivers": ["nope"]}, "drivers"),
        ({"target": "nope", "drivers": ["price"]}, "target"),
        ({"target": "nps", "drivers": ["nps"]}, "target"),
        ({"target": "nps", "drivers": [f"d{i}" for i in range(13)]}, "drivers"),
    ],
)
def test_bad_questions_are_refused_naming_the_argument(
    db: Database, tenant: Tenant, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        analytics.key_drivers(db, workspace_id=tenant.id, survey="why", **options)
    assert caught.value.field == field


def test_an_unknown_survey_is_not_found(db: Database, tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        analytics.key_drivers(db, workspace_id=tenant.id, survey="x", target="a", drivers=["b"])


def test_the_why_us_template_has_the_competitor_questions() -> None:
    definition = get_template("post-purchase-why-us").definition.model_dump(mode="json")
    assert _choice_question(definition, CONSIDERED) is not None
    assert "price" in (_choice_question(definition, FACTORS) or [])
