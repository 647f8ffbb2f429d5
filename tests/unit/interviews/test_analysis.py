"""analyze_transcript on a realistic interview against the bundled SaaS journey."""

from pathlib import Path

import pytest

from journeyscope.interviews import EXAMPLE_INTERVIEW, Role, detect_roles, parse_transcript
from journeyscope.interviews.analysis import analyze_transcript
from journeyscope.interviews.analysis_models import FindingKind
from journeyscope.journey import example_paths
from journeyscope.journey.yaml_format import load_journey_file
from journeyscope.nlp import QuestionKind

SOURCE = Path(__file__).parent / "data" / "saas-interview.txt"


@pytest.fixture(scope="module")
def journey():
    return load_journey_file(next(p for p in example_paths() if p.name == "saas-app.yaml"))


@pytest.fixture(scope="module")
def transcript():
    return detect_roles(parse_transcript(SOURCE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def analysis(transcript, journey):
    return analyze_transcript(transcript, journey=journey)


def _turn(transcript, words):
    return next(i for i, u in enumerate(transcript.utterances) if words in u.text)


def test_roles_and_one_result_per_utterance(transcript, analysis):
    assert transcript.utterances[0].role == Role.INTERVIEWER
    assert transcript.utterances[1].role == Role.CUSTOMER
    assert [u.position for u in analysis.utterances] == list(range(len(transcript.utterances)))


def test_customer_turns_are_annotated_and_questions_classified(transcript, analysis):
    for utterance, result in zip(transcript.utterances, analysis.utterances, strict=True):
        if utterance.role == Role.CUSTOMER:
            assert result.annotation is not None and result.question is None
        else:
            assert result.annotation is None
    kinds = {
        analysis.utterances[_turn(transcript, w)].question
        for w in ("Walk me through", "Did you upgrade", "Don't you think")
    }
    assert kinds == {QuestionKind.OPEN, QuestionKind.CLOSED, QuestionKind.LEADING}


def test_played_down_onboarding_becomes_a_probe_with_follow_ups(transcript, analysis):
    position = _turn(transcript, "a bit confusing")
    annotation = analysis.utterances[position].annotation
    assert annotation.minimized and annotation.valence < 0
    probes = [
        f
        for f in analysis.findings
        if f.kind == FindingKind.PROBE and f.quotes[0].position == position
    ]
    assert len(probes) == 1
    assert 2 <= len(probes[0].follow_ups) <= 3
    assert any("confusing" in q for q in probes[0].follow_ups)
    assert all(q.endswith("?") for q in probes[0].follow_ups)


def test_stages_follow_the_conversation(transcript, analysis):
    def stage(words):
        tag = analysis.utterances[_turn(transcript, words)].stage
        return tag.stage if tag else None

    assert stage("pricing page was clear") == "awareness"
    assert stage("a bit confusing") == "use-7d"
    assert stage("charged us twice") == "purchase"


def test_findings_cover_strength_weakness_opportunity_and_churn(transcript, analysis):
    kinds = {f.kind for f in analysis.findings}
    assert {
        FindingKind.STRENGTH,
        FindingKind.WEAKNESS,
        FindingKind.OPPORTUNITY,
        FindingKind.CHURN_RISK,
    } <= kinds
    churn = next(f for f in analysis.findings if f.kind == FindingKind.CHURN_RISK)
    assert any("switch" in q.text for q in churn.quotes)
    weakness_quotes = {
        q.position for f in analysis.findings if f.kind == FindingKind.WEAKNESS for q in f.quotes
    }
    assert _turn(transcript, "charged us twice") in weakness_quotes
    assert _turn(transcript, "a bit confusing") in weakness_quotes


def test_every_quote_is_the_customer_text(transcript, analysis):
    for finding in analysis.findings:
        for quote in finding.quotes:
            assert transcript.utterances[quote.position].text == quote.text
            assert transcript.utterances[quote.position].role == Role.CUSTOMER


def test_without_a_journey_there_are_no_stages(transcript):
    result = analyze_transcript(transcript, journey=None)
    assert all(u.stage is None for u in result.utterances)
    assert any(f.kind == FindingKind.PROBE for f in result.findings)


def test_a_short_yes_is_no_strength_but_a_churn_threat_is_a_risk(journey):
    example = detect_roles(parse_transcript(EXAMPLE_INTERVIEW.read_text(encoding="utf-8")))
    result = analyze_transcript(example, journey=journey)
    yes = _turn(example, "Yes, we did.")
    assert result.utterances[yes].annotation.valence > 0  # approval: positive, yet no strength
    by_kind = {}
    for finding in result.findings:
        by_kind.setdefault(finding.kind, set()).update(q.position for q in finding.quotes)
    assert yes not in by_kind.get(FindingKind.STRENGTH, set())
    switch = _turn(example, "switch to Asana")
    assert switch in by_kind[FindingKind.CHURN_RISK]
    assert switch not in by_kind.get(FindingKind.STRENGTH, set())


def test_each_customer_turn_is_read_with_the_question_before_and_the_previous_answer():
    from journeyscope.interviews import Format, Transcript, Utterance
    from journeyscope.interviews.analysis import _contexts

    def say(role, text):
        return Utterance(speaker=str(role), text=text, role=role)

    utterances = (
        say(Role.INTERVIEWER, "How was the install?"),
        say(Role.CUSTOMER, "The engineer was late."),
        say(Role.CUSTOMER, "Two hours, but that's broadband for you."),
        say(Role.INTERVIEWER, "Did you call them?"),
        say(Role.CUSTOMER, "Yes, twice."),
    )
    contexts = _contexts(Transcript(Format.PLAIN, utterances).utterances, [1, 2, 4])
    assert [(c.question, c.previous) for c in contexts] == [
        ("How was the install?", ""),
        ("How was the install?", "The engineer was late."),
        ("Did you call them?", "Two hours, but that's broadband for you."),
    ]
