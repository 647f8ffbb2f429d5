"""Hosted pages and the kiosk on a 390px phone, a 768px portrait tablet and a 1280px desktop.

Every question type on one page, in languages with long words (German "Unzufrieden"). On each
width: nothing scrolls sideways, no word of a label is broken across lines or spills out of
its box, faces are SVG with a size, and on touch widths every button is at least 44x44 pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import LiveServer, save_screenshot
from factories import make_published_survey, make_tenant
from journeyscope import journey
from journeyscope.surveys import PublishedSurvey

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "desktop": {"width": 1280, "height": 900},
}
TOUCH = {"phone", "tablet"}
EMOJI_FACES = ["😞", "🙁", "😐", "🙂", "😄"]


def _text(en: str, de: str, fr: str) -> dict[str, str]:
    return {"en": en, "de": de, "fr": fr}


EVERY_QUESTION: dict[str, Any] = {
    "title": _text("How was your visit?", "Wie war Ihr Besuch?", "Comment était votre visite ?"),
    "languages": ["de", "fr"],
    "pages": [
        {
            "id": "all",
            "questions": [
                {
                    "id": "csat",
                    "type": "csat",
                    "style": "smileys",
                    "required": True,
                    "text": _text("How happy are you?", "Wie zufrieden sind Sie?", "Satisfait ?"),
                },
                {
                    "id": "nps",
                    "type": "nps",
                    "text": _text("Recommend us?", "Empfehlen Sie uns?", "Nous recommander ?"),
                },
                {"id": "ces", "type": "ces", "text": _text("Easy?", "Einfach?", "Facile ?")},
                {
                    "id": "stars",
                    "type": "rating",
                    "scale": 10,
                    "style": "stars",
                    "text": _text("Stars?", "Sterne?", "Étoiles ?"),
                },
                {
                    "id": "reason",
                    "type": "single_choice",
                    "text": _text("Why?", "Warum?", "Pourquoi ?"),
                    "choices": [
                        {"id": "wait", "label": _text("Waiting time", "Wartezeit", "Attente")},
                        {
                            "id": "stock",
                            "label": _text(
                                "Product availability",
                                "Produktverfügbarkeit",
                                "Disponibilité des produits",
                            ),
                        },
                    ],
                },
                {
                    "id": "grid",
                    "type": "matrix",
                    "text": _text("Rate each", "Bewerten Sie", "Notez"),
                    "rows": [
                        {"id": "staff", "label": _text("Staff", "Personal", "Personnel")},
                        {"id": "clean", "label": _text("Cleanliness", "Sauberkeit", "Propreté")},
                    ],
                    "columns": [
                        {"id": "bad", "label": _text("Bad", "Schlecht", "Mauvais")},
                        {"id": "good", "label": _text("Good", "Gut", "Bon")},
                    ],
                },
                {
                    "id": "note",
                    "type": "open_text",
                    "text": _text("Anything else?", "Sonst?", "Autre ?"),
                },
            ],
        }
    ],
}

# Sizes, overflow and broken words, measured by the browser itself. A word broken across lines
# ("Unhap py") has more than one line box; a word too long for its box makes it overflow.
PROBLEMS = """({labels, touch}) => {
    const problems = [];
    const page = document.scrollingElement;
    if (page.scrollWidth > window.innerWidth) {
        problems.push(`the page scrolls sideways: ${page.scrollWidth} > ${window.innerWidth}`);
    }
    const name = (el) => el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    if (touch) {
        for (const el of document.querySelectorAll("button, .scale-option label, .choice")) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not shown
            const [w, h] = [Math.round(box.width), Math.round(box.height)];
            if (w < 44 || h < 44) problems.push(`target ${w}x${h}: ${name(el)}`);
        }
    }
    for (const el of document.querySelectorAll(labels)) {
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth) {
            problems.push(`overflows its box (${el.scrollWidth} > ${el.clientWidth}): ${name(el)}`);
        }
        const words = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = words.nextNode(); node; node = words.nextNode()) {
            for (const word of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const lines = [...range.getClientRects()].filter((r) => r.width > 0).length;
                if (lines > 1) problems.push(`word broken over ${lines} lines: ${word[0]}`);
            }
        }
    }
    return problems;
}"""
FACE_SIZES = """(selector) => [...document.querySelectorAll(selector)].map((face) => {
    const box = face.getBoundingClientRect();
    return [face.namespaceURI, Math.round(box.width), Math.round(box.height)];
})"""


@pytest.fixture
def published(live: LiveServer) -> PublishedSurvey:
    return make_published_survey(live.db, make_tenant(live.db, "acme"), definition=EVERY_QUESTION)


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    made = browser.new_context()
    made.set_default_timeout(10_000)
    yield made.new_page()
    made.close()


def _faces(page: Any, selector: str) -> list[list[Any]]:
    found: list[list[Any]] = page.evaluate(FACE_SIZES, selector)
    return found


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_kiosk_fits_every_screen(
    live: LiveServer, published: PublishedSurvey, tab: Any, device: str, lang: str
) -> None:
    point = journey.get_touchpoint(
        live.db, workspace_id=published.workspace_id, journey_key="retail", key="till"
    )
    tab.set_viewport_size(VIEWPORTS[device])
    tab.goto(f"{live.url}/k/{point.public_id}?lang={lang}")
    tab.wait_for_selector("button.smiley")
    labels = ".kiosk-title, .question-text, .option, .smiley-label, .matrix-label, .action"
    problems = tab.evaluate(PROBLEMS, {"labels": labels, "touch": device in TOUCH})
    save_screenshot(tab, f"kiosk-{device}-{lang}")
    assert problems == []
    faces = _faces(tab, "button.smiley svg")
    assert len(faces) == 5
    assert all(ns == "http://www.w3.org/2000/svg" and w >= 24 and h >= 24 for ns, w, h in faces)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_hosted_page_fits_every_screen(
    live: LiveServer, published: PublishedSurvey, tab: Any, device: str, lang: str
) -> None:
    tab.set_viewport_size(VIEWPORTS[device])
    tab.goto(f"{live.url}/s/{published.public_id}?lang={lang}")
    labels = "h1, legend, .scale-option label, .choice label, .scale-ends span, button"
    problems = tab.evaluate(PROBLEMS, {"labels": labels, "touch": device in TOUCH})
    save_screenshot(tab, f"hosted-{device}-{lang}")
    assert problems == []
    faces = _faces(tab, "#group-csat .scale-option svg")
    assert len(faces) == 5
    assert all(ns == "http://www.w3.org/2000/svg" and w >= 24 and h >= 24 for ns, w, h in faces)
    assert not [face for face in EMOJI_FACES if face in tab.content()]


def test_an_nps_scale_takes_two_rows_on_a_phone_and_one_on_a_tablet(
    live: LiveServer, published: PublishedSurvey, tab: Any
) -> None:
    rows = """() => new Set([...document.querySelectorAll('#group-nps .scale-option')]
        .map((option) => Math.round(option.getBoundingClientRect().top))).size"""
    tab.set_viewport_size(VIEWPORTS["phone"])
    tab.goto(f"{live.url}/s/{published.public_id}")
    assert tab.evaluate(rows) == 2  # 0-5 over 6-10
    tab.set_viewport_size(VIEWPORTS["tablet"])
    assert tab.evaluate(rows) == 1
