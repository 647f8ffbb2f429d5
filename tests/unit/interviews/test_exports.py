import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from journeyscope.errors import InvalidInput
from journeyscope.interviews import Role, Transcript, Utterance
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    Quote,
    UtteranceAnalysis,
)
from journeyscope.interviews.export_csv import COLUMNS, neutralise_formula, utterances_csv
from journeyscope.interviews.qdpx import NAMESPACE, QdpxInterview, build_qdpx, source_text
from journeyscope.interviews.transcripts import Format
from unit.interviews.analysis_fixtures import (
    COURIER,
    LINES,
    SIGNUP,
    annotation,
    make_analysis,
    make_transcript,
)

SCHEMA_PATH = Path(__file__).parents[2] / "vendor" / "refi-qda" / "Project.xsd"
NS = {"q": NAMESPACE}
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
HELD = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_the_header_and_one_row_per_utterance():
    text = utterances_csv(make_transcript(), make_analysis())
    reader = csv.reader(io.StringIO(text, newline=""))
    assert tuple(next(reader)) == COLUMNS
    assert len(list(reader)) == len(LINES)


def test_csv_round_trips_transcript_fields():
    parsed = rows(utterances_csv(make_transcript(), make_analysis()))
    assert [r["text"] for r in parsed] == [line[-1] for line in LINES]
    assert parsed[5]["text"] == COURIER
    assert (parsed[1]["speaker"], parsed[1]["role"]) == ("Sam", "customer")
    assert (parsed[1]["start"], parsed[1]["end"]) == ("10", "40")


def test_csv_carries_the_analysis():
    row = rows(utterances_csv(make_transcript(), make_analysis()))[3]
    assert row["stage"] == "delivery"
    assert row["stage_confidence"] == "0.8"
    assert row["touchpoint"] == "courier"
    assert row["top_emotion"] == "angry"
    assert row["emotions"] == "angry:0.85;frustrated:0.40"
    assert (row["valence"], row["sentiment"], row["minimized"]) == ("-0.8", "negative", "no")


def test_csv_carries_questions_minimization_and_follow_ups():
    parsed = rows(utterances_csv(make_transcript(), make_analysis()))
    assert parsed[6]["question_kind"] == "leading"
    assert parsed[1]["minimized"] == "yes"
    assert parsed[1]["dismissal"] == "but whatever, it's fine"
    assert parsed[1]["follow_ups"] == (
        "You said the signup was 'a bit confusing'; what happened? | "
        "What did you do when it got confusing?"
    )


def test_csv_leaves_cells_empty_where_nothing_was_found():
    row = rows(utterances_csv(make_transcript(timed=False), make_analysis()))[6]
    assert row["start"] == row["end"] == row["stage"] == row["top_emotion"] == ""
    assert row["minimized"] == row["sentiment"] == ""


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+1 555", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(cell):
    assert neutralise_formula(cell) == "'" + cell


def test_plain_cells_are_left_alone():
    assert neutralise_formula("It was fine = good") == "It was fine = good"


def test_csv_neutralises_formulas_in_transcript_text_and_speaker():
    transcript = Transcript(
        Format.PLAIN,
        (
            Utterance("=cmd|' /C calc'!A0", "@SUM(1+1)", Role.INTERVIEWER),
            Utterance("Sam", "-1 star, awful", Role.CUSTOMER),
        ),
    )
    analysis = InterviewAnalysis(
        (UtteranceAnalysis(1, annotation("-1 star, awful", {"angry": 0.7}, -0.8)),),
        (),
        "hand-built",
    )
    parsed = rows(utterances_csv(transcript, analysis))
    assert parsed[0]["speaker"] == "'=cmd|' /C calc'!A0"
    assert parsed[0]["text"] == "'@SUM(1+1)"
    assert parsed[1]["text"] == "'-1 star, awful"
    assert parsed[1]["valence"] == "-0.8"


def test_csv_keeps_newlines_and_quotes_inside_cells():
    transcript = Transcript(
        Format.PLAIN, (Utterance("Sam", 'Line one\n"quoted", line two', Role.CUSTOMER),)
    )
    parsed = rows(utterances_csv(transcript, InterviewAnalysis((), (), "x")))
    assert parsed[0]["text"] == 'Line one\n"quoted", line two'


def test_csv_refuses_an_analysis_of_another_transcript():
    short = replace(make_transcript(), utterances=make_transcript().utterances[:2])
    with pytest.raises(InvalidInput):
        utterances_csv(short, make_analysis())


# --- QDPX -------------------------------------------------------------------------------------


def interview(**overrides):
    values = {
        "name": "Breeze with Sam",
        "id": "42",
        "transcript": make_transcript(),
        "analysis": make_analysis(),
        "participant": "Sam",
        "created": HELD,
    }
    return QdpxInterview(**(values | overrides))


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


@pytest.fixture
def two():
    second = interview(name="Breeze with Ana", id="43", participant="Ana")
    return build_qdpx([interview(), second])


def open_qdpx(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    project = etree.fromstring(archive.read("project.qde"))
    return archive, project


def sources_of(archive, project):
    for source in project.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath").removeprefix("internal://")
        yield source, archive.read(f"Sources/{path}").decode("utf-8")


def test_qdpx_is_a_zip_with_project_qde_and_one_text_per_interview(two):
    archive, _ = open_qdpx(two)
    names = archive.namelist()
    assert names[0] == "project.qde"
    assert len([n for n in names if n.startswith("Sources/") and n.endswith(".txt")]) == 2
    assert archive.testzip() is None


def test_project_qde_is_valid_against_the_refi_qda_schema(schema, two):
    _, project = open_qdpx(two)
    assert project.tag == f"{{{NAMESPACE}}}Project"
    assert schema.validate(project), schema.error_log


def test_minimal_export_is_valid_against_the_schema(schema):
    bare = QdpxInterview("Empty", "e", Transcript(Format.PLAIN, ()), InterviewAnalysis((), (), "x"))
    _, project = open_qdpx(build_qdpx([bare]))
    assert schema.validate(project), schema.error_log


def test_source_text_is_speaker_lines():
    text, _ = source_text(make_transcript())
    assert text.splitlines() == [f"{speaker}: {line}" for speaker, *_, line in LINES]


def test_selections_point_at_the_utterance_text(two):
    archive, project = open_qdpx(two)
    for source, text in sources_of(archive, project):
        selections = source.findall("q:PlainTextSelection", NS)
        assert selections
        for selection in selections:
            chosen = text[int(selection.get("startPosition")) : int(selection.get("endPosition"))]
            assert chosen in {line[-1] for line in LINES} | {
                "The signup was a bit confusing",
                "Delivery was late",
                "nobody answered the <phone>",
            }


def test_utterance_selection_is_coded_with_its_emotions_and_stage(two):
    archive, project = open_qdpx(two)
    codes = {c.get("guid"): c.get("name") for c in project.iter(f"{{{NAMESPACE}}}Code")}
    source, text = next(sources_of(archive, project))
    for selection in source.findall("q:PlainTextSelection", NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        if text[start:end] == SIGNUP:
            refs = selection.findall("q:Coding/q:CodeRef", NS)
            assert sorted(codes[r.get("targetGUID")] for r in refs) == ["awareness", "confusion"]
            return
    pytest.fail("no selection for the sign-up utterance")


def test_finding_quote_selection_is_coded_with_its_kind_and_summary(two):
    archive, project = open_qdpx(two)
    codes = {c.get("guid"): c.get("name") for c in project.iter(f"{{{NAMESPACE}}}Code")}
    source, text = next(sources_of(archive, project))
    described = {
        s.findtext("q:Description", namespaces=NS): s
        for s in source.findall("q:PlainTextSelection", NS)
    }
    probe = described["Frustrated by the courier"]
    start, end = int(probe.get("startPosition")), int(probe.get("endPosition"))
    assert text[start:end] == "nobody answered the <phone>"
    assert codes[probe.find("q:Coding/q:CodeRef", NS).get("targetGUID")] == "Probe"


def test_code_book_has_emotion_stage_and_finding_groups(two):
    _, project = open_qdpx(two)
    groups = project.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [g.get("name") for g in groups] == ["Emotions", "Stages", "Findings"]
    assert all(g.get("isCodable") == "false" for g in groups)
    children = {g.get("name"): [c.get("name") for c in g] for g in groups}
    assert children["Emotions"] == ["angry", "confusion", "frustrated"]
    assert children["Stages"] == ["awareness", "delivery", "purchase"]
    assert "Churn risk" in children["Findings"]


def test_every_code_ref_points_at_a_code(two):
    _, project = open_qdpx(two)
    codes = {c.get("guid") for c in project.iter(f"{{{NAMESPACE}}}Code")}
    refs = {r.get("targetGUID") for r in project.iter(f"{{{NAMESPACE}}}CodeRef")}
    assert refs <= codes


def test_guids_are_upper_case_and_unique(two):
    _, project = open_qdpx(two)
    guids = [e.get("guid") for e in project.iter() if e.get("guid") is not None]
    assert all(GUID.match(g) for g in guids)
    assert len(guids) == len(set(guids))


def test_same_input_gives_the_same_bytes():
    assert build_qdpx([interview()]) == build_qdpx([interview()])


def test_source_guid_is_stable_across_exports():
    alone = open_qdpx(build_qdpx([interview()]))[1]
    together = open_qdpx(build_qdpx([interview(), interview(id="43")]))[1]
    first = "q:Sources/q:TextSource"
    assert alone.find(first, NS).get("guid") == together.find(first, NS).get("guid")


def test_participants_become_cases(two):
    _, project = open_qdpx(two)
    cases = project.findall("q:Cases/q:Case", NS)
    assert [c.get("name") for c in cases] == ["Sam", "Ana"]


def test_user_and_dates_are_recorded(two):
    _, project = open_qdpx(two)
    users = project.findall("q:Users/q:User", NS)
    assert len(users) == 1
    assert project.get("creatingUserGUID") == users[0].get("guid")
    assert project.find("q:Sources/q:TextSource", NS).get("creationDateTime") == (
        "2026-01-05T09:30:00Z"
    )


def test_text_that_xml_cannot_carry_keeps_offsets(schema):
    odd = Transcript(Format.PLAIN, (Utterance("Sam", "bad\x0bchar\r\nnext line", Role.CUSTOMER),))
    analysis = InterviewAnalysis(
        (UtteranceAnalysis(0, annotation("bad", {"angry": 0.9}, -0.9)),),
        (Finding(FindingKind.WEAKNESS, "odd \x01 summary", (Quote(0, "next line"),)),),
        "x",
    )
    archive, project = open_qdpx(build_qdpx([interview(transcript=odd, analysis=analysis)]))
    assert schema.validate(project), schema.error_log
    source, text = next(sources_of(archive, project))
    assert text == "Sam: bad char\nnext line"
    quote = source.findall("q:PlainTextSelection", NS)[-1]
    assert text[int(quote.get("startPosition")) : int(quote.get("endPosition"))] == "next line"


def test_duplicate_ids_are_refused():
    with pytest.raises(InvalidInput, match="share the id"):
        build_qdpx([interview(), interview()])


def test_naive_dates_are_refused():
    with pytest.raises(InvalidInput) as caught:
        build_qdpx([interview(created=datetime(2026, 1, 5, 9, 30))])  # noqa: DTZ001
    assert caught.value.field == "items[0].created"
