"""Interview import, listing, reading and stored analysis, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from docx_support import make_docx
from factories import RETAIL_JOURNEY, Tenant, make_tenant
from journeyscope import interviews
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.interviews import Format, InterviewImport, Role
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    Quote,
    StageTag,
    UtteranceAnalysis,
)
from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.nlp.annotations import Annotation, Minimization, QuestionKind, Sentiment, Span
from journeyscope.store import Database, tables

PLAIN = """\
Maya: Thanks for joining. How did you first hear about the Breeze blender?
Sam: A friend had one. You can reach me at sam.ortiz@example.com by the way.
Maya: What made you finally buy it?
Sam: The price dropped in the spring sale, and the checkout was a bit confusing but whatever.
"""

VTT = """\
WEBVTT

1
00:00:03.000 --> 00:00:06.500
<v Maya>How did you first hear about the Breeze blender?

2
00:00:07.000 --> 00:00:09.000
<v Sam>A friend had one.

3
00:00:10.000 --> 00:00:12.000
<v Maya>What made you buy it?

4
00:00:13.000 --> 00:00:15.000
<v Sam>The price dropped.
"""


def _import(
    db: Database, tenant: Tenant, source: bytes | str = PLAIN, **options: object
) -> interviews.Interview:
    given = {"filename": "sam.txt", **options}
    return interviews.import_interview(
        db, workspace_id=tenant.id, source=source, options=InterviewImport.model_validate(given)
    )


def _stored_texts(db: Database, interview_id: uuid.UUID) -> list[str]:
    row = tables.InterviewUtterance
    stmt = select(row.text).where(row.interview_id == interview_id).order_by(row.position)
    with db.transaction() as session:
        return list(session.scalars(stmt))


@pytest.fixture
def retail(db: Database, tenant: Tenant) -> Tenant:
    apply_journey(db, workspace_id=tenant.id, spec=JourneySpec.model_validate(RETAIL_JOURNEY))
    return tenant


def test_import_plain_text_stores_utterances_with_roles(db: Database, retail: Tenant) -> None:
    stored = _import(db, retail, journey_key="retail", participant="P07", redact=False)
    detail = interviews.get_interview(db, workspace_id=retail.id, interview_id=stored.id)
    assert (detail.title, detail.journey_key, detail.format) == ("sam", "retail", Format.PLAIN)
    assert detail.utterance_count == 4 and detail.finding_count == 0
    assert [(u.position, u.speaker, u.role) for u in detail.utterances] == [
        (0, "Maya", Role.INTERVIEWER),
        (1, "Sam", Role.CUSTOMER),
        (2, "Maya", Role.INTERVIEWER),
        (3, "Sam", Role.CUSTOMER),
    ]
    assert detail.utterances[1].source_start is not None
    assert detail.analyzed_at is None and detail.utterances[1].annotation is None


def test_import_webvtt_bytes_keeps_times(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant, VTT.encode(), filename="call.vtt", title="First call")
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert (detail.title, detail.format, detail.source_filename) == (
        "First call",
        Format.WEBVTT,
        "call.vtt",
    )
    assert [(u.start, u.end) for u in detail.utterances[:2]] == [(3.0, 6.5), (7.0, 9.0)]


def test_import_teams_docx(db: Database, tenant: Tenant) -> None:
    lines = [line for line in PLAIN.splitlines() if line]
    stored = _import(db, tenant, make_docx(lines), filename="teams.docx", interviewer="Maya")
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert detail.format is Format.DOCX
    assert [u.speaker for u in detail.utterances] == ["Interviewer", "Sam", "Interviewer", "Sam"]
    assert detail.redacted


def test_redaction_happens_before_storage(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant, participant="Sam", redact_names=["Breeze"])
    texts = " ".join(_stored_texts(db, stored.id))
    assert "sam.ortiz@example.com" not in texts
    assert "@" not in texts and "Breeze" not in texts
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert {u.speaker for u in detail.utterances} == {"Maya", "Participant"}
    assert detail.redacted


def test_without_redaction_the_text_is_stored_as_given(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant, redact=False)
    assert "sam.ortiz@example.com" in " ".join(_stored_texts(db, stored.id))


def test_role_overrides_win(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant, roles={"Maya": "customer", "Sam": "interviewer"}, redact=False)
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert detail.utterances[0].role is Role.CUSTOMER


def test_unknown_interviewer_names_the_field(db: Database, tenant: Tenant) -> None:
    with pytest.raises(InvalidInput) as caught:
        _import(db, tenant, interviewer="Nobody")
    assert caught.value.field == "interviewer"


def test_unknown_journey_is_refused_naming_the_field(db: Database, tenant: Tenant) -> None:
    with pytest.raises(InvalidInput) as caught:
        _import(db, tenant, journey_key="nope")
    assert caught.value.field == "journey"
    assert interviews.list_interviews(db, workspace_id=tenant.id).items == []


@pytest.mark.parametrize("source", ["   \n", b"\xff\xfe\x00", b"PK\x03\x04broken"])
def test_unreadable_or_empty_files_are_refused_naming_the_file(
    db: Database, tenant: Tenant, source: str | bytes
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _import(db, tenant, source, filename="bad.txt")
    assert caught.value.field == "file"
    assert caught.value.message.startswith("bad.txt: ")


def test_another_workspace_cannot_read_or_list_it(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant)
    other = make_tenant(db, "other")
    with pytest.raises(NotFound):
        interviews.get_interview(db, workspace_id=other.id, interview_id=stored.id)
    assert interviews.list_interviews(db, workspace_id=other.id).items == []
    with pytest.raises(NotFound):
        interviews.save_analysis(
            db,
            workspace_id=other.id,
            interview_id=stored.id,
            analysis=InterviewAnalysis((), (), "m"),
        )


def test_list_pages_through_interviews_and_filters_by_journey(db: Database, retail: Tenant) -> None:
    made = [_import(db, retail, journey_key="retail").id for _ in range(3)]
    _import(db, retail)
    first = interviews.list_interviews(db, workspace_id=retail.id, journey_key="retail", limit=2)
    assert [i.id for i in first.items] == made[:2]
    assert first.next_cursor is not None
    rest = interviews.list_interviews(
        db, workspace_id=retail.id, journey_key="retail", cursor=first.next_cursor, limit=2
    )
    assert [i.id for i in rest.items] == made[2:]
    assert rest.next_cursor is None
    assert len(interviews.list_interviews(db, workspace_id=retail.id).items) == 4


def test_list_newest_first_pages_back_in_time(db: Database, tenant: Tenant) -> None:
    made = [_import(db, tenant).id for _ in range(3)]
    first = interviews.list_interviews(db, workspace_id=tenant.id, limit=2, newest_first=True)
    assert [i.id for i in first.items] == made[:0:-1]
    rest = interviews.list_interviews(
        db, workspace_id=tenant.id, cursor=first.next_cursor, limit=2, newest_first=True
    )
    assert [i.id for i in rest.items] == made[:1] and rest.next_cursor is None


def test_interview_stages_are_in_the_order_first_talked_about_and_of_one_workspace(
    db: Database, tenant: Tenant
) -> None:
    stored, bare = _import(db, tenant), _import(db, tenant)
    tagged = InterviewAnalysis(
        utterances=(
            UtteranceAnalysis(position=0, stage=StageTag("buy", 0.5)),
            UtteranceAnalysis(position=1, stage=StageTag("aware", 0.5)),
            UtteranceAnalysis(position=3, stage=StageTag("buy", 0.9)),
        ),
        findings=(),
        model="m",
    )
    interviews.save_analysis(db, workspace_id=tenant.id, interview_id=stored.id, analysis=tagged)
    ids = [stored.id, bare.id]
    found = interviews.interview_stages(db, workspace_id=tenant.id, interview_ids=ids)
    assert found == {stored.id: ("buy", "aware")}
    other = make_tenant(db, slug="other")
    assert interviews.interview_stages(db, workspace_id=other.id, interview_ids=ids) == {}


def test_list_by_unknown_journey_is_not_found(db: Database, tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        interviews.list_interviews(db, workspace_id=tenant.id, journey_key="nope")


ANNOTATION = Annotation(
    text="the checkout was a bit confusing but whatever",
    emotions={"frustration": 0.7, "confusion": 0.4, "anger": 0.1},
    valence=-0.4,
    sentiment=Sentiment.NEGATIVE,
    minimization=Minimization(
        concern=Span(4, 32, "checkout was a bit confusing"), dismissal=Span(33, 45, "but whatever")
    ),
    cues=("a bit",),
)
FINDING = Finding(
    kind=FindingKind.PROBE,
    summary="Checkout confusion, played down",
    quotes=(Quote(3, "the checkout was a bit confusing"),),
    stage="buy",
    touchpoint="till",
    emotion="confusion",
    intensity=0.4,
    follow_ups=("You said the checkout was a bit confusing. What happened there?",),
)
ANALYSIS = InterviewAnalysis(
    utterances=(
        UtteranceAnalysis(position=0, question=QuestionKind.OPEN),
        UtteranceAnalysis(
            position=3, annotation=ANNOTATION, stage=StageTag("buy", 0.8, "till", 0.6)
        ),
    ),
    findings=(FINDING, Finding(FindingKind.STRENGTH, "Price", (Quote(3, "price dropped"),))),
    model="test-model",
)


def test_saved_analysis_reads_back_exactly(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant)
    saved = interviews.save_analysis(
        db, workspace_id=tenant.id, interview_id=stored.id, analysis=ANALYSIS
    )
    assert saved.analyzed_at is not None and saved.model == "test-model"
    assert saved.finding_count == 2
    loaded = interviews.load_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert loaded.analysis == ANALYSIS
    assert list(loaded.analysis.utterances[1].annotation.emotions) == [  # type: ignore[union-attr]
        "frustration",
        "confusion",
        "anger",
    ]
    assert [u.speaker for u in loaded.transcript.utterances] == ["Maya", "Sam", "Maya", "Sam"]


def test_reanalysis_replaces_the_earlier_one(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant)
    interviews.save_analysis(db, workspace_id=tenant.id, interview_id=stored.id, analysis=ANALYSIS)
    again = InterviewAnalysis(
        utterances=(UtteranceAnalysis(position=1, stage=StageTag("buy", 0.5)),),
        findings=(FINDING,),
        model="second",
    )
    interviews.save_analysis(db, workspace_id=tenant.id, interview_id=stored.id, analysis=again)
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert detail.model == "second" and detail.findings == [FINDING]
    assert [u.annotation for u in detail.utterances] == [None] * 4
    assert [u.question for u in detail.utterances] == [None] * 4
    assert [u.stage for u in detail.utterances] == [None, StageTag("buy", 0.5), None, None]


def test_analysis_with_unknown_positions_is_refused(db: Database, tenant: Tenant) -> None:
    stored = _import(db, tenant)
    bad = InterviewAnalysis((UtteranceAnalysis(position=9),), (), "m")
    with pytest.raises(InvalidInput) as caught:
        interviews.save_analysis(db, workspace_id=tenant.id, interview_id=stored.id, analysis=bad)
    assert caught.value.field == "analysis"


def _finding_rows(db: Database, interview_id: uuid.UUID) -> int:
    row = tables.InterviewFinding
    with db.transaction() as session:
        return len(list(session.scalars(select(row.id).where(row.interview_id == interview_id))))


def test_analyze_stores_annotations_and_findings_and_repeats_idempotently(
    db: Database, retail: Tenant
) -> None:
    stored = _import(db, retail, journey_key="retail", redact=False)
    first = interviews.analyze_interview(db, workspace_id=retail.id, interview_id=stored.id)
    assert first.analyzed_at is not None and first.model
    customer = [u for u in first.utterances if u.role is Role.CUSTOMER]
    assert all(u.annotation is not None for u in customer)
    assert all(u.question is not None for u in first.utterances if u.role is Role.INTERVIEWER)
    again = interviews.analyze_interview(db, workspace_id=retail.id, interview_id=stored.id)
    assert again.utterances == first.utterances and again.findings == first.findings
    assert _finding_rows(db, stored.id) == len(first.findings) == again.finding_count
    assert again.analyzed_at is not None and again.analyzed_at >= first.analyzed_at
