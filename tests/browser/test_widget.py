"""The website widget on a host page of another origin: trigger, answers, recontact, a11y, size."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from browser_support import (
    PHONE,
    LiveServer,
    ThreadedServer,
    axe_violations,
    describe_violations,
    save_screenshot,
)
from factories import FOUND_IT_SURVEY, make_published_survey, make_tenant
from journeyscope.store import tables

pytestmark = pytest.mark.browser

WIDGET = Path(__file__).parents[2] / "src/journeyscope/web/static/widget/journeyscope.js"
WEB_JOURNEY: dict[str, Any] = {
    "key": "web",
    "name": "Web shop",
    "stages": [
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "checkout", "name": "Checkout", "channel": "website"}],
        }
    ],
}
# The host page's own CSS tries hard to break whatever it contains.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><title>Shop</title>
<style>* {{ font-size: 40px; color: #ff0 !important; }}
div, label, button:not(#placed) {{ display: none; }}</style>
</head><body><main><h1>Thanks for your order</h1>
<button id="placed" onclick="journeyscope.track('order.placed')">Order placed</button></main>
<script>
(function(w){{var j=w.journeyscope=w.journeyscope||[];["init","track","identify"].forEach(
function(m){{j[m]=j[m]||function(){{j.push([m].concat([].slice.call(arguments)))}}}})}})(window);
journeyscope.init({{workspace: "acme", host: "{live}"}});
</script>
<script async src="{live}/static/widget/journeyscope.js"></script>
</body></html>"""


@pytest.fixture
def shop(live: LiveServer) -> Iterator[str]:
    """A host page on another origin (its own port) that embeds the widget."""

    async def home(request: Request) -> HTMLResponse:
        return HTMLResponse(HOST_PAGE.format(live=live.url))

    with ThreadedServer(Starlette(routes=[Route("/checkout", home)])) as server:
        yield server.url + "/checkout"


def _publish(live: LiveServer) -> Any:
    tenant = make_tenant(live.db, "acme")
    targeting = {"enabled": True, "events": ["order.placed"], "delay_seconds": 1}
    return make_published_survey(
        live.db,
        tenant,
        journey_spec=WEB_JOURNEY,
        touchpoint_key="checkout",
        targeting=targeting,
    )


def test_the_widget_is_small() -> None:
    assert len(gzip.compress(WIDGET.read_bytes(), 9)) <= 10 * 1024


def test_the_served_widget_is_under_10_kb_gzipped(live: LiveServer, page: Any) -> None:
    served = page.request.get(live.url + "/static/widget/journeyscope.js")
    assert served.ok
    assert len(gzip.compress(served.body(), 9)) <= 10240


def test_a_tracked_event_shows_the_survey_and_the_answers_reach_the_server(
    live: LiveServer, shop: str, page: Any
) -> None:
    published = _publish(live)
    page.goto(shop)
    page.get_by_role("button", name="Order placed").click()
    dialog = page.get_by_role("dialog", name="After your visit")
    dialog.wait_for(timeout=5000)
    dialog.get_by_label("3", exact=True).check()
    violations = axe_violations(page, include="journeyscope-widget")
    assert not violations, describe_violations(violations)
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("What went wrong?").fill("The queue")
    dialog.get_by_label("7", exact=True).check()
    save_screenshot(page, "widget")
    dialog.get_by_role("button", name="Submit").click()
    dialog.get_by_role("status").wait_for()
    assert "Thank you" in dialog.get_by_role("status").inner_text()
    with live.db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
        shown = session.scalars(select(tables.SurveyDisplay)).one()
        stored = (row.answers, row.is_complete, row.channel, row.touchpoint_id)
        assert stored == (
            {"nps": 3, "wrong": "The queue", "ease": 7},
            True,
            "website",
            published.touchpoint_id,
        )
        assert shown.responded_at is not None and shown.dismissed_at is None

    page.reload()  # within the recontact period: nothing more
    # The server's answer to this event is what would show the survey: waiting for it (not for
    # a while) proves nothing is coming, since the widget shows only a survey it was given.
    with page.expect_response(_eligibility_for("order.placed")) as checked:
        page.get_by_role("button", name="Order placed").click()
    assert checked.value.json()["survey"] is None
    assert page.locator("journeyscope-widget").count() == 0


def _eligibility_for(event: str) -> Callable[[Any], bool]:
    """Matches the widget's eligibility check for ``event``."""

    def matches(response: Any) -> bool:
        request = response.request
        is_check = request.method == "POST" and request.url.endswith("/eligibility")
        return is_check and (request.post_data_json or {}).get("event") == event

    return matches


def test_a_promoter_branches_to_the_end_and_escape_dismisses(
    live: LiveServer, shop: str, page: Any
) -> None:
    _publish(live)
    page.goto(shop)
    page.get_by_role("button", name="Order placed").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Next").wait_for()  # no score yet: a follow-up may come
    dialog.get_by_label("10", exact=True).check()
    dialog.get_by_role("button", name="Submit").click()  # the branch to the end holds now
    dialog.get_by_role("status").wait_for()  # the branch skipped the follow-up page
    page.keyboard.press("Escape")
    assert page.locator("journeyscope-widget").count() == 0
    with live.db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
        assert (row.answers, row.is_complete) == ({"nps": 10}, True)


def test_closing_unanswered_records_a_dismissal(live: LiveServer, shop: str, page: Any) -> None:
    _publish(live)
    page.goto(shop)
    page.get_by_role("button", name="Order placed").click()
    with page.expect_response(lambda r: r.url.endswith("/dismiss")) as dismissed:
        page.get_by_role("dialog").get_by_role("button", name="Close").click()
    assert dismissed.value.ok
    assert page.locator("journeyscope-widget").count() == 0
    with live.db.transaction() as session:
        shown = session.scalars(select(tables.SurveyDisplay)).one()
    assert shown.dismissed_at is not None


EVERY_TYPE: dict[str, Any] = {
    "title": "Your order",
    "pages": [
        {
            "id": "one",
            "questions": [
                {"id": "csat", "type": "csat", "text": "Satisfied?", "required": True},
                {
                    "id": "stars",
                    "type": "rating",
                    "scale": 4,
                    "text": "Rate the site",
                    "low_label": "Poor",
                    "high_label": "Great",
                },
                {
                    "id": "plan",
                    "type": "single_choice",
                    "text": "Which plan?",
                    "allow_other": True,
                    "choices": [{"id": "free", "label": "Free"}, {"id": "pro", "label": "Pro"}],
                },
            ],
        },
        {
            "id": "two",
            "questions": [
                {
                    "id": "why",
                    "type": "open_text",
                    "multiline": False,
                    "text": "Why {{answers.plan}}?",
                    "show_if": {"question": "plan", "op": "eq", "value": "other"},
                },
                {
                    "id": "used",
                    "type": "multi_choice",
                    "text": "What did you use?",
                    "choices": [{"id": "app", "label": "The app"}, {"id": "web", "label": "Web"}],
                },
                {
                    "id": "grid",
                    "type": "matrix",
                    "text": "How was...",
                    "rows": [{"id": "speed", "label": "Speed"}],
                    "columns": [{"id": "bad", "label": "Bad"}, {"id": "good", "label": "Good"}],
                },
            ],
        },
    ],
    "thank_you": "Thanks!",
}


def test_every_question_type_is_answered_with_clicks(
    live: LiveServer, shop: str, page: Any
) -> None:
    tenant = make_tenant(live.db, "acme")
    targeting = {"enabled": True, "url_patterns": ["*/checkout"]}
    make_published_survey(live.db, tenant, definition=EVERY_TYPE, targeting=targeting)
    page.goto(shop)
    dialog = page.get_by_role("dialog", name="Your order")
    dialog.get_by_role("button", name="Next").click()
    assert "Please answer" in dialog.get_by_role("alert").inner_text()  # csat is required
    dialog.get_by_role("group", name="Satisfied?").get_by_label("4", exact=True).check()
    dialog.get_by_label("4 Great").check()
    dialog.get_by_role("radio", name="Other").check()
    dialog.get_by_label("Other: please specify").fill("Team")
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("Why Team?").fill("Shared")
    dialog.get_by_label("The app").check()
    dialog.get_by_label("Web").check()
    dialog.get_by_role("group", name="Speed").get_by_label("Good").check()
    violations = axe_violations(page, include="journeyscope-widget")
    assert not violations, describe_violations(violations)
    dialog.get_by_role("button", name="Submit").click()
    assert dialog.get_by_role("status").inner_text() == "Thanks!"
    with live.db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
    assert row.is_complete
    assert row.answers == {
        "csat": 4,
        "stars": 4,
        "plan": {"other": "Team"},
        "why": "Shared",
        "used": ["app", "web"],
        "grid": {"speed": "good"},
    }


BRANCHED: dict[str, Any] = {
    "title": "Your order",
    "pages": [
        {
            "id": "score",
            "questions": [{"id": "nps", "type": "nps", "text": "Recommend us?"}],
            "branches": [{"if": {"question": "nps", "op": "gte", "value": 9}, "goto": "praise"}],
        },
        {
            "id": "why",
            "questions": [{"id": "wrong", "type": "open_text", "text": "What went wrong?"}],
            "branches": [{"goto": "end"}],
        },
        {
            "id": "praise",
            "questions": [{"id": "best", "type": "open_text", "text": "What did you like?"}],
        },
    ],
}


def test_the_last_page_reached_by_a_branch_says_submit(
    live: LiveServer, shop: str, page: Any
) -> None:
    tenant = make_tenant(live.db, "acme")
    targeting = {"enabled": True, "url_patterns": ["*/checkout"]}
    make_published_survey(live.db, tenant, definition=BRANCHED, targeting=targeting)
    page.goto(shop)
    dialog = page.get_by_role("dialog", name="Your order")
    dialog.get_by_label("3", exact=True).check()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("What went wrong?").fill("Slow")
    assert dialog.locator("button.go").inner_text() == "Submit"  # not the last page in order
    dialog.get_by_role("button", name="Submit").click()
    dialog.get_by_role("status").wait_for()
    with live.db.transaction() as session:
        row = session.scalars(select(tables.Response)).one()
    assert (row.answers, row.is_complete) == ({"nps": 3, "wrong": "Slow"}, True)


def test_the_button_follows_the_answers_on_the_page(live: LiveServer, shop: str, page: Any) -> None:
    tenant = make_tenant(live.db, "acme")
    targeting = {"enabled": True, "url_patterns": ["*/checkout"]}
    make_published_survey(live.db, tenant, definition=FOUND_IT_SURVEY, targeting=targeting)
    page.goto(shop)
    dialog = page.get_by_role("dialog", name="Did you find it?")
    go = dialog.locator("button.go")
    go.wait_for()
    assert go.inner_text() == "Submit"  # as it stands, nothing shows the second page
    dialog.get_by_label("No", exact=True).check()
    assert go.inner_text() == "Next"
    dialog.get_by_label("Yes", exact=True).check()
    assert go.inner_text() == "Submit"
    dialog.get_by_label("Anything to add?").fill("Great shop")  # while typing, not on blur
    assert go.inner_text() == "Next"
    go.click()
    dialog.get_by_label("Tell us more").wait_for()
    assert go.inner_text() == "Submit"


def test_on_a_phone_every_target_is_44px_and_nps_takes_two_rows(
    live: LiveServer, shop: str, page: Any
) -> None:
    _publish(live)
    page.set_viewport_size(PHONE)
    page.goto(shop)
    page.get_by_role("button", name="Order placed").click()
    page.get_by_role("dialog").get_by_label("10", exact=True).wait_for(state="attached")
    measured = page.evaluate(
        """() => {
            const root = document.querySelector("journeyscope-widget").shadowRoot;
            const box = root.querySelector(".box");
            const sizes = [...root.querySelectorAll(".o span, button")].map((el) => {
                const r = el.getBoundingClientRect();
                return [el.textContent.trim(), Math.round(r.width), Math.round(r.height)];
            });
            const tops = [...root.querySelectorAll(".o")].map((o) => o.getBoundingClientRect().top);
            return {sizes, rows: new Set(tops).size, fits: box.scrollWidth <= box.clientWidth};
        }"""
    )
    small = [(name, w, h) for name, w, h in measured["sizes"] if w < 44 or h < 44]
    assert small == []
    assert measured["rows"] == 2 and measured["fits"]  # 0-5 over 6-10, nothing cut off
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_eligibility_answer_carries_scale_ends_and_words(live: LiveServer, page: Any) -> None:
    tenant = make_tenant(live.db, "acme")
    definition = {**EVERY_TYPE, "title": {"en": "Your order", "fr": "Votre commande"}}
    definition["languages"] = ["fr"]
    targeting = {"enabled": True, "url_patterns": ["*/checkout"]}
    make_published_survey(live.db, tenant, definition=definition, targeting=targeting)
    reply = page.request.post(
        live.url + "/v1/public/workspaces/acme/eligibility",
        data={"visitor": str(uuid.uuid4()), "url": "https://shop.example/checkout", "lang": "fr"},
    )
    survey = reply.json()["survey"]
    assert survey["lang"] == "fr" and survey["definition"]["title"] == "Votre commande"
    scored = {
        q["id"]: (q["low"], q["high"])
        for p in survey["definition"]["pages"]
        for q in p["questions"]
        if "low" in q
    }
    assert scored == {"csat": (1, 5), "stars": (1, 4)}
    assert survey["words"]["next"] == "Suivant"
    assert survey["words"]["error_too_many"] == "Choisissez au plus {n} options."
