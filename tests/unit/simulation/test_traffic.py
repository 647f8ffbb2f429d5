"""The traffic model: deterministic per day, seasonal, with drivers that drive."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest

from journeyscope.errors import InvalidInput
from journeyscope.simulation import PlantedChange, season, volume
from journeyscope.simulation.traffic import Plan, Point, Population, simulate_day

WORKSPACE = uuid.UUID(int=1)


def _plan(planted: tuple[PlantedChange, ...] = (), per_day: float = 400) -> Plan:
    points = [
        Point(
            "kiosk",
            uuid.UUID(int=10),
            "purchase",
            "onsite",
            uuid.UUID(int=20),
            uuid.UUID(int=30),
            0.5,
            0.0,
            (0.0, 0.0, 0.0),
        ),
        Point(
            "mail",
            uuid.UUID(int=11),
            "support",
            "email",
            uuid.UUID(int=21),
            uuid.UUID(int=31),
            0.5,
            0.0,
            (0.0, 0.0, 0.0),
        ),
    ]
    size = 500
    population = Population(
        ids=[uuid.UUID(int=100 + i) for i in range(size)],
        locales=["en"] * size,
        effect=np.zeros(size),
        unsubscribed_on=np.full(size, -1, dtype=np.int64),
    )
    return Plan(WORKSPACE, (1, 2, 3), dt.date(2025, 10, 1), per_day, points, population, planted)


def test_a_day_is_the_same_every_time_it_is_made() -> None:
    first, again = simulate_day(_plan(), 5), simulate_day(_plan(), 5)
    assert first.responses == again.responses
    assert first.invitations == again.invitations


def test_planted_changes_change_answers_but_not_ids() -> None:
    change = PlantedChange("kiosk", "nps", start_day=0, size=-30)
    plain, planted = simulate_day(_plan(), 2), simulate_day(_plan((change,)), 2)
    assert [r["client_id"] for r in plain.responses] == [r["client_id"] for r in planted.responses]
    assert [r["answers"] for r in plain.responses] != [r["answers"] for r in planted.responses]


def test_ids_are_time_ordered_like_new_ids() -> None:
    responses = simulate_day(_plan(), 0).responses
    ids = [r["id"] for r in responses]
    assert all(i.version == 7 for i in ids)
    assert [i.int >> 80 for i in ids] == sorted(i.int >> 80 for i in ids)


def test_the_holiday_dip_and_the_weekend_are_in_the_season() -> None:
    assert season(dt.date(2025, 12, 22)) < season(dt.date(2025, 10, 15)) - 0.4
    assert season(dt.date(2025, 10, 18)) > season(dt.date(2025, 10, 13))  # Saturday, Monday


def test_kiosks_are_busiest_on_saturdays_and_call_centres_on_mondays() -> None:
    monday, saturday = dt.date(2025, 10, 13), dt.date(2025, 10, 18)
    assert volume(saturday, "onsite") > volume(monday, "onsite")
    assert volume(monday, "call_center") > volume(saturday, "call_center")


def _scores(plan: Plan, days: range, name: str) -> np.ndarray:
    return np.array([r["answers"][name] for d in days for r in simulate_day(plan, d).responses])


def test_ease_drives_likelihood_to_recommend_more_than_value() -> None:
    answers = [r["answers"] for d in range(10) for r in simulate_day(_plan(), d).responses]
    nps, ease, value = (np.array([a[k] for a in answers], float) for k in ("nps", "ease", "value"))
    assert np.corrcoef(nps, ease)[0, 1] > np.corrcoef(nps, value)[0, 1] + 0.05


def test_a_planted_nps_drop_moves_nps_by_its_size() -> None:
    change = PlantedChange("kiosk", "nps", start_day=0, size=-10)
    plain, planted = _plan(), _plan((change,))

    def nps(plan: Plan) -> float:
        values = [
            r["answers"]["nps"]
            for d in range(20)
            for r in simulate_day(plan, d).responses
            if r["touchpoint_id"] == uuid.UUID(int=10)
        ]
        return 100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values)

    assert nps(plain) - nps(planted) == pytest.approx(10, abs=3)


def test_every_invitation_reaches_only_steps_in_order() -> None:
    for row in simulate_day(_plan(), 3).invitations:
        times = [row[f"{s}_at"] for s in ("sent", "opened", "started", "completed")]
        reached = [t for t in times if t is not None]
        assert times[: len(reached)] == reached and reached == sorted(reached)


def test_a_planted_change_is_parsed_from_the_cli_form() -> None:
    assert PlantedChange.parse("loyalty-nps:nps:200:-8") == PlantedChange(
        "loyalty-nps", "nps", 200, -8.0
    )


def test_a_planted_change_on_an_unknown_metric_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a simulated metric"):
        PlantedChange.parse("loyalty-nps:mood:200:-8")
