"""Interviews: transcripts, guides, analysis, findings, themes and the coaching report.

Owns turning interview transcripts into utterances (``formats*``), deciding who interviews
and who is interviewed (``roles``), taking PII out before storage (``redaction``), interview
guides (``guides``, ``guide_export``), the analysis of an interview (``analysis``: emotions,
questions, stages, findings) and across interviews (``themes``, ``stage_summary``), the
coaching report and the exports (CSV, REFI-QDA), and storing all of it (``service``,
``repo``). Everything but ``service``, ``repo``, ``analyzing`` and ``documents`` is pure: no
store, SQLAlchemy or FastAPI. The package may import ``journey``, ``nlp`` and ``store``; other
packages import it only through this module.
"""

from __future__ import annotations

from pathlib import Path

from journeyscope.interviews.analysis import analyze_transcript
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    Quote,
    StageTag,
    UtteranceAnalysis,
)
from journeyscope.interviews.analyzing import analyze_interview
from journeyscope.interviews.documents import (
    MEDIA_TYPES,
    Document,
    coaching_report,
    export_interview,
    interview_guide,
)
from journeyscope.interviews.formats import parse_transcript
from journeyscope.interviews.insights import Insights, interview_insights
from journeyscope.interviews.models import (
    Interview,
    InterviewDetail,
    InterviewImport,
    StoredUtterance,
)
from journeyscope.interviews.redaction import redact_transcript
from journeyscope.interviews.roles import detect_roles
from journeyscope.interviews.service import (
    StoredInterview,
    get_interview,
    import_interview,
    list_interviews,
    load_interview,
    read_transcript,
    save_analysis,
)
from journeyscope.interviews.stage_summary import StageEmotions, emotions_by_stage
from journeyscope.interviews.themes import Theme, ThemeQuote, find_themes
from journeyscope.interviews.transcripts import Format, Role, Transcript, Utterance

EXAMPLE_INTERVIEW = Path(__file__).parent / "examples" / "saas-customer-interview.vtt"
"""An invented video-call transcript about the bundled SaaS journey (``journeyscope demo``)."""

__all__ = [
    "EXAMPLE_INTERVIEW",
    "MEDIA_TYPES",
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
    "Theme",
    "ThemeQuote",
    "Transcript",
    "Utterance",
    "UtteranceAnalysis",
    "analyze_interview",
    "analyze_transcript",
    "coaching_report",
    "detect_roles",
    "emotions_by_stage",
    "export_interview",
    "find_themes",
    "get_interview",
    "import_interview",
    "interview_guide",
    "interview_insights",
    "list_interviews",
    "load_interview",
    "parse_transcript",
    "read_transcript",
    "redact_transcript",
    "save_analysis",
]
