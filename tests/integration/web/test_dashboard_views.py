"""The dashboard's interview views and read-only views: interviews, a transcript, its coaching
report, a journey, surveys with their preview, trigger rules and channels. Each page shows
what the domain holds (names, counts, figures), escapes it, and shows nothing of another
workspace (404 for its ids)."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import FOUND_IT_SURVEY, Tenant, make_person, make_published_survey, make_tenant
from journeyscope import collection, interviews, journey, orchestration, surveys, workspaces
from journeyscope.interviews import EXAMPLE_INTERVIEW, FindingKind, InterviewImport
from journeyscope.journey import example_paths, load_journey_file
from journeyscope.store import Database, tables
from journeyscope.web.pages import interview_pages
from journeyscope.workspaces import Role
from signin_support import sign_in_as

TITLE = "Onboarding <b>call</b> & more"
SHOP = {
    "key": "retail",
    "name": "Retail <i>shop</i>",
    "stages": [
        {
            "key": "browse",
            "name": "Browse",
            "customer_actions": ["looks for a product"],
            "touchpoints": [{"key": "web", "name": "Web shop", "channel": "website"}],
        },
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
        },
    ],
}


@dataclass(frozen=True)
class Workspace:
    """A workspace with a journey, a published survey, a rule and an analysed interview."""

    tenant: Tenant
    interview_id: uuid.UUID


def _fill(db: Database, tenant: Tenant) -> Workspace:
    make_published_survey(
        db, tenant, key="till", definition=FOUND_IT_SURVEY, journey_spec=SHOP, touchpoint_key="till"
    )
    saas = next(p for p in example_paths() if p.stem == "saas-app")
    journey.apply_journey(db, workspace_id=tenant.id, spec=load_journey_file(saas))
    rule = orchestration.RuleSpec.model_validate(
        {
            "key": "after-visit",
            "event_type": "visit.ended",
            "condition": "event.properties.amount > 50",
            "survey": "till",
            "delay_minutes": 60,
        }
    )
    orchestration.put_rule(db, workspace_id=tenant.id, spec=rule)
    options = InterviewImport(
        filename=EXAMPLE_INTERVIEW.name, journey_key="saas-app", participant="P01", title=TITLE
    )
    made = interviews.import_interview(
        db, workspace_id=tenant.id, source=EXAMPLE_INTERVIEW.read_bytes(), options=options
    )
    assert interviews.analyse_queued(db).analysed == 1
    return Workspace(tenant, made.id)


@pytest.fixture
def acme(db: Database, tenant: Tenant) -> Workspace:
    return _fill(db, tenant)


def _text(page_html: str) -> str:
    """The page's text: tags out, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def test_the_interviews_list_shows_each_interview_with_its_status_stages_and_findings(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get("/app/interviews")
    assert page.status_code == 200, page.text
    assert html.escape(TITLE) in page.text and TITLE not in page.text
    detail = interviews.get_interview(
        db, workspace_id=acme.tenant.id, interview_id=acme.interview_id
    )
    row = _text(re.search(r"<tbody>(.*?)</tbody>", page.text, re.S)[1])  # type: ignore[index]
    assert f"{len(detail.findings)} findings in {len(detail.utterances)} turns" in row
    assert "analysed" in row and "P01" in row
    stages = interviews.interview_stages(
        db, workspace_id=acme.tenant.id, interview_ids=[acme.interview_id]
    )[acme.interview_id]
    assert stages and ", ".join(stages) in row
    assert f"{detail.imported_at:%Y-%m-%d %H:%M} UTC" in row
    assert f'href="/app/interviews/{acme.interview_id}"' in page.text
    assert '<a href="/app/interviews">Interviews</a>' in page.text  # in the navigation


def test_the_interviews_list_is_newest_first_and_pages_back_in_time(
    client: TestClient, db: Database, acme: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in (1, 2):
        options = InterviewImport(filename="x.txt", title=f"Later interview {n}")
        interviews.import_interview(
            db,
            workspace_id=acme.tenant.id,
            source="Interviewer: Hi?\nCustomer: Fine.\n",
            options=options,
            analyze=False,
        )
    monkeypatch.setattr(interview_pages, "PAGE_SIZE", 2)
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    first = client.get("/app/interviews")
    titles = re.findall(r'<a href="/app/interviews/[^"]+">([^<]+)</a>', first.text)
    assert titles == ["Later interview 2", "Later interview 1"]
    assert "imported" in _text(first.text)
    older = re.search(r'href="(/app/interviews\?cursor=[^"]+)"', first.text)
    assert older, first.text
    second = client.get(html.unescape(older[1]))
    titles = re.findall(r'<a href="/app/interviews/[^"]+">([^<]+)</a>', second.text)
    assert [html.unescape(t) for t in titles] == [TITLE]
    assert "cursor=" not in second.text


def test_the_transcript_marks_played_down_turns_with_their_probes_and_emotions(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get(f"/app/interviews/{acme.interview_id}")
    assert page.status_code == 200, page.text
    detail = interviews.get_interview(
        db, workspace_id=acme.tenant.id, interview_id=acme.interview_id
    )
    turns = dict(re.findall(r'<li id="turn-(\d+)"[^>]*>(.*?)\n</li>', page.text, re.S))
    assert len(turns) == len(detail.utterances)
    played_down = [u for u in detail.utterances if u.annotation and u.annotation.minimization]
    assert played_down, "the example interview has played-down feedback"
    probes = {
        q.position: f.follow_ups
        for f in detail.findings
        if f.kind is FindingKind.PROBE
        for q in f.quotes
    }
    for turn in played_down:
        shown = _text(turns[str(turn.position)])
        minimization = turn.annotation.minimization  # type: ignore[union-attr]
        assert f"Played down: “{minimization.concern.text}”" in " ".join(shown.split())
        for probe in probes[turn.position]:
            assert " ".join(probe.split()) in shown
    for turn in detail.utterances:
        if turn.annotation and turn.annotation.emotions:
            shown = _text(turns[str(turn.position)])
            for label, intensity in turn.annotation.emotions.items():
                assert f"{label} {intensity * 100:.0f}%" in shown  # in words, not colour only


def test_the_transcript_lists_findings_by_kind_linking_to_their_turns(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get(f"/app/interviews/{acme.interview_id}")
    detail = interviews.get_interview(
        db, workspace_id=acme.tenant.id, interview_id=acme.interview_id
    )
    for kind, name in interview_pages.KIND_NAMES.items():
        listed = [f for f in detail.findings if f.kind is kind]
        assert f'<h3 id="kind-{kind.value}">{name} <span class="muted">({len(listed)})' in page.text
        for finding in listed:
            assert html.escape(finding.summary, quote=False) in page.text
            for quote in finding.quotes:
                assert f'<a href="#turn-{quote.position}" class="quote-link">' in page.text
    assert any(f.kind is not FindingKind.PROBE for f in detail.findings)
    assert f'href="/app/interviews/{acme.interview_id}/coaching"' in page.text


def test_the_coaching_report_is_the_domain_report_inside_the_signed_in_layout(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get(f"/app/interviews/{acme.interview_id}/coaching")
    assert page.status_code == 200, page.text
    path = f"/app/interviews/{acme.interview_id}"
    report = interviews.coaching_report_html(
        db, workspace_id=acme.tenant.id, interview_id=acme.interview_id, turns=path
    )
    assert report in page.text
    assert '<nav aria-label="Main">' in page.text and "<style>" not in page.text
    document = interviews.coaching_report(
        db, workspace_id=acme.tenant.id, interview_id=acme.interview_id, fmt="json"
    )
    import json

    missed = json.loads(document.content)["missed_probes"]
    for probe in missed:
        assert f'<a href="{path}#turn-{probe["position"]}">' in page.text


def test_the_coaching_report_of_an_interview_not_analysed_is_refused_with_409(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    made = interviews.import_interview(
        db,
        workspace_id=tenant.id,
        source="Interviewer: Hi?\nCustomer: Fine.\n",
        options=InterviewImport(filename="x.txt"),
        analyze=False,
    )
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get(f"/app/interviews/{made.id}/coaching")
    assert page.status_code == 409 and "not been analysed" in page.text
    transcript = client.get(f"/app/interviews/{made.id}")
    assert (
        "/coaching" not in transcript.text and "once the interview is analysed" in transcript.text
    )


def test_a_journey_shows_its_stages_in_order_with_touchpoints_and_channels(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    listed = client.get("/app/journeys")
    assert 'href="/app/journeys/retail"' in listed.text
    page = client.get("/app/journeys/saas-app")
    assert page.status_code == 200, page.text
    view = journey.get_journey(db, workspace_id=acme.tenant.id, key="saas-app")
    text = _text(page.text)
    positions = [text.index(f"{stage.name} ({stage.key})") for stage in view.stages]
    assert positions == sorted(positions)
    cells = re.findall(r'<td class="channel">([^<]+)</td>', page.text)
    assert cells == [tp.channel.value for s in view.stages for tp in s.touchpoints]
    count = sum(len(s.touchpoints) for s in view.stages)
    assert f"{len(view.stages)} stages · {count} touchpoints" in text
    assert 'href="/app/journeys/saas-app/map"' in page.text
    shop = client.get("/app/journeys/retail")
    assert "Retail &lt;i&gt;shop&lt;/i&gt;" in shop.text and "looks for a product" in shop.text


def test_surveys_list_and_a_survey_with_its_published_version_and_preview(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    listed = client.get("/app/surveys")
    survey = surveys.get_survey(db, workspace_id=acme.tenant.id, key="till")
    row = _text(listed.text)
    assert f"{survey.name} (till) retail / till version {survey.published_version}" in row
    assert f"{survey.updated_at:%Y-%m-%d %H:%M} UTC" in row
    page = client.get("/app/surveys/till")
    assert page.status_code == 200, page.text
    assert "Did you find what you needed?" in page.text and "Tell us more" in page.text
    assert re.search(
        r'<iframe class="preview" src="/app/surveys/till/preview"[^>]*sandbox=', page.text
    )


def test_the_survey_preview_shows_the_page_as_respondents_see_it_and_records_nothing(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    preview = client.get("/app/surveys/till/preview")
    assert preview.status_code == 200, preview.text
    assert "Did you find what you needed?" in preview.text
    assert 'type="radio"' in preview.text and "/static/hosted/hosted.css" in preview.text
    assert 'method="post"' not in preview.text and "_form" not in preview.text
    policy = preview.headers["content-security-policy"]
    assert "form-action 'none'" in policy and "frame-ancestors 'self'" in policy
    second = client.get("/app/surveys/till/preview?page=more")
    assert "Tell us more" in second.text and "what you needed" not in second.text
    with db.transaction() as session:
        count = session.scalar(select(func.count()).select_from(tables.Response))
    assert count == 0
    assert "js_response" not in preview.headers.get("set-cookie", "")


def test_the_rules_page_lists_each_rule_with_its_settings(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get("/app/rules")
    [rule] = orchestration.list_rules(db, workspace_id=acme.tenant.id).items
    text = _text(page.text)
    assert (
        f"{rule.key} on {rule.event_type} if {rule.condition} {rule.survey} by {rule.channel}"
        in text
    )
    assert f"after {rule.delay_minutes} min" in text and "expires after 14 days" in text
    assert f"{rule.updated_at:%Y-%m-%d %H:%M} UTC" in text
    assert "event.properties.amount &gt; 50" in page.text


def test_the_channels_page_shows_each_touchpoint_link_qr_code_and_snippets(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    sign_in_as(client, make_person(db, acme.tenant, Role.VIEWER))
    page = client.get("/app/channels")
    assert page.status_code == 200, page.text
    base = "http://127.0.0.1:8000"
    till = journey.get_touchpoint(db, workspace_id=acme.tenant.id, journey_key="retail", key="till")
    published = surveys.published_by_key(db, acme.tenant.id, "till")
    kiosk = collection.kiosk_url(base, till.public_id)
    survey_link = collection.survey_url(base, published.public_id)
    assert kiosk in page.text and survey_link in page.text
    qr = client.get("/app/channels/retail/till/qr.svg?target=survey")
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.headers["x-encoded-url"] == survey_link
    assert client.get("/app/channels/retail/till/qr.svg").headers["x-encoded-url"] == kiosk
    assert client.get("/app/channels/retail/web/qr.svg?target=survey").status_code == 404
    snippet = collection.render_email_snippet(
        published.definition, url=collection.invitation_url(base, "TOKEN")
    )
    shown = [
        html.unescape(c)
        for c in re.findall(r'<pre class="snippet"><code>(.*?)</code>', page.text, re.S)
    ]
    assert snippet.html in shown and "<table" not in page.text  # shown as text, escaped
    assert 'journeyscope.init({ workspace: "acme", host: "http://127.0.0.1:8000" })' in shown[0]
    views = [
        journey.get_journey(db, workspace_id=acme.tenant.id, key=k) for k in ("retail", "saas-app")
    ]
    count = sum(len(s.touchpoints) for v in views for s in v.stages)
    assert page.text.count('class="channel-card"') == count


def test_a_person_of_another_workspace_gets_404_and_sees_none_of_its_names(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    other = make_tenant(db, slug="other")
    sign_in_as(client, make_person(db, other, Role.OWNER))
    mine = [
        f"/app/interviews/{acme.interview_id}",
        f"/app/interviews/{acme.interview_id}/coaching",
        "/app/journeys/retail",
        "/app/journeys/saas-app",
        "/app/surveys/till",
        "/app/surveys/till/preview",
        "/app/channels/retail/till/qr.svg",
    ]
    for path in mine:
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "Onboarding" not in answer.text and "Did you find" not in answer.text
    for path in ("/app/interviews", "/app/surveys", "/app/rules", "/app/channels", "/app/journeys"):
        page = client.get(path)
        assert page.status_code == 200, path
        for name in ("Onboarding", "Retail", "till", "after-visit", "visit.ended", "Web shop"):
            assert name not in page.text, (path, name)


def test_a_viewer_reads_every_view_but_gets_403_on_an_admin_action(
    client: TestClient, db: Database, acme: Workspace
) -> None:
    owner = make_person(db, acme.tenant, Role.OWNER)
    viewer = make_person(db, acme.tenant, Role.VIEWER)
    csrf = sign_in_as(client, viewer)
    for path in ("/app/interviews", "/app/surveys", "/app/rules", "/app/channels"):
        assert client.get(path).status_code == 200, path
    assert '/app/people">People' not in client.get("/app/channels").text
    assert client.get("/app/people").status_code == 403
    invite = client.post(
        "/app/people", data={"_csrf": csrf, "email": "x@acme.example", "role": "owner"}
    )
    assert invite.status_code == 403 and "needs the role owner" in invite.text
    people = workspaces.list_users(db, workspace_id=acme.tenant.id)
    assert {p.email for p in people} == {owner.email, viewer.email}
