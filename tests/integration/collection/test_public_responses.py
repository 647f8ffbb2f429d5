"""The public response path: survey from a public id, resends, races, tenants, contacts."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from factories import Tenant, make_published_survey, make_tenant
from journeyscope import collection, surveys
from journeyscope.collection import PublicResponseIn
from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.journey.models import Channel
from journeyscope.store import Database, tables


def _stored(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(tables.Response)) or 0)


def _answer(response_id: uuid.UUID, **fields: object) -> PublicResponseIn:
    return PublicResponseIn.model_validate({"id": str(response_id), **fields})


def test_a_public_link_finds_its_survey_and_stores_the_response_at_its_touchpoint(
    db: Database, tenant: Tenant
) -> None:
    published = make_published_survey(db, tenant)
    found = surveys.published_by_public_id(db, published.public_id)
    response_id = uuid.uuid4()
    view, created = collection.submit_public(
        db, found, _answer(response_id, answers={"nps": 10}, complete=True), channel=Channel.ONSITE
    )
    assert created and view.is_complete and view.answers == {"nps": 10}
    with db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
        assert (row.workspace_id, row.touchpoint_id, row.channel) == (
            tenant.id,
            published.touchpoint_id,
            "onsite",
        )


def test_an_unknown_or_unpublished_public_id_is_not_found(db: Database, tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        surveys.published_by_public_id(db, "no-such-survey00")
    published = make_published_survey(db, tenant)
    with db.transaction() as session:
        row = session.get(tables.Survey, published.survey_id)
        assert row is not None
        row.published_version = None
    with pytest.raises(NotFound):
        surveys.published_by_public_id(db, published.public_id)


def test_a_survey_of_one_workspace_is_not_found_through_another(db: Database) -> None:
    acme, globex = make_tenant(db, "acme"), make_tenant(db, "globex")
    published = make_published_survey(db, acme)
    with pytest.raises(NotFound):
        surveys.published_by_id(db, globex.id, published.survey_id)


def test_an_id_already_used_for_another_survey_is_a_conflict(db: Database, tenant: Tenant) -> None:
    first = make_published_survey(db, tenant, key="visit")
    second = make_published_survey(db, tenant, key="other")
    response_id = uuid.uuid4()
    collection.submit_public(db, first, _answer(response_id), channel=Channel.WEBSITE)
    with pytest.raises(Conflict) as caught:
        collection.submit_public(
            db, second, _answer(response_id, answers={"nps": 3}), channel=Channel.WEBSITE
        )
    assert caught.value.field == "id"
    assert _stored(db) == 1


def test_bad_answers_store_nothing(db: Database, tenant: Tenant) -> None:
    published = make_published_survey(db, tenant)
    with pytest.raises(InvalidInput) as caught:
        collection.submit_public(
            db, published, _answer(uuid.uuid4(), answers={"nps": 11}), channel=Channel.WEBSITE
        )
    assert [p.field for p in caught.value.problems] == ["answers.nps"]
    assert _stored(db) == 0


def test_a_claimed_contact_is_linked_when_known_and_ignored_when_not(
    db: Database, tenant: Tenant
) -> None:
    published = make_published_survey(db, tenant)
    contact = collection.upsert_contact(
        db, workspace_id=tenant.id, data=collection.ContactIn(external_id="c-1")
    )
    known, unknown = uuid.uuid4(), uuid.uuid4()
    collection.submit_public(
        db, published, _answer(known, contact_external_id="c-1"), channel=Channel.WEBSITE
    )
    collection.submit_public(
        db, published, _answer(unknown, contact_external_id="nobody"), channel=Channel.WEBSITE
    )
    with db.transaction() as session:
        linked = dict(
            session.execute(select(tables.Response.client_id, tables.Response.contact_id)).all()
        )
        contacts = session.scalar(select(func.count()).select_from(tables.Contact))
    assert linked == {known: contact.contact.id, unknown: None}
    assert contacts == 1


def test_racing_first_saves_of_one_response_store_one_row(db: Database, tenant: Tenant) -> None:
    published = make_published_survey(db, tenant)
    response_id = uuid.uuid4()
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def save(score: int) -> None:
        start.wait()
        try:
            outcomes.append(
                collection.submit_public(
                    db,
                    published,
                    _answer(response_id, answers={"nps": score}),
                    channel=Channel.WEBSITE,
                )[1]
            )
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save, args=(score,)) for score in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(outcome, bool) for outcome in outcomes), outcomes
    assert _stored(db) == 1
