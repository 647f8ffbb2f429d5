"""The interview studio's promise, through the API: a video-call transcript in, emotions by
stage, a played-down frustration with follow-ups in the customer's words, and a coaching report
with the question kinds and the probe the interviewer missed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import Tenant
from journeyscope import interviews
from journeyscope.interviews import EXAMPLE_INTERVIEW
from journeyscope.journey import example_paths
from journeyscope.journey.yaml_format import load_journey_file
from journeyscope.store import Database


@pytest.fixture
def analysed(client: TestClient, tenant: Tenant, db: Database) -> dict:
    saas = load_journey_file(next(p for p in example_paths() if p.name == "saas-app.yaml"))
    made = client.post("/v1/journeys", headers=tenant.headers, json=saas.model_dump(mode="json"))
    assert made.status_code == 201, made.text
    uploaded = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": (EXAMPLE_INTERVIEW.name, EXAMPLE_INTERVIEW.read_bytes(), "text/vtt")},
        data={"journey": "saas-app", "participant": "P01"},
    )
    assert uploaded.status_code == 202, uploaded.text
    assert interviews.analyse_queued(db).analysed == 1  # the worker's pass
    found = client.get(uploaded.headers["location"], headers=tenant.headers)
    assert found.json()["status"] == "analysed"
    return found.json()


def test_roles_emotions_and_stages_per_turn(analysed: dict) -> None:
    turns = analysed["utterances"]
    assert analysed["format"] == "webvtt"
    assert {t["speaker"]: t["role"] for t in turns} == {
        "Maya Chen": "interviewer",
        "Jordan Lee": "customer",
    }
    furious = next(t for t in turns if "furious" in t["text"])
    assert furious["stage"]["stage"] == "purchase"
    assert furious["annotation"]["sentiment"] == "negative"
    assert set(furious["annotation"]["emotions"]) & {"angry", "frustrated"}


def test_played_down_frustration_becomes_a_probe_in_the_customers_words(analysed: dict) -> None:
    played_down = next(t for t in analysed["utterances"] if "a bit frustrating" in t["text"])
    assert played_down["annotation"]["minimization"] is not None
    assert played_down["annotation"]["valence"] < 0
    probe = next(
        f
        for f in analysed["findings"]
        if f["kind"] == "probe" and f["quotes"][0]["position"] == played_down["position"]
    )
    assert 2 <= len(probe["follow_ups"]) <= 3
    assert any("frustrating" in q for q in probe["follow_ups"])
    assert all(q.endswith("?") for q in probe["follow_ups"])


def test_coaching_report_lists_question_kinds_and_the_missed_probe(
    client: TestClient, tenant: Tenant, analysed: dict
) -> None:
    found = client.get(
        f"/v1/interviews/{analysed['id']}/report?format=json", headers=tenant.headers
    )
    assert found.status_code == 200, found.text
    report = found.json()
    kinds = {q["kind"] for q in report["questions"]}
    assert {"open", "closed", "leading", "double_barrelled", "hypothetical"} <= kinds
    missed = [m for m in report["missed_probes"] if "furious" in m["quote"]]
    assert missed and "seats" in missed[0]["next_question"]


def test_insights_show_emotions_per_stage(
    client: TestClient, tenant: Tenant, analysed: dict
) -> None:
    found = client.get("/v1/interviews/insights?journey=saas-app", headers=tenant.headers)
    stages = {s["stage"]: s for s in found.json()["stages"]}
    assert stages["purchase"]["valence"] < 0
    assert stages["use-7d"]["minimized"] >= 1
