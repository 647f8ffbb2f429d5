"""Who may be asked: each policy alone, the order they are checked in, and their boundaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from journeyscope.orchestration.policies import EXPLANATIONS, History, Limits, Reason, refusal

NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)
LIMITS = Limits(recontact_days=30, cap=3, cap_days=90, quarantine_days=60)
FRESH = History(
    has_address=True,
    channel_status=None,
    last_asked_at=None,
    last_asked_here_at=None,
    asked_in_cap_period=0,
)


def _days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_a_contact_never_asked_may_be_asked() -> None:
    assert refusal(LIMITS, FRESH, NOW) is None


@pytest.mark.parametrize(
    ("history", "reason"),
    [
        (dataclasses.replace(FRESH, has_address=False), Reason.NO_ADDRESS),
        (dataclasses.replace(FRESH, channel_status="unsubscribed"), Reason.UNSUBSCRIBED),
        (dataclasses.replace(FRESH, channel_status="bounced"), Reason.BOUNCED),
        (dataclasses.replace(FRESH, last_asked_at=_days_ago(29)), Reason.RECONTACT),
        (dataclasses.replace(FRESH, last_asked_here_at=_days_ago(59)), Reason.QUARANTINE),
        (dataclasses.replace(FRESH, asked_in_cap_period=3), Reason.CAP),
    ],
)
def test_each_policy_refuses_on_its_own(history: History, reason: Reason) -> None:
    assert refusal(LIMITS, history, NOW) is reason


def test_the_first_policy_that_refuses_is_the_reason_given() -> None:
    everything = History(
        has_address=False,
        channel_status="unsubscribed",
        last_asked_at=_days_ago(1),
        last_asked_here_at=_days_ago(1),
        asked_in_cap_period=9,
    )
    order = []
    history = everything
    while (reason := refusal(LIMITS, history, NOW)) is not None:
        order.append(reason)
        history = _without(history, reason)
    assert order == [
        Reason.NO_ADDRESS,
        Reason.UNSUBSCRIBED,
        Reason.RECONTACT,
        Reason.QUARANTINE,
        Reason.CAP,
    ]


def _without(history: History, reason: Reason) -> History:
    fixes = {
        Reason.NO_ADDRESS: {"has_address": True},
        Reason.UNSUBSCRIBED: {"channel_status": None},
        Reason.RECONTACT: {"last_asked_at": None},
        Reason.QUARANTINE: {"last_asked_here_at": None},
        Reason.CAP: {"asked_in_cap_period": 0},
    }
    return dataclasses.replace(history, **fixes[reason])  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "reason"), [(None, Reason.NO_CONSENT), ("consented", None)])
def test_required_consent_must_have_been_given(status: str | None, reason: Reason | None) -> None:
    limits = dataclasses.replace(LIMITS, require_consent=True)
    history = dataclasses.replace(FRESH, channel_status=status)
    assert refusal(limits, history, NOW) is reason


def test_consent_is_not_needed_unless_the_rule_requires_it() -> None:
    assert refusal(LIMITS, dataclasses.replace(FRESH, channel_status="consented"), NOW) is None


def test_an_unsubscribe_outranks_missing_consent() -> None:
    limits = dataclasses.replace(LIMITS, require_consent=True)
    history = dataclasses.replace(FRESH, channel_status="unsubscribed")
    assert refusal(limits, history, NOW) is Reason.UNSUBSCRIBED


@pytest.mark.parametrize(("days_ago", "reason"), [(29.99, Reason.RECONTACT), (30, None)])
def test_the_recontact_period_ends_exactly_after_its_days(
    days_ago: float, reason: Reason | None
) -> None:
    history = dataclasses.replace(FRESH, last_asked_at=_days_ago(days_ago))
    assert refusal(LIMITS, history, NOW) is reason


@pytest.mark.parametrize(("days_ago", "reason"), [(59.99, Reason.QUARANTINE), (60, None)])
def test_the_quarantine_ends_exactly_after_its_days(days_ago: float, reason: Reason | None) -> None:
    history = dataclasses.replace(FRESH, last_asked_here_at=_days_ago(days_ago))
    assert refusal(LIMITS, history, NOW) is reason


@pytest.mark.parametrize(
    "limits",
    [
        Limits(recontact_days=0, cap=3, cap_days=90),
        Limits(recontact_days=30, cap=3, cap_days=90, quarantine_days=None),
        Limits(recontact_days=30, cap=3, cap_days=90, quarantine_days=0),
    ],
)
def test_a_period_of_zero_or_none_checks_nothing(limits: Limits) -> None:
    asked_just_now = dataclasses.replace(FRESH, last_asked_here_at=NOW)
    if limits.recontact_days == 0:
        asked_just_now = dataclasses.replace(asked_just_now, last_asked_at=NOW)
    assert refusal(limits, asked_just_now, NOW) is None


@pytest.mark.parametrize(("asked", "reason"), [(2, None), (3, Reason.CAP), (4, Reason.CAP)])
def test_the_cap_refuses_once_reached(asked: int, reason: Reason | None) -> None:
    history = dataclasses.replace(FRESH, asked_in_cap_period=asked)
    assert refusal(LIMITS, history, NOW) is reason


def test_a_cap_of_zero_means_no_cap() -> None:
    limits = dataclasses.replace(LIMITS, cap=0)
    assert refusal(limits, dataclasses.replace(FRESH, asked_in_cap_period=50), NOW) is None


def test_periods_count_elapsed_time_across_a_clock_change() -> None:
    # Asked on Saturday 12:30 in London (GMT); the clocks go forward overnight, and on Sunday
    # at 12:45 (BST) only 23 h 15 min have passed, though the wall clock says 24 h 15 min:
    # a one-day period still holds, even when both times are given in London's zone.
    london = ZoneInfo("Europe/London")
    asked = dt.datetime(2025, 3, 29, 12, 30, tzinfo=london)
    now = dt.datetime(2025, 3, 30, 12, 45, tzinfo=london)
    limits = Limits(recontact_days=1, cap=0, cap_days=0)
    history = dataclasses.replace(FRESH, last_asked_at=asked)
    assert refusal(limits, history, now) is Reason.RECONTACT


def test_every_reason_has_an_explanation() -> None:
    assert set(EXPLANATIONS) == set(Reason)
    assert all(text and text[0].islower() for text in EXPLANATIONS.values())
