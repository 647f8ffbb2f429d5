"""`POST /v1/surveys/{key}/invitations`: personal links with their email snippet."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Tenant, make_published_survey
from journeyscope import collection, surveys
from journeyscope.collection import ContactIn
from journeyscope.store import Database, tables
from journeyscope.surveys import SurveyCreate


@pytest.fixture
def visit(db: Database, tenant: Tenant) -> surveys.PublishedSurvey:
    return make_published_survey(db, tenant)


def create(client: TestClient, tenant: Tenant, key: str = "visit", **body: Any) -> Any:
    return client.post(f"/v1/surveys/{key}/invitations", json=body, headers=tenant.headers)


def test_invitation_returns_a_working_personal_link_and_snippet(
    client: TestClient, db: Database, tenant: Tenant, visit: surveys.PublishedSurvey
) -> None:
    made = create(client, tenant, expires_in_days=7)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["url"] == f"http://127.0.0.1:8000/i/{body['token']}"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=6) < expires - db.clock.now() <= dt.timedelta(days=7)
    links = re.findall(r'href="([^"]+)"', body["email_html"])
    assert links == [f"{body['url']}?nps={score}" for score in range(11)]
    assert "Recommend us?" in body["email_text"] and body["url"] in body["email_text"]
    page = client.get(body["url"].removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "Recommend us?" in page.text
    invitation = collection.read_invitation(body["token"], "test-secret-key", now=db.clock.now())
    assert invitation.channel.value == "email" and invitation.contact_id is None


def test_invitation_for_a_contact_uses_their_language(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    definition = {
        "title": "Visit",
        "languages": ["fr"],
        "pages": [
            {
                "id": "p",
                "questions": [
                    {
                        "id": "plan",
                        "type": "single_choice",
                        "text": {"en": "Plan?", "fr": "Offre ?"},
                        "choices": [{"id": "a", "label": "A"}],
                    },
                ],
            }
        ],
    }
    make_published_survey(db, tenant, key="plan", definition=definition)
    contact = collection.create_contact(
        db, workspace_id=tenant.id, data=ContactIn(external_id="C-1", locale="fr-CA")
    )
    made = create(client, tenant, key="plan", contact_external_id="C-1", channel="sms")
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["lang"] == "fr"
    assert "Commencer le questionnaire" in body["email_html"]
    assert body["email_html"].count("<a ") == 1
    invitation = collection.read_invitation(body["token"], "test-secret-key", now=db.clock.now())
    assert invitation.contact_id == contact.id and invitation.channel.value == "sms"


def test_unknown_or_unpublished_survey_is_404(
    client: TestClient, db: Database, tenant: Tenant, visit: surveys.PublishedSurvey
) -> None:
    assert create(client, tenant, key="nope").status_code == 404
    surveys.create_survey(
        db,
        workspace_id=tenant.id,
        data=SurveyCreate(key="draft", name="Draft", template="relationship-nps"),
    )
    assert create(client, tenant, key="draft").status_code == 404


def test_unknown_contact_is_404_naming_the_field(
    client: TestClient, tenant: Tenant, visit: surveys.PublishedSurvey
) -> None:
    made = create(client, tenant, contact_external_id="ghost")
    assert made.status_code == 404
    assert made.headers["content-type"].startswith("application/problem+json")
    assert made.json()["errors"][0]["field"] == "contact_external_id"


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in_days": 0},
        {"expires_in_days": 366},
        {"channel": "fax"},
        {"lang": "not a language"},
        {"surprise": True},
    ],
)
def test_bad_input_is_422(
    client: TestClient, tenant: Tenant, visit: surveys.PublishedSurvey, body: dict[str, Any]
) -> None:
    assert create(client, tenant, **body).status_code == 422


def test_invitations_need_an_api_key(
    client: TestClient, db: Database, visit: surveys.PublishedSurvey
) -> None:
    assert client.post("/v1/surveys/visit/invitations", json={}).status_code == 401
    with db.transaction() as session:
        assert session.scalars(select(tables.Invitation)).first() is None


def test_invitation_route_is_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/v1/openapi.json").json()
    operation = schema["paths"]["/v1/surveys/{survey_key}/invitations"]["post"]
    assert "201" in operation["responses"]
    assert "InvitationOut" in str(operation["responses"]["201"])
