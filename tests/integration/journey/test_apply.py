from __future__ import annotations

import pytest

from factories import Tenant
from journeyscope import journey
from journeyscope.errors import InvalidInput
from journeyscope.journey import ChangeAction, JourneySpec
from journeyscope.store import Database


def _spec(**changes: object) -> JourneySpec:
    data = {
        "key": "retail",
        "name": "Retail",
        "stages": [
            {
                "key": "discover",
                "name": "Discover",
                "customer_actions": ["Sees an ad"],
                "touchpoints": [{"key": "site", "name": "Website", "channel": "website"}],
            },
            {
                "key": "buy",
                "name": "Buy",
                "touchpoints": [
                    {"key": "till", "name": "Till", "channel": "onsite"},
                    {"key": "receipt", "name": "Receipt", "channel": "email"},
                ],
            },
        ],
    }
    data.update(changes)
    return JourneySpec.model_validate(data)


def test_apply_twice_changes_nothing_the_second_time(db: Database, tenant: Tenant) -> None:
    first = journey.apply_journey(db, workspace_id=tenant.id, spec=_spec())
    second = journey.apply_journey(db, workspace_id=tenant.id, spec=_spec())
    assert first.count(ChangeAction.CREATED) == 6
    assert second.changed is False
    assert second.count(ChangeAction.UNCHANGED) == 6


def test_apply_updates_only_what_differs(db: Database, tenant: Tenant) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_spec())
    renamed = _spec(name="Retail stores")
    result = journey.apply_journey(db, workspace_id=tenant.id, spec=renamed)
    assert [(c.kind.value, c.key) for c in result.changes if c.action is ChangeAction.UPDATED] == [
        ("journey", "retail")
    ]


def test_missing_objects_are_kept_without_prune_and_deleted_with_it(
    db: Database, tenant: Tenant
) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_spec())
    smaller = _spec(
        stages=[
            {
                "key": "buy",
                "name": "Buy",
                "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
            }
        ]
    )
    kept = journey.apply_journey(db, workspace_id=tenant.id, spec=smaller)
    assert {c.key for c in kept.changes if c.action is ChangeAction.KEPT} == {
        "discover",
        "site",
        "receipt",
    }
    assert len(journey.get_journey(db, workspace_id=tenant.id, key="retail").stages) == 2
    pruned = journey.apply_journey(db, workspace_id=tenant.id, spec=smaller, prune=True)
    assert {c.key for c in pruned.changes if c.action is ChangeAction.DELETED} == {
        "discover",
        "site",
        "receipt",
    }
    view = journey.get_journey(db, workspace_id=tenant.id, key="retail")
    assert [(s.key, [t.key for t in s.touchpoints]) for s in view.stages] == [("buy", ["till"])]


def test_export_then_apply_round_trips(db: Database, tenant: Tenant) -> None:
    assert len(journey.example_paths()) == 4
    for path in journey.example_paths():
        spec = journey.load_journey_file(path)
        journey.apply_journey(db, workspace_id=tenant.id, spec=spec)
        exported = journey.export_journey(db, workspace_id=tenant.id, key=spec.key)
        assert exported == spec
        again = journey.load_journey_yaml(journey.dump_journey_yaml(exported))
        assert journey.apply_journey(db, workspace_id=tenant.id, spec=again).changed is False


def test_touchpoint_moved_between_stages_keeps_its_identity(db: Database, tenant: Tenant) -> None:
    journey.apply_journey(db, workspace_id=tenant.id, spec=_spec())
    before = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="receipt")
    moved = _spec(
        stages=[
            {
                "key": "discover",
                "name": "Discover",
                "customer_actions": ["Sees an ad"],
                "touchpoints": [
                    {"key": "site", "name": "Website", "channel": "website"},
                    {"key": "receipt", "name": "Receipt", "channel": "email"},
                ],
            },
            {
                "key": "buy",
                "name": "Buy",
                "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
            },
        ]
    )
    journey.apply_journey(db, workspace_id=tenant.id, spec=moved)
    after = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="receipt")
    assert (after.id, after.stage_key, after.position) == (before.id, "discover", 1)


def test_duplicate_keys_are_refused_before_touching_the_database(
    db: Database, tenant: Tenant
) -> None:
    twice = _spec(stages=[{"key": "buy", "name": "A"}, {"key": "buy", "name": "B"}])
    with pytest.raises(InvalidInput) as caught:
        journey.apply_journey(db, workspace_id=tenant.id, spec=twice)
    assert caught.value.problems[0].field == "stages[1].key"
    assert journey.list_journeys(db, workspace_id=tenant.id).items == []
