"""``/app/people``: owners manage people; other roles get 403; no workspace sees another."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from factories import Person, Tenant, make_person, make_tenant
from journeyscope import workspaces
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.workspaces import Role
from signin_support import csrf_of, sign_in_as, try_sign_in

ONE_TIME = re.compile(r'id="one-time-password">([^<]+)<')


@pytest.fixture
def owner(db: Database, tenant: Tenant) -> Person:
    return make_person(db, tenant, Role.OWNER)


@pytest.fixture
def viewer(db: Database, tenant: Tenant) -> Person:
    return make_person(db, tenant, Role.VIEWER)


def _roles(db: Database, tenant: Tenant) -> dict[str, str]:
    return {u.email: u.role.value for u in workspaces.list_users(db, workspace_id=tenant.id)}


def test_an_owner_sees_the_people_and_their_roles(
    client: TestClient, owner: Person, viewer: Person
) -> None:
    sign_in_as(client, owner)
    page = client.get("/app/people")
    assert page.status_code == 200
    assert owner.email in page.text and viewer.email in page.text
    assert page.headers["cache-control"] == "no-store"


def test_an_owner_invites_someone_who_signs_in_once_then_chooses_a_password(
    client: TestClient, db: Database, tenant: Tenant, owner: Person
) -> None:
    csrf = sign_in_as(client, owner)
    answer = client.post(
        "/app/people", data={"_csrf": csrf, "email": "New@Acme.example", "role": "analyst"}
    )
    assert answer.status_code == 201
    password = ONE_TIME.search(answer.text)
    assert password, answer.text
    assert _roles(db, tenant)["new@acme.example"] == "analyst"
    assert password[1] not in client.get("/app/people").text  # shown once
    client.cookies.clear()
    first = try_sign_in(client, "new@acme.example", password[1])
    assert first.status_code == 303 and first.headers["location"] == "/app/password"
    assert client.get("/app", follow_redirects=False).headers["location"] == "/app/password"
    page = client.get("/app/password")
    chosen = "my own good passphrase"
    fields = {"current_password": password[1], "new_password": chosen, "confirm_password": chosen}
    changed = client.post(
        "/app/password", data={"_csrf": csrf_of(page), **fields}, follow_redirects=False
    )
    assert changed.status_code == 303
    assert client.get("/app").status_code == 200


def test_inviting_an_address_that_has_an_account_says_so(
    client: TestClient, owner: Person, viewer: Person
) -> None:
    csrf = sign_in_as(client, owner)
    answer = client.post("/app/people", data={"_csrf": csrf, "email": viewer.email})
    assert answer.status_code == 409 and "already has an account" in answer.text


def test_an_owner_changes_a_role_and_it_applies_at_the_next_request(
    client: TestClient,
    db: Database,
    tenant: Tenant,
    owner: Person,
    viewer: Person,
    settings: Settings,
) -> None:
    from journeyscope.web.app import create_app

    with TestClient(create_app(settings, db=db)) as viewer_client:
        sign_in_as(viewer_client, viewer)
        assert viewer_client.get("/app/people").status_code == 403
        csrf = sign_in_as(client, owner)
        answer = client.post(
            f"/app/people/{viewer.id}/role",
            data={"_csrf": csrf, "role": "owner"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert _roles(db, tenant)[viewer.email] == "owner"
        assert viewer_client.get("/app/people").status_code == 200


def test_an_owner_removes_someone_and_their_session_ends(
    client: TestClient,
    db: Database,
    tenant: Tenant,
    owner: Person,
    viewer: Person,
    settings: Settings,
) -> None:
    from journeyscope.web.app import create_app

    with TestClient(create_app(settings, db=db)) as viewer_client:
        sign_in_as(viewer_client, viewer)
        csrf = sign_in_as(client, owner)
        answer = client.post(
            f"/app/people/{viewer.id}/remove", data={"_csrf": csrf}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert viewer.email not in _roles(db, tenant)
        assert viewer_client.get("/app", follow_redirects=False).status_code == 303


def test_the_last_owner_can_be_neither_demoted_nor_removed(
    client: TestClient, db: Database, tenant: Tenant, owner: Person
) -> None:
    csrf = sign_in_as(client, owner)
    demote = client.post(f"/app/people/{owner.id}/role", data={"_csrf": csrf, "role": "admin"})
    assert demote.status_code == 409 and "last owner" in demote.text
    remove = client.post(f"/app/people/{owner.id}/remove", data={"_csrf": csrf})
    assert remove.status_code == 409
    assert _roles(db, tenant) == {owner.email: "owner"}


def test_a_role_that_does_not_exist_is_refused(
    client: TestClient, db: Database, tenant: Tenant, owner: Person, viewer: Person
) -> None:
    csrf = sign_in_as(client, owner)
    answer = client.post(f"/app/people/{viewer.id}/role", data={"_csrf": csrf, "role": "god"})
    assert answer.status_code == 422 and "is not a role" in answer.text
    assert _roles(db, tenant)[viewer.email] == "viewer"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.ADMIN])
def test_anyone_but_an_owner_gets_403_on_every_people_action(
    client: TestClient, db: Database, tenant: Tenant, owner: Person, role: Role
) -> None:
    someone = make_person(db, tenant, role, email=f"someone-{role.value}@acme.example")
    csrf = sign_in_as(client, someone)
    assert client.get("/app/people").status_code == 403
    assert "needs the role owner" in client.get("/app/people").text
    actions = [
        ("/app/people", {"email": "x@acme.example", "role": "owner"}),
        (f"/app/people/{owner.id}/role", {"role": "viewer"}),
        (f"/app/people/{owner.id}/remove", {}),
        (f"/app/people/{someone.id}/role", {"role": "owner"}),  # not even oneself
    ]
    for path, data in actions:
        assert client.post(path, data={"_csrf": csrf, **data}).status_code == 403, path
    assert _roles(db, tenant) == {owner.email: "owner", someone.email: role.value}


def test_every_action_without_the_sessions_csrf_token_is_refused(
    client: TestClient, db: Database, tenant: Tenant, owner: Person, viewer: Person
) -> None:
    sign_in_as(client, owner)
    other = TestClient(client.app)
    other_csrf = sign_in_as(other, make_person(db, tenant, Role.OWNER, "second@acme.example"))
    actions = [
        ("/app/people", {"email": "x@acme.example", "role": "owner"}),
        (f"/app/people/{viewer.id}/role", {"role": "owner"}),
        (f"/app/people/{viewer.id}/remove", {}),
        ("/app/password", {"current_password": "x", "new_password": "y", "confirm_password": "y"}),
        ("/logout", {}),
    ]
    for path, data in actions:
        for token in (None, "", "forged", other_csrf):  # another session's token is no good
            sent = data if token is None else {"_csrf": token, **data}
            answer = client.post(path, data=sent, follow_redirects=False)
            assert answer.status_code == 403 and "expired" in answer.text, (path, token)
    assert _roles(db, tenant)[viewer.email] == "viewer"
    assert len(_roles(db, tenant)) == 3


def test_a_cross_site_post_is_refused_even_with_the_token(
    client: TestClient, db: Database, tenant: Tenant, owner: Person, viewer: Person
) -> None:
    csrf = sign_in_as(client, owner)
    answer = client.post(
        f"/app/people/{viewer.id}/remove",
        data={"_csrf": csrf},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert answer.status_code == 403
    assert viewer.email in _roles(db, tenant)


def test_a_workspace_never_sees_or_touches_anothers_people(
    client: TestClient, db: Database, tenant: Tenant, owner: Person, viewer: Person
) -> None:
    globex = make_tenant(db, "globex")
    their_owner = make_person(db, globex, Role.OWNER)
    their_viewer = make_person(db, globex, Role.VIEWER)
    csrf = sign_in_as(client, their_owner)
    for path in ("/app", "/app/people", "/app/password"):
        page = client.get(path)
        assert page.status_code == 200
        assert owner.email not in page.text and viewer.email not in page.text, path
        assert "acme" not in page.text.lower(), path
    for path, data in (
        (f"/app/people/{viewer.id}/role", {"role": "owner"}),
        (f"/app/people/{viewer.id}/remove", {}),
        (f"/app/people/{owner.id}/role", {"role": "viewer"}),
        (f"/app/people/{owner.id}/remove", {}),
    ):
        answer = client.post(path, data={"_csrf": csrf, **data})
        assert answer.status_code == 404, path
        assert owner.email not in answer.text and viewer.email not in answer.text
    assert _roles(db, tenant) == {owner.email: "owner", viewer.email: "viewer"}
    assert their_viewer.email in client.get("/app/people").text
