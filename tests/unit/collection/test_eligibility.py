"""The widget's targeting rules, without a database: triggers, sampling, show-once, recontact."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from journeyscope.collection.eligibility import (
    Candidate,
    SurveyHistory,
    Trigger,
    Visit,
    choose_survey,
    is_sampled,
    matches_url,
    sample_point,
)
from journeyscope.journey.models import Channel
from journeyscope.surveys import Targeting

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
PAGE = Trigger(channel=Channel.WEBSITE, url="https://shop.example/checkout/done")


def _survey(**rules: Any) -> Candidate:
    return Candidate(uuid.uuid4(), Targeting.model_validate({"enabled": True, **rules}))


def _visit(*history: SurveyHistory, recontact_days: int = 14) -> Visit:
    return Visit("anon:v1", NOW, history, recontact_days)


def _seen(survey: Candidate, days_ago: float, dismissed: bool = False) -> SurveyHistory:
    shown = NOW - dt.timedelta(days=days_ago)
    return SurveyHistory(survey.survey_id, shown, shown if dismissed else None)


@pytest.mark.parametrize(
    ("url", "patterns", "expected"),
    [
        ("https://shop.example/checkout/done", [], True),
        ("https://shop.example/checkout/done", ["*/checkout/*"], True),
        ("https://shop.example/help", ["*/checkout/*", "*/help"], True),
        ("https://shop.example/cart", ["*/checkout/*"], False),
        ("https://shop.example/Checkout/x", ["*/checkout/*"], False),
        (None, ["*"], False),
    ],
)
def test_url_globs_match_any_pattern(url: str | None, patterns: list[str], expected: bool) -> None:
    assert matches_url(url, patterns) is expected


def test_a_page_view_shows_a_survey_whose_patterns_match() -> None:
    survey = _survey(url_patterns=["*/checkout/*"])
    assert choose_survey([survey], PAGE, _visit()) == survey


def test_a_page_view_elsewhere_shows_nothing() -> None:
    survey = _survey(url_patterns=["*/account/*"])
    assert choose_survey([survey], PAGE, _visit()) is None


def test_a_disabled_survey_is_never_shown() -> None:
    survey = Candidate(uuid.uuid4(), Targeting(enabled=False))
    assert choose_survey([survey], PAGE, _visit()) is None


def test_an_event_survey_waits_for_its_event_not_a_page_view() -> None:
    survey = _survey(events=["order.placed"], url_patterns=["*/nowhere"])
    assert choose_survey([survey], PAGE, _visit()) is None
    placed = Trigger(channel=Channel.WEBSITE, event="order.placed")
    other = Trigger(channel=Channel.WEBSITE, event="cart.viewed")
    assert choose_survey([survey], placed, _visit()) == survey  # URL globs: page views only
    assert choose_survey([survey], other, _visit()) is None


def test_a_page_view_survey_ignores_events() -> None:
    survey = _survey()
    assert choose_survey([survey], Trigger(Channel.WEBSITE, event="order.placed"), _visit()) is None


def test_a_survey_at_an_in_app_touchpoint_stays_in_the_app() -> None:
    survey = Candidate(uuid.uuid4(), Targeting(enabled=True), Channel.IN_APP)
    assert choose_survey([survey], PAGE, _visit()) is None
    assert choose_survey([survey], Trigger(Channel.IN_APP), _visit()) == survey
    onsite = Candidate(uuid.uuid4(), Targeting(enabled=True), Channel.ONSITE)
    assert choose_survey([onsite], PAGE, _visit()) == onsite


def test_sampling_is_stable_for_a_visitor_and_survey() -> None:
    survey_id = uuid.uuid4()
    assert sample_point("anon:a", survey_id) == sample_point("anon:a", survey_id)
    assert 0 <= sample_point("anon:a", survey_id) < 100
    verdicts = {is_sampled("anon:a", survey_id, 50) for _ in range(20)}
    assert len(verdicts) == 1


def test_sampling_shows_roughly_the_given_share() -> None:
    survey_id = uuid.uuid4()
    sampled = sum(is_sampled(f"anon:{i}", survey_id, 25) for i in range(4000))
    assert 850 < sampled < 1150  # 25 % of 4,000 = 1,000; sd is about 27


def test_sampling_at_the_extremes_is_all_or_nothing() -> None:
    survey_id = uuid.uuid4()
    assert all(is_sampled(f"anon:{i}", survey_id, 100) for i in range(200))
    assert not any(is_sampled(f"anon:{i}", survey_id, 0) for i in range(200))


def test_show_once_hides_a_survey_already_shown() -> None:
    survey = _survey(show_once=True)
    assert choose_survey([survey], PAGE, _visit(_seen(survey, 30))) is None


def test_without_show_once_a_survey_returns_after_the_recontact_period() -> None:
    survey = _survey(show_once=False)
    assert choose_survey([survey], PAGE, _visit(_seen(survey, 30))) == survey
    assert choose_survey([survey], PAGE, _visit(_seen(survey, 3))) is None


def test_a_dismissed_survey_is_never_shown_again_even_without_show_once() -> None:
    survey = _survey(show_once=False)
    visit = _visit(_seen(survey, 400, dismissed=True))
    assert choose_survey([survey], PAGE, visit) is None


def test_the_recontact_period_counts_every_survey() -> None:
    first, second = _survey(), _survey()
    assert choose_survey([second], PAGE, _visit(_seen(first, 13))) is None
    assert choose_survey([second], PAGE, _visit(_seen(first, 15))) == second


def test_a_dismissal_restarts_the_recontact_period() -> None:
    first, second = _survey(), _survey()
    shown = NOW - dt.timedelta(days=20)
    history = SurveyHistory(first.survey_id, shown, NOW - dt.timedelta(days=2))
    assert choose_survey([second], PAGE, _visit(history)) is None


def test_a_zero_day_recontact_period_lets_the_next_survey_through() -> None:
    first, second = _survey(), _survey()
    visit = _visit(_seen(first, 0), recontact_days=0)
    assert choose_survey([first, second], PAGE, visit) == second


def test_the_first_eligible_survey_wins() -> None:
    sampled_out, first, second = _survey(sampling_percent=0), _survey(), _survey()
    assert choose_survey([sampled_out, first, second], PAGE, _visit()) == first


def _invited(survey: Candidate, days_ago: float) -> SurveyHistory:
    sent = NOW - dt.timedelta(days=days_ago)
    return SurveyHistory(survey.survey_id, sent, None, is_invitation=True)


def test_an_invitation_sent_recently_holds_off_every_widget_survey() -> None:
    emailed, other = _survey(show_once=True), _survey()
    assert choose_survey([emailed, other], PAGE, _visit(_invited(emailed, 1))) is None


def test_an_invitation_long_ago_is_not_a_display_for_show_once() -> None:
    emailed = _survey(show_once=True)
    assert choose_survey([emailed], PAGE, _visit(_invited(emailed, 30))) == emailed
    assert choose_survey([emailed], PAGE, _visit(_seen(emailed, 30))) is None
