"""Verbatims: the open-text answers of survey responses, analysed off the request path.

Owns queueing a completed response's open-text answers in the transaction that completes it
(``queueing``: the collection domain calls :func:`queue_verbatims`), the worker's pass that
redacts, annotates (emotions, played-down feedback) and embeds them with the interview NLP
(``analyzing``: :func:`analyse_queued`, on the interviews' analysis queue), and their rollup per
journey stage or touchpoint with the emotion mix and themes with example answers
(``summary``: :func:`verbatim_summary`), and one touchpoint's answers newest first, a page at a
time (``listing``: :func:`touchpoint_verbatims`). May import ``surveys``, ``interviews``, ``nlp``,
``journey`` and ``store``; other packages import it only through this module.
"""

from __future__ import annotations

from journeyscope.verbatims.analyzing import VERBATIMS, analyse_queued, analyse_texts
from journeyscope.verbatims.listing import touchpoint_verbatims
from journeyscope.verbatims.models import (
    CompletedResponse,
    Grouping,
    ListedVerbatim,
    ResponseVerbatim,
    VerbatimExample,
    VerbatimGroup,
    VerbatimPage,
    VerbatimSummary,
    VerbatimTheme,
)
from journeyscope.verbatims.queueing import open_answers, queue_verbatims
from journeyscope.verbatims.summary import response_verbatims, verbatim_summary

__all__ = [
    "VERBATIMS",
    "CompletedResponse",
    "Grouping",
    "ListedVerbatim",
    "ResponseVerbatim",
    "VerbatimExample",
    "VerbatimGroup",
    "VerbatimPage",
    "VerbatimSummary",
    "VerbatimTheme",
    "analyse_queued",
    "analyse_texts",
    "open_answers",
    "queue_verbatims",
    "response_verbatims",
    "touchpoint_verbatims",
    "verbatim_summary",
]
