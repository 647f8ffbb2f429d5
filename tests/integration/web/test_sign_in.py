"""Signing in and out of the web UI: the cookie, wrong passwords, throttling, CSRF, expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from factories import Person, Tenant, make_person, make_tenant
from journeyscope.clock import FixedClock
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.store.tables import WebSession
from journeyscope.web.app import create_app
from journeyscope.workspaces import Role
from journeyscope.workspaces.signin import hash_session_token
from signin_support import csrf_of, sign_in_as, try_sign_in

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def owner(db: Database, tenant: Tenant) -> Person:
    return make_person(db, tenant, Role.OWNER)


def test_signing_in_sets_a_safe_cookie_and_shows_who_where_and_what_role(
    client: TestClient, owner: Person, db: Database
) -> None:
    answer = try_sign_in(client, owner.email, owner.password)
    assert answer.status_code == 303 and answer.headers["location"] == "/app"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("js_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the base URL is http here
    token = client.cookies["js_session"]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    with db.transaction() as session:
        stored = session.query(WebSession).one()
    assert stored.token_hash == hash_session_token(token) and token not in stored.token_hash
    home = client.get("/app")
    assert home.status_code == 200
    assert owner.email in home.text and ">owner<" in home.text and "acme" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]


def test_the_cookie_is_secure_when_the_base_url_is_https(
    settings: Settings, db: Database, owner: Person
) -> None:
    https = settings.updated(web={"base_url": "https://feedback.example.com"})
    with TestClient(create_app(https, db=db), base_url="https://testserver") as client:
        answer = try_sign_in(client, owner.email, owner.password)
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_pages_send_visitors_without_a_session_to_the_form_and_back(client: TestClient) -> None:
    answer = client.get("/app/people", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/app/people"
    assert 'name="next" value="/app/people"' in client.get(answer.headers["location"]).text


def test_after_signing_in_the_visitor_goes_where_they_were_going_never_elsewhere(
    client: TestClient, owner: Person
) -> None:
    for target, expected in (("/app/people", "/app/people"), ("https://evil.example", "/app")):
        client.cookies.clear()
        form = client.get("/login")
        answer = client.post(
            "/login",
            data={
                "email": owner.email,
                "password": owner.password,
                "_csrf": csrf_of(form),
                "next": target,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == expected


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    client: TestClient, owner: Person
) -> None:
    wrong = try_sign_in(client, owner.email, "not the password")
    unknown = try_sign_in(client, "nobody@acme.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The email address or the password is not right." in wrong.text
    message = [line for line in wrong.text.splitlines() if "sign-in-error" in line]
    assert message == [line for line in unknown.text.splitlines() if "sign-in-error" in line]
    assert "js_session" not in client.cookies


def test_addresses_are_not_case_sensitive(client: TestClient, owner: Person) -> None:
    assert try_sign_in(client, owner.email.upper(), owner.password).status_code == 303


def test_five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(
    client: TestClient, owner: Person, clock: FixedClock
) -> None:
    for _ in range(5):
        assert try_sign_in(client, owner.email, "wrong password!").status_code == 401
        clock.advance(minutes=1)
    locked = try_sign_in(client, owner.email, owner.password)
    assert locked.status_code == 429
    assert (
        int(locked.headers["retry-after"]) == 10 * 60
    )  # failures at 0..4 min; now 5: the first leaves at 15
    assert "Too many failed sign-ins" in locked.text
    clock.advance(minutes=9, seconds=59)
    assert try_sign_in(client, owner.email, owner.password).status_code == 429
    clock.advance(seconds=2)
    assert try_sign_in(client, owner.email, owner.password).status_code == 303


def test_an_unknown_address_is_throttled_like_a_real_one(client: TestClient, owner: Person) -> None:
    for _ in range(5):
        assert try_sign_in(client, "nobody@acme.example", "wrong password!").status_code == 401
    assert try_sign_in(client, "nobody@acme.example", "wrong password!").status_code == 429
    assert try_sign_in(client, owner.email, owner.password).status_code == 303  # others go on


def test_twenty_failures_from_one_client_stop_it_trying_any_account(
    client: TestClient, db: Database, tenant: Tenant, owner: Person
) -> None:
    for n in range(20):
        assert try_sign_in(client, f"guess{n}@acme.example", "wrong password!").status_code == 401
    answer = try_sign_in(client, owner.email, owner.password)
    assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0


def test_a_sign_in_form_without_its_token_is_refused(client: TestClient, owner: Person) -> None:
    client.get("/login")
    forged = client.post(
        "/login",
        data={"email": owner.email, "password": owner.password, "_csrf": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403 and "js_session" not in client.cookies
    cross_site = client.post(
        "/login",
        data={
            "email": owner.email,
            "password": owner.password,
            "_csrf": csrf_of(client.get("/login")),
        },
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert cross_site.status_code == 403 and "js_session" not in client.cookies


def test_signing_out_ends_the_session_on_the_server(
    client: TestClient, owner: Person, db: Database
) -> None:
    csrf = sign_in_as(client, owner)
    token = client.cookies["js_session"]
    answer = client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert 'js_session=""' in answer.headers["set-cookie"]
    with db.transaction() as session:
        assert session.query(WebSession).count() == 0
    client.cookies.set("js_session", token)  # a copy of the old cookie does not work
    assert client.get("/app", follow_redirects=False).status_code == 303


def test_signing_out_without_the_csrf_token_is_refused(client: TestClient, owner: Person) -> None:
    sign_in_as(client, owner)
    answer = client.post("/logout", data={"_csrf": "nope"}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/app").status_code == 200  # still signed in


def test_a_session_ends_after_its_lifetime_even_when_used(
    client: TestClient, owner: Person, clock: FixedClock
) -> None:
    sign_in_as(client, owner)
    for _ in range(11):
        clock.advance(hours=1)
        assert client.get("/app", follow_redirects=False).status_code == 200
    clock.advance(hours=1)  # 12 hours after signing in
    assert client.get("/app", follow_redirects=False).status_code == 303


def test_a_session_unused_for_the_idle_time_ends(
    client: TestClient, owner: Person, clock: FixedClock
) -> None:
    sign_in_as(client, owner)
    clock.advance(minutes=119)
    assert client.get("/app", follow_redirects=False).status_code == 200
    clock.advance(minutes=119)
    assert client.get("/app", follow_redirects=False).status_code == 200
    clock.advance(minutes=121)
    assert client.get("/app", follow_redirects=False).status_code == 303


def test_api_keys_keep_working_and_a_session_cookie_is_no_api_credential(
    client: TestClient, tenant: Tenant, owner: Person
) -> None:
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200
    sign_in_as(client, owner)
    assert client.get("/v1/journeys").status_code == 401


@pytest.fixture
def two_clients(settings: Settings, db: Database) -> Iterator[tuple[TestClient, TestClient]]:
    app = create_app(settings, db=db)
    with TestClient(app) as first, TestClient(app) as second:
        yield first, second


def test_changing_the_password_signs_out_the_other_browsers(
    two_clients: tuple[TestClient, TestClient], owner: Person
) -> None:
    first, second = two_clients
    csrf = sign_in_as(first, owner)
    sign_in_as(second, owner)
    new = "a brand new passphrase"
    answer = first.post(
        "/app/password",
        data={
            "_csrf": csrf,
            "current_password": owner.password,
            "new_password": new,
            "confirm_password": new,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert first.get("/app", follow_redirects=False).status_code == 200
    assert second.get("/app", follow_redirects=False).status_code == 303
    second.cookies.clear()
    assert try_sign_in(second, owner.email, new).status_code == 303


def test_a_wrong_current_password_changes_nothing(client: TestClient, owner: Person) -> None:
    csrf = sign_in_as(client, owner)
    answer = client.post(
        "/app/password",
        data={
            "_csrf": csrf,
            "current_password": "not it at all",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert answer.status_code == 422 and "current password is not right" in answer.text
    client.cookies.clear()
    assert try_sign_in(client, owner.email, owner.password).status_code == 303


def test_people_of_another_workspace_sign_in_to_their_own(
    client: TestClient, db: Database, owner: Person
) -> None:
    other = make_person(db, make_tenant(db, "globex"), Role.OWNER)
    sign_in_as(client, other)
    home = client.get("/app").text
    assert "globex" in home and "acme" not in home


def test_signing_in_again_ends_the_browsers_earlier_session(
    client: TestClient, owner: Person, db: Database
) -> None:
    sign_in_as(client, owner)
    first = client.cookies["js_session"]
    assert client.get("/login", follow_redirects=False).status_code == 303  # straight on
    # A sign-in form opened in another tab before, posted now: its token came with its cookie.
    client.cookies.set("js_login", "t" * 43, domain="testserver.local", path="/login")
    answer = client.post(
        "/login",
        data={"email": owner.email, "password": owner.password, "_csrf": "t" * 43},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    with db.transaction() as session:
        hashes = {row.token_hash for row in session.query(WebSession)}
    assert hashes == {hash_session_token(client.cookies["js_session"])}
    assert hash_session_token(first) not in hashes
