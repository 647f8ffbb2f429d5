"""The kiosk page ``/k/{touchpoint public id}``, its service worker and its answer endpoint."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import VISIT_SURVEY, Tenant, make_published_survey
from journeyscope import journey, surveys
from journeyscope.clock import SYSTEM_CLOCK, FixedClock
from journeyscope.store import Database, tables

EVIL = "</script><script>alert(1)</script>"
SMILEY_SURVEY: dict[str, Any] = surveys.get_template("kiosk-smiley-csat").definition.model_dump(
    mode="json", exclude_none=True
)


def _kiosk_id(db: Database, tenant: Tenant) -> str:
    point = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="till")
    return point.public_id


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="kiosk-config">(.*?)</script>', html)
    assert found is not None
    loaded: dict[str, Any] = json.loads(found.group(1))
    return loaded


def _count_responses(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(tables.Response)) or 0)


@pytest.fixture
def clock() -> FixedClock:
    """The database's and the app's time: now, fixed, moved by the tests that need it."""
    return FixedClock(SYSTEM_CLOCK.now())


@pytest.fixture
def kiosk(db: Database, tenant: Tenant) -> str:
    make_published_survey(db, tenant, definition=SMILEY_SURVEY)
    return _kiosk_id(db, tenant)


def test_kiosk_page_embeds_the_localized_survey(client: TestClient, kiosk: str) -> None:
    page = client.get(f"/k/{kiosk}?lang=fr-CA&reset=3")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<html lang="fr">' in page.text
    config = _config(page.text)
    assert config["lang"] == "fr"
    assert config["reset_seconds"] == 3
    assert config["texts"]["send"] == "Envoyer"
    question = config["survey"]["pages"][0]["questions"][0]
    assert (question["style"], question["low"], question["high"]) == ("smileys", 1, 5)
    assert question["text"] == "Comment était votre visite ?"
    assert config["post_url"].startswith(f"/k/{kiosk}/responses?survey=")


def test_kiosk_page_falls_back_to_the_survey_language(client: TestClient, kiosk: str) -> None:
    page = client.get(f"/k/{kiosk}?lang=de&reset=oops")
    config = _config(page.text)
    assert config["lang"] == "en"
    assert config["reset_seconds"] == 5
    assert '<script src="/static/kiosk/kiosk.js?v=' in page.text


def test_kiosk_page_escapes_user_text(client: TestClient, db: Database, tenant: Tenant) -> None:
    make_published_survey(db, tenant, definition={**VISIT_SURVEY, "title": EVIL})
    page = client.get(f"/k/{_kiosk_id(db, tenant)}")
    assert page.status_code == 200
    assert EVIL not in page.text
    assert "<script>alert(1)" not in page.text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page.text  # <title> and <h1>
    assert _config(page.text)["survey"]["title"] == EVIL


def test_unknown_touchpoint_is_a_friendly_html_404(client: TestClient) -> None:
    page = client.get("/k/nosuchkioskatall?lang=fr")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "est pas ouverte" in page.text


def test_touchpoint_without_a_published_survey_is_404(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant, touchpoint_key=None)
    journey.apply_journey(
        db,
        workspace_id=tenant.id,
        spec=journey.JourneySpec.model_validate(
            {
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
        ),
    )
    page = client.get(f"/k/{_kiosk_id(db, tenant)}")
    assert page.status_code == 404
    assert "This kiosk is not open" in page.text


def test_service_worker_may_control_kiosk_pages(client: TestClient) -> None:
    script = client.get("/k/sw.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["service-worker-allowed"] == "/k/"
    assert 'addEventListener("fetch"' in script.text


def test_kiosk_assets_are_served(client: TestClient) -> None:
    assert client.get("/static/kiosk/flow.js").status_code == 200
    assert client.get("/static/kiosk/kiosk.js").status_code == 200
    assert client.get("/static/kiosk/kiosk.css").status_code == 200


def test_the_kiosk_page_carries_the_flow_and_the_shared_faces(
    client: TestClient, kiosk: str
) -> None:
    page = client.get(f"/k/{kiosk}").text
    flow = page.index('<script src="/static/kiosk/flow.js?v=')
    assert flow < page.index('<script src="/static/kiosk/kiosk.js?v=')  # kiosk.js uses it
    faces = page[page.index('<template id="kiosk-faces">') :]
    assert faces.count('<svg class="smiley-face"') == 5


def _answer(response_id: uuid.UUID, score: int = 4) -> dict[str, Any]:
    return {
        "id": str(response_id),
        "answers": {"csat": score},
        "complete": True,
        "locale": "en",
        "device_class": "kiosk",
    }


def test_kiosk_answer_is_stored_once_when_resent(
    client: TestClient, db: Database, kiosk: str
) -> None:
    body = _answer(uuid.uuid4())
    first = client.post(f"/k/{kiosk}/responses", json=body)
    assert first.status_code == 201
    assert first.json()["is_complete"] is True
    assert first.json()["channel"] == "onsite"
    again = client.post(f"/k/{kiosk}/responses", json=body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert _count_responses(db) == 1
    with db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
        assert row.device_class == "kiosk"
        assert row.touchpoint_id is not None


def test_a_kiosk_response_never_completes_before_it_started(
    client: TestClient, db: Database, kiosk: str, clock: FixedClock
) -> None:
    response_id = uuid.uuid4()
    first_page = _answer(response_id) | {"answers": {}, "complete": False}
    assert client.post(f"/k/{kiosk}/responses", json=first_page).status_code == 201
    started = clock.now()
    clock.current = started - dt.timedelta(minutes=5)  # the last page reaches a server behind
    done = client.post(f"/k/{kiosk}/responses", json=_answer(response_id))
    assert done.status_code == 200, done.text
    with db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
    assert row.started_at == started
    assert row.completed_at == row.updated_at == started  # not 5 minutes before it started
    assert dt.datetime.fromisoformat(done.json()["completed_at"]) == started


def test_kiosk_answer_pinned_to_the_version_shown(
    client: TestClient, db: Database, tenant: Tenant, kiosk: str
) -> None:
    config = _config(client.get(f"/k/{kiosk}").text)
    draft = surveys.SurveyDefinition.model_validate({**SMILEY_SURVEY, "title": "Changed"})
    surveys.replace_draft(db, workspace_id=tenant.id, key="visit", definition=draft)
    surveys.publish_survey(db, workspace_id=tenant.id, key="visit")
    stored = client.post(config["post_url"], json=_answer(uuid.uuid4()))
    assert stored.status_code == 201
    assert stored.json()["version"] == 1
    with db.transaction() as session:
        kept = session.execute(
            select(tables.Response.client_id, tables.SurveyVersion.number).join(
                tables.SurveyVersion, tables.SurveyVersion.id == tables.Response.survey_version_id
            )
        ).one()
    assert (str(kept[0]), kept[1]) == (stored.json()["id"], 1)  # not the version 2 published


def test_kiosk_answer_for_a_future_version_is_404(
    client: TestClient, db: Database, kiosk: str
) -> None:
    reply = client.post(f"/k/{kiosk}/responses?version=99", json=_answer(uuid.uuid4()))
    assert reply.status_code == 404
    assert _count_responses(db) == 0


def test_bad_kiosk_answers_are_422(client: TestClient, db: Database, kiosk: str) -> None:
    reply = client.post(f"/k/{kiosk}/responses", json=_answer(uuid.uuid4(), score=9))
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["errors"][0]["field"] == "answers.csat"
    assert _count_responses(db) == 0


def test_kiosk_answer_to_an_unknown_touchpoint_is_404(client: TestClient, db: Database) -> None:
    reply = client.post("/k/nosuchkioskatall/responses", json=_answer(uuid.uuid4()))
    assert reply.status_code == 404
    assert _count_responses(db) == 0


def test_kiosk_pages_refuse_framing(client: TestClient, kiosk: str) -> None:
    for page in (client.get(f"/k/{kiosk}"), client.get("/k/nosuchkioskatall")):
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "connect-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
    assert client.get(f"/k/{kiosk}").headers["cache-control"] == "no-cache"


def test_kiosk_words_come_from_the_shared_ui_text(client: TestClient, kiosk: str) -> None:
    texts = _config(client.get(f"/k/{kiosk}?lang=fr").text)["texts"]
    assert texts["answer_please"] == "Merci de répondre à cette question."
    assert [texts[f"smiley_{n}"] for n in (1, 5)] == ["Très mécontent", "Très content"]
    assert texts["waiting_many"] == "{n} réponses en attente d'envoi"


def test_the_kiosk_404_page_speaks_the_browsers_language(client: TestClient) -> None:
    page = client.get("/k/nosuchkioskatall", headers={"accept-language": "es;q=0.5, de"})
    assert '<html lang="de">' in page.text
    assert "Dieses Terminal ist nicht geöffnet" in page.text


def test_a_kiosk_answer_cannot_name_a_contact(client: TestClient, db: Database, kiosk: str) -> None:
    body = {**_answer(uuid.uuid4()), "contact_external_id": "someone-else"}
    reply = client.post(f"/k/{kiosk}/responses", json=body)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "contact_external_id"
    assert _count_responses(db) == 0
