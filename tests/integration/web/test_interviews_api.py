"""`/v1/interviews`: upload, list, read, analyse, findings, report, export; question checks."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docx_support import make_docx_bomb
from factories import RETAIL_JOURNEY, Tenant, make_tenant
from journeyscope import interviews
from journeyscope.interviews import analyzing
from journeyscope.store import Database

TRANSCRIPT = """\
Maya: Thanks for joining. How did you first hear about the Breeze blender?
Sam: A friend had one. Mail me at sam.ortiz@example.com if you like.
Maya: Did you like the checkout?
Sam: The checkout was a bit confusing but whatever, it's fine. I was really annoyed though.
"""


@pytest.fixture
def retail(client: TestClient, tenant: Tenant) -> Tenant:
    made = client.post("/v1/journeys", headers=tenant.headers, json=RETAIL_JOURNEY)
    assert made.status_code == 201
    return tenant


def _upload(
    client: TestClient,
    tenant: Tenant,
    *,
    params: dict[str, str] | None = None,
    content: bytes = TRANSCRIPT.encode(),
    **data: Any,
) -> Any:
    return client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": ("sam.txt", content, "text/plain")},
        data=data,
        params=params,
    )


def _work(db: Database) -> None:
    """One pass of the worker's analysis (what the in-process thread or Celery runs)."""
    interviews.analyse_queued(db)


def test_upload_answers_queued_and_the_worker_analyses(
    client: TestClient, retail: Tenant, db: Database
) -> None:
    made = _upload(client, retail, journey="retail", participant="P07")
    assert made.status_code == 202, made.text
    body = made.json()
    assert made.headers["location"] == f"/v1/interviews/{body['id']}"
    assert (body["title"], body["journey_key"], body["format"]) == ("sam", "retail", "plain")
    assert body["status"] == "queued" and body["analyzed_at"] is None
    assert body["redacted"] and "sam.ortiz@example.com" not in made.text
    roles = [u["role"] for u in body["utterances"]]
    assert roles == ["interviewer", "customer", "interviewer", "customer"]
    _work(db)
    found = client.get(made.headers["location"], headers=retail.headers).json()
    assert found["status"] == "analysed" and found["analyzed_at"] is not None
    assert found["utterances"][3]["annotation"]["sentiment"] in ("negative", "neutral", "positive")
    assert found["utterances"][2]["question"] is not None


def test_the_request_does_not_run_the_analysis(
    client: TestClient, retail: Tenant, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = analyzing.analyze_transcript

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(analyzing, "analyze_transcript", counted)
    made = _upload(client, retail, journey="retail")
    again = client.post(f"/v1/interviews/{made.json()['id']}/analyze", headers=retail.headers)
    assert (made.status_code, again.status_code, len(calls)) == (202, 202, 0)
    _work(db)
    assert len(calls) == 1


def test_upload_without_analysis(client: TestClient, tenant: Tenant, db: Database) -> None:
    made = _upload(client, tenant, params={"analyze": "false"}, redact="false")
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "imported"
    assert body["analyzed_at"] is None and body["findings"] == []
    assert body["utterances"][1]["annotation"] is None
    assert "sam.ortiz@example.com" in body["utterances"][1]["text"]
    _work(db)  # nothing was queued
    assert client.get(made.headers["location"], headers=tenant.headers).json()["status"] == (
        "imported"
    )


def test_text_instead_of_a_file(client: TestClient, tenant: Tenant) -> None:
    made = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        data={"text": TRANSCRIPT, "filename": "call.txt", "title": "Call", "interviewer": "Maya"},
        params={"analyze": "false"},
    )
    assert made.status_code == 201, made.text
    assert (made.json()["title"], made.json()["source_filename"]) == ("Call", "call.txt")
    stored = client.get(f"/v1/interviews/{made.json()['id']}", headers=tenant.headers).json()
    assert (stored["title"], stored["source_filename"]) == ("Call", "call.txt")
    texts = [u["text"] for u in stored["utterances"]]
    assert texts == [u["text"] for u in made.json()["utterances"]] and texts


def test_neither_file_nor_text_is_a_problem_naming_file(client: TestClient, tenant: Tenant) -> None:
    answer = client.post("/v1/interviews", headers=tenant.headers, data={"title": "x"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"][0]["field"] == "file"


def test_empty_file_is_refused_with_the_parsers_words(client: TestClient, tenant: Tenant) -> None:
    answer = _upload(client, tenant, content=b"  \n")
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "file" and "empty" in error["problem"]


def test_a_docx_zip_bomb_is_a_422_naming_the_file_and_stores_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    answer = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": ("sam.docx", make_docx_bomb(600_000), "application/octet-stream")},
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "file" and "10 MB" in error["problem"]
    assert client.get("/v1/interviews", headers=tenant.headers).json()["data"] == []


def test_unknown_journey_is_refused(client: TestClient, tenant: Tenant) -> None:
    answer = _upload(client, tenant, journey="nope")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "journey"


def test_list_paginates_and_filters_by_journey(client: TestClient, retail: Tenant) -> None:
    ids = [
        _upload(client, retail, params={"analyze": "false"}, journey="retail").json()["id"]
        for _ in range(3)
    ]
    _upload(client, retail, params={"analyze": "false"})
    first = client.get(
        "/v1/interviews", headers=retail.headers, params={"journey": "retail", "limit": 2}
    ).json()
    assert [i["id"] for i in first["data"]] == ids[:2]
    rest = client.get(
        "/v1/interviews",
        headers=retail.headers,
        params={"journey": "retail", "cursor": first["next_cursor"]},
    ).json()
    assert [i["id"] for i in rest["data"]] == ids[2:] and rest["next_cursor"] is None
    everything = client.get("/v1/interviews", headers=retail.headers).json()["data"]
    assert len(everything) == 4 and everything[0]["utterance_count"] == 4
    unknown = client.get("/v1/interviews", headers=retail.headers, params={"journey": "nope"})
    assert unknown.status_code == 404


def test_another_workspace_gets_404(client: TestClient, tenant: Tenant, db: Database) -> None:
    made = _upload(client, tenant, params={"analyze": "false"}).json()
    other = make_tenant(db, "other")
    for path in ("", "/findings", "/report", "/export"):
        answer = client.get(f"/v1/interviews/{made['id']}{path}", headers=other.headers)
        assert answer.status_code == 404, path
    analyze = client.post(f"/v1/interviews/{made['id']}/analyze", headers=other.headers)
    assert analyze.status_code == 404
    own = client.get(f"/v1/interviews/{made['id']}", headers=tenant.headers).json()
    assert own["analyzed_at"] is None  # the other workspace's request analyzed nothing


def test_analyze_then_findings_report_and_export(
    client: TestClient, retail: Tenant, db: Database
) -> None:
    made = _upload(client, retail, params={"analyze": "false"}, journey="retail").json()
    base = f"/v1/interviews/{made['id']}"
    assert client.get(f"{base}/report", headers=retail.headers).status_code == 409
    queued = client.post(f"{base}/analyze", headers=retail.headers)
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert client.get(f"{base}/report", headers=retail.headers).status_code == 409
    _work(db)
    analysed = client.get(base, headers=retail.headers).json()
    assert analysed["status"] == "analysed" and analysed["analyzed_at"] is not None
    findings = client.get(f"{base}/findings", headers=retail.headers).json()["data"]
    assert findings == analysed["findings"] and findings
    report = client.get(f"{base}/report", headers=retail.headers, params={"format": "json"})
    assert report.headers["content-type"] == "application/json"
    assert isinstance(report.json(), dict)
    page = client.get(f"{base}/report", headers=retail.headers)
    assert page.headers["content-type"].startswith("text/html")
    markdown = client.get(f"{base}/report", headers=retail.headers, params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    csv = client.get(f"{base}/export", headers=retail.headers, params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == 5


def test_check_question(client: TestClient, tenant: Tenant) -> None:
    answer = client.post(
        "/v1/questions/check", headers=tenant.headers, json={"text": "Did you like the checkout?"}
    )
    assert answer.status_code == 200
    assert answer.json()["kind"] == "closed" and answer.json()["rewrite"]


def test_routes_need_an_api_key(client: TestClient) -> None:
    assert client.get("/v1/interviews").status_code == 401
    assert client.post("/v1/questions/check", json={"text": "Why?"}).status_code == 401


def test_export_qdpx_is_a_refi_qda_zip(client: TestClient, tenant: Tenant) -> None:
    made = _upload(client, tenant).json()
    answer = client.get(
        f"/v1/interviews/{made['id']}/export", headers=tenant.headers, params={"format": "qdpx"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].endswith('.qdpx"')
    assert zipfile.ZipFile(io.BytesIO(answer.content)).testzip() is None


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        ("md", "text/markdown", b"#"),
        ("docx", "application/vnd.openxml", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_journey_guide(
    client: TestClient, retail: Tenant, fmt: str, media: str, magic: bytes
) -> None:
    answer = client.get("/v1/journeys/retail/guide", headers=retail.headers, params={"format": fmt})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert answer.content.startswith(magic)


def test_guide_of_an_unknown_journey_is_404(client: TestClient, tenant: Tenant) -> None:
    assert client.get("/v1/journeys/nope/guide", headers=tenant.headers).status_code == 404


def test_insights_combine_stages_and_themes_across_interviews(
    client: TestClient, retail: Tenant, db: Database
) -> None:
    for participant in ("P01", "P02"):
        assert _upload(client, retail, journey="retail", participant=participant).status_code == 202
    assert _upload(client, retail, params={"analyze": "false"}).status_code == 201
    _work(db)
    found = client.get("/v1/interviews/insights?journey=retail", headers=retail.headers)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["interviews"] == 2
    (stage,) = body["stages"]
    assert stage["stage"] == "buy" and stage["turns"] == 4 and stage["minimized"] == 2
    assert -1 <= stage["valence"] < 0
    shared = [t for t in body["themes"] if t["interviews"] == 2]
    assert shared, body["themes"]
    assert any("confusing" in q["text"] for t in shared for q in t["quotes"])


def test_insights_of_an_unknown_journey_is_404(client: TestClient, tenant: Tenant) -> None:
    found = client.get("/v1/interviews/insights?journey=nope", headers=tenant.headers)
    assert found.status_code == 404
