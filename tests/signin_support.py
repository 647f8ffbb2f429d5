"""Signing in through the real form, for the web UI's tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from factories import Person

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def csrf_of(page: Response) -> str:
    """The ``_csrf`` value of the first form on ``page``."""
    found = CSRF.search(page.text)
    assert found, page.text
    return found[1]


def try_sign_in(client: TestClient, email: str, password: str) -> Response:
    """Open the sign-in form and post it; the answer, not followed."""
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "_csrf": csrf_of(form)},
        follow_redirects=False,
    )


def sign_in_as(client: TestClient, person: Person) -> str:
    """Sign ``person`` in; the CSRF token of their session (from ``/app``)."""
    answer = try_sign_in(client, person.email, person.password)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/app"))
