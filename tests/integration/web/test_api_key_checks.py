"""API keys as stored and checked: HMAC digests, legacy argon2 upgraded, revocation bounded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from factories import Tenant, legacy_key_hash
from journeyscope.store import Database, tables
from journeyscope.workspaces import auth_cache, service
from journeyscope.workspaces.keys import HASH_SCHEME, hash_token


class Monotonic:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> Monotonic:
    """The service's principal cache on a clock the test moves (a fresh, empty cache)."""
    moved = Monotonic()
    monkeypatch.setattr(service, "_principals", auth_cache.PrincipalCache(monotonic=moved))
    return moved


def stored_hash(db: Database, tenant: Tenant) -> str:
    with db.engine.connect() as connection:
        prefix = tenant.token.split("_")[1]
        return str(
            connection.execute(
                text("SELECT secret_hash FROM api_key WHERE prefix = :p"), {"p": prefix}
            ).scalar_one()
        )


def set_stored_hash(db: Database, tenant: Tenant, secret_hash: str) -> None:
    prefix = tenant.token.split("_")[1]
    with db.engine.begin() as connection:
        connection.execute(
            update(tables.ApiKey)
            .where(tables.ApiKey.prefix == prefix)
            .values(secret_hash=secret_hash)
        )


def test_a_new_key_is_stored_as_its_hmac_digest(db: Database, tenant: Tenant) -> None:
    stored = stored_hash(db, tenant)
    assert stored.startswith(HASH_SCHEME)
    assert stored == hash_token(tenant.token)
    assert not stored.startswith("$argon2")


def test_a_legacy_argon2_key_works_and_is_upgraded_on_first_use(
    client: TestClient, db: Database, tenant: Tenant, monotonic: Monotonic
) -> None:
    set_stored_hash(db, tenant, legacy_key_hash(tenant.token))
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200
    assert stored_hash(db, tenant) == hash_token(tenant.token)
    monotonic.now += auth_cache.AUTH_CACHE_SECONDS  # checked against the new hash this time
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200


def test_a_bad_key_with_a_real_prefix_is_refused_and_changes_nothing(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    forged = tenant.token[:-4] + ("AAAA" if not tenant.token.endswith("AAAA") else "BBBB")
    response = client.get("/v1/journeys", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert stored_hash(db, tenant) == hash_token(tenant.token)


def test_a_revocation_by_another_process_takes_effect_within_the_cache_bound(
    client: TestClient, db: Database, tenant: Tenant, monotonic: Monotonic
) -> None:
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200
    with db.engine.begin() as connection:  # as `journeyscope keys revoke` does, elsewhere
        connection.execute(update(tables.ApiKey).values(revoked_at=db.clock.now()))
    monotonic.now += auth_cache.AUTH_CACHE_SECONDS
    response = client.get("/v1/journeys", headers=tenant.headers)
    assert response.status_code == 401


def test_a_revocation_through_this_server_takes_effect_at_once(
    client: TestClient, tenant: Tenant, monotonic: Monotonic
) -> None:
    other = client.post("/v1/api-keys", headers=tenant.headers, json={"name": "crm"}).json()
    headers = {"Authorization": f"Bearer {other['token']}"}
    assert client.get("/v1/journeys", headers=headers).status_code == 200
    assert client.delete(f"/v1/api-keys/{other['id']}", headers=tenant.headers).status_code == 204
    assert client.get("/v1/journeys", headers=headers).status_code == 401


def test_changed_contact_limits_show_at_once(
    client: TestClient, tenant: Tenant, monotonic: Monotonic
) -> None:
    assert client.get("/v1/workspace", headers=tenant.headers).json()["recontact_days"] == 14
    patched = client.patch("/v1/workspace", headers=tenant.headers, json={"recontact_days": 30})
    assert patched.status_code == 200
    assert client.get("/v1/workspace", headers=tenant.headers).json()["recontact_days"] == 30
