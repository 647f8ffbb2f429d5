"""Journey files hold touchpoint quarantines and trigger rules; apply and export round-trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from factories import Tenant
from journeyscope import collection, journey, orchestration, surveys, workspaces
from journeyscope.cli import run
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, EventIn
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.journey import ChangeAction, JourneySpec
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from journeyscope.surveys import SurveyCreate, TouchpointRef

JOURNEY = """\
key: support
name: Support and loyalty
stages:
  - key: help
    name: Help desk
    touchpoints:
      - key: ticket-closed
        name: Ticket closed email
        channel: email
        quarantine_days: 30
  - key: use-30d
    name: Thirty days in
    touchpoints:
      - key: month-one
        name: One month after the sale
        channel: email
"""
RULES = """
rules:
  - key: csat-after-ticket
    event_type: ticket.closed
    survey: support-csat
    delay_minutes: 60
    window:
      start: "09:00"
      end: "20:00"
      days: [mon, tue, wed, thu, fri, sat]
  - key: nps-after-sale
    event_type: sale.completed
    condition: event.properties.amount > 50
    survey: relationship-nps
    delay_minutes: 43200
"""
QUICK_RULE = """
rules:
  - key: csat-after-ticket
    event_type: ticket.closed
    survey: support-csat
"""
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _load(text: str) -> JourneySpec:
    return journey.load_journey_yaml(text, check_rules=orchestration.check_journey_rules)


def _survey(db: Database, tenant: Tenant, key: str, touchpoint: str, *, publish: bool) -> None:
    ref = TouchpointRef(journey_key="support", touchpoint_key=touchpoint)
    data = SurveyCreate(key=key, name=key, template="support-csat-ces", touchpoint=ref)
    surveys.create_survey(db, workspace_id=tenant.id, data=data)
    if publish:
        surveys.publish_survey(db, workspace_id=tenant.id, key=key)


@pytest.fixture
def surveys_ready(db: Database, tenant: Tenant) -> None:
    """The journey without rules, and a published survey at each of its touchpoints."""
    journey.apply_journey(db, workspace_id=tenant.id, spec=_load(JOURNEY))
    _survey(db, tenant, "support-csat", "ticket-closed", publish=True)
    _survey(db, tenant, "relationship-nps", "month-one", publish=True)


def _rule_keys(db: Database) -> list[str]:
    with db.transaction() as session:
        return sorted(session.scalars(select(tables.TriggerRule.key)))


def _apply(db: Database, tenant: Tenant, text: str, *, prune: bool = False):  # type: ignore[no-untyped-def]
    return orchestration.apply_journey_with_rules(
        db, workspace_id=tenant.id, spec=_load(text), prune=prune
    )


def test_rules_apply_once_and_export_round_trips(
    db: Database, tenant: Tenant, surveys_ready: None
) -> None:
    first = _apply(db, tenant, JOURNEY + RULES)
    assert [(c.key, c.action) for c in first.changes if c.kind.value == "rule"] == [
        ("csat-after-ticket", ChangeAction.CREATED),
        ("nps-after-sale", ChangeAction.CREATED),
    ]
    assert _apply(db, tenant, JOURNEY + RULES).changed is False
    exported = orchestration.export_journey_with_rules(db, workspace_id=tenant.id, key="support")
    text = journey.dump_journey_yaml(exported)
    assert 'start: "09:00"' in text
    assert _load(text) == exported
    assert _apply(db, tenant, text).changed is False
    written = [orchestration.RuleSpec.model_validate(r) for r in _load(JOURNEY + RULES).rules or []]
    assert [orchestration.RuleSpec.model_validate(r) for r in exported.rules or []] == written
    stored = orchestration.get_rule(db, workspace_id=tenant.id, key="csat-after-ticket")
    assert (stored.delay_minutes, stored.window and stored.window.end) == (60, dt.time(20))


def test_a_bad_condition_is_reported_with_its_path_and_line(surveys_ready: None) -> None:
    text = JOURNEY + RULES.replace("amount > 50", "amount >")
    with pytest.raises(InvalidInput) as caught:
        _load(text)
    [problem] = caught.value.problems
    assert problem.field == "rules[1].condition"
    assert problem.line == text.splitlines().index("    condition: event.properties.amount >") + 1
    assert problem.problem.startswith("the condition is not valid CEL")


def test_a_bad_rule_writes_nothing_not_even_the_journey(db: Database, tenant: Tenant) -> None:
    data = _load(JOURNEY).model_dump()
    data["key"] = "new-journey"
    data["rules"] = [{"key": "r", "event_type": "x", "survey": "s", "condition": "a >"}]
    with pytest.raises(InvalidInput) as caught:
        orchestration.apply_journey_with_rules(
            db, workspace_id=tenant.id, spec=JourneySpec.model_validate(data)
        )
    assert [p.field for p in caught.value.problems] == ["rules[0].condition"]
    with pytest.raises(NotFound):
        journey.get_journey(db, workspace_id=tenant.id, key="new-journey")


def test_an_unpublished_survey_is_refused_and_the_whole_apply_rolls_back(
    db: Database, tenant: Tenant
) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_load(JOURNEY))
    _survey(db, tenant, "support-csat", "ticket-closed", publish=True)
    _survey(db, tenant, "relationship-nps", "month-one", publish=False)
    renamed = (JOURNEY + RULES).replace("name: Support and loyalty", "name: Renamed")
    with pytest.raises(InvalidInput) as caught:
        _apply(db, tenant, renamed)
    [problem] = caught.value.problems
    assert problem.field == "rules[1].survey"
    assert "not published" in problem.problem
    assert "journeyscope survey publish relationship-nps" in (problem.fix or "")
    assert journey.get_journey(db, workspace_id=tenant.id, key="support").name != "Renamed"
    assert _rule_keys(db) == []
    disabled = RULES.replace(
        "    delay_minutes: 43200\n", "    delay_minutes: 43200\n    enabled: false\n"
    )
    assert _apply(db, tenant, JOURNEY + disabled).changed is True
    assert _rule_keys(db) == ["csat-after-ticket", "nps-after-sale"]


def test_a_survey_of_another_journey_or_none_is_refused(
    db: Database, tenant: Tenant, surveys_ready: None
) -> None:
    surveys.create_survey(
        db,
        workspace_id=tenant.id,
        data=SurveyCreate(key="loose", name="Loose", template="support-csat-ces"),
    )
    text = JOURNEY + RULES.replace("survey: relationship-nps", "survey: loose").replace(
        "survey: support-csat", "survey: ghost"
    )
    with pytest.raises(InvalidInput) as caught:
        _apply(db, tenant, text)
    problems = {p.field: p.problem for p in caught.value.problems}
    assert "no survey `ghost`" in problems["rules[0].survey"]
    assert "no touchpoint" in problems["rules[1].survey"]


def test_rules_left_out_are_kept_pruned_with_prune_and_untouched_without_rules(
    db: Database, tenant: Tenant, surveys_ready: None
) -> None:
    _apply(db, tenant, JOURNEY + RULES)
    assert _apply(db, tenant, JOURNEY).changed is False  # no `rules:`: not managed here
    one_rule = JOURNEY + RULES.split("  - key: nps-after-sale")[0]
    kept = _apply(db, tenant, one_rule)
    assert [(c.key, c.action) for c in kept.changes if c.kind.value == "rule"] == [
        ("csat-after-ticket", ChangeAction.UNCHANGED),
        ("nps-after-sale", ChangeAction.KEPT),
    ]
    pruned = _apply(db, tenant, JOURNEY + "rules: []\n", prune=True)
    assert pruned.count(ChangeAction.DELETED) == 2
    assert _rule_keys(db) == []


def test_quarantine_days_round_trip_through_apply_export_and_the_api(
    db: Database, tenant: Tenant, client: TestClient
) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_load(JOURNEY))
    view = journey.get_journey(db, workspace_id=tenant.id, key="support")
    assert [t.quarantine_days for s in view.stages for t in s.touchpoints] == [30, None]
    exported = journey.dump_journey_yaml(
        orchestration.export_journey_with_rules(db, workspace_id=tenant.id, key="support")
    )
    assert "        quarantine_days: 30\n" in exported
    assert _load(exported) == _load(JOURNEY)
    answer = client.get("/v1/journeys/support/touchpoints/ticket-closed", headers=tenant.headers)
    assert answer.json()["quarantine_days"] == 30
    client.patch(
        "/v1/journeys/support/touchpoints/ticket-closed",
        json={"quarantine_days": 7},
        headers=tenant.headers,
    )
    export = client.get("/v1/journeys/support/export", headers=tenant.headers).json()
    assert export["stages"][0]["touchpoints"][0]["quarantine_days"] == 7


def test_quarantine_suppresses_a_second_invitation_at_the_touchpoint(
    db: Database, tenant: Tenant, surveys_ready: None
) -> None:
    workspaces.set_contact_limits(
        db, workspace_id=tenant.id, limits=workspaces.ContactLimits(recontact_days=0)
    )
    _apply(db, tenant, JOURNEY + QUICK_RULE)
    collection.upsert_contact(
        db, workspace_id=tenant.id, data=ContactIn(external_id="C-1", email="ana@example.com")
    )
    clock = FixedClock(START)
    planning = Database(db.engine, clock=clock)  # the same database, on the test's clock
    ticket = EventIn(type="ticket.closed", occurred_at=START, contact_external_id="C-1")
    orchestration.ingest_and_plan(planning, workspace_id=tenant.id, events=[ticket])
    with db.transaction() as session:
        session.execute(update(tables.Invitation).values(state="sent", sent_at=START))
    for days, reason in ((5, "touchpoint_quarantine"), (31, None)):
        moment = clock.advance(days=days)
        event = EventIn(type="ticket.closed", occurred_at=moment, contact_external_id="C-1")
        orchestration.ingest_and_plan(planning, workspace_id=tenant.id, events=[event])
        why = orchestration.invitations_of(db, workspace_id=tenant.id, contact_external_id="C-1")
        assert why[0].reason == reason


def test_the_api_applies_and_exports_rules(
    db: Database, tenant: Tenant, client: TestClient, surveys_ready: None
) -> None:
    body = _load(JOURNEY + RULES).model_dump(mode="json")
    answer = client.put("/v1/journeys/support", json=body, headers=tenant.headers)
    assert answer.status_code == 200
    assert {"kind": "rule", "key": "nps-after-sale", "action": "created"} in answer.json()[
        "changes"
    ]
    export = client.get("/v1/journeys/support/export", headers=tenant.headers).json()
    assert [r["key"] for r in export["rules"]] == ["csat-after-ticket", "nps-after-sale"]
    body["rules"][0]["condition"] = "event. ="
    answer = client.put("/v1/journeys/support", json=body, headers=tenant.headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "rules[0].condition"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_apply_names_the_line_of_a_survey_to_publish(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_load(JOURNEY))
    _survey(db, tenant, "support-csat", "ticket-closed", publish=False)
    _survey(db, tenant, "relationship-nps", "month-one", publish=True)
    path = tmp_path / "support.yaml"
    path.write_text(JOURNEY + RULES)
    assert _cli(capsys, "journey", "validate", str(path))[0] == 0
    code, _, err = _cli(capsys, "journey", "apply", str(path))
    line = (JOURNEY + RULES).splitlines().index("    survey: support-csat") + 1
    assert code == 1
    assert f"line {line}: rules[0].survey: The survey `support-csat` is not published" in err
    assert _rule_keys(db) == []
    _cli(capsys, "survey", "publish", "support-csat")
    code, out, _ = _cli(capsys, "journey", "apply", str(path))
    assert code == 0
    assert "created   rule csat-after-ticket" in out
    code, out, _ = _cli(capsys, "journey", "export", "support")
    assert _load(out).rules is not None
