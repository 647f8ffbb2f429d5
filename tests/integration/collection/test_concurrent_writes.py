"""Many clients writing the same things at once: no 5xx, everything stored exactly once.

Each request runs on its own thread with its own pooled connection (the app's sync routes run
in a thread pool), started together behind a barrier, against the real database.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import Tenant
from journeyscope import collection
from journeyscope.collection import ContactIn
from journeyscope.store import Database, tables

CLIENTS = 32


def _all_at_once(send: Callable[[int], httpx.Response], n: int = CLIENTS) -> list[httpx.Response]:
    """Run ``send(i)`` for i in range(n) on n threads released together; their answers."""
    start = threading.Barrier(n)
    answers: list[Any] = [None] * n

    def run(i: int) -> None:
        start.wait()
        try:
            answers[i] = send(i)
        except Exception as exc:  # an exception is an outcome the asserts below report
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _count(db: Database, table: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_concurrent_batches_with_overlapping_keys_store_each_key_once(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    keys = [f"order-{i}" for i in range(200)]
    batches = []
    for i in range(CLIENTS):
        mine = random.Random(i).sample(keys, 150)  # overlapping, each in its own order
        batches.append(
            [
                {
                    "type": "sale.completed",
                    "idempotency_key": key,
                }
                for key in mine
            ]
        )
    answers = _all_at_once(
        lambda i: client.post(
            "/v1/events/batch", headers=tenant.headers, json={"events": batches[i]}
        )
    )
    assert [getattr(a, "status_code", a) for a in answers] == [200] * CLIENTS
    ids_by_key: dict[str, set[str]] = {}
    for batch, answer in zip(batches, answers, strict=True):
        for event, outcome in zip(batch, answer.json()["events"], strict=True):
            ids_by_key.setdefault(event["idempotency_key"], set()).add(outcome["id"])
    assert all(len(ids) == 1 for ids in ids_by_key.values())
    assert sum(a.json()["created"] for a in answers) == len(ids_by_key)
    assert _count(db, tables.Event) == len(ids_by_key)


def test_concurrent_upserts_of_one_new_contact_create_it_once_and_merge_every_attribute(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    answers = _all_at_once(
        lambda i: client.post(
            "/v1/contacts/upsert",
            headers=tenant.headers,
            json={"external_id": "C-1", "name": "Ana", "attributes": {f"from-{i}": i}},
        )
    )
    codes = [getattr(a, "status_code", a) for a in answers]
    assert sorted(codes) == [200] * (CLIENTS - 1) + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert _count(db, tables.Contact) == 1
    stored = client.get(f"/v1/contacts/{answers[0].json()['id']}", headers=tenant.headers).json()
    assert stored["attributes"] == {f"from-{i}": i for i in range(CLIENTS)}


def test_concurrent_bulk_upserts_of_the_same_new_contacts_create_each_once(
    db: Database, tenant: Tenant
) -> None:
    items = [ContactIn(external_id=f"C-{i}") for i in range(100)]
    start = threading.Barrier(8)
    outcomes: list[Any] = []

    def run(order: int) -> None:
        start.wait()
        try:
            mine = items if order % 2 else items[::-1]
            outcomes.append(collection.upsert_contacts(db, workspace_id=tenant.id, items=mine))
        except Exception as exc:  # an exception is an outcome the asserts below report
            outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, collection.BulkUpsertCounts) for o in outcomes), outcomes
    assert sum(o.created for o in outcomes) == 100
    assert _count(db, tables.Contact) == 100
