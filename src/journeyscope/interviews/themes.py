"""Themes across interviews: findings' quotes clustered by meaning, with a label and examples.

Method: every quote behind a finding is embedded (all-MiniLM-L6-v2, shipped in ``nlp``) and the
quotes are grouped by average-linkage agglomerative clustering on cosine distance with a
distance threshold (scikit-learn), so the number of themes follows the data. A theme is named
by its most distinctive words (class-based TF-IDF, as in BERTopic: word frequency in the theme
against frequency across all quotes) and shown with the quotes nearest its centre. Themes of a
single quote are dropped: a theme needs at least two voices. ``cluster_texts`` is the method
on its own, for any texts with their embeddings (survey verbatims use it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from journeyscope.interviews.analysis_models import Finding

DISTANCE = 0.6  # cosine distance below which quotes may join one theme (average linkage)
MAX_QUOTES = 3
LABEL_WORDS = 3
_WORD = r"(?u)\b[a-zA-Z]{3,}\b"  # words of 3+ letters: no numbers, no "ok"

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class ThemeQuote:
    """A quote in a theme, traceable to its interview and utterance."""

    interview_id: str
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of similar findings' quotes across interviews."""

    label: str  # the theme's most distinctive words
    size: int  # how many quotes
    interviews: int  # in how many interviews it came up
    kinds: dict[str, int]  # finding kind → quotes of that kind
    stages: tuple[str, ...]  # stage keys it came up at, most frequent first
    quotes: tuple[ThemeQuote, ...]  # the most representative quotes


@dataclass(frozen=True, slots=True)
class _Unit:
    interview_id: str
    finding: Finding
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class TextCluster:
    """A group of similar texts: its label and its members, most central first."""

    label: str  # the group's most distinctive words
    members: tuple[int, ...]  # indices into the texts clustered, nearest the centre first


def cluster_texts(
    texts: Sequence[str], vectors: np.ndarray, *, distance: float = DISTANCE
) -> list[TextCluster]:
    """Groups of at least two similar texts, largest first (the method of this module).

    Args:
        texts: The texts (their words name the groups).
        vectors: Their L2-normalised embeddings, one row per text (``nlp.embed``).
        distance: Cosine distance threshold for joining clusters.
    """
    if len(texts) < 2:
        return []
    labels = _cluster(vectors, distance)
    found = []
    for members in _groups(labels):
        if len(members) < 2:
            continue
        centre = vectors[members].mean(axis=0)
        nearest = np.argsort(-(vectors[members] @ centre), kind="stable")
        label = _label([texts[i] for i in members], list(texts))
        found.append(TextCluster(label, tuple(members[i] for i in nearest)))
    return sorted(found, key=lambda c: (-len(c.members), c.label))


def find_themes(
    findings: Sequence[tuple[str, Finding]], *, embed: Embed, distance: float = DISTANCE
) -> list[Theme]:
    """Themes among the findings of many interviews, largest first.

    Args:
        findings: ``(interview id, finding)`` pairs.
        embed: Text → L2-normalised embedding rows (``nlp.embed``).
        distance: Cosine distance threshold for joining clusters.
    """
    units = _units(findings)
    if len(units) < 2:
        return []
    texts = [u.text for u in units]
    clusters = cluster_texts(texts, embed(texts), distance=distance)
    themes = [_theme(cluster.label, [units[i] for i in cluster.members]) for cluster in clusters]
    return sorted(themes, key=lambda t: (-t.interviews, -t.size, t.label))


def _units(findings: Sequence[tuple[str, Finding]]) -> list[_Unit]:
    """One unit per distinct quote (a quote behind several findings counts once)."""
    seen: dict[tuple[str, int], _Unit] = {}
    for interview_id, finding in findings:
        for quote in finding.quotes:
            key = (interview_id, quote.position)
            seen.setdefault(key, _Unit(interview_id, finding, quote.position, quote.text))
    return list(seen.values())


def _cluster(vectors: np.ndarray, distance: float) -> np.ndarray:
    """Cluster labels by average-linkage agglomerative clustering on cosine distance."""
    from sklearn.cluster import AgglomerativeClustering  # slow import: only when used

    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    )
    return np.asarray(model.fit_predict(vectors))


def _groups(labels: np.ndarray) -> list[list[int]]:
    """Member indices per cluster label."""
    return [np.flatnonzero(labels == label).tolist() for label in np.unique(labels)]


def _theme(label: str, members: list[_Unit]) -> Theme:
    """A theme from a cluster's units, most central first."""
    stages = Counter(u.finding.stage for u in members if u.finding.stage)
    return Theme(
        label=label,
        size=len(members),
        interviews=len({u.interview_id for u in members}),
        kinds=dict(Counter(str(u.finding.kind) for u in members)),
        stages=tuple(s for s, _ in stages.most_common()),
        quotes=tuple(ThemeQuote(u.interview_id, u.position, u.text) for u in members[:MAX_QUOTES]),
    )


def _label(texts: list[str], corpus: list[str]) -> str:
    """The theme's most distinctive words by class-based TF-IDF (BERTopic's c-TF-IDF)."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(stop_words="english", token_pattern=_WORD)
    try:
        counts = vectorizer.fit_transform(corpus)
    except ValueError:  # nothing but stop words anywhere
        return "(no distinctive words)"
    words = vectorizer.get_feature_names_out()
    in_theme = np.asarray(vectorizer.transform(texts).sum(axis=0)).ravel()
    overall = np.asarray(counts.sum(axis=0)).ravel()
    average = overall.sum() / max(1, len(corpus))
    score = in_theme / max(1, in_theme.sum()) * np.log(1 + average / np.maximum(overall, 1))
    top = [words[i] for i in np.argsort(-score)[:LABEL_WORDS] if in_theme[i] > 0]
    return ", ".join(top) or "(no distinctive words)"
