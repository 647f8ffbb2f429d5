"""Interviews: transcripts, guides, analysis, findings, themes and the coaching report.

Owns turning interview transcripts into utterances (``formats*``), deciding who interviews
and who is interviewed (``roles``), taking PII out before storage (``redaction``), interview
guides (``guides``, ``guide_export``), the analysis of an interview (``analysis``: emotions,
questions, stages, findings) and across interviews (``themes``, ``stage_summary``), the
coaching report and the exports (CSV, REFI-QDA), storing all of it (``service``, ``repo``)
and the analysis queue the workers claim from (``queue``, ``analyzing``; survey verbatims use
the same queue). Everything but ``service``, ``repo``, ``queue``, ``analyzing``, ``insights``
and ``documents`` is pure: no store, SQLAlchemy or FastAPI. The package may import
``journey``, ``nlp`` and ``store``; other packages import it only through this module.
"""

from __future__ import annotations

from pathlib import Path

from journeyscope.interviews.analysis import MODEL_NAME, analyze_transcript
from journeyscope.interviews.analysis_json import annotation_from_json, annotation_to_json
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    Quote,
    StageTag,
    UtteranceAnalysis,
)
from journeyscope.interviews.analyzing import (
    AnalysisReport,
    analyse_queued,
    analyze_interview,
    failure_reason,
)
from journeyscope.interviews.documents import (
    MEDIA_TYPES,
    Document,
    coaching_report,
    coaching_report_html,
    export_interview,
    interview_guide,
)
from journeyscope.interviews.formats import parse_transcript
from journeyscope.interviews.insights import Insights, interview_insights, load_analysed
from journeyscope.interviews.models import (
    AnalysisStatus,
    Interview,
    InterviewDetail,
    InterviewImport,
    StoredUtterance,
)
from journeyscope.interviews.queue import MAX_ATTEMPTS, AnalysisClaim, AnalysisQueue
from journeyscope.interviews.redaction import redact_transcript
from journeyscope.interviews.roles import detect_roles
from journeyscope.interviews.service import (
    StoredInterview,
    get_interview,
    import_interview,
    interview_stages,
    list_interviews,
    load_interview,
    queue_analysis,
    read_transcript,
    save_analysis,
    save_claimed_analysis,
)
from journeyscope.interviews.stage_summary import StageEmotions, emotions_by_stage
from journeyscope.interviews.themes import (
    TextCluster,
    Theme,
    ThemeQuote,
    cluster_texts,
    find_themes,
)
from journeyscope.interviews.transcripts import Format, Role, Transcript, Utterance

EXAMPLE_INTERVIEW = Path(__file__).parent / "examples" / "saas-customer-interview.vtt"
"""An invented video-call transcript about the bundled SaaS journey (``journeyscope demo``)."""

__all__ = [
    "EXAMPLE_INTERVIEW",
    "MAX_ATTEMPTS",
    "MEDIA_TYPES",
    "MODEL_NAME",
    "AnalysisClaim",
    "AnalysisQueue",
    "AnalysisReport",
    "AnalysisStatus",
    "Document",
    "Finding",
    "FindingKind",
    "Format",
    "Insights",
    "Interview",
    "InterviewAnalysis",
    "InterviewDetail",
    "InterviewImport",
    "Quote",
    "Role",
    "StageEmotions",
    "StageTag",
    "StoredInterview",
    "StoredUtterance",
    "TextCluster",
    "Theme",
    "ThemeQuote",
    "Transcript",
    "Utterance",
    "UtteranceAnalysis",
    "analyse_queued",
    "analyze_interview",
    "analyze_transcript",
    "annotation_from_json",
    "annotation_to_json",
    "cluster_texts",
    "coaching_report",
    "coaching_report_html",
    "detect_roles",
    "emotions_by_stage",
    "export_interview",
    "failure_reason",
    "find_themes",
    "get_interview",
    "import_interview",
    "interview_guide",
    "interview_insights",
    "interview_stages",
    "list_interviews",
    "load_analysed",
    "load_interview",
    "parse_transcript",
    "queue_analysis",
    "read_transcript",
    "redact_transcript",
    "save_analysis",
    "save_claimed_analysis",
]
