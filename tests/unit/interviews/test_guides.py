import io
import zlib

import docx
import pytest

from journeyscope.errors import InvalidInput
from journeyscope.interviews.guide_export import _render_pdf, open_sans_dir, render_guide
from journeyscope.interviews.guides import Guide, GuideQuestion, build_guide, check_guide
from journeyscope.journey import JourneySpec, example_paths, load_journey_file
from journeyscope.nlp import QuestionKind


def retail() -> JourneySpec:
    return load_journey_file(next(p for p in example_paths() if p.stem == "retail"))


def small_journey(stage_name: str = "Purchase") -> JourneySpec:
    return JourneySpec.model_validate(
        {
            "key": "shop",
            "name": "Shop",
            "stages": [
                {
                    "key": "purchase",
                    "name": stage_name,
                    "description": "The shopper pays.",
                    "customer_actions": ["Pays at the till"],
                    "touchpoints": [
                        {"key": "kiosk", "name": "Checkout kiosk", "channel": "onsite"},
                        {"key": "receipt", "name": "Email receipt", "channel": "email"},
                        {"key": "qr", "name": "Receipt QR code", "channel": "onsite"},
                    ],
                }
            ],
        }
    )


def pdf_text(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated, so a check can read the text."""
    out = data
    for stream in data.split(b"stream")[1:]:
        body = stream.split(b"endstream")[0].strip(b"\r\n")
        try:
            out += zlib.decompress(body)
        except zlib.error:
            continue
    return out


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_generated_main_question_is_open(path: object) -> None:
    guide = build_guide(load_journey_file(path), questions_per_stage=10)  # type: ignore[arg-type]

    verdicts = {c.question.text: c.check.kind for c in check_guide(guide) if not c.is_probe}

    assert verdicts
    assert set(verdicts.values()) == {QuestionKind.OPEN}, verdicts


def test_guide_has_warm_up_a_section_per_stage_and_wrap_up() -> None:
    journey = retail()

    guide = build_guide(journey)

    assert guide.warm_up.key == "warm-up"
    assert guide.wrap_up.key == "wrap-up"
    assert [s.key for s in guide.stages] == [s.key for s in journey.stages]
    assert all(len(s.questions) == 3 for s in guide.stages)


def test_stage_questions_name_the_stage_and_its_touchpoints() -> None:
    section = build_guide(small_journey()).stages[0]
    texts = [q.text for q in section.questions]

    assert "\u201cPurchase\u201d" in texts[0]
    assert "\u201cCheckout kiosk\u201d or \u201cReceipt QR code\u201d" in texts[1]
    assert "The shopper pays." in section.intro
    assert "Pays at the till" in section.intro


def test_stages_get_the_standard_probes() -> None:
    probes = [q.text for q in build_guide(small_journey()).stages[0].probes]

    assert "Tell me more about that." in probes
    assert "Walk me through what happened." in probes
    assert "How did that make you feel?" in probes
    assert "Why does that matter to you?" in probes
    assert any("Repeat their last" in p for p in probes)


def test_questions_per_stage_is_respected_and_bounded() -> None:
    assert len(build_guide(small_journey(), questions_per_stage=1).stages[0].questions) == 1
    assert len(build_guide(small_journey(), questions_per_stage=5).stages[0].questions) == 5
    with pytest.raises(InvalidInput):
        build_guide(small_journey(), questions_per_stage=0)


def test_check_guide_flags_a_user_edited_closed_question() -> None:
    guide = build_guide(small_journey())
    stage = guide.stages[0]
    edited = Guide(
        guide.title,
        guide.journey_key,
        guide.warm_up,
        (
            type(stage)(
                stage.key, stage.title, stage.intro, (GuideQuestion("Did you like the kiosk?"),)
            ),
        ),
        guide.wrap_up,
    )

    flagged = [c for c in check_guide(edited) if c.check.kind is not QuestionKind.OPEN]

    assert [(c.section_key, c.check.kind) for c in flagged] == [("purchase", QuestionKind.CLOSED)]


def test_markdown_export_has_headings_and_questions() -> None:
    guide = build_guide(retail())

    text = render_guide(guide, "md").decode("utf-8")

    assert text.startswith("# Interview guide: Retail store and web shop")
    assert "## Warm-up" in text
    assert "## Returns, repairs and support" in text
    assert "**Probes**" in text
    assert guide.stages[0].questions[0].text in text


def test_docx_export_reopens_with_every_question() -> None:
    guide = build_guide(retail())

    document = docx.Document(io.BytesIO(render_guide(guide, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)

    assert guide.title in text
    for section in guide.sections:
        assert section.title in text
        assert all(q.text in text for q in section.questions)


def test_pdf_export_contains_the_question_text() -> None:
    guide = build_guide(small_journey())

    data = render_guide(guide, "pdf")

    assert data.startswith(b"%PDF")
    assert b"Walk me through your visit" in pdf_text(_render_pdf(guide, font_dir=None))


def test_pdf_without_the_font_package_falls_back_to_latin_1() -> None:
    guide = build_guide(small_journey("Zakup \u2014 \u0142\u00f3d\u017a"))

    data = _render_pdf(guide, font_dir=None, compress=False)

    assert data.startswith(b"%PDF")
    assert b"Zakup - ?\xf3d?" in data


def test_pdf_with_open_sans_keeps_non_latin_1_text() -> None:
    if open_sans_dir() is None:
        pytest.skip("ttf-opensans is not installed")
    guide = build_guide(small_journey("Zakup \u0142\u00f3d\u017a"))

    data = _render_pdf(guide, font_dir=open_sans_dir(), compress=False)

    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the TTF is embedded
    assert b"OpenSans" in data


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidInput):
        render_guide(build_guide(small_journey()), "rtf")  # type: ignore[arg-type]
