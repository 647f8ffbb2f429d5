"""The email snippet: the first question as one-click score links, escaped, email-safe."""

from __future__ import annotations

import re
from typing import Any

from journeyscope.collection.email_snippet import SnippetWords, render_email_snippet, score_url
from journeyscope.surveys import SurveyDefinition

URL = "https://feedback.example.com/i/TOKEN"


def survey(*questions: dict[str, Any], **extra: Any) -> SurveyDefinition:
    return SurveyDefinition.model_validate(
        {"title": "T", "pages": [{"id": "p", "questions": list(questions)}], **extra}
    )


NPS = {"id": "nps", "type": "nps", "text": "How likely?"}


def test_nps_first_question_becomes_eleven_score_links() -> None:
    snippet = render_email_snippet(survey(NPS), url=URL)
    links = re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', snippet.html)
    assert links == [(f"{URL}?nps={n}", str(n)) for n in range(11)]
    assert snippet.question_id == "nps"
    assert "Not at all likely" in snippet.html and "Extremely likely" in snippet.html


def test_snippet_is_email_safe_html() -> None:
    html = render_email_snippet(survey(NPS), url=URL).html
    assert html.startswith('<table role="presentation"')
    assert "<script" not in html and "class=" not in html and "<style" not in html


def test_csat_labels_come_from_the_question() -> None:
    question = {
        "id": "sat",
        "type": "csat",
        "text": "Happy?",
        "low_label": "No",
        "high_label": "Yes",
    }
    snippet = render_email_snippet(survey(question), url=URL)
    assert re.findall(r">(\d)</a>", snippet.html) == ["1", "2", "3", "4", "5"]
    assert "(1 = No, 5 = Yes)" in snippet.text


def test_texts_and_piped_names_are_escaped() -> None:
    question = {**NPS, "text": "Hi {{contact.first_name|there}}, <b>rate</b> us & more"}
    snippet = render_email_snippet(survey(question), url=URL, contact={"first_name": "<Bo>"})
    assert "Hi &lt;Bo&gt;, &lt;b&gt;rate&lt;/b&gt; us &amp; more" in snippet.html
    assert "<Bo>" not in snippet.html
    assert snippet.text.startswith("Hi <Bo>, <b>rate</b> us & more\n")


def test_existing_query_is_kept_and_the_url_escaped() -> None:
    assert score_url(f"{URL}?lang=fr", "nps", 9) == f"{URL}?lang=fr&nps=9"
    html = render_email_snippet(survey(NPS), url=f"{URL}?lang=fr").html
    assert f'href="{URL}?lang=fr&amp;nps=9"' in html


def test_first_question_not_scored_gives_a_start_button() -> None:
    question = {"id": "why", "type": "open_text", "text": "Why?"}
    words = SnippetWords(start="Commencer")
    snippet = render_email_snippet(survey(question), url=URL, words=words)
    assert re.findall(r"<a [^>]*>([^<]+)</a>", snippet.html) == ["Commencer"]
    assert f'href="{URL}"' in snippet.html
    assert snippet.text == f"Commencer: {URL}\n"
    assert snippet.question_id is None


def test_question_text_uses_the_respondents_language() -> None:
    question = {**NPS, "text": {"en": "How likely?", "fr": "Quelle probabilité ?"}}
    snippet = render_email_snippet(survey(question, languages=["fr"]), url=URL, lang="fr")
    assert "Quelle probabilité ?" in snippet.html


def test_plain_text_has_the_question_and_the_link() -> None:
    snippet = render_email_snippet(survey(NPS), url=URL)
    assert snippet.text == (
        f"How likely?\n(0 = Not at all likely, 10 = Extremely likely)\n\nAnswer here: {URL}\n"
    )
