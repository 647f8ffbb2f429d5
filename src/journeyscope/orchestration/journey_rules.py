"""Trigger rules kept in journey files (journey-as-code), applied with their journey.

A journey file's ``rules:`` list holds the same fields as ``PUT /v1/rules/{key}``. The journey
domain cannot import this one, so it keeps rules as raw mappings; here each is validated as a
:class:`RuleSpec` (:func:`check_journey_rules`, before anything is written) and then written in
the journey's own transaction through :func:`journey.apply_journey`'s hook: a journey and its
rules are applied together or not at all.

A rule belongs to a journey when its survey is asked at one of the journey's touchpoints. That
is how export finds a journey's rules, and why a rule in a file must name such a survey. A rule
whose survey is not published (or archived) is refused unless it says ``enabled: false``: an
enabled one would only store suppressed invitations.
"""

from __future__ import annotations

import datetime as dt
import difflib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from journeyscope import journey
from journeyscope.errors import InvalidInput, Problem, dotted_path, fix_for, problem_text
from journeyscope.journey import (
    ApplyResult,
    Change,
    ChangeAction,
    JourneySpec,
    JourneyView,
    ObjectKind,
    RuleMapping,
)
from journeyscope.orchestration.rules import RuleSpec, SendWindow
from journeyscope.orchestration.service import rule_fields, rule_view
from journeyscope.store import Database, tables

RULES_DOCS = "docs/journey-yaml.md#rules"
_FIRST_FIELDS = ("key", "event_type", "condition", "survey", "channel")
Rule, Survey, Touchpoint, Journey = (
    tables.TriggerRule,
    tables.Survey,
    tables.Touchpoint,
    tables.Journey,
)


# --- checking (no database) ----------------------------------------------------------------------


def check_journey_rules(rules: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Check a journey's raw rules as :class:`RuleSpec`, and that no key is used twice.

    Problems name the field from the journey down (``rules[2].condition``), so the YAML loader
    can add their lines. Nothing is read from the database.
    """
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, raw in enumerate(rules):
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as error:
            problems += [_problem(index, e) for e in error.errors(include_url=False)]
            continue
        seen = first.setdefault(spec.key, index)
        if seen != index:
            problems.append(
                Problem(
                    f"rules[{index}].key",
                    f"Rule key `{spec.key}` is used twice: rules[{seen}] already has it.",
                    "Give every rule its own key; rule keys are unique in the workspace.",
                )
            )
    return problems


def _problem(index: int, error: ErrorDetails) -> Problem:
    """One validation error of rule ``index`` in words, naming its field from the journey."""
    loc = tuple(error["loc"])
    field = dotted_path(("rules", index, *loc))
    if error["type"] == "extra_forbidden" and loc:
        return _unknown_field(field, str(loc[-1]), loc[:-1])
    if error["type"] == "missing" and loc:
        add = f"Add `{loc[-1]}:`; the fields of a rule are described in {RULES_DOCS}."
        return Problem(field, f"The rule has no `{loc[-1]}`.", add)
    special = _FIXES.get(str(loc[0])) if loc and error["type"] == "value_error" else None
    fix = special or fix_for(error, reference=f"See {RULES_DOCS}.")
    return Problem(field, problem_text(error), fix)


_FIXES = {
    "condition": "Write a CEL expression over `event` and `contact`, e.g. "
    '`event.properties.amount > 50 && contact.attributes.segment == "gold"`, or leave it out.',
    "window": 'Give local times as "HH:MM" in quotes, the end after the start, e.g. '
    'start: "09:00" and end: "20:00".',
}


def _unknown_field(field: str, name: str, parent: tuple[Any, ...]) -> Problem:
    model: type[BaseModel] = SendWindow if parent == ("window",) else RuleSpec
    fields = list(model.model_fields)
    allowed = [
        *(n for n in _FIRST_FIELDS if n in fields),
        *(n for n in fields if n not in _FIRST_FIELDS),
    ]
    noun = "send window" if model is SendWindow else "rule"
    listed = f"A {noun} may have: {', '.join(allowed)}."
    guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    fix = f"Did you mean `{guess[0]}`? {listed}" if guess else f"Remove it. {listed}"
    return Problem(field, f"Unknown field `{name}` in this {noun}.", fix)


def _rule_specs(spec: JourneySpec) -> list[RuleSpec]:
    """The journey's rules as specs, or :class:`InvalidInput` listing every problem."""
    problems = check_journey_rules(spec.rules or [])
    if problems:
        count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
        raise InvalidInput(
            f"The journey {spec.key!r} has {count} in its rules; nothing was changed.",
            hint=f"Fix each rule listed; the fields are described in {RULES_DOCS}.",
            problems=problems,
        )
    return [RuleSpec.model_validate(raw) for raw in spec.rules or []]


# --- applying ------------------------------------------------------------------------------------


def apply_journey_with_rules(
    db: Database, *, workspace_id: uuid.UUID, spec: JourneySpec, prune: bool = False
) -> ApplyResult:
    """Apply a journey and its ``rules`` in one transaction (idempotent); see the module.

    With ``rules`` left out (``None``) the journey's rules are not touched. Otherwise rules are
    created or updated by key, and the journey's rules that the spec leaves out are kept and
    reported, or deleted with ``prune``. Every problem is reported before anything is written.
    """
    hook = _hook(workspace_id, spec, prune=prune)
    return journey.apply_journey(
        db, workspace_id=workspace_id, spec=spec, prune=prune, on_applied=hook
    )


def create_journey_with_rules(
    db: Database, *, workspace_id: uuid.UUID, spec: JourneySpec
) -> JourneyView:
    """Create a new journey and its ``rules`` in one transaction; 409 if the key is taken."""
    hook = _hook(workspace_id, spec, prune=False)
    return journey.create_journey(db, workspace_id=workspace_id, spec=spec, on_applied=hook)


def _hook(workspace_id: uuid.UUID, spec: JourneySpec, *, prune: bool) -> _RuleSync | None:
    if spec.rules is None:
        return None
    return _RuleSync(workspace_id, spec.key, _rule_specs(spec), prune)


@dataclass(frozen=True, slots=True)
class _RuleSync:
    """Makes the journey's stored rules match its spec, in the journey's transaction."""

    workspace_id: uuid.UUID
    journey_key: str
    specs: list[RuleSpec]
    prune: bool

    def __call__(self, session: Session, journey_id: uuid.UUID) -> list[Change]:
        points = _touchpoint_ids(session, journey_id)
        found = _surveys(session, self.workspace_id, sorted({s.survey for s in self.specs}))
        rows = _rules(session, self.workspace_id, [s.key for s in self.specs], points)
        owned = {rule.key: rule for rule, point in rows if point in points}
        taken = {rule.key for rule, point in rows if point not in points}
        problems = [
            problem
            for index, spec in enumerate(self.specs)
            for problem in self._problems(index, spec, found.get(spec.survey), taken, points)
        ]
        if problems:
            raise InvalidInput(
                f"The rules of journey {self.journey_key!r} cannot be applied; nothing was "
                "changed.",
                hint="Fix each rule listed, then apply again.",
                problems=problems,
            )
        changes = [
            self._put(session, spec, found[spec.survey].id, owned.pop(spec.key, None))
            for spec in self.specs
        ]
        changes += [self._leftover(session, rule) for rule in sorted(owned.values(), key=_key)]
        session.flush()
        return changes

    def _leftover(self, session: Session, rule: tables.TriggerRule) -> Change:
        """A rule of the journey that the spec leaves out: deleted with prune, else kept."""
        if self.prune:
            session.delete(rule)
        action = ChangeAction.DELETED if self.prune else ChangeAction.KEPT
        return Change(kind=ObjectKind.RULE, key=rule.key, action=action)

    def _problems(
        self,
        index: int,
        spec: RuleSpec,
        survey: Row[Any] | None,
        taken: set[str],
        points: set[uuid.UUID],
    ) -> list[Problem]:
        found = []
        if spec.key in taken:
            found.append(_key_taken(index, spec.key))
        if survey is None:
            found.append(_no_survey(index, spec.survey, self.journey_key))
        elif survey.touchpoint_id not in points:
            found.append(_elsewhere(index, spec.survey, survey.journey_key, self.journey_key))
        elif spec.enabled and (survey.published_version is None or survey.archived_at):
            found.append(_closed(index, spec.survey, archived=survey.archived_at is not None))
        return found

    def _put(
        self,
        session: Session,
        spec: RuleSpec,
        survey_id: uuid.UUID,
        row: tables.TriggerRule | None,
    ) -> Change:
        fields = rule_fields(spec, survey_id)
        if row is None:
            session.add(Rule(workspace_id=self.workspace_id, key=spec.key, **fields))
            return Change(kind=ObjectKind.RULE, key=spec.key, action=ChangeAction.CREATED)
        differs = {name: value for name, value in fields.items() if getattr(row, name) != value}
        for name, value in differs.items():
            setattr(row, name, value)
        action = ChangeAction.UPDATED if differs else ChangeAction.UNCHANGED
        return Change(kind=ObjectKind.RULE, key=spec.key, action=action)


def _key(rule: tables.TriggerRule) -> str:
    return rule.key


def _touchpoint_ids(session: Session, journey_id: uuid.UUID) -> set[uuid.UUID]:
    return set(session.scalars(select(Touchpoint.id).where(Touchpoint.journey_id == journey_id)))


def _surveys(session: Session, workspace_id: uuid.UUID, keys: Sequence[str]) -> dict[str, Any]:
    """The surveys with these keys: touchpoint, the journey it belongs to, published or not."""
    stmt = (
        select(
            Survey.id,
            Survey.key,
            Survey.touchpoint_id,
            Survey.published_version,
            Survey.archived_at,
            Journey.key.label("journey_key"),
        )
        .outerjoin(Touchpoint, Touchpoint.id == Survey.touchpoint_id)
        .outerjoin(Journey, Journey.id == Touchpoint.journey_id)
        .where(Survey.workspace_id == workspace_id, Survey.key.in_(keys))
    )
    return {row.key: row for row in session.execute(stmt)}


def _rules(
    session: Session, workspace_id: uuid.UUID, keys: Sequence[str], points: set[uuid.UUID]
) -> list[tuple[tables.TriggerRule, uuid.UUID | None]]:
    """The rules with these keys and those of the journey, each with its survey's touchpoint."""
    stmt = (
        select(Rule, Survey.touchpoint_id)
        .join(Survey, Survey.id == Rule.survey_id)
        .where(
            Rule.workspace_id == workspace_id,
            or_(Rule.key.in_(keys), Survey.touchpoint_id.in_(points)),
        )
    )
    return [(rule, point) for rule, point in session.execute(stmt)]


def _key_taken(index: int, key: str) -> Problem:
    return Problem(
        f"rules[{index}].key",
        f"A rule `{key}` already exists outside this journey (its survey is not asked at one "
        "of this journey's touchpoints).",
        "Choose another key (rule keys are unique in the workspace), or delete that rule "
        f"first (DELETE /v1/rules/{key}).",
    )


def _no_survey(index: int, key: str, journey_key: str) -> Problem:
    return Problem(
        f"rules[{index}].survey",
        f"There is no survey `{key}` in this workspace.",
        f"Create it at one of this journey's touchpoints (`journeyscope survey create {key} "
        f"--template TEMPLATE --touchpoint {journey_key}/TOUCHPOINT`), publish it, then apply "
        "again.",
    )


def _elsewhere(index: int, key: str, other: str | None, journey_key: str) -> Problem:
    if other:
        where, move = f"a touchpoint of the journey `{other}`", f"the file of journey `{other}`"
    else:
        where, move = "no touchpoint", "the API (PUT /v1/rules/{key})"
    return Problem(
        f"rules[{index}].survey",
        f"The survey `{key}` is asked at {where}, so its rule does not belong to the journey "
        f"`{journey_key}`.",
        f"Keep this rule in {move}, or name a survey asked at one of this journey's touchpoints.",
    )


def _closed(index: int, key: str, *, archived: bool) -> Problem:
    if archived:
        return Problem(
            f"rules[{index}].survey",
            f"The survey `{key}` is archived, so this rule could invite no one.",
            "Name another survey, or add `enabled: false` to keep the rule switched off.",
        )
    return Problem(
        f"rules[{index}].survey",
        f"The survey `{key}` is not published yet, so this rule would only store suppressed "
        "invitations.",
        f"Publish it first (`journeyscope survey publish {key}`), or add `enabled: false` "
        "until it is.",
    )


# --- exporting -----------------------------------------------------------------------------------


def export_journey_with_rules(db: Database, *, workspace_id: uuid.UUID, key: str) -> JourneySpec:
    """The stored journey with its rules, as a spec that applies back unchanged.

    ``rules`` is left out (``None``) when the journey has none.
    """
    spec = journey.export_journey(db, workspace_id=workspace_id, key=key)
    with db.transaction() as session:
        stmt = (
            select(Rule, Survey.key)
            .join(Survey, Survey.id == Rule.survey_id)
            .join(Touchpoint, Touchpoint.id == Survey.touchpoint_id)
            .join(Journey, Journey.id == Touchpoint.journey_id)
            .where(Journey.workspace_id == workspace_id, Journey.key == key)
            .order_by(Rule.key)
        )
        rules = [exported_rule(rule_view(rule, survey)) for rule, survey in session.execute(stmt)]
    return spec.model_copy(update={"rules": rules}) if rules else spec


def exported_rule(rule: RuleSpec) -> RuleMapping:
    """A rule as a journey file writes it: identity first, defaults left out, times as HH:MM."""
    spec = RuleSpec.model_validate(rule.model_dump(include=set(RuleSpec.model_fields)))
    data: dict[str, Any] = spec.model_dump(mode="json", exclude_defaults=True)
    data.update(key=spec.key, event_type=spec.event_type, survey=spec.survey, channel=spec.channel)
    if spec.window is not None:
        data["window"] = {
            "start": _clock_time(spec.window.start),
            "end": _clock_time(spec.window.end),
            "days": [day.value for day in spec.window.days],
        }
    rest = [name for name in RuleSpec.model_fields if name not in (*_FIRST_FIELDS, "enabled")]
    return {name: data[name] for name in (*_FIRST_FIELDS, *rest, "enabled") if name in data}


def _clock_time(value: dt.time) -> str:
    exact = value.second == 0 and value.microsecond == 0
    return value.isoformat(timespec="minutes") if exact else value.isoformat()
