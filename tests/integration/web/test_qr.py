"""QR codes of survey links and kiosk pages: the API routes and the `journeyscope qr` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_published_survey, make_tenant
from journeyscope import journey, surveys
from journeyscope.base_url import follow_rule, record_base_url
from journeyscope.cli import run
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from journeyscope.surveys import SurveyCreate
from journeyscope.web.app import create_app

BASE = "http://127.0.0.1:8000"  # the default JOURNEYSCOPE_BASE_URL of the test settings
TILL_QR = "/v1/journeys/retail/touchpoints/till/qr"


def _touchpoint_id(db: Database, tenant: Tenant) -> str:
    point = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="till")
    return point.public_id


@pytest.fixture
def published(db: Database, tenant: Tenant) -> surveys.PublishedSurvey:
    return make_published_survey(db, tenant)


def test_survey_qr_svg_encodes_the_hosted_link(
    client: TestClient, tenant: Tenant, published: surveys.PublishedSurvey
) -> None:
    reply = client.get("/v1/surveys/visit/qr", headers=tenant.headers)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/svg+xml"
    assert reply.headers["content-disposition"] == 'inline; filename="survey-visit.svg"'
    assert reply.headers["x-encoded-url"] == f"{BASE}/s/{published.public_id}"
    assert b"<title>QR code: " in reply.content


def test_api_qr_and_cli_qr_encode_the_same_link_by_the_one_rule(
    settings: Settings,
    db: Database,
    tenant: Tenant,
    published: surveys.PublishedSurvey,
    cli_env: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JOURNEYSCOPE_BASE_URL", raising=False)
    served = follow_rule(settings, listening=("127.0.0.1", 8101))
    record_base_url(served)  # what `journeyscope serve --port 8101` does on this data folder
    with TestClient(create_app(settings, db=db)) as other_process:
        reply = other_process.get("/v1/surveys/visit/qr", headers=tenant.headers)
    assert reply.headers["x-encoded-url"] == f"http://127.0.0.1:8101/s/{published.public_id}"
    code, out, _ = _run(capsys, "qr", "survey", "visit", "-o", str(tmp_path / "q.svg"))
    assert code == 0
    assert out.strip().endswith(f"encoding {reply.headers['x-encoded-url']}")


def test_survey_qr_png(client: TestClient, tenant: Tenant, published: object) -> None:
    reply = client.get("/v1/surveys/visit/qr?format=png&size=256", headers=tenant.headers)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/png"
    assert reply.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert reply.headers["content-disposition"].endswith('filename="survey-visit.png"')


def test_touchpoint_qr_encodes_the_kiosk_page(
    client: TestClient, db: Database, tenant: Tenant, published: object
) -> None:
    reply = client.get(f"{TILL_QR}?format=png", headers=tenant.headers)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/png"
    assert reply.headers["x-encoded-url"] == f"{BASE}/k/{_touchpoint_id(db, tenant)}"


def test_touchpoint_qr_can_encode_its_survey_link(
    client: TestClient, tenant: Tenant, published: surveys.PublishedSurvey
) -> None:
    reply = client.get(f"{TILL_QR}?target=survey", headers=tenant.headers)
    assert reply.status_code == 200
    assert reply.headers["x-encoded-url"] == f"{BASE}/s/{published.public_id}"


def test_qr_of_an_unpublished_survey_is_404_with_the_fix(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    data = SurveyCreate(key="draft", name="Draft", template="kiosk-smiley-csat")
    surveys.create_survey(db, workspace_id=tenant.id, data=data)
    reply = client.get("/v1/surveys/draft/qr", headers=tenant.headers)
    assert reply.status_code == 404
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert "publish" in problem["hint"]
    assert problem["errors"][0]["field"] == "survey_key"


def test_qr_of_an_archived_survey_is_404(
    client: TestClient, db: Database, tenant: Tenant, published: surveys.PublishedSurvey
) -> None:
    _archive(db, published)
    reply = client.get("/v1/surveys/visit/qr", headers=tenant.headers)
    assert reply.status_code == 404
    assert reply.json()["errors"][0]["field"] == "survey_key"


def test_touchpoint_survey_qr_without_a_published_survey_is_404(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant, touchpoint_key=None)
    assert client.get(TILL_QR, headers=tenant.headers).status_code == 200
    reply = client.get(f"{TILL_QR}?target=survey", headers=tenant.headers)
    assert reply.status_code == 404
    assert "target=kiosk" in reply.json()["hint"]


def _archive(db: Database, survey: surveys.PublishedSurvey) -> None:
    with db.transaction() as session:
        row = session.get(tables.Survey, survey.survey_id)
        assert row is not None
        row.archived_at = db.clock.now()


def test_qr_width_follows_size(client: TestClient, tenant: Tenant, published: object) -> None:
    small = client.get("/v1/surveys/visit/qr?format=png&size=128", headers=tenant.headers)
    large = client.get("/v1/surveys/visit/qr?format=png&size=1024", headers=tenant.headers)
    assert len(small.content) < len(large.content)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/surveys/nope/qr",
        "/v1/journeys/retail/touchpoints/nope/qr",
        "/v1/journeys/x/touchpoints/till/qr",
    ],
)
def test_qr_of_something_missing_is_404(
    client: TestClient, tenant: Tenant, published: object, path: str
) -> None:
    reply = client.get(path, headers=tenant.headers)
    assert reply.status_code == 404
    assert reply.headers["content-type"] == "application/problem+json"


def test_qr_of_another_workspace_is_404(
    client: TestClient, db: Database, tenant: Tenant, published: object
) -> None:
    other = make_tenant(db, "globex")
    assert client.get("/v1/surveys/visit/qr", headers=other.headers).status_code == 404
    assert client.get(TILL_QR, headers=other.headers).status_code == 404


@pytest.mark.parametrize("path", ["/v1/surveys/visit/qr", TILL_QR])
def test_qr_needs_an_api_key(client: TestClient, published: object, path: str) -> None:
    assert client.get(path).status_code == 401


def test_qr_refuses_a_bad_format_or_size(
    client: TestClient, tenant: Tenant, published: object
) -> None:
    assert client.get("/v1/surveys/visit/qr?format=gif", headers=tenant.headers).status_code == 422
    assert client.get("/v1/surveys/visit/qr?size=5", headers=tenant.headers).status_code == 422


def test_qr_routes_declare_their_images(client: TestClient) -> None:
    paths = client.get("/v1/openapi.json").json()["paths"]
    for path in (
        "/v1/surveys/{survey_key}/qr",
        "/v1/journeys/{journey_key}/touchpoints/{touchpoint_key}/qr",
    ):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"image/png", "image/svg+xml"}


# --- the CLI --------------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_writes_a_survey_svg(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    published: surveys.PublishedSurvey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    poster = tmp_path / "poster.svg"
    code, out, err = _run(capsys, "qr", "survey", "visit", "--out", str(poster))
    assert code == 0, err
    assert f"{BASE}/s/{published.public_id}" in out
    assert poster.read_bytes().startswith(b"<?xml")


def test_cli_writes_a_kiosk_png(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    published: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gate = tmp_path / "gate.png"
    code, out, err = _run(capsys, "qr", "kiosk", "retail", "till", "--out", str(gate))
    assert code == 0, err
    assert f"{BASE}/k/{_touchpoint_id(db, tenant)}" in out
    assert gate.read_bytes().startswith(b"\x89PNG")


def test_cli_refuses_an_unknown_extension(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    published: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(capsys, "qr", "kiosk", "retail", "till", "-o", str(tmp_path / "x.gif"))
    assert code == 1
    assert ".svg" in err
    assert not (tmp_path / "x.gif").exists()


def test_cli_survey_qr_of_a_missing_survey_fails(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(capsys, "qr", "survey", "nope", "-o", str(tmp_path / "x.svg"))
    assert code == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("archived", [False, True])
def test_cli_survey_qr_of_an_unpublished_or_archived_survey_fails_with_the_fix(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    archived: bool,
) -> None:
    if archived:
        _archive(db, make_published_survey(db, tenant, key="draft"))
    else:
        data = SurveyCreate(key="draft", name="Draft", template="kiosk-smiley-csat")
        surveys.create_survey(db, workspace_id=tenant.id, data=data)
    code, _, err = _run(capsys, "qr", "survey", "draft", "-o", str(tmp_path / "x.svg"))
    assert code == 1
    assert "journeyscope survey publish draft" in err
    assert not (tmp_path / "x.svg").exists()
