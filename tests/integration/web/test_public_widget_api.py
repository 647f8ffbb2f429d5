"""The widget and native-app API: eligibility, displays, dismissals, answers, CORS, settings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from factories import VISIT_SURVEY, Tenant, make_published_survey, make_tenant
from journeyscope.store import Database, tables

WEB_JOURNEY: dict[str, Any] = {
    "key": "web",
    "name": "Web shop",
    "stages": [
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "checkout", "name": "Checkout", "channel": "website"}],
        }
    ],
}
BILINGUAL = {
    **VISIT_SURVEY,
    "title": {"en": "After your visit", "fr": "Après votre visite"},
    "languages": ["fr"],
}
ON_CHECKOUT = {"enabled": True, "url_patterns": ["*/checkout/*"], "delay_seconds": 3}
ON_ORDER = {"enabled": True, "events": ["order.placed"]}
CHECKOUT_URL = "https://shop.example/checkout/done"


def _web_survey(db: Database, tenant: Tenant, key: str = "visit", **kw: Any) -> Any:
    kw.setdefault("targeting", ON_CHECKOUT)
    return make_published_survey(
        db, tenant, key=key, journey_spec=WEB_JOURNEY, touchpoint_key="checkout", **kw
    )


def _eligibility(client: TestClient, slug: str = "acme", **body: Any) -> Any:
    body.setdefault("visitor", str(uuid.uuid4()))
    return client.post(f"/v1/public/workspaces/{slug}/eligibility", json=body)


def _display(client: TestClient, visitor: str, survey: str, **more: Any) -> Any:
    body = {"visitor": visitor, "survey": survey, **more}
    return client.post("/v1/public/workspaces/acme/displays", json=body)


def test_a_page_view_on_a_targeted_url_gets_the_survey_in_the_visitors_language(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant, definition=BILINGUAL)
    answer = _eligibility(client, url=CHECKOUT_URL, lang="fr-CA")
    assert answer.status_code == 200
    survey = answer.json()["survey"]
    assert (survey["public_id"], survey["version"]) == (published.public_id, 1)
    assert (survey["lang"], survey["delay_seconds"]) == ("fr", 3)
    assert survey["definition"]["title"] == "Après votre visite"
    branch = survey["definition"]["pages"][0]["branches"][0]
    assert branch["if"] == {"question": "nps", "op": "gte", "value": 9}


def test_a_page_view_elsewhere_gets_no_survey(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    _web_survey(db, tenant)
    answer = _eligibility(client, url="https://shop.example/cart")
    assert answer.status_code == 200
    assert answer.json() == {"survey": None}


def test_an_event_survey_answers_its_event_only(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    _web_survey(db, tenant, targeting=ON_ORDER)
    assert _eligibility(client, url=CHECKOUT_URL).json()["survey"] is None
    assert _eligibility(client, event="cart.viewed").json()["survey"] is None
    assert _eligibility(client, event="order.placed").json()["survey"]["key"] == "visit"


def test_a_shown_survey_is_not_offered_again(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant)
    visitor = str(uuid.uuid4())
    shown = _display(client, visitor, published.public_id)
    assert shown.status_code == 201
    assert shown.json()["survey"] == published.public_id
    assert _eligibility(client, visitor=visitor, url=CHECKOUT_URL).json()["survey"] is None
    assert _eligibility(client, url=CHECKOUT_URL).json()["survey"] is not None  # others still


def test_the_recontact_period_spans_surveys_and_follows_the_workspace_setting(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    first = _web_survey(db, tenant, key="first", targeting={**ON_ORDER, "show_once": True})
    _web_survey(db, tenant, key="second")
    visitor = str(uuid.uuid4())
    assert _display(client, visitor, first.public_id).status_code == 201
    assert _eligibility(client, visitor=visitor, url=CHECKOUT_URL).json()["survey"] is None
    patch = client.patch("/v1/workspace", headers=tenant.headers, json={"recontact_days": 0})
    assert patch.json() == {
        "slug": "acme",
        "name": "acme",
        "recontact_days": 0,
        "invitation_cap": 4,
        "invitation_cap_days": 90,
        "segments": [],
    }
    offered = _eligibility(client, visitor=visitor, url=CHECKOUT_URL).json()["survey"]
    assert offered["key"] == "second"


def test_an_identified_contact_is_recognised_on_another_device(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant)
    phone = {"visitor": str(uuid.uuid4()), "contact_external_id": "C-7"}
    assert _display(client, survey=published.public_id, **phone).status_code == 201
    laptop = {"visitor": str(uuid.uuid4()), "contact_external_id": "C-7"}
    assert _eligibility(client, url=CHECKOUT_URL, **laptop).json()["survey"] is None


def test_a_dismissal_is_recorded_once_and_hides_the_survey(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant, targeting={**ON_CHECKOUT, "show_once": False})
    client.patch("/v1/workspace", headers=tenant.headers, json={"recontact_days": 0})
    visitor = str(uuid.uuid4())
    display_id = _display(client, visitor, published.public_id).json()["id"]
    assert _eligibility(client, visitor=visitor, url=CHECKOUT_URL).json()["survey"] is not None
    path = f"/v1/public/workspaces/acme/displays/{display_id}/dismiss"
    first, again = client.post(path), client.post(path)
    assert first.status_code == again.status_code == 200
    assert first.json()["dismissed_at"] is not None
    assert again.json()["dismissed_at"] == first.json()["dismissed_at"]
    assert _eligibility(client, visitor=visitor, url=CHECKOUT_URL).json()["survey"] is None


def test_answers_are_stored_at_the_touchpoint_and_mark_the_display(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant)
    display_id = _display(client, str(uuid.uuid4()), published.public_id).json()["id"]
    body = {
        "id": str(uuid.uuid4()),
        "answers": {"nps": 10},
        "complete": True,
        "channel": "in_app",
        "display_id": display_id,
        "app_screen": "OrderDone",
    }
    path = f"/v1/public/surveys/{published.public_id}/responses"
    created, resent = client.post(path, json=body), client.post(path, json=body)
    assert (created.status_code, resent.status_code) == (201, 200)
    assert created.json()["is_complete"] and created.json()["channel"] == "in_app"
    with db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
        assert (row.touchpoint_id, row.app_screen) == (published.touchpoint_id, "OrderDone")
        display = session.get(tables.SurveyDisplay, uuid.UUID(display_id))
        assert display is not None and display.responded_at is not None


def test_bad_answers_are_422_naming_the_answer(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    published = _web_survey(db, tenant)
    body = {"id": str(uuid.uuid4()), "answers": {"nps": 11}}
    answer = client.post(f"/v1/public/surveys/{published.public_id}/responses", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "answers.nps"


@pytest.fixture
def other(db: Database) -> Tenant:
    return make_tenant(db, "globex")


def test_another_workspaces_display_is_404(
    client: TestClient, db: Database, tenant: Tenant, other: Tenant
) -> None:
    theirs = _web_survey(db, other, key="theirs")
    ours = _web_survey(db, tenant)
    body = {"visitor": str(uuid.uuid4()), "survey": theirs.public_id}
    display = client.post("/v1/public/workspaces/globex/displays", json=body).json()["id"]
    assert client.post(f"/v1/public/workspaces/acme/displays/{display}/dismiss").status_code == 404
    answer = {"id": str(uuid.uuid4()), "answers": {"nps": 3}, "display_id": display}
    posted = client.post(f"/v1/public/surveys/{ours.public_id}/responses", json=answer)
    assert posted.status_code == 404
    assert _display(client, str(uuid.uuid4()), theirs.public_id).status_code == 404
    with db.transaction() as session:
        assert session.scalars(select(tables.Response)).first() is None


def test_unknown_workspaces_surveys_and_displays_are_404(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    _web_survey(db, tenant)
    assert _eligibility(client, slug="nobody", url=CHECKOUT_URL).status_code == 404
    assert _display(client, str(uuid.uuid4()), "nosuchsurvey").status_code == 404
    dismiss = f"/v1/public/workspaces/acme/displays/{uuid.uuid4()}/dismiss"
    assert client.post(dismiss).status_code == 404
    answer = {"id": str(uuid.uuid4()), "answers": {}}
    assert client.post("/v1/public/surveys/nosuchsurvey/responses", json=answer).status_code == 404
    with db.transaction() as session:
        assert session.scalars(select(tables.SurveyDisplay)).first() is None
        assert session.scalars(select(tables.Response)).first() is None


@pytest.mark.parametrize(
    "body",
    [
        {"visitor": "not-a-uuid"},
        {"visitor": str(uuid.uuid4()), "channel": "email"},
        {"visitor": str(uuid.uuid4()), "event": "has spaces"},
        {"visitor": str(uuid.uuid4()), "surprise": 1},
        {},
    ],
)
def test_bad_eligibility_bodies_are_422(
    client: TestClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    answer = client.post("/v1/public/workspaces/acme/eligibility", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_preflights_allow_any_origin_without_credentials(client: TestClient) -> None:
    preflight = client.options(
        "/v1/public/workspaces/acme/eligibility",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"].lower() == "content-type"
    assert "access-control-allow-credentials" not in preflight.headers


def test_public_answers_and_errors_carry_cors_but_the_private_api_does_not(
    client: TestClient, tenant: Tenant
) -> None:
    origin = {"Origin": "https://shop.example"}
    ok = client.post("/v1/public/workspaces/acme/eligibility", headers=origin, json={})
    assert ok.headers["access-control-allow-origin"] == "*"
    private = client.get("/v1/workspace", headers={**origin, **tenant.headers})
    assert "access-control-allow-origin" not in private.headers


@pytest.fixture
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def test_eligibility_reads_a_few_rows_whatever_the_number_of_surveys(
    client: TestClient, db: Database, tenant: Tenant, statements: list[str]
) -> None:
    for n in range(6):
        _web_survey(db, tenant, key=f"s{n}", targeting={**ON_ORDER, "sampling_percent": 0})
    statements.clear()
    assert _eligibility(client, url=CHECKOUT_URL).json()["survey"] is None  # no survey fits
    page_view = len(statements)
    statements.clear()
    assert _eligibility(client, event="order.placed").json()["survey"] is None  # sampled out
    assert (page_view, len(statements)) == (1, 2)


def test_the_workspace_settings_are_read_and_checked(client: TestClient, tenant: Tenant) -> None:
    got = client.get("/v1/workspace", headers=tenant.headers)
    assert got.json() == {
        "slug": "acme",
        "name": "acme",
        "recontact_days": 14,
        "invitation_cap": 4,
        "invitation_cap_days": 90,
        "segments": [],
    }
    too_long = client.patch("/v1/workspace", headers=tenant.headers, json={"recontact_days": 366})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "recontact_days"
    # Found in review: an empty PATCH was refused as "Field required".
    same = client.patch("/v1/workspace", headers=tenant.headers, json={})
    assert same.status_code == 200 and same.json() == got.json()
    capped = {"invitation_cap": 2, "invitation_cap_days": 30}
    changed = client.patch("/v1/workspace", headers=tenant.headers, json=capped).json()
    assert (
        changed["invitation_cap"],
        changed["invitation_cap_days"],
        changed["recontact_days"],
    ) == (
        2,
        30,
        14,
    )
    assert client.get("/v1/workspace").status_code == 401


def test_targeting_is_set_through_the_api(client: TestClient, db: Database, tenant: Tenant) -> None:
    _web_survey(db, tenant, targeting={"enabled": False})
    assert _eligibility(client, url=CHECKOUT_URL).json()["survey"] is None
    put = client.put("/v1/surveys/visit/targeting", headers=tenant.headers, json=ON_CHECKOUT)
    assert put.status_code == 200
    assert put.json()["targeting"]["url_patterns"] == ["*/checkout/*"]
    assert _eligibility(client, url=CHECKOUT_URL).json()["survey"]["key"] == "visit"
    bad = client.put("/v1/surveys/visit/targeting", headers=tenant.headers, json={"bogus": 1})
    assert bad.status_code == 422


def _sent_invitation(db: Database, tenant: Tenant, external_id: str, days_ago: float) -> None:
    """An invitation sent by email to the contact ``days_ago`` (as the dispatcher records it)."""
    now = db.clock.now()
    with db.transaction() as session:
        survey_id = session.scalars(select(tables.Survey.id)).first()
        contact = tables.Contact(workspace_id=tenant.id, external_id=external_id, email="a@b.c")
        session.add(contact)
        session.flush()
        sent = now - dt.timedelta(days=days_ago)
        session.add(
            tables.Invitation(
                workspace_id=tenant.id, survey_id=survey_id, contact_id=contact.id,
                channel="email", state="sent", due_at=sent, expires_at=sent, sent_at=sent,
            )
        )  # fmt: skip


def test_a_contact_emailed_recently_is_not_shown_the_widget(
    client: TestClient, db: Database, tenant: Tenant, statements: list[str]
) -> None:
    _web_survey(db, tenant)
    _sent_invitation(db, tenant, "C-9", days_ago=1)
    identified = {"visitor": str(uuid.uuid4()), "contact_external_id": "C-9"}
    statements.clear()
    assert _eligibility(client, url=CHECKOUT_URL, **identified).json()["survey"] is None
    assert len(statements) == 2  # the invitations are read in the same history statement
    anonymous = _eligibility(client, url=CHECKOUT_URL).json()["survey"]
    assert anonymous is not None  # the same page still asks everyone else


def test_an_invitation_long_ago_neither_blocks_nor_counts_as_shown(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    _web_survey(db, tenant, targeting={**ON_CHECKOUT, "show_once": True})
    _sent_invitation(db, tenant, "C-9", days_ago=30)
    identified = {"visitor": str(uuid.uuid4()), "contact_external_id": "C-9"}
    assert _eligibility(client, url=CHECKOUT_URL, **identified).json()["survey"] is not None
