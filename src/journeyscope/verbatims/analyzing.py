"""The worker's pass over queued verbatims: redact, annotate, embed, store under the claim.

Verbatims are short, so a pass claims many (``limit``) and runs the model once over all of
them (one batched ONNX run for emotions, one for embeddings). If the batch fails, each answer
is tried on its own, so one bad text fails alone; a failed answer is retried after a backoff
and, after the last attempt, ``failed`` with the reason (the queue of
:class:`journeyscope.interviews.AnalysisQueue`, shared with interviews). The text is redacted
(e-mails, phone and card numbers) before it is analysed or stored, as interviews are by
default; the response keeps the answer as given.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from journeyscope import nlp
from journeyscope.interviews import (
    MODEL_NAME,
    AnalysisClaim,
    AnalysisQueue,
    AnalysisReport,
    AnalysisStatus,
    annotation_to_json,
    failure_reason,
)
from journeyscope.store import Database, tables
from journeyscope.verbatims import repo

log = logging.getLogger(__name__)

VERBATIMS = AnalysisQueue(tables.Verbatim.__table__)  # type: ignore[arg-type]
"""The open-text answers waiting for their analysis."""
DEFAULT_LEASE = dt.timedelta(minutes=15)
GONE = "the answer is no longer stored with its response"


def analyse_queued(
    db: Database, *, limit: int = 200, lease: dt.timedelta = DEFAULT_LEASE
) -> AnalysisReport:
    """One worker pass: claim up to ``limit`` queued verbatims (any workspace), analyse, store."""
    claims = VERBATIMS.claim(db, now=db.clock.now(), limit=limit, lease=lease)
    if not claims:
        return AnalysisReport()
    with db.transaction() as session:
        texts = repo.answer_texts(session, claims)
    ended: list[AnalysisStatus | None] = [
        VERBATIMS.give_back(db, c, reason=GONE, final=True) for c in claims if c.id not in texts
    ]
    ended += _analyse(db, [c for c in claims if c.id in texts], texts)
    return AnalysisReport.of(len(claims), ended)


def _analyse(
    db: Database, claims: list[AnalysisClaim], texts: dict[Any, str]
) -> list[AnalysisStatus | None]:
    """Analyse ``claims`` in one batch; alone, one by one, if the batch fails."""
    if not claims:
        return []
    try:
        results = analyse_texts([texts[c.id] for c in claims], now=db.clock.now())
    except Exception as exc:  # one bad text must not fail the others: try each alone
        if len(claims) > 1:
            return [s for c in claims for s in _analyse(db, [c], texts)]
        log.warning("analysis of verbatim %s failed (attempt %d)", claims[0].id, claims[0].attempt)
        return [VERBATIMS.give_back(db, claims[0], reason=failure_reason(exc))]
    with db.transaction() as session:
        return [
            AnalysisStatus.ANALYSED if VERBATIMS.finish(session, c, **values) else None
            for c, values in zip(claims, results, strict=True)
        ]


def analyse_texts(texts: Sequence[str], *, now: dt.datetime) -> list[dict[str, Any]]:
    """The columns each answer's analysis stores: redacted text, annotation, emotion, vector."""
    redacted = [nlp.redact(text).text for text in texts]
    annotations = nlp.annotate(redacted)
    vectors = np.asarray(nlp.embed(redacted), dtype=np.float32)
    return [
        {
            "text": text,
            "annotation": annotation_to_json(annotation),
            "valence": annotation.valence,
            "emotion": next(iter(annotation.emotions), None),
            "is_minimized": annotation.minimized,
            "embedding": vector.tobytes(),
            "model": MODEL_NAME[:200],
            "analysed_at": now,
        }
        for text, annotation, vector in zip(redacted, annotations, vectors, strict=True)
    ]
