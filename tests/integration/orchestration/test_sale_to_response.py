"""The whole loop, with real parts: a sale posted to the API becomes, with no other action, an
email at the right time (real SMTP server on loopback) whose one-click score lands as a
response, and whose one-click unsubscribe works (RFC 8058)."""

from __future__ import annotations

import asyncio
import html
import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Tenant, make_published_survey
from journeyscope import collection
from journeyscope.clock import FixedClock
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.orchestration.dispatcher import DispatchConfig, dispatch_once
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from smtp_sink import SmtpSink

RULE = {
    "key": "after-sale",
    "event_type": "sale.completed",
    "survey": "visit",
    "channel": "email",
    "delay_minutes": 60,
}


def _html_part(message) -> str:  # type: ignore[no-untyped-def]
    part = message.get_body(preferencelist=("html",))
    return str(part.get_content())


def test_a_sale_becomes_an_email_whose_score_link_records_the_answer(
    client: TestClient, db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)  # "visit": NPS first
    headers = tenant.headers
    assert client.put("/v1/rules/after-sale", json=RULE, headers=headers).status_code == 201
    customer = {"external_id": "C-1042", "email": "ana@example.com", "name": "Ana"}
    client.post("/v1/contacts/upsert", json=customer, headers=headers)
    sale = {"type": "sale.completed", "contact_external_id": "C-1042", "idempotency_key": "A-981"}
    assert client.post("/v1/events", json=sale, headers=headers).status_code == 201

    with SmtpSink() as sink:
        smtp = settings.updated(mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port})
        senders = {"email": EmailSender(smtp)}
        config = DispatchConfig(base_url="http://testserver", secret_key="test-secret-key")
        clock.advance(minutes=59)
        assert asyncio.run(dispatch_once(db, senders, config)).claimed == 0  # not yet
        clock.advance(minutes=2)
        report = asyncio.run(dispatch_once(db, senders, config))
        assert report.outcomes == {"sent": 1}
        [message] = sink.messages

    assert message["To"] == "Ana <ana@example.com>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with db.transaction() as session:
        invitation = session.scalars(select(tables.Invitation)).one()
    assert (invitation.state, invitation.message_id) == ("sent", message["Message-ID"])

    links = re.findall(r'href="([^"]+)"', _html_part(message))
    nine = html.unescape(next(link for link in links if "nps=9" in link))
    parts = urlsplit(nine)
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    assert re.search(r'value="9"[^>]*checked', page.text)  # selected, editable, saved by script
    form = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))
    saved = client.post(parts.path, data={**form, "_action": "save", "nps": "9"})
    assert saved.status_code == 200 and re.search(r'value="9"[^>]*checked', saved.text)

    token = parts.path.removeprefix("/i/")
    read = collection.read_invitation(token, "test-secret-key", now=clock.now())
    stored = collection.find_response(db, workspace_id=tenant.id, response_id=read.response_id)
    assert stored is not None and stored.answers == {"nps": 9} and stored.channel == "email"

    unsubscribe = message["List-Unsubscribe"].strip("<>")
    one_click = client.post(
        urlsplit(unsubscribe).path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200
    with db.transaction() as session:
        status = session.scalars(select(tables.ContactChannel.status)).one()
    assert status == "unsubscribed"
