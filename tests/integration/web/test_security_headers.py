"""Every response carries the security headers, with the policy its kind needs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Headers

from factories import RETAIL_JOURNEY, Tenant
from journeyscope import interviews
from journeyscope.store import Database
from journeyscope.web.pages.hosted_security import CSP as HOSTED_CSP
from journeyscope.web.pages.kiosk import CSP as KIOSK_CSP

API_CSP = "default-src 'none'; frame-ancestors 'none'"
TRANSCRIPT = """\
Maya: How did you first hear about the Breeze blender?
Sam: A friend had one. The checkout was a bit confusing but whatever, it's fine.
"""


def assert_baseline(headers: Headers) -> None:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_a_json_answer_may_load_and_frame_nothing(client: TestClient, tenant: Tenant) -> None:
    answer = client.get("/v1/journeys", headers=tenant.headers)
    assert answer.status_code == 200
    assert_baseline(answer.headers)
    assert answer.headers["content-security-policy"] == API_CSP


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v1/journeys", 401), ("/v1/no-such-thing", 404), ("/favicon.ico/x", 404)],
)
def test_problem_answers_carry_the_json_policy(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path)
    assert (answer.status_code, answer.headers["content-type"]) == (
        status,
        "application/problem+json",
    )
    assert_baseline(answer.headers)
    assert answer.headers["content-security-policy"] == API_CSP


def test_a_validation_problem_carries_the_json_policy(client: TestClient, tenant: Tenant) -> None:
    answer = client.post("/v1/journeys", headers=tenant.headers, json={"key": 1})
    assert answer.status_code == 422
    assert_baseline(answer.headers)
    assert answer.headers["content-security-policy"] == API_CSP


def test_the_api_docs_allow_only_swagger_ui_and_its_start_up_script(client: TestClient) -> None:
    page = client.get("/v1/docs")
    assert page.status_code == 200
    assert_baseline(page.headers)
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; script-src 'self' 'sha256-")
    assert "'unsafe-inline'" not in policy.split("; ")[1]  # scripts: files and one hash only
    assert "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_the_coaching_report_may_style_itself_but_run_no_script(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    assert client.post("/v1/journeys", headers=tenant.headers, json=RETAIL_JOURNEY).is_success
    made = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": ("sam.txt", TRANSCRIPT.encode(), "text/plain")},
        data={"journey": "retail"},
    )
    assert made.status_code == 202, made.text
    interviews.analyse_queued(db)  # the worker's pass: the report needs the analysis
    report = client.get(f"/v1/interviews/{made.json()['id']}/report", headers=tenant.headers)
    assert report.headers["content-type"].startswith("text/html")
    assert "<style>" in report.text
    assert_baseline(report.headers)
    policy = report.headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src" not in policy and policy.startswith("default-src 'none'")


def test_pages_keep_their_own_policies(client: TestClient) -> None:
    assert client.get("/u/not-a-token").headers["content-security-policy"] == HOSTED_CSP
    assert client.get("/k/nothing-here").headers["content-security-policy"] == KIOSK_CSP


def test_scripts_get_no_policy_so_the_kiosk_worker_may_fetch(client: TestClient) -> None:
    worker = client.get("/k/sw.js")
    assert worker.status_code == 200
    assert "content-security-policy" not in worker.headers
    assert worker.headers["x-content-type-options"] == "nosniff"


def test_the_widget_api_stays_open_to_every_origin(client: TestClient) -> None:
    answer = client.post(
        "/v1/public/workspaces/nobody/eligibility",
        json={"visitor_id": "v1", "url": "https://shop.example/"},
        headers={"Origin": "https://shop.example"},
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["content-security-policy"] == API_CSP
