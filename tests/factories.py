"""Factories: objects for tests, made through the real services."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine import URL

from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.store import Database, make_engine
from journeyscope.surveys import (
    PublishedSurvey,
    SurveyCreate,
    TouchpointRef,
    create_survey,
    get_survey,
    publish_survey,
    published_by_id,
)
from journeyscope.workspaces import Role, add_user, create_workspace, issue_key


@dataclass(frozen=True)
class Tenant:
    """A workspace with an API key, and the headers that authenticate as it."""

    id: uuid.UUID
    slug: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


_CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def legacy_key_hash(token: str) -> str:
    """An argon2 hash of ``token`` as keys made before HMAC were stored, with minimal cost.

    argon2 verifies with the parameters written in the hash, so the server's own check stays
    as it is in production and costs microseconds here (the default parameters cost ~330 ms
    and 64 MiB per hash).
    """
    return _CHEAP_ARGON2.hash(token)


def make_tenant(db: Database, slug: str = "acme") -> Tenant:
    """Create a workspace and key."""
    space = create_workspace(db, slug=slug)
    issued = issue_key(db, workspace_id=space.id, name="test")
    return Tenant(id=space.id, slug=space.slug, token=issued.token)


PASSWORD = "correct horse battery staple"
"""The password of every person :func:`make_person` creates."""


@dataclass(frozen=True)
class Person:
    """A person of a workspace who can sign in with :data:`PASSWORD`."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    email: str
    role: Role
    password: str = PASSWORD


def make_person(db: Database, tenant: Tenant, role: Role, email: str | None = None) -> Person:
    """A person of ``tenant``'s workspace with ``role`` and a password of their own."""
    address = email or f"{role.value}@{tenant.slug}.example"
    added = add_user(db, workspace_id=tenant.id, email=address, role=role, password=PASSWORD)
    return Person(id=added.user.id, workspace_id=tenant.id, email=address, role=role)


@contextmanager
def empty_postgres_database(server: URL, suffix: str) -> Iterator[URL]:
    """A new empty database next to the session's one, dropped afterwards."""
    name = f"{server.database}_{suffix}"
    admin = make_engine(server)

    def run(sql: str) -> None:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(sql))

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name)
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# A survey asked at the till: NPS first, promoters (9-10) skip "What went wrong?".
VISIT_SURVEY: dict[str, Any] = {
    "title": "After your visit",
    "pages": [
        {
            "id": "score",
            "questions": [{"id": "nps", "type": "nps", "text": "Recommend us?", "required": True}],
            "branches": [{"if": {"question": "nps", "op": "gte", "value": 9}, "goto": "end"}],
        },
        {
            "id": "why",
            "questions": [
                {"id": "wrong", "type": "open_text", "text": "What went wrong?", "required": True},
                {"id": "ease", "type": "ces", "text": "How easy was it?"},
            ],
        },
    ],
}
# One page that may lead to a second: "No", or anything typed in the note, shows it. Its
# button must say Next/Send (Submit) as the answers make the path go on or end, on every door.
FOUND_IT_SURVEY: dict[str, Any] = {
    "title": "Did you find it?",
    "pages": [
        {
            "id": "found",
            "questions": [
                {
                    "id": "found",
                    "type": "single_choice",
                    "text": "Did you find what you needed?",
                    "required": True,
                    "choices": [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}],
                },
                {"id": "note", "type": "open_text", "text": "Anything to add?", "multiline": False},
            ],
        },
        {
            "id": "more",
            "show_if": {
                "any": [
                    {"question": "found", "op": "eq", "value": "no"},
                    {"question": "note", "op": "answered"},
                ]
            },
            "questions": [{"id": "more", "type": "open_text", "text": "Tell us more"}],
        },
    ],
}
RETAIL_JOURNEY: dict[str, Any] = {
    "key": "retail",
    "name": "Retail",
    "stages": [
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
        }
    ],
}


def make_published_survey(
    db: Database,
    tenant: Tenant,
    *,
    key: str = "visit",
    definition: dict[str, Any] | None = None,
    journey_spec: dict[str, Any] | None = None,
    touchpoint_key: str | None = "till",
    targeting: dict[str, Any] | None = None,
) -> PublishedSurvey:
    """Apply a journey (RETAIL_JOURNEY by default), create a survey at one of its touchpoints
    (``None``: at none) and publish it; returns what the public doors see."""
    spec = journey_spec or RETAIL_JOURNEY
    apply_journey(db, workspace_id=tenant.id, spec=JourneySpec.model_validate(spec))
    touchpoint = (
        TouchpointRef(journey_key=spec["key"], touchpoint_key=touchpoint_key)
        if touchpoint_key
        else None
    )
    create_survey(
        db,
        workspace_id=tenant.id,
        data=SurveyCreate.model_validate(
            {
                "key": key,
                "name": key.title(),
                "definition": definition or VISIT_SURVEY,
                "touchpoint": touchpoint,
                "targeting": targeting or {},
            }
        ),
    )
    publish_survey(db, workspace_id=tenant.id, key=key)
    return published_by_id(db, tenant.id, get_survey(db, workspace_id=tenant.id, key=key).id)


def tampered(token: str) -> str:
    """``token`` with one signature character changed in all of its bits that count.

    Changing the last characters is not enough: the last one carries only 4 bits of the
    signature, so ``x`` → ``y`` (both ``1100..``) would leave the token valid.
    """
    return token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
