"""Hosted survey pages without JavaScript: plain forms posted page by page, like a browser."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeSerializer

from factories import FOUND_IT_SURVEY, VISIT_SURVEY, Tenant, make_published_survey, tampered
from journeyscope import collection, surveys
from journeyscope.clock import SYSTEM_CLOCK
from journeyscope.collection.tokens import _SALT as TOKEN_SALT
from journeyscope.journey.models import Channel
from journeyscope.store import Database
from journeyscope.surveys import PublishedSurvey
from journeyscope.web.pages.hosted_security import read_form

SECRET = "test-secret-key"  # the `settings` fixture's


@pytest.fixture
def survey(db: Database, tenant: Tenant) -> PublishedSurvey:
    return make_published_survey(db, tenant)


def hidden(html: str) -> dict[str, str]:
    """The form's own hidden fields (_form, _page, _lang)."""
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', html))


def send(client: TestClient, url: str, page: httpx.Response, **answers: Any) -> httpx.Response:
    """Post the page's form back with ``answers`` (button "Next" unless _action is given)."""
    data = {**hidden(page.text), "_action": "next", **answers}
    return client.post(url, data=data, follow_redirects=False)


def follow(client: TestClient, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"])


def stored(db: Database, survey: PublishedSurvey, response_id: uuid.UUID) -> Any:
    return collection.find_response(db, workspace_id=survey.workspace_id, response_id=response_id)


def cookie_id(client: TestClient) -> uuid.UUID:
    return uuid.UUID(client.cookies["js_response"])


def invite(survey: PublishedSurvey, **overrides: Any) -> tuple[collection.Invitation, str]:
    overrides = {"now": SYSTEM_CLOCK.now(), **overrides}  # the clock of the test's db and app
    invitation = collection.new_invitation(
        workspace_id=survey.workspace_id, survey_id=survey.survey_id, **overrides
    )
    return invitation, collection.sign_invitation(invitation, SECRET)


def test_anonymous_link_shows_the_first_page_with_security_headers(
    client: TestClient, survey: PublishedSurvey
) -> None:
    page = client.get(f"/s/{survey.public_id}")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "<title>After your visit</title>" in page.text
    assert "Recommend us?" in page.text and "(required)" in page.text
    assert 'type="radio" id="q-nps-0" name="nps" value="0"' in page.text
    assert "<script" not in page.text
    headers = page.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    cookie = headers["set-cookie"]
    assert f"Path=/s/{survey.public_id}" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_detractor_answers_both_pages_and_completes(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    first = client.get(url)
    second = follow(client, send(client, url, first, nps="3"))
    assert "What went wrong?" in second.text
    assert hidden(second.text)["_page"] == "why"
    done = send(client, url, second, wrong="The queue <was> long", ease="5")
    assert done.headers["location"] == f"{url}?done=1&lang=en"
    thanks = follow(client, done)
    assert "Thank you for your feedback." in thanks.text
    assert "already answered" not in thanks.text
    response = stored(db, survey, cookie_id(client))
    assert response.is_complete
    assert response.answers == {"nps": 3, "wrong": "The queue <was> long", "ease": 5}
    assert response.channel == Channel.ONSITE.value  # the survey's touchpoint channel


def test_promoter_finishes_after_the_first_page(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    thanks = follow(client, send(client, url, client.get(url), nps="10"))
    assert "Thank you" in thanks.text
    response = stored(db, survey, cookie_id(client))
    assert response.is_complete and response.answers == {"nps": 10}


def test_survey_without_touchpoint_records_the_website_channel(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    survey = make_published_survey(db, tenant, key="web", touchpoint_key=None)
    url = f"/s/{survey.public_id}"
    follow(client, send(client, url, client.get(url), nps="9"))
    assert stored(db, survey, cookie_id(client)).channel == "website"


def button(page: httpx.Response) -> str:
    """The label of the page's main button."""
    found = re.search(r'name="_action" value="next" class="primary">([^<]*)</button>', page.text)
    assert found is not None, page.text
    return found[1]


def test_a_page_that_may_lead_to_another_says_next_not_submit(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    survey = make_published_survey(db, tenant, key="found", definition=FOUND_IT_SURVEY)
    url = f"/s/{survey.public_id}"
    first = client.get(url)
    assert button(first) == "Next"  # "No" leads to a second page; "Yes" ends here
    again = send(client, url, first)  # nothing chosen: the page again, with its error
    assert again.status_code == 422 and button(again) == "Next"
    more = follow(client, send(client, url, first, found="no"))
    assert hidden(more.text)["_page"] == "more" and button(more) == "Submit"


def test_a_page_that_ends_whatever_is_answered_says_submit(
    client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    assert button(client.get(url)) == "Next"  # NPS 0-8 go on to "What went wrong?"
    why = follow(client, send(client, url, client.get(url), nps="3"))
    assert button(why) == "Submit"
    one_page = {"title": "One", "pages": [VISIT_SURVEY["pages"][0] | {"branches": []}]}
    single = make_published_survey(db, tenant, key="one", definition=one_page)
    assert button(client.get(f"/s/{single.public_id}")) == "Submit"


def test_missing_required_answer_shows_a_focused_error_summary(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    page = send(client, url, client.get(url))
    assert page.status_code == 422
    assert "<title>Error: After your visit</title>" in page.text
    assert 'id="error-summary" role="alert"' in page.text and "autofocus" in page.text
    assert '<a href="#q-nps-0">Recommend us?: Answer this question.</a>' in page.text
    assert 'aria-describedby="q-nps-error"' in page.text
    assert 'id="q-nps-error"' in page.text
    assert stored(db, survey, cookie_id(client)) is None


def test_error_page_keeps_what_was_typed_and_ticked(
    client: TestClient, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    why = follow(client, send(client, url, client.get(url), nps="2"))
    page = send(client, url, why, wrong="", ease="6")
    assert page.status_code == 422
    assert 'value="6" checked' in page.text
    long_text = send(client, url, why, wrong="x" * 2001, ease="2")
    assert long_text.status_code == 422
    assert "Use at most 2000 characters." in long_text.text
    assert "x" * 2001 in long_text.text


def test_back_goes_to_the_previous_page_with_answers_kept(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    why = follow(client, send(client, url, client.get(url), nps="4"))
    back = follow(client, send(client, url, why, _action="back", wrong="Slow"))
    assert hidden(back.text)["_page"] == "score"
    assert 'value="4" checked' in back.text
    assert stored(db, survey, cookie_id(client)).answers == {"nps": 4, "wrong": "Slow"}


def test_changing_to_a_promoter_score_drops_the_hidden_follow_up(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    why = follow(client, send(client, url, client.get(url), nps="4"))
    back = follow(client, send(client, url, why, _action="back", wrong="Slow"))
    follow(client, send(client, url, back, nps="10"))
    response = stored(db, survey, cookie_id(client))
    assert response.is_complete
    assert {k: v for k, v in response.answers.items() if v is not None} == {"nps": 10}


def test_reopening_the_link_resumes_at_the_unanswered_page(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    send(client, url, client.get(url), nps="6")
    again = client.get(url)
    assert hidden(again.text)["_page"] == "why"
    first = client.get(url, params={"page": "score"})
    assert 'value="6" checked' in first.text


def test_a_later_page_cannot_be_opened_before_the_required_one(
    client: TestClient, survey: PublishedSurvey
) -> None:
    page = client.get(f"/s/{survey.public_id}", params={"page": "why"})
    assert hidden(page.text)["_page"] == "score"


def test_a_completed_response_shows_already_answered(
    client: TestClient, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    follow(client, send(client, url, client.get(url), nps="9"))
    again = client.get(url)
    assert "You have already answered this survey." in again.text
    assert "Recommend us?" not in again.text


def test_form_signed_for_another_response_is_refused(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    page = client.get(url)
    other = TestClient(client.app)
    foreign = other.get(url)  # a form made for someone else's response
    refused = client.post(url, data={**hidden(foreign.text), "nps": "1"}, follow_redirects=False)
    assert refused.status_code == 403
    assert "could not be saved" in refused.text
    forged = client.post(url, data={**hidden(page.text), "_form": "forged", "nps": "1"})
    assert forged.status_code == 403
    assert stored(db, survey, cookie_id(client)) is None


def test_unknown_survey_is_a_friendly_html_404(client: TestClient, tenant: Tenant) -> None:
    page = client.get("/s/nope-nope", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Ce questionnaire n&#39;est pas disponible" in page.text
    assert '<html lang="fr">' in page.text


def test_language_comes_from_the_query_then_the_browser(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    definition = {
        "title": {"en": "Your visit", "fr": "Votre visite"},
        "languages": ["fr"],
        "pages": [{"id": "p", "questions": [{"id": "nps", "type": "nps", "text": "Score?"}]}],
    }
    survey = make_published_survey(db, tenant, key="intl", definition=definition)
    url = f"/s/{survey.public_id}"
    french = client.get(url, headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.text and "Votre visite" in french.text
    assert "Envoyer" in french.text and "Pas du tout probable" in french.text
    english = client.get(url, params={"lang": "en"}, headers={"accept-language": "fr"})
    assert "Your visit" in english.text and "Submit" in english.text
    fallback = client.get(url, params={"lang": "de"})
    assert '<html lang="en">' in fallback.text


def test_smiley_scales_are_drawn_as_svg_faces_not_emoji(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    question = {"id": "csat", "type": "csat", "style": "smileys", "text": "Happy?"}
    definition = {"title": "Faces", "pages": [{"id": "p", "questions": [question]}]}
    survey = make_published_survey(db, tenant, key="faces", definition=definition)
    page = client.get(f"/s/{survey.public_id}").text
    assert page.count('<svg class="smiley-face"') == 5
    assert not [face for face in ["😞", "🙁", "😐", "🙂", "😄"] if face in page]


def test_survey_text_is_escaped(client: TestClient, db: Database, tenant: Tenant) -> None:
    definition = {
        "title": "<script>alert(1)</script>",
        "pages": [
            {
                "id": "p",
                "questions": [
                    {
                        "id": "q",
                        "type": "open_text",
                        "text": "<b>bold</b>",
                        "multiline": False,
                        "placeholder": '"><img src=x>',
                    },
                    {
                        "id": "c",
                        "type": "single_choice",
                        "text": "Pick",
                        "allow_other": True,
                        "choices": [{"id": "a", "label": "<i>A</i>"}],
                    },
                ],
            }
        ],
    }
    survey = make_published_survey(db, tenant, key="xss", definition=definition)
    page = client.get(f"/s/{survey.public_id}")
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "<b>bold</b>" not in page.text and "<i>A</i>" not in page.text
    assert "<img src=x>" not in page.text


def test_all_question_types_parse_into_answer_shapes(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    definition = {
        "title": "Everything",
        "pages": [
            {
                "id": "p",
                "questions": [
                    {
                        "id": "stars",
                        "type": "rating",
                        "scale": 5,
                        "style": "stars",
                        "text": "Stars",
                    },
                    {
                        "id": "plan",
                        "type": "single_choice",
                        "text": "Plan",
                        "allow_other": True,
                        "choices": [{"id": "free", "label": "Free"}, {"id": "pro", "label": "Pro"}],
                    },
                    {
                        "id": "why",
                        "type": "multi_choice",
                        "text": "Why",
                        "allow_other": True,
                        "max_selected": 2,
                        "choices": [
                            {"id": "price", "label": "Price"},
                            {"id": "fast", "label": "Fast"},
                        ],
                    },
                    {
                        "id": "grid",
                        "type": "matrix",
                        "text": "Grid",
                        "rows": [{"id": "food", "label": "Food"}, {"id": "room", "label": "Room"}],
                        "columns": [{"id": "bad", "label": "Bad"}, {"id": "good", "label": "Good"}],
                    },
                ],
            }
        ],
    }
    survey = make_published_survey(db, tenant, key="all", definition=definition)
    url = f"/s/{survey.public_id}"
    page = client.get(url)
    too_many = send(client, url, page, why=["price", "fast", "other"], **{"why.other": "Kind"})
    assert too_many.status_code == 422 and "Choose at most 2 options." in too_many.text
    answers = {
        "stars": "4",
        "plan": "other",
        "plan.other": "Custom",
        "why": ["price", "other"],
        "why.other": "Kind staff",
        "grid.food": "good",
        "grid.room": "bad",
    }
    follow(client, send(client, url, page, **answers))
    assert stored(db, survey, cookie_id(client)).answers == {
        "stars": 4,
        "plan": {"other": "Custom"},
        "why": {"choices": ["price"], "other": "Kind staff"},
        "grid": {"food": "good", "room": "bad"},
    }


def test_personal_link_fills_the_invitations_response(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey, channel=Channel.SMS)
    url = f"/i/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Recommend us?" in page.text
    assert "set-cookie" not in page.headers
    follow(client, send(client, url, page, nps="10"))
    response = stored(db, survey, invitation.response_id)
    assert response.is_complete and response.answers == {"nps": 10}
    assert response.channel == "sms"


def test_a_second_completion_of_an_invitation_changes_nothing(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    url = f"/i/{token}"
    page = client.get(url)
    follow(client, send(client, url, page, nps="9"))
    again = follow(client, send(client, url, page, nps="0"))
    assert "You have already answered this survey." in again.text
    assert stored(db, survey, invitation.response_id).answers == {"nps": 9}


def test_tampered_token_shows_not_valid_without_survey_data(
    client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    page = client.get(f"/i/{tampered(token)}")
    assert page.status_code == 403
    assert "This survey link is not valid" in page.text
    assert "After your visit" not in page.text and "Recommend us?" not in page.text
    posted = client.post(f"/i/{tampered(token)}", data={"nps": "1"})
    assert posted.status_code == 403


ABSURD_EXPIRIES = {
    "year 9999": int(dt.datetime(9999, 12, 31, tzinfo=dt.UTC).timestamp()),
    "year 1": int(dt.datetime(1, 1, 1, tzinfo=dt.UTC).timestamp()),
    "past the calendar": 10**12,
    "past time_t": 10**20,
    "far before": -(10**20),
}


@pytest.mark.parametrize("expiry", ABSURD_EXPIRIES.values(), ids=ABSURD_EXPIRIES.keys())
def test_a_signed_token_with_an_absurd_expiry_shows_not_valid(
    client: TestClient, survey: PublishedSurvey, expiry: int
) -> None:
    payload = {"w": survey.workspace_id.hex, "s": survey.survey_id.hex, "c": uuid.uuid4().hex}
    payload |= {"ch": "email", "n": "absurd", "e": expiry}
    token = URLSafeSerializer(SECRET, salt=TOKEN_SALT).dumps(payload)
    for path in (f"/i/{token}", f"/u/{token}"):
        for reply in (client.get(path), client.post(path, data={"nps": "1"})):
            assert reply.status_code == 403, (path, reply.status_code)
            assert "not valid" in reply.text and "Recommend us?" not in reply.text


def test_expired_token_says_so(client: TestClient, survey: PublishedSurvey) -> None:
    _, token = invite(survey, lifetime=dt.timedelta(seconds=-1))
    page = client.get(f"/i/{token}", headers={"accept-language": "de"})
    assert page.status_code == 410
    assert "Dieser Umfragelink ist abgelaufen" in page.text
    assert "Recommend us?" not in page.text


def test_a_score_link_selects_the_score_and_a_bare_get_saves_nothing(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    page = client.get(f"/i/{token}", params={"nps": "7"})  # what a mail scanner does
    assert page.status_code == 200
    assert 'value="7" checked' in page.text
    assert '<form method="post"' in page.text and "data-autosave" in page.text
    assert '<script src="/static/hosted/hosted.js" defer></script>' in page.text
    assert 'name="_action" value="save"' in page.text  # the button where script is off
    assert stored(db, survey, invitation.response_id) is None


def test_a_page_without_a_score_link_loads_no_script(
    client: TestClient, survey: PublishedSurvey
) -> None:
    _, token = invite(survey)
    page = client.get(f"/i/{token}")
    assert "<script" not in page.text and "data-autosave" not in page.text
    assert 'value="save"' not in page.text


def test_saving_the_selected_score_records_it_and_keeps_it_editable(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    url = f"/i/{token}"
    page = client.get(url, params={"nps": "7"})
    saved = send(client, url, page, nps="7", _action="save")  # the script's (or button's) POST
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{url}?page=score&lang=en"  # no score: a reload is safe
    response = stored(db, survey, invitation.response_id)
    assert response.answers == {"nps": 7} and not response.is_complete
    again = client.get(saved.headers["location"])
    assert 'value="7" checked' in again.text and "data-autosave" not in again.text
    changed = follow(client, send(client, url, again, nps="2"))
    assert hidden(changed.text)["_page"] == "why"
    assert stored(db, survey, invitation.response_id).answers == {"nps": 2}


def test_saving_keeps_a_required_question_left_empty_on_the_page_open(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    definition = {
        "title": "Two on one page",
        "pages": [
            {
                "id": "p",
                "questions": [
                    {"id": "nps", "type": "nps", "text": "Recommend us?", "required": True},
                    {"id": "why", "type": "open_text", "text": "Why?", "required": True},
                ],
            }
        ],
    }
    survey = make_published_survey(db, tenant, key="two", definition=definition)
    invitation, token = invite(survey)
    page = client.get(f"/i/{token}", params={"nps": "9"})
    saved = send(client, f"/i/{token}", page, nps="9", _action="save")
    assert saved.status_code == 303  # "why" is required, but saving is not finishing
    assert stored(db, survey, invitation.response_id).answers == {"nps": 9}


# Digits that str.isdigit() takes and int() reads (or fails on): superscript two, circled one,
# Arabic-Indic three, fullwidth seven, Bengali three. Only ASCII digits are scores.
UNICODE_DIGITS = ["\u00b2", "\u2460", "\u0663", "\uff17", "\u09e9"]


@pytest.mark.parametrize("score", ["11", "-1", "7.0", "abc", *UNICODE_DIGITS])
def test_a_score_link_with_no_valid_score_shows_the_error_and_saves_nothing(
    client: TestClient, db: Database, survey: PublishedSurvey, score: str
) -> None:
    invitation, token = invite(survey)
    page = client.get(f"/i/{token}", params={"nps": score})
    assert page.status_code == 422
    assert "This answer cannot be accepted." in page.text
    assert "data-autosave" not in page.text and " checked" not in page.text
    assert stored(db, survey, invitation.response_id) is None


@pytest.mark.parametrize("score", [*UNICODE_DIGITS, "1\u00b2"])
def test_unicode_digits_in_a_form_field_are_not_a_number(
    client: TestClient, db: Database, survey: PublishedSurvey, score: str
) -> None:
    url = f"/s/{survey.public_id}"
    page = send(client, url, client.get(url), nps=score)
    assert page.status_code == 422
    assert '<a href="#q-nps-0">Recommend us?: This answer cannot be accepted.' in page.text
    assert stored(db, survey, cookie_id(client)) is None


@pytest.mark.parametrize("score", ["\u00b2", "\u0663"])
def test_unicode_digits_in_a_saved_score_are_not_a_number(
    client: TestClient, db: Database, survey: PublishedSurvey, score: str
) -> None:
    invitation, token = invite(survey)
    page = client.get(f"/i/{token}")
    refused = send(client, f"/i/{token}", page, nps=score, _action="save")
    assert refused.status_code == 422 and "This answer cannot be accepted." in refused.text
    assert stored(db, survey, invitation.response_id) is None


def test_form_of_another_invitation_is_refused(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    mine, token = invite(survey)
    _, other_token = invite(survey)
    foreign = client.get(f"/i/{other_token}")
    refused = client.post(f"/i/{token}", data={**hidden(foreign.text), "nps": "1"})
    assert refused.status_code == 403
    assert stored(db, survey, mine.response_id) is None


# --- cross-site posts, foreign responses, republishing ----------------------------------------


def _fresh_form(client: TestClient, url: str) -> dict[str, str]:
    """The hidden fields of a form made for *another* browser's response (an attacker's)."""
    with TestClient(client.app) as attacker:
        return hidden(attacker.get(url).text)


def test_a_post_marked_cross_site_is_refused_and_nothing_is_saved(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    form = _fresh_form(client, url)
    victim = TestClient(client.app)
    refused = victim.post(
        url,
        data={**form, "nps": "2"},
        headers={"sec-fetch-site": "cross-site"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "could not be saved" in refused.text
    assert "set-cookie" not in refused.headers
    signed = read_form(SECRET, survey.survey_id, form["_form"])
    assert signed is not None and stored(db, survey, signed) is None


@pytest.mark.parametrize("origin", ["https://evil.example", "http://testserver.evil.example"])
def test_a_post_from_a_foreign_origin_is_refused(
    client: TestClient, db: Database, survey: PublishedSurvey, origin: str
) -> None:
    url = f"/s/{survey.public_id}"
    page = client.get(url)
    refused = client.post(url, data={**hidden(page.text), "nps": "2"}, headers={"origin": origin})
    assert refused.status_code == 403
    assert stored(db, survey, cookie_id(client)) is None


def test_a_personal_link_post_from_another_site_is_refused(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    invitation, token = invite(survey)
    page = client.get(f"/i/{token}")
    refused = client.post(
        f"/i/{token}",
        data={**hidden(page.text), "nps": "2"},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert refused.status_code == 403
    assert stored(db, survey, invitation.response_id) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://testserver", "sec-fetch-site": "same-origin"},
        {"origin": "http://127.0.0.1:8000"},  # JOURNEYSCOPE_BASE_URL's origin (behind a proxy)
        {"origin": "null", "sec-fetch-site": "same-origin"},  # our no-referrer pages send this
    ],
)
def test_a_post_from_our_own_pages_is_accepted(
    client: TestClient, db: Database, survey: PublishedSurvey, headers: dict[str, str]
) -> None:
    url = f"/s/{survey.public_id}"
    sent = client.post(url, data={**hidden(client.get(url).text), "nps": "3"}, headers=headers)
    assert sent.status_code == 200 and "What went wrong?" in sent.text
    assert stored(db, survey, cookie_id(client)).answers == {"nps": 3}


def test_a_post_without_cookie_from_an_unknown_site_never_plants_the_cookie(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    form = _fresh_form(client, url)  # the attacker's own response R, signed
    victim = TestClient(client.app)  # no cookie: SameSite=Lax withheld it, or an old browser
    sent = victim.post(url, data={**form, "nps": "3"}, follow_redirects=False)
    assert sent.status_code == 303
    assert "set-cookie" not in sent.headers
    assert "js_response" not in victim.cookies


def test_a_same_origin_post_without_cookie_sets_it(
    client: TestClient, db: Database, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    form = _fresh_form(client, url)  # e.g. the cookie expired between page and post
    browser = TestClient(client.app)
    sent = browser.post(
        url,
        data={**form, "nps": "3"},
        headers={"sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert f"Path=/s/{survey.public_id}" in sent.headers["set-cookie"]
    assert stored(db, survey, cookie_id(browser)).answers == {"nps": 3}


def test_a_cookie_naming_another_surveys_response_starts_afresh(
    client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    other = make_published_survey(db, tenant, key="other", touchpoint_key=None)
    foreign = uuid.uuid4()
    data = collection.PublicResponseIn(id=foreign, answers={"nps": 6})
    collection.submit_public(db, other, data, channel=Channel.WEBSITE)
    url = f"/s/{survey.public_id}"
    client.cookies.set("js_response", str(foreign), domain="testserver.local", path=url)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="6" checked' not in page.text
    assert hidden(page.text)["_page"] == "score"
    assert cookie_id(client) != foreign
    follow(client, send(client, url, page, nps="10"))
    assert stored(db, survey, cookie_id(client)).answers == {"nps": 10}
    assert stored(db, other, foreign).answers == {"nps": 6}  # untouched


def test_an_invitation_whose_id_holds_another_surveys_response_is_refused_not_500(
    client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    other = make_published_survey(db, tenant, key="other", touchpoint_key=None)
    invitation, token = invite(survey)
    data = collection.PublicResponseIn(id=invitation.response_id, answers={"nps": 6})
    collection.submit_public(db, other, data, channel=Channel.WEBSITE)
    page = client.get(f"/i/{token}")
    assert page.status_code == 200
    assert 'value="6" checked' not in page.text
    sent = client.post(f"/i/{token}", data={**hidden(page.text), "nps": "9"})
    assert sent.status_code == 403
    assert stored(db, other, invitation.response_id).answers == {"nps": 6}


def test_a_response_started_before_a_republish_continues_on_its_version(
    client: TestClient, db: Database, tenant: Tenant, survey: PublishedSurvey
) -> None:
    url = f"/s/{survey.public_id}"
    why = follow(client, send(client, url, client.get(url), nps="3"))
    assert "What went wrong?" in why.text
    changed = {
        **VISIT_SURVEY,
        "pages": [
            VISIT_SURVEY["pages"][0],
            {
                "id": "why",
                "questions": [
                    {"id": "reason", "type": "open_text", "text": "Tell us why", "required": True}
                ],
            },
        ],
    }
    surveys.replace_draft(
        db,
        workspace_id=tenant.id,
        key="visit",
        definition=surveys.SurveyDefinition.model_validate(changed),
    )
    surveys.publish_survey(db, workspace_id=tenant.id, key="visit")
    again = client.get(url)
    assert "What went wrong?" in again.text and "Tell us why" not in again.text
    thanks = follow(client, send(client, url, again, wrong="Slow", ease="6"))
    assert "Thank you for your feedback." in thanks.text
    response = stored(db, survey, cookie_id(client))
    assert response.is_complete and response.version == 1
    assert response.answers == {"nps": 3, "wrong": "Slow", "ease": 6}
    new = TestClient(client.app)  # a new respondent gets the new version
    assert "Tell us why" in follow(new, send(new, url, new.get(url), nps="3")).text


def test_a_first_visit_looks_up_no_stored_response(
    client: TestClient, survey: PublishedSurvey, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[uuid.UUID] = []
    real = collection.find_response

    def counted(db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID) -> Any:
        calls.append(response_id)
        return real(db, workspace_id=workspace_id, response_id=response_id)

    monkeypatch.setattr(collection, "find_response", counted)
    url = f"/s/{survey.public_id}"
    client.get(url)
    assert calls == []
    client.get(url)  # now with the cookie: resumed
    assert calls == [cookie_id(client)]


def test_the_not_found_page_weighs_accept_language(client: TestClient, tenant: Tenant) -> None:
    page = client.get("/s/nope-nope", headers={"accept-language": "de;q=0.2, fr;q=0.9"})
    assert '<html lang="fr">' in page.text


def test_new_visitors_share_a_rendered_page_but_not_its_form_token(
    client: TestClient, survey: PublishedSurvey
) -> None:
    from journeyscope.web.pages.hosted_flow import BLANK_PAGES

    BLANK_PAGES.clear()
    url = f"/s/{survey.public_id}"
    fresh = client.get(url)
    client.cookies.clear()
    kept = client.get(url)
    assert SECRET not in kept.text
    tokens = [hidden(page.text)["_form"] for page in (fresh, kept)]
    ids = [uuid.UUID(page.cookies["js_response"]) for page in (fresh, kept)]
    assert ids[0] != ids[1]
    assert [read_form(SECRET, survey.survey_id, token) for token in tokens] == ids
    assert kept.text.replace(tokens[1], tokens[0]) == fresh.text
    assert kept.headers["content-type"] == fresh.headers["content-type"]


def test_page_showing_answers_is_never_shared(client: TestClient, survey: PublishedSurvey) -> None:
    from journeyscope.web.pages.hosted_flow import BLANK_PAGES

    url = f"/s/{survey.public_id}"
    BLANK_PAGES.clear()
    client.get(f"{url}?nps=7")  # a score from an email link: shown selected, not saved
    client.cookies.clear()
    page = client.get(url)
    assert 'value="7" checked' not in page.text and "data-autosave" not in page.text
    client.cookies.clear()
    assert 'value="7" checked' in client.get(f"{url}?nps=7").text
