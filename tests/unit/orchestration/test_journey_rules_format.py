"""Journey YAML with `quarantine_days` and `rules:`: read, checked and written back (no DB)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from journeyscope.errors import InvalidInput
from journeyscope.journey import dump_journey_yaml, load_journey_yaml
from journeyscope.orchestration import RuleSpec, check_journey_rules
from journeyscope.orchestration.journey_rules import exported_rule

TEXT = dedent("""\
    key: support
    name: Support
    stages:
      - key: help
        name: Help
        touchpoints:
          - key: ticket-closed
            name: Ticket closed
            channel: email
            quarantine_days: 30

    rules:
      - key: csat-after-ticket
        event_type: ticket.closed
        survey: support-csat
        channel: email
        delay_minutes: 60
        window:
          start: "09:00"
          end: "20:00"
          days: [mon, tue, wed, thu, fri, sat]
    """)


def test_dump_writes_quarantine_and_rules_back_as_they_were_written() -> None:
    spec = load_journey_yaml(TEXT, check_rules=check_journey_rules)
    assert dump_journey_yaml(spec) == TEXT


def test_an_exported_rule_names_its_identity_first_and_leaves_defaults_out() -> None:
    spec = load_journey_yaml(TEXT)
    rule = RuleSpec.model_validate((spec.rules or [])[0])
    assert exported_rule(rule) == (spec.rules or [])[0]


def test_rules_are_only_checked_for_shape_without_a_rule_check() -> None:
    text = TEXT.replace("event_type: ticket.closed", "event_typo: ticket.closed")
    assert load_journey_yaml(text).rules is not None
    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml(text, check_rules=check_journey_rules)
    [problem] = [p for p in caught.value.problems if p.field == "rules[0].event_typo"]
    assert problem.line == 14
    assert "Did you mean `event_type`?" in (problem.fix or "")


def test_a_negative_quarantine_is_refused_at_its_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml(TEXT.replace("quarantine_days: 30", "quarantine_days: -1"))
    [problem] = caught.value.problems
    assert (problem.field, problem.line) == ("stages[0].touchpoints[0].quarantine_days", 10)


def test_a_rule_key_used_twice_is_reported_once() -> None:
    rule = {"key": "r", "event_type": "e", "survey": "s"}
    problems = check_journey_rules([rule, rule])
    assert [(p.field, "used twice" in p.problem) for p in problems] == [("rules[1].key", True)]
