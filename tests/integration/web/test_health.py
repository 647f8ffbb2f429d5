from __future__ import annotations

from fastapi.testclient import TestClient

from journeyscope.store import head_revision


def test_healthz_answers_without_auth(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_schema(client: TestClient, backend: str) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == head_revision()
    assert body["database"] == ("sqlite" if backend == "sqlite" else "postgresql")


def test_openapi_is_served_under_v1(client: TestClient) -> None:
    schema = client.get("/v1/openapi.json").json()
    assert "/v1/events/batch" in schema["paths"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_api_docs_page_uses_only_vendored_assets(client: TestClient) -> None:
    page = client.get("/v1/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        url = f"/static/vendor/swagger-ui/{asset}"
        assert url in page.text
        assert client.get(url).status_code == 200
