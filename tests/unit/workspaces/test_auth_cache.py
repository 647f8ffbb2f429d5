"""The principal cache: reused for a bounded time, forgotten at once on revocation."""

from __future__ import annotations

import datetime as dt
import uuid

from journeyscope.workspaces.auth_cache import AUTH_CACHE_SECONDS, PrincipalCache
from journeyscope.workspaces.models import ApiKey, Principal, Workspace

NOW = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 10.0

    def __call__(self) -> float:
        return self.now


def principal() -> Principal:
    space = Workspace(id=uuid.uuid4(), slug="acme", name="Acme", created_at=NOW)
    key = ApiKey(
        id=uuid.uuid4(),
        workspace_id=space.id,
        name="test",
        prefix="abc",
        created_at=NOW,
        last_used_at=None,
        revoked_at=None,
    )
    return Principal(workspace=space, key=key)


def test_a_checked_token_is_reused_until_the_bound_and_no_longer() -> None:
    clock = Clock()
    cache = PrincipalCache(monotonic=clock)
    found = principal()
    cache.put("js_abc_secret", found, cache.generation)
    assert cache.get("js_abc_secret") == found
    assert cache.get("js_abc_other") is None
    clock.now += AUTH_CACHE_SECONDS - 0.01
    assert cache.get("js_abc_secret") == found
    clock.now += 0.01
    assert cache.get("js_abc_secret") is None


def test_revoking_a_key_or_changing_its_workspace_forgets_it_at_once() -> None:
    cache = PrincipalCache(monotonic=Clock())
    first, second = principal(), principal()
    cache.put("js_a_1", first, cache.generation)
    cache.put("js_b_2", second, cache.generation)
    cache.forget_key(first.key.id)
    assert cache.get("js_a_1") is None
    assert cache.get("js_b_2") == second
    cache.forget_workspace(second.workspace.id)
    assert cache.get("js_b_2") is None


def test_a_check_that_read_the_key_before_a_revocation_is_not_remembered() -> None:
    cache = PrincipalCache(monotonic=Clock())
    found = principal()
    read_at = cache.generation  # the check reads the key row ...
    cache.forget_key(found.key.id)  # ... the key is revoked before the check stores it
    cache.put("js_abc_secret", found, read_at)
    assert cache.get("js_abc_secret") is None
