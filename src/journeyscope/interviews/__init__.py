"""Interviews: transcript import, speaker roles and redaction (guides and analysis come next).

Owns turning interview transcripts into utterances (``formats*``), deciding who interviews
and who is interviewed (``roles``), and taking PII out before storage (``redaction``). The
import, role and redaction modules are pure: they must not import the store, SQLAlchemy or
FastAPI. The package may import ``journey``, ``nlp`` and ``store``; other packages import it
only through this module.
"""

from __future__ import annotations

from journeyscope.interviews.formats import parse_transcript
from journeyscope.interviews.redaction import redact_transcript
from journeyscope.interviews.roles import detect_roles
from journeyscope.interviews.transcripts import Format, Role, Transcript, Utterance

__all__ = [
    "Format",
    "Role",
    "Transcript",
    "Utterance",
    "detect_roles",
    "parse_transcript",
    "redact_transcript",
]
