"""Language processing as pure functions over text: today PII redaction.

Owns emotion, sentiment, minimisation, stage tagging, embeddings and redaction (DESIGN.md §3);
only the redaction exists so far. Must not import the store, the web or CLI doors, or any
other domain: everything here works on plain strings, so it can run in a notebook, a worker
or a test without a database. Imports nothing of the project but ``errors`` and ``text``.
"""

from __future__ import annotations

from journeyscope.nlp.redaction import DEFAULT_PHONE_REGIONS, Redacted, RedactedSpan, redact

__all__ = ["DEFAULT_PHONE_REGIONS", "Redacted", "RedactedSpan", "redact"]
