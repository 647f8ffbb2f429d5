"""AAPOR response rates from the invitation funnel: one disposition per invitation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from factories import Tenant, make_published_survey
from journeyscope import orchestration
from journeyscope.analytics import aapor_rates
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput
from journeyscope.store import Database, tables
from outbox_support import plan_sales

START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
SENT = START - dt.timedelta(hours=1)
ENDS: list[dict[str, Any]] = [
    {"state": "completed", "sent_at": SENT, "opened_at": SENT, "started_at": SENT,
     "completed_at": SENT},
    {"state": "started", "sent_at": SENT, "opened_at": SENT, "started_at": SENT},
    {"state": "opened", "sent_at": SENT, "opened_at": SENT},
    {"state": "sent", "sent_at": SENT},  # then unsubscribes
    {"state": "sent", "sent_at": SENT},
    {"state": "sent", "sent_at": SENT},
    {"state": "bounced", "sent_at": SENT},
    {"state": "failed"},
    {"state": "expired"},
    {"state": "scheduled"},
    {"state": "suppressed", "reason": "cap_reached"},
]  # fmt: skip


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def fielded(db: Database, tenant: Tenant) -> None:
    """One invitation ending each way (see ENDS); the fourth contact unsubscribed after."""
    make_published_survey(db, tenant)
    plan_sales(db, tenant, len(ENDS))
    inv = tables.Invitation
    with db.transaction() as session:
        rows = session.execute(
            select(inv.id, inv.contact_id).join(tables.Contact).order_by(tables.Contact.external_id)
        ).all()
        for (invitation_id, _), values in zip(rows, ENDS, strict=True):
            session.execute(update(inv).where(inv.id == invitation_id).values(**values))
    orchestration.set_channel_status(
        db, workspace_id=tenant.id, contact_id=rows[3][1], channel="email",
        status="unsubscribed", source="test",
    )  # fmt: skip


@pytest.mark.usefixtures("fielded")
def test_each_invitation_gets_one_aapor_disposition(db: Database, tenant: Tenant) -> None:
    report = orchestration.response_rates(db, workspace_id=tenant.id)
    total = report.total
    assert total.aapor == {"I": 1, "P": 1, "R": 2, "NC": 2, "O": 0, "UH": 0, "UO": 4, "NE": 0}
    assert (total.counts.unsubscribed, total.counts.opened_no_answer) == (1, 1)
    assert total.counts.suppressed == 1
    assert total.rates == dict(aapor_rates(I=1, P=1, R=2, NC=2, O=0, UH=0, UO=4))
    assert total.rates["RR1"] == pytest.approx(0.1)
    assert total.rates["COOP1"] == pytest.approx(0.25)


@pytest.mark.usefixtures("fielded")
@pytest.mark.parametrize(
    ("by", "group"),
    [
        ("channel", {"channel": "email"}),
        ("survey", {"survey": "visit"}),
        ("touchpoint", {"journey": "retail", "touchpoint": "till"}),
    ],
)
def test_rates_per_group(db: Database, tenant: Tenant, by: Any, group: dict[str, Any]) -> None:
    report = orchestration.response_rates(db, workspace_id=tenant.id, by=by)
    [only] = report.groups
    assert only.group == group
    assert only.aapor == report.total.aapor


@pytest.mark.usefixtures("fielded")
def test_the_period_counts_invitations_planned_in_it(db: Database, tenant: Tenant) -> None:
    later = START.date() + dt.timedelta(days=1)
    report = orchestration.response_rates(db, workspace_id=tenant.id, since=later)
    assert report.groups == []
    assert report.total.rates["RR1"] is None
    with pytest.raises(InvalidInput) as caught:
        orchestration.response_rates(db, workspace_id=tenant.id, since=later, until=later)
    assert caught.value.field == "since"
