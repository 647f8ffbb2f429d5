"""One click from a quote on the map to its source: a survey verbatim opens its response
(answers, channel, touchpoint, times in UTC, the verbatim's emotions), an interview quote opens
the transcript at its turn; both pages are the workspace's own (404 for another's)."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest
from fastapi.testclient import TestClient

from factories import (
    FOUND_IT_SURVEY,
    Tenant,
    make_person,
    make_published_survey,
    make_tenant,
)
from journeyscope import collection, interviews, maps, simulation, verbatims
from journeyscope.clock import FixedClock
from journeyscope.collection import ResponseIn
from journeyscope.interviews import EXAMPLE_INTERVIEW
from journeyscope.store import Database
from journeyscope.workspaces import Role
from signin_support import sign_in_as

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
JOURNEY = {
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
SLOW = ["The queue at the till was far too slow", "I waited ages in the slow queue at the till"]
QUOTE_LINK = re.compile(r'<a class="quote-source" href="([^"]+)">')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _answer(db: Database, tenant: Tenant, note: str) -> uuid.UUID:
    data = ResponseIn.model_validate(
        {
            "id": str(uuid.uuid4()),
            "survey_key": "till",
            "channel": "onsite",
            "answers": {"found": "no", "note": note},
            "complete": True,
        }
    )
    view, _ = collection.submit_response(db, workspace_id=tenant.id, data=data)
    return view.id


@pytest.fixture
def answered(db: Database, tenant: Tenant) -> list[uuid.UUID]:
    """Two clearly negative open answers at the till, analysed: a pain point of 'buy'."""
    make_published_survey(
        db, tenant, key="till", definition=FOUND_IT_SURVEY, journey_spec=JOURNEY,
        touchpoint_key="till",
    )  # fmt: skip
    ids = [_answer(db, tenant, note) for note in SLOW]
    assert verbatims.analyse_queued(db).analysed == 2
    return ids


def test_a_verbatim_example_and_its_map_quote_carry_the_response_id(
    db: Database, tenant: Tenant, answered: list[uuid.UUID]
) -> None:
    summary = verbatims.verbatim_summary(db, workspace_id=tenant.id, journey_key="retail")
    examples = [e for t in summary.groups[0].themes for e in t.examples]
    assert {e.response_id for e in examples} == set(answered)
    found = maps.journey_map(db, workspace_id=tenant.id, journey_key="retail")
    quotes = [q for e in found.stages[0].evidence for q in e.quotes]
    assert quotes and {q.response_id for q in quotes} <= set(answered)


def test_a_verbatim_quote_opens_its_response_with_its_emotions(
    client: TestClient, db: Database, tenant: Tenant, answered: list[uuid.UUID]
) -> None:
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get("/app/journeys/retail/map")
    assert page.status_code == 200, page.text
    links = QUOTE_LINK.findall(page.text)
    assert links and all(link.startswith("/app/responses/") for link in links)
    opened = client.get(links[0])
    assert opened.status_code == 200, opened.text
    response_id = uuid.UUID(links[0].rsplit("/", 1)[1])
    record = collection.response_record(db, workspace_id=tenant.id, response_id=response_id)
    text = html.unescape(opened.text)
    assert record.response.answers["note"] in text
    assert 'id="channel">onsite<' in text and "Till" in text and "(till" in text
    assert "2026-12-01 09:00 UTC" in text
    [verbatim] = record.verbatims
    assert verbatim.status == "analysed" and verbatim.valence is not None
    assert verbatim.valence < 0
    for label, _ in verbatim.emotions:
        assert label in text
    assert opened.headers["content-security-policy"]


def test_another_workspace_gets_404_for_a_response(
    client: TestClient, db: Database, tenant: Tenant, answered: list[uuid.UUID]
) -> None:
    other = make_tenant(db, slug="other")
    sign_in_as(client, make_person(db, other, Role.OWNER))
    assert client.get(f"/app/responses/{answered[0]}").status_code == 404
    assert client.get(f"/app/responses/{uuid.uuid4()}").status_code == 404
    client.cookies.clear()
    signed_out = client.get(f"/app/responses/{answered[0]}", follow_redirects=False)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]


def test_an_interview_quote_opens_the_transcript_at_its_turn(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    simulation.simulate(
        db, workspace_id=tenant.id, start=START.date() - dt.timedelta(days=1), days=1, seed=1,
        responses_per_day=1,
        journey_key="saas-app",
    )  # fmt: skip
    uploaded = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": (EXAMPLE_INTERVIEW.name, EXAMPLE_INTERVIEW.read_bytes(), "text/vtt")},
        data={"journey": "saas-app", "participant": "P01"},
    )
    assert uploaded.status_code == 202, uploaded.text
    assert interviews.analyse_queued(db).analysed == 1
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get("/app/journeys/saas-app/map")
    links = [link for link in QUOTE_LINK.findall(page.text) if "/app/interviews/" in link]
    assert links, "the example interview has findings with quotes"
    path, turn = links[0].split("#")
    opened = client.get(path)
    assert opened.status_code == 200, opened.text
    interview_id = uuid.UUID(path.rsplit("/", 1)[1])
    stored = interviews.get_interview(db, workspace_id=tenant.id, interview_id=interview_id)
    position = int(turn.removeprefix("turn-"))
    found = re.search(rf'<li id="{turn}"[^>]*>(.*?)</li>', opened.text, re.S)
    assert found, opened.text
    assert html.escape(stored.utterances[position].text, quote=False) in found[1]
    assert opened.text.count('class="turn ') == len(stored.utterances)
    other = make_tenant(db, slug="other")
    client.cookies.clear()
    sign_in_as(client, make_person(db, other, Role.OWNER))
    assert client.get(path).status_code == 404
