"""Rate limits on anonymous endpoints: per address, 429 problem with Retry-After, shared storage."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import Tenant, make_published_survey
from journeyscope.clock import SYSTEM_CLOCK, FixedClock
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.web.app import create_app
from journeyscope.web.problems import install_problem_handlers
from journeyscope.web.ratelimit import PublicRateLimit, PublicRateLimiter
from parallel import with_redis_database


def _app(limit: str, storage: str = "memory://", clock: FixedClock | None = None) -> FastAPI:
    app = FastAPI()
    app.state.rate_limiter = PublicRateLimiter(limit, storage, clock=clock or SYSTEM_CLOCK)
    install_problem_handlers(app)

    @app.post("/public")
    def public(_: PublicRateLimit) -> dict[str, bool]:
        return {"ok": True}

    return app


def test_the_wait_asked_for_is_measured_on_the_apps_clock() -> None:
    behind = FixedClock(SYSTEM_CLOCK.now() - dt.timedelta(seconds=30))
    with TestClient(_app("1/minute", clock=behind)) as client:
        client.post("/public")
        refused = client.post("/public")
    assert refused.status_code == 429
    assert 61 <= int(refused.headers["Retry-After"]) <= 92  # 30 s more than the window's end


def test_the_request_over_the_limit_gets_a_429_problem_with_retry_after() -> None:
    with TestClient(_app("3/minute")) as client:
        assert [client.post("/public").status_code for _ in range(3)] == [200, 200, 200]
        refused = client.post("/public")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    body = refused.json()
    assert body["type"] == "urn:journeyscope:problem:too-many-requests"
    assert "3 per 1 minute" in body["detail"]


def test_each_client_address_has_its_own_budget() -> None:
    app = _app("1/minute")
    with TestClient(app, client=("203.0.113.1", 1000)) as first:
        assert first.post("/public").status_code == 200
        assert first.post("/public").status_code == 429
    with TestClient(app, client=("203.0.113.2", 1000)) as second:
        assert second.post("/public").status_code == 200


def test_processes_sharing_redis_share_one_budget() -> None:
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis on 127.0.0.1:6379 (.ci/run starts it)", pytrace=False)
        pytest.skip("SKIPPING: no Redis server on 127.0.0.1:6379")
    address = (f"198.51.100.{uuid.uuid4().int % 250}", 1000)
    limit = f"2/{300 + uuid.uuid4().int % 500}seconds"  # a fresh window per run
    storage = with_redis_database("redis://127.0.0.1:6379")  # this xdist worker's own
    one, two = _app(limit, storage), _app(limit, storage)
    with TestClient(one, client=address) as a, TestClient(two, client=address) as b:
        assert [a.post("/public").status_code, b.post("/public").status_code] == [200, 200]
        assert b.post("/public").status_code == 429


def test_a_malformed_limit_setting_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match="120/minute"):
        Settings(limits={"public_rate_limit": "lots"})


def test_the_public_doors_of_the_real_app_are_limited_and_the_api_is_not(
    settings: Settings, db: Database, tenant: Tenant
) -> None:
    published = make_published_survey(db, tenant)
    limited = settings.updated(limits={"public_rate_limit": "2/minute"})
    with TestClient(create_app(limited, db=db)) as client:
        url = f"/v1/public/surveys/{published.public_id}/responses"

        def send() -> int:
            body = {"id": str(uuid.uuid4()), "answers": {"nps": 7}, "channel": "website"}
            return client.post(url, json=body).status_code

        assert [send(), send()] == [201, 201]
        refused = client.post(
            url,
            json={"id": str(uuid.uuid4()), "channel": "website"},
            headers={"Origin": "https://shop.example"},
        )
        assert refused.status_code == 429
        assert refused.headers["Access-Control-Allow-Origin"] == "*"  # the widget can read it
        assert client.post(f"/s/{published.public_id}", data={}).status_code == 429
        # the authenticated API has no per-address limit
        statuses = {client.get("/v1/surveys", headers=tenant.headers).status_code for _ in range(5)}
        assert statuses == {200}
