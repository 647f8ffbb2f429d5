"""Invitation delivery: the dispatcher's emails/s against a raw aiosmtplib loop, and how many
events/s the rule and policy checks keep up with.

Machines are shared and noisy, so each figure comes with a reference measured in the same run:

- **Sending.** ``--invitations`` due invitations sent by ``dispatch_once`` passes (claim,
  re-check policies, build the MIME message, send over 4 reused SMTP sessions, commit outcomes
  in groups) to a local SMTP sink (aiosmtpd on loopback), against raw aiosmtplib loops that send
  the same pre-built messages to the same sink over one reused connection and over 4 (the
  dispatcher's number of sessions): the transport's ceiling, without the database or templates.
- **Rules and policies.** Events stored in-process in batches of 1,000 by the collection
  domain alone (no orchestration: the reference), by ``ingest_and_plan`` with no enabled rule
  (the one indexed rule check per batch), and by ``ingest_and_plan`` with a rule that matches
  every event (a CEL condition, policies read in grouped queries, one invitation written per
  event); plus the pure CEL condition and policy functions on in-memory data.

Run:  .venv/bin/python bench/delivery.py [--invitations 2000] [--events 5000] [--rounds 3]
                                         [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosmtplib
from _harness import (
    DEFAULT_POSTGRES,
    Measure,
    backend_version,
    free_port,
    machine_line,
    postgres_database,
    print_table,
)
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update
from sqlalchemy.engine import URL

from journeyscope import collection, journey, orchestration, surveys
from journeyscope.collection import ContactIn, EventIn
from journeyscope.orchestration import policies, repo, rules
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.orchestration.channels.email_message import MessageBuilder
from journeyscope.orchestration.deliveries import DispatchConfig, build_delivery
from journeyscope.orchestration.dispatcher import dispatch_once
from journeyscope.settings import Settings
from journeyscope.store import Database, make_engine, tables, upgrade
from journeyscope.workspaces import create_workspace

MAIL_FROM = "Acme <feedback@acme.example>"
CONDITION = 'event.properties.amount > 10.0 && event.properties.store != "test"'


class _Counter:
    """aiosmtpd handler that only counts what it accepts."""

    def __init__(self) -> None:
        self.accepted = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.accepted += 1
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, _Counter]]:
    """A counting SMTP server on loopback, in its own thread."""
    handler = _Counter()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


# --- set-up ----------------------------------------------------------------------------------


def fresh_workspace(db: Database) -> uuid.UUID:
    """A workspace with the retail example journey and a published post-purchase survey."""
    space = create_workspace(db, slug=f"bench-{uuid.uuid4().hex[:6]}")
    retail = next(p for p in journey.example_paths() if p.stem == "retail")
    journey.apply_journey(db, workspace_id=space.id, spec=journey.load_journey_file(retail))
    data = surveys.SurveyCreate.model_validate(
        {
            "key": "why-us",
            "name": "Why us",
            "template": "post-purchase-why-us",
            "touchpoint": {"journey_key": "retail", "touchpoint_key": "email-receipt"},
        }
    )
    surveys.create_survey(db, workspace_id=space.id, data=data)
    surveys.publish_survey(db, workspace_id=space.id, key="why-us")
    return space.id


def put_rule(db: Database, workspace_id: uuid.UUID, *, enabled: bool) -> None:
    spec = rules.RuleSpec.model_validate(
        {
            "key": "after-sale",
            "event_type": "sale.completed",
            "condition": CONDITION,
            "survey": "why-us",
            "enabled": enabled,
        }
    )
    orchestration.put_rule(db, workspace_id=workspace_id, spec=spec)


def add_contacts(db: Database, workspace_id: uuid.UUID, count: int, tag: str) -> list[str]:
    ids = [f"{tag}-{i:06d}" for i in range(count)]
    for start in range(0, count, 1000):
        items = [
            ContactIn(external_id=i, email=f"{i.lower()}@example.com", name=f"Customer {i}")
            for i in ids[start : start + 1000]
        ]
        collection.upsert_contacts(db, workspace_id=workspace_id, items=items)
    return ids


def sales(ids: Sequence[str], tag: str) -> list[EventIn]:
    return [
        EventIn(
            type="sale.completed",
            contact_external_id=i,
            properties={"amount": 59.9, "store": "paris-12"},
            idempotency_key=f"{tag}-{i}",
        )
        for i in ids
    ]


def ingest(db: Database, workspace_id: uuid.UUID, events: Sequence[EventIn]) -> float:
    """Seconds to ingest ``events`` through ``ingest_and_plan`` in batches of 1,000."""
    started = time.perf_counter()
    for start in range(0, len(events), 1000):
        orchestration.ingest_and_plan(
            db, workspace_id=workspace_id, events=events[start : start + 1000]
        )
    return time.perf_counter() - started


# --- sending ----------------------------------------------------------------------------------


def plan_due(db: Database, count: int, tag: str) -> uuid.UUID:
    """A fresh workspace with ``count`` invitations due now (one per contact)."""
    workspace_id = fresh_workspace(db)
    put_rule(db, workspace_id, enabled=True)
    ingest(db, workspace_id, sales(add_contacts(db, workspace_id, count, tag), tag))
    return workspace_id


def count_sent(db: Database) -> int:
    with db.transaction() as session:
        stmt = select(func.count()).where(tables.Invitation.state == "sent")
        return int(session.scalar(stmt) or 0)


def dispatcher_seconds(db: Database, settings: Settings, count: int) -> float:
    """Seconds for ``dispatch_once`` passes to send ``count`` due invitations."""
    senders = {"email": EmailSender(settings)}
    config = DispatchConfig(base_url="https://feedback.acme.example", secret_key="bench-key")

    async def drain() -> None:
        while (await dispatch_once(db, senders, config)).claimed:
            pass

    started = time.perf_counter()
    asyncio.run(drain())
    seconds = time.perf_counter() - started
    if count_sent(db) != count:
        raise SystemExit(f"the dispatcher sent {count_sent(db)} of {count}")
    return seconds


def prebuilt_messages(db: Database, count: int) -> list[tuple[str, bytes]]:
    """The MIME messages of ``count`` invitations, built once for the raw loops."""
    builder = MessageBuilder(MAIL_FROM)
    config = DispatchConfig(base_url="https://feedback.acme.example", secret_key="bench-key")
    now = db.clock.now()
    with db.transaction() as session:
        picked = session.execute(
            select(tables.Invitation.id, tables.Invitation.workspace_id).limit(count)
        ).all()
        workspace_id = picked[0].workspace_id
        rows = repo.invitations(session, workspace_id, [row.id for row in picked])
        contacts = repo.contacts(session, workspace_id, [row.contact_id for row in rows])
    survey = surveys.published_by_id(db, workspace_id, rows[0].survey_id)
    messages = []
    for row in rows:
        contact = contacts[row.contact_id] if row.contact_id else None
        assert contact is not None and contact.email
        delivery = build_delivery(row, contact, survey, config=config, sent_at=now, now=now)
        messages.append((contact.email, builder.build(delivery)))
    return messages


def raw_seconds(port: int, messages: Sequence[tuple[str, bytes]], connections: int) -> float:
    """Seconds to send ``messages`` with plain aiosmtplib over ``connections`` reused sessions."""

    async def one(part: Sequence[tuple[str, bytes]]) -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
        await client.connect()
        for address, message in part:
            await client.sendmail("feedback@acme.example", [address], message)
        await client.quit()

    async def run() -> None:
        await asyncio.gather(*(one(messages[i::connections]) for i in range(connections)))

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started


def reset_to_due(db: Database) -> None:
    """Put every invitation back to due, so the next round sends the same ones again."""
    with db.transaction() as session:
        session.execute(
            update(tables.Invitation).values(
                state="scheduled",
                attempts=0,
                sent_at=None,
                message_id=None,
                claimed_until=None,
                due_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            )
        )


def sending(db: Database, backend: str, count: int, rounds: int) -> list[Measure]:
    measures: list[Measure] = []
    plan_due(db, count, "send")
    messages = prebuilt_messages(db, count)
    with smtp_sink() as (port, counter):
        settings = Settings(
            mail={"smtp_host": "127.0.0.1", "smtp_port": port, "from_address": MAIL_FROM}
        )
        for r in range(rounds):
            reset_to_due(db)
            seconds = dispatcher_seconds(db, settings, count)
            measures.append(Measure(backend, "dispatcher (4 sessions)", r, count, seconds))
            for connections in (1, 4):
                path = f"raw aiosmtplib, {connections} session{'s' if connections > 1 else ''}"
                seconds = raw_seconds(port, messages, connections)
                measures.append(Measure(backend, path, r, count, seconds))
        expected = rounds * count * 3
        if counter.accepted != expected:
            raise SystemExit(f"the sink accepted {counter.accepted} messages, not {expected}")
    return measures


# --- rules and policies ----------------------------------------------------------------------


PLAN_PATHS = (
    ("raw: collection.ingest_events, no rule check", None),
    ("ingest_and_plan, no enabled rule", False),
    ("ingest_and_plan, rule matches every event", True),
)


def planning(db: Database, backend: str, count: int, rounds: int) -> list[Measure]:
    """Ingest without the rule check, with it and no enabled rule, and with a matching rule."""
    measures: list[Measure] = []
    for r in range(rounds):
        shift = r % len(PLAN_PATHS)  # each path takes each place in the order in turn
        for path, enabled in PLAN_PATHS[shift:] + PLAN_PATHS[:shift]:
            workspace_id = fresh_workspace(db)
            if enabled is not None:
                put_rule(db, workspace_id, enabled=enabled)
            tag = f"p{r}{path[:3]}"
            events = sales(add_contacts(db, workspace_id, count, tag), tag)
            if enabled is None:
                seconds = ingest_only(db, workspace_id, events)
            else:
                seconds = ingest(db, workspace_id, events)
            measures.append(Measure(backend, path, r, count, seconds))
    return measures


def ingest_only(db: Database, workspace_id: uuid.UUID, events: Sequence[EventIn]) -> float:
    """Seconds to store ``events`` with the collection domain alone (no orchestration)."""
    started = time.perf_counter()
    for start in range(0, len(events), 1000):
        collection.ingest_events(db, workspace_id=workspace_id, events=events[start : start + 1000])
    return time.perf_counter() - started


def pure_checks(count: int) -> float:
    """Events/s through the CEL condition and the policy function alone (no database)."""
    now = dt.datetime.now(dt.UTC)
    limits = policies.Limits(recontact_days=30, cap=3, cap_days=90, quarantine_days=14)
    history = policies.History(True, None, now - dt.timedelta(days=60), None, 1)
    contexts = [
        {
            "event": {
                "type": "sale.completed",
                "properties": {"amount": 10.0 + i % 90, "store": "paris-12"},
            },
            "contact": {"attributes": {"segment": "gold"}},
        }
        for i in range(count)
    ]
    started = time.perf_counter()
    for context in contexts:
        if rules.condition_holds(CONDITION, context):
            policies.refusal(limits, history, now)
    return count / (time.perf_counter() - started)


# --- main ------------------------------------------------------------------------------------


@contextmanager
def database(backend: str, postgres: str, folder: Path) -> Iterator[tuple[Database, URL]]:
    if backend == "sqlite":
        url = URL.create("sqlite", database=str(folder / f"delivery-{uuid.uuid4().hex[:6]}.db"))
        engine = make_engine(url)
        upgrade(engine)
        yield Database(engine), url
        engine.dispose()
        return
    with postgres_database(postgres) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield Database(engine), url
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=2000)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    versions: list[str] = [f"aiosmtplib {aiosmtplib.__version__}"]
    sent: list[Measure] = []
    planned: list[Measure] = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            with database(backend, args.postgres, Path(folder)) as (db, url):
                versions.append(backend_version(url))
                sent += sending(db, backend, args.invitations, args.rounds)
            with database(backend, args.postgres, Path(folder)) as (db, _url):
                planned += planning(db, backend, args.events, args.rounds)
    print(machine_line(versions))
    print(f"\nSending {args.invitations} invitations to a local SMTP sink ({args.rounds} rounds)")
    print_table(sent, "emails")
    print(f"\nIngesting {args.events} events that a rule matches (batches of 1,000)")
    print_table(planned, "events")
    print(f"\nCEL condition + policy function alone: {pure_checks(100_000):,.0f} events/s")


if __name__ == "__main__":
    main()
