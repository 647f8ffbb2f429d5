"""Live parts of the overview and the map: a poll answers 204 while the part is unchanged,
the new part once a response completes, and each fragment is checked like its page (role,
session, workspace)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_person, make_tenant
from journeyscope import analytics
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from journeyscope.workspaces import Role
from metrics_support import complete, make_journey
from signin_support import sign_in_as

NOW = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)
OVERVIEW = "/app/overview"
MAP = "/app/journeys/retail/map"
OVERVIEW_PARTS = ("metrics", "week", "funnel", "changes")
POLL = re.compile(r'<div id="live-([a-z]+)" class="live" data-live="[a-z]+" hx-get="([^"]+)"')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def viewer(client: TestClient, db: Database, tenant: Tenant) -> TestClient:
    """A viewer of a workspace with the two-stage journey and 31 NPS answers today."""
    make_journey(db, tenant)
    for i in range(31):
        complete(db, tenant, 9 if i % 3 else 4)
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    return client


def _polls(html: str) -> dict[str, str]:
    """Each live part's poll URL on a page (``&amp;`` unescaped)."""
    return {part: url.replace("&amp;", "&") for part, url in POLL.findall(html)}


def _nps_n(html: str) -> int:
    card = re.search(r'data-metric="nps">.*?n=(\d+)', html, re.S)
    assert card, html
    return int(card[1])


def test_the_overview_polls_each_part_and_an_unchanged_part_answers_204(
    viewer: TestClient,
) -> None:
    polls = _polls(viewer.get(OVERVIEW).text)
    assert sorted(polls) == sorted(OVERVIEW_PARTS)
    for part, url in polls.items():
        assert url.startswith(f"{OVERVIEW}/live/{part}?seen=")
        answer = viewer.get(url, headers={"HX-Request": "true"})
        assert answer.status_code == 204, (part, answer.text)
        assert answer.content == b""


def test_a_new_completed_response_changes_the_metrics_part(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    page = viewer.get(OVERVIEW).text
    before = _nps_n(page)
    complete(db, tenant, 10)
    answer = viewer.get(_polls(page)["metrics"], headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert _nps_n(answer.text) == before + 1 == 32
    (part, url) = POLL.findall(answer.text)[0]
    assert part == "metrics" and url != _polls(page)["metrics"]
    again = viewer.get(url.replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert again.status_code == 204


def test_the_map_part_follows_a_new_response_and_keeps_the_filters(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    page = viewer.get(MAP, params={"channel": "onsite", "since": "2027-05-20"}).text
    (url,) = _polls(page).values()
    assert url.startswith(f"{MAP}/live?") and "channel=onsite" in url and "since=2027-05-20" in url
    assert viewer.get(url).status_code == 204
    complete(db, tenant, 0)
    answer = viewer.get(url)
    assert answer.status_code == 200
    figure = re.search(
        r'data-stage="buy" data-metric="nps" [^>]*>[^<]+</span> <span[^>]*>n=(\d+)', answer.text
    )
    assert figure and figure[1] == "32", answer.text
    assert "<h2" in answer.text and "<html" not in answer.text


def test_every_fragment_of_another_workspace_shows_nothing_of_it(
    viewer: TestClient, client: TestClient, db: Database
) -> None:
    polls = _polls(viewer.get(OVERVIEW).text) | _polls(viewer.get(MAP).text)
    client.cookies.clear()
    other = make_tenant(db, slug="other")
    sign_in_as(client, make_person(db, other, Role.OWNER))
    for part, url in polls.items():
        answer = client.get(url, headers={"HX-Request": "true"})
        if part == "map":
            assert answer.status_code == 404, answer.text
        else:
            assert answer.status_code == 200, (part, answer.text)
        assert "n=31" not in answer.text and "Till" not in answer.text
    metrics = client.get(polls["metrics"]).text
    assert metrics.count("too few responses") == 3 and "n=0" in metrics


def test_a_fragment_without_a_session_is_refused_not_redirected(
    viewer: TestClient,
) -> None:
    polls = _polls(viewer.get(OVERVIEW).text) | _polls(viewer.get(MAP).text)
    viewer.cookies.clear()
    for url in polls.values():
        answer = viewer.get(url, headers={"HX-Request": "true"}, follow_redirects=False)
        assert answer.status_code == 401 and "Please sign in" in answer.text
        plain = viewer.get(url, follow_redirects=False)
        assert plain.status_code == 303 and "/login" in plain.headers["location"]


def test_an_unknown_part_is_not_found(viewer: TestClient) -> None:
    answer = viewer.get(f"{OVERVIEW}/live/secrets")
    assert answer.status_code == 422 or answer.status_code == 404
    assert "n=31" not in answer.text


def test_the_rollups_count_each_new_answer_for_the_live_check(db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)
    before = analytics.answers_counted(db, workspace_id=tenant.id)
    complete(db, tenant, 7, sat=4)
    assert analytics.answers_counted(db, workspace_id=tenant.id) == before + 2
    other = make_tenant(db, slug="other")
    assert analytics.answers_counted(db, workspace_id=other.id) == 0
