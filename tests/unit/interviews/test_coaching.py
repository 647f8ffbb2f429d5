import json
from dataclasses import replace

import pytest

from journeyscope.errors import InvalidInput
from journeyscope.interviews import Role, Transcript, Utterance
from journeyscope.interviews.analysis_models import InterviewAnalysis, UtteranceAnalysis
from journeyscope.interviews.coaching import (
    TalkTimeBasis,
    build_coaching_report,
    content_words,
    is_follow_up,
    measure_talk_time,
)
from journeyscope.interviews.coaching_render import render_coaching_report
from journeyscope.interviews.transcripts import Format
from journeyscope.nlp.annotations import QuestionKind
from unit.interviews.analysis_fixtures import (
    COURIER,
    GUIDE,
    LINES,
    SIGNUP,
    annotation,
    make_analysis,
    make_transcript,
    talky_transcript,
)


@pytest.fixture
def report():
    return build_coaching_report(make_transcript(), make_analysis(), guide_stages=GUIDE)


def test_talk_time_by_duration_when_times_exist(report):
    assert report.talk_time.basis is TalkTimeBasis.DURATION
    assert report.talk_time.interviewer_share == pytest.approx(0.2)
    assert (report.talk_time.interviewer, report.talk_time.customer) == (25.0, 100.0)


def test_talk_time_by_words_without_times():
    talk = measure_talk_time(make_transcript(timed=False).utterances)
    asked = sum(len(text.split()) for _, role, *_, text in LINES if role is Role.INTERVIEWER)
    said = sum(len(text.split()) for _, role, *_, text in LINES if role is Role.CUSTOMER)
    assert talk.basis is TalkTimeBasis.WORDS
    assert (talk.interviewer, talk.customer) == (asked, said)
    assert talk.interviewer_share == pytest.approx(asked / (asked + said))


def test_talk_time_falls_back_to_words_when_one_turn_lacks_times():
    transcript = make_transcript()
    first = replace(transcript.utterances[0], start=None)
    talk = measure_talk_time((first, *transcript.utterances[1:]))
    assert talk.basis is TalkTimeBasis.WORDS


def test_talk_time_leaves_out_unknown_roles():
    utterances = (
        Utterance("Maya", "one two", Role.INTERVIEWER),
        Utterance("Sam", "one two three four five six", Role.CUSTOMER),
        Utterance(None, "a very long note from nobody in particular at all", Role.UNKNOWN),
    )
    assert measure_talk_time(utterances).interviewer_share == pytest.approx(0.25)


def test_talk_time_is_none_without_known_roles():
    assert measure_talk_time((Utterance(None, "hello there"),)) is None


def test_talking_too_much_gives_advice_with_the_share():
    transcript, analysis = talky_transcript()
    report = build_coaching_report(transcript, analysis)
    assert report.talk_time.interviewer_share == pytest.approx(10 / 22)
    assert "You spoke 45% of the time (counted in words); aim for 20\u201330%." in report.advice


def test_questions_are_counted_by_kind_with_shares(report):
    mix = {share.kind: (share.count, share.share) for share in report.question_mix}
    assert mix[QuestionKind.OPEN] == (2, 0.5)
    assert mix[QuestionKind.CLOSED] == (1, 0.25)
    assert mix[QuestionKind.LEADING] == (1, 0.25)
    assert mix[QuestionKind.HYPOTHETICAL] == (0, 0.0)
    assert QuestionKind.NOT_A_QUESTION not in mix


def test_questions_are_listed_with_position_text_and_kind(report):
    listed = [(q.position, q.kind) for q in report.questions]
    assert listed == [
        (0, QuestionKind.OPEN),
        (2, QuestionKind.CLOSED),
        (4, QuestionKind.OPEN),
        (6, QuestionKind.LEADING),
    ]
    assert report.questions[1].text == "Did you buy it online?"
    assert report.question_count == 4


def test_played_down_feeling_then_topic_change_is_a_missed_probe(report):
    first = report.missed_probes[0]
    assert (first.position, first.next_position) == (1, 2)
    assert first.minimized
    assert first.dismissal == "but whatever, it's fine"
    assert first.quote == SIGNUP
    assert first.next_question == "Did you buy it online?"
    assert first.follow_ups[1] == "What did you do when it got confusing?"


def test_strong_emotion_then_leading_question_is_a_missed_probe(report):
    second = report.missed_probes[1]
    assert (second.position, second.emotion, second.intensity) == (5, "frustrated", 0.7)
    assert second.quote == COURIER
    assert second.follow_ups == ("What happened when nobody answered?",)


def test_echoing_the_customer_is_not_a_missed_probe(report):
    assert [m.position for m in report.missed_probes] == [1, 5]


def test_probe_phrase_counts_as_follow_up_without_shared_words():
    assert is_follow_up("The courier left it at the wrong door.", "Why?")
    assert is_follow_up("It was awful.", "Tell me more.")
    assert not is_follow_up("The courier left it at the wrong door.", "Do you use the app?")


def test_echo_matches_word_forms():
    assert content_words("It was confusing") & content_words("What was confused?")
    assert content_words("the prices") & content_words("about the price")


def test_mild_emotion_without_minimization_is_not_a_probe():
    transcript, analysis = make_transcript(), make_analysis()
    mild = annotation("Delivery was late.", {"angry": 0.49}, -0.4)
    utterances = list(analysis.utterances)
    utterances[3] = UtteranceAnalysis(3, mild)
    utterances[4] = UtteranceAnalysis(4, question=QuestionKind.OPEN)
    changed = replace(analysis, utterances=tuple(utterances))
    transcript = replace(
        transcript,
        utterances=tuple(
            replace(u, text="Shall we talk about the app?") if i == 4 else u
            for i, u in enumerate(transcript.utterances)
        ),
    )
    report = build_coaching_report(transcript, changed)
    assert 3 not in [m.position for m in report.missed_probes]


def test_feeling_at_the_end_of_the_interview_is_not_a_missed_probe():
    transcript = Transcript(
        Format.PLAIN,
        (
            Utterance("Maya", "How was it?", Role.INTERVIEWER),
            Utterance("Sam", "Awful.", Role.CUSTOMER),
        ),
    )
    analysis = InterviewAnalysis(
        (
            UtteranceAnalysis(0, question=QuestionKind.OPEN),
            UtteranceAnalysis(1, annotation("Awful.", {"angry": 0.9}, -0.9)),
        ),
        (),
        "hand-built",
    )
    assert build_coaching_report(transcript, analysis).missed_probes == ()


def test_missed_probe_without_probe_finding_has_no_follow_ups():
    analysis = make_analysis()
    report = build_coaching_report(make_transcript(), replace(analysis, findings=()))
    assert [m.follow_ups for m in report.missed_probes] == [(), ()]


def test_guide_stages_without_utterances_are_uncovered(report):
    assert report.guide_stages == GUIDE
    assert report.uncovered_stages == ("support",)


def test_guide_stages_keep_guide_order_once():
    report = build_coaching_report(
        make_transcript(), make_analysis(), guide_stages=["support", "billing", "support"]
    )
    assert report.uncovered_stages == ("support", "billing")


def test_advice_names_leading_questions_missed_probes_and_stages(report):
    advice = "\n".join(report.advice)
    assert "1 leading question suggested the answer" in advice
    assert "You moved on 2 times" in advice
    assert "Not covered from the guide: support." in advice
    assert "You spoke" not in advice


def test_mostly_closed_questions_get_advice():
    transcript, analysis = talky_transcript()
    advice = build_coaching_report(transcript, analysis).advice
    assert any(line.startswith("100% of your questions were closed") for line in advice)


def test_clean_interview_gets_a_reassuring_line():
    transcript = Transcript(
        Format.PLAIN,
        (
            Utterance("Maya", "How was it?", Role.INTERVIEWER, 0, 2),
            Utterance("Sam", "Fine, it arrived on time.", Role.CUSTOMER, 2, 12),
        ),
    )
    analysis = InterviewAnalysis((UtteranceAnalysis(0, question=QuestionKind.OPEN),), (), "x")
    assert build_coaching_report(transcript, analysis).advice[0].startswith("Nothing to flag")


def test_analysis_for_another_transcript_is_refused():
    analysis = make_analysis()
    short = replace(make_transcript(), utterances=make_transcript().utterances[:3])
    with pytest.raises(InvalidInput, match="utterance 3, but the transcript has 3"):
        build_coaching_report(short, analysis)


def test_json_has_stable_keys_and_round_trips(report):
    data = json.loads(render_coaching_report(report, "json"))
    assert list(data) == [
        "talk_time",
        "questions",
        "question_mix",
        "missed_probes",
        "guide_stages",
        "uncovered_stages",
        "advice",
    ]
    assert data["talk_time"] == {
        "interviewer_share": 0.2,
        "basis": "duration",
        "interviewer": 25.0,
        "customer": 100.0,
    }
    assert data["question_mix"][0] == {"kind": "open", "count": 2, "share": 0.5}
    assert data["missed_probes"][1]["follow_ups"] == ["What happened when nobody answered?"]


def test_json_is_the_same_for_the_same_report(report):
    assert render_coaching_report(report, "json") == render_coaching_report(report, "json")


def test_html_is_one_self_contained_page(report):
    page = render_coaching_report(report, "html")
    assert page.startswith("<!doctype html>")
    assert "<style>" in page
    assert "<script" not in page
    assert "<link" not in page
    assert "http://" not in page
    assert "https://" not in page


def test_html_escapes_transcript_text(report):
    page = render_coaching_report(report, "html")
    assert "&lt;phone&gt;" in page
    assert "<phone>" not in page
    assert "wrong door &amp; nobody" in page


def test_html_escapes_markup_in_stage_names():
    report = build_coaching_report(make_transcript(), make_analysis(), guide_stages=["<b>x</b>"])
    page = render_coaching_report(report, "html")
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_markdown_lists_questions_and_missed_probes(report):
    text = render_coaching_report(report, "md")
    assert "# Interviewer coaching report" in text
    assert "| Open | 2 | 50% |" in text
    assert "Did you buy it online?" in text
    assert "What happened when nobody answered?" in text


def test_markdown_escapes_markup(report):
    text = render_coaching_report(report, "md")
    assert "\\<phone\\>" in text
    assert "<phone>" not in text


def test_unknown_format_is_refused(report):
    with pytest.raises(InvalidInput, match="pdf"):
        render_coaching_report(report, "pdf")  # type: ignore[arg-type]
