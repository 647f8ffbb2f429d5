"""Phone survey webhooks driven like the provider drives them: signed form posts, TwiML back."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from factories import Tenant, make_published_survey, tampered
from journeyscope import collection, surveys
from journeyscope.clock import SYSTEM_CLOCK
from journeyscope.journey.models import Channel
from journeyscope.orchestration.channels.signatures import compute_signature
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from journeyscope.surveys import PublishedSurvey
from journeyscope.web.app import create_app

SECRET = "test-secret-key"  # the `settings` fixture's
AUTH = "provider-auth-token"
BASE = "https://feedback.example.com"  # what the provider calls; the app sits behind a proxy
PHONE_SURVEY: dict[str, Any] = {
    "title": {"en": "After your call", "fr": "Après votre appel"},
    "languages": ["fr"],
    "pages": [
        {
            "id": "score",
            "questions": [
                {
                    "id": "nps",
                    "type": "nps",
                    "required": True,
                    "text": {"en": "Would you recommend us?", "fr": "Nous recommanderiez-vous ?"},
                },
                {"id": "why", "type": "open_text", "text": "Why?"},
            ],
        },
        {"id": "more", "questions": [{"id": "csat", "type": "csat", "text": "Satisfied?"}]},
    ],
}


@pytest.fixture
def phone_client(settings: Settings, db: Database) -> Iterator[TestClient]:
    configured = settings.updated(sms={"auth_token": SecretStr(AUTH)}, web={"base_url": BASE})
    with TestClient(create_app(configured, db=db)) as test_client:
        yield test_client


@pytest.fixture
def survey(db: Database, tenant: Tenant) -> PublishedSurvey:
    return make_published_survey(db, tenant, definition=PHONE_SURVEY)


def invite(survey: PublishedSurvey, **overrides: Any) -> tuple[collection.Invitation, str]:
    overrides = {"now": SYSTEM_CLOCK.now(), **overrides}  # the clock of the test's db and app
    invitation = collection.new_invitation(
        workspace_id=survey.workspace_id,
        survey_id=survey.survey_id,
        channel=Channel.CALL_CENTER,
        **overrides,
    )
    return invitation, collection.sign_invitation(invitation, SECRET)


def provider_post(
    client: TestClient, url: str, *, digits: str | None = None, signature: str | None = None
) -> httpx.Response:
    """POST ``url`` (absolute, as the provider knows it) the way Twilio does, signed."""
    form = {
        "AccountSid": "AC0123",
        "CallSid": "CA0123",
        "From": "+33100000000",
        "To": "+33612345678",
        "CallStatus": "in-progress",
        "Direction": "outbound-api",
    }
    if digits is not None:
        form["Digits"] = digits
    signed = signature if signature is not None else compute_signature(AUTH, url, form.items())
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.post(path, data=form, headers={"X-Twilio-Signature": signed})


def twiml(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    return ET.fromstring(response.text)  # noqa: S314 - our own output


def action(root: ET.Element) -> str:
    gather = root.find("Gather")
    assert gather is not None, ET.tostring(root)
    return gather.attrib["action"]


def spoken(root: ET.Element) -> list[str]:
    return [say.text or "" for say in root.iter("Say")]


def stored(db: Database, invitation: collection.Invitation) -> collection.ResponseView | None:
    return collection.find_response(
        db, workspace_id=invitation.workspace_id, response_id=invitation.response_id
    )


def test_a_call_answers_every_scored_question_and_completes_the_response(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert spoken(first)[0] == "Would you recommend us?"
    assert first.find("Gather").attrib["numDigits"] == "2"  # type: ignore[union-attr]
    assert action(first) == f"{BASE}/ivr/{token}/answer/nps?attempt=1&lang=en"

    second = twiml(provider_post(phone_client, action(first), digits="9"))
    assert spoken(second)[0] == "Satisfied?"  # "Why?" (open text) is skipped on the phone
    partial = stored(db, invitation)
    assert partial is not None and partial.answers == {"nps": 9} and not partial.is_complete

    last = twiml(provider_post(phone_client, action(second), digits="4"))
    assert [child.tag for child in last] == ["Say", "Say", "Hangup"]
    done = stored(db, invitation)
    assert done is not None and done.is_complete
    assert done.answers == {"nps": 9, "csat": 4}
    assert done.channel == Channel.CALL_CENTER
    facts = collection.metric_facts(
        db, workspace_id=invitation.workspace_id, response_id=invitation.response_id
    )
    assert sorted((f["question_id"], f["value"]) for f in facts) == [("csat", 4), ("nps", 9)]


def test_a_forged_signature_is_refused_and_nothing_is_stored(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    url = f"{BASE}/ivr/{token}/answer/nps?attempt=1&lang=en"
    forged = compute_signature("someone-elses-token", url, [("Digits", "0")])
    response = provider_post(phone_client, url, digits="0", signature=forged)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert stored(db, invitation) is None


def test_a_missing_signature_is_refused(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    response = phone_client.post(f"/ivr/{token}/start", data={"CallSid": "CA1"})
    assert response.status_code == 403
    url = f"/ivr/{token}/answer/nps?attempt=1&lang=en"
    answer = phone_client.post(url, data={"CallSid": "CA1", "Digits": "9"})
    assert answer.status_code == 403
    assert stored(db, invitation) is None


def test_a_signature_over_the_internal_url_is_refused_behind_a_proxy(
    phone_client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    internal = f"http://testserver/ivr/{token}/start"
    response = provider_post(phone_client, internal)
    assert response.status_code == 403


def test_webhooks_refuse_everything_without_an_auth_token(
    client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    response = provider_post(client, f"http://127.0.0.1:8000/ivr/{token}/start")
    assert response.status_code == 403


def test_invalid_digits_are_asked_again_then_skipped(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    again = twiml(provider_post(phone_client, action(first), digits="42"))
    assert spoken(again)[:2] == ["Sorry, that is not a valid answer.", "Would you recommend us?"]
    assert action(again).endswith("/answer/nps?attempt=2&lang=en")
    assert stored(db, invitation) is None
    skipped = twiml(provider_post(phone_client, action(again)))  # silence: no Digits at all
    assert spoken(skipped)[0] == "Satisfied?"


def test_a_redirect_without_key_presses_asks_again(
    phone_client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert first.findtext("Redirect") == action(first)
    again = twiml(provider_post(phone_client, first.findtext("Redirect") or ""))
    assert action(again).endswith("attempt=2&lang=en")


@pytest.mark.parametrize("broken", ["expired", "tampered"])
def test_a_broken_invitation_gets_a_polite_goodbye(
    phone_client: TestClient, survey: PublishedSurvey, broken: str
) -> None:
    if broken == "expired":
        _, token = invite(survey, lifetime=dt.timedelta(seconds=-1))
    else:
        token = tampered(invite(survey)[1])
    root = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert "no longer available" in spoken(root)[0]


def test_a_completed_response_is_not_asked_again(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    data = collection.PublicResponseIn(
        id=invitation.response_id, answers={"nps": 10, "csat": 5}, complete=True
    )
    collection.submit_public(db, survey, data, channel=Channel.EMAIL)
    root = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/answer/nps", digits="0"))
    assert "already answered" in spoken(root)[0]
    assert stored(db, invitation).answers == {"nps": 10, "csat": 5}  # type: ignore[union-attr]


def test_a_french_call_speaks_french_with_a_french_voice(
    phone_client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    root = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start?lang=fr"))
    says = list(root.iter("Say"))
    assert says[0].text == "Nous recommanderiez-vous ?"
    assert {say.attrib["language"] for say in says} == {"fr-FR"}
    assert action(root).endswith("lang=fr")


def test_webhooks_stay_out_of_the_openapi_document(phone_client: TestClient) -> None:
    paths = phone_client.get("/v1/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/ivr")]


def test_a_call_resumed_after_a_republish_asks_the_version_it_started(
    phone_client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    provider_post(phone_client, action(first), digits="9")  # then the call drops
    changed = {
        **PHONE_SURVEY,
        "pages": [
            PHONE_SURVEY["pages"][0],
            {"id": "more", "questions": [{"id": "ease", "type": "ces", "text": "Easy?"}]},
        ],
    }
    draft = surveys.SurveyDefinition.model_validate(changed)
    surveys.replace_draft(db, workspace_id=tenant.id, key="visit", definition=draft)
    surveys.publish_survey(db, workspace_id=tenant.id, key="visit")
    again = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert spoken(again)[0] == "Satisfied?"
    provider_post(phone_client, action(again), digits="4")
    done = stored(db, invitation)
    assert done is not None and done.is_complete and done.version == 1
    assert done.answers == {"nps": 9, "csat": 4}


def test_a_call_whose_id_holds_another_surveys_response_reads_none_of_it(
    phone_client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    other = make_published_survey(db, tenant, key="other", touchpoint_key=None)
    invitation, token = invite(survey)
    data = collection.PublicResponseIn(id=invitation.response_id, answers={"nps": 6})
    collection.submit_public(db, other, data, channel=Channel.WEBSITE)
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert spoken(first)[0] == "Would you recommend us?"  # nothing of the other survey
    second = twiml(provider_post(phone_client, action(first), digits="9"))  # no 500
    assert spoken(second)[0] == "Satisfied?"
    kept = collection.find_response(db, workspace_id=tenant.id, response_id=invitation.response_id)
    assert kept is not None and kept.survey_key == "other" and kept.answers == {"nps": 6}


def test_the_calls_invitation_moves_to_started_then_completed(
    phone_client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    now = db.clock.now()
    with db.transaction() as session:
        row = tables.Invitation(
            workspace_id=survey.workspace_id,
            survey_id=survey.survey_id,
            channel="call_center",
            state="sent",
            nonce=invitation.nonce,
            due_at=now,
            expires_at=now + dt.timedelta(days=1),
            sent_at=now,
        )
        session.add(row)
        session.flush()
        row_id = row.id

    def state() -> str:
        with db.transaction() as session:
            found = session.get(tables.Invitation, row_id)
            assert found is not None
            return found.state

    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    assert state() == "sent"  # a call that answers nothing yet has not started the survey
    second = twiml(provider_post(phone_client, action(first), digits="9"))
    assert state() == "started"
    provider_post(phone_client, action(second), digits="4")
    assert state() == "completed"


def test_a_phone_link_made_by_hand_is_counted_in_the_funnel_once_answered(
    phone_client: TestClient, tenant: Tenant, survey: PublishedSurvey
) -> None:
    made = phone_client.post(
        "/v1/surveys/visit/invitations", json={"channel": "call_center"}, headers=tenant.headers
    )
    token = made.json()["token"]
    first = twiml(provider_post(phone_client, f"{BASE}/ivr/{token}/start"))
    second = twiml(provider_post(phone_client, action(first), digits="9"))
    provider_post(phone_client, action(second), digits="4")
    funnel = phone_client.get("/v1/invitations/funnel", headers=tenant.headers).json()
    [group] = funnel["groups"]
    steps = ("planned", "sent", "opened", "started", "completed")
    assert group["channel"] == "call_center"
    assert [group[step] for step in steps] == [1, 1, 1, 1, 1]
