"""Pain points, bright spots, opportunities and churn risks per stage, each with its quotes.

Two sources, kept apart so a reader sees where a claim comes from:

- **interview findings** (weakness → pain point, strength → bright spot, opportunity, churn
  risk; probes are for the interviewer, not the map), each quoting the turns behind it;
- **survey verbatim themes**: a theme of a stage's open-text answers whose examples are
  clearly negative on average is a pain point, clearly positive a bright spot; its
  examples are the quotes.

Pure: findings and verbatim groups in, :class:`Evidence` out, strongest first.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean

from journeyscope.interviews import Finding, FindingKind
from journeyscope.maps.models import Evidence, EvidenceKind, EvidenceQuote
from journeyscope.verbatims import VerbatimGroup

FINDING_EVIDENCE = {
    FindingKind.WEAKNESS: EvidenceKind.PAIN_POINT,
    FindingKind.STRENGTH: EvidenceKind.BRIGHT_SPOT,
    FindingKind.OPPORTUNITY: EvidenceKind.OPPORTUNITY,
    FindingKind.CHURN_RISK: EvidenceKind.CHURN_RISK,
}
CLEAR_VALENCE = 0.2
"""A verbatim theme counts as a pain point (bright spot) when its examples' mean valence is at
or below minus (at or above) this: themes in between say nothing clear about feeling."""
PER_KIND = 5
"""Evidence kept per stage and kind, strongest first."""


def interview_evidence(
    findings: Iterable[tuple[uuid.UUID, Finding]],
) -> dict[str, list[Evidence]]:
    """The interview findings that belong on the map, by stage key (findings without one drop)."""
    by_stage: dict[str, list[Evidence]] = defaultdict(list)
    for interview_id, finding in findings:
        kind = FINDING_EVIDENCE.get(finding.kind)
        if kind is None or finding.stage is None:
            continue
        quotes = tuple(
            EvidenceQuote(q.text, "interview", interview_id=interview_id, position=q.position)
            for q in finding.quotes
        )
        by_stage[finding.stage].append(
            Evidence(
                kind=kind,
                summary=finding.summary,
                source="interview",
                quotes=quotes,
                touchpoint=finding.touchpoint,
                emotion=finding.emotion,
                strength=round(finding.intensity, 4),
            )
        )
    return dict(by_stage)


def verbatim_evidence(group: VerbatimGroup) -> list[Evidence]:
    """The clearly negative or positive themes of one stage's verbatims."""
    found: list[Evidence] = []
    for theme in group.themes:
        if not theme.examples:
            continue
        valence = fmean(e.valence for e in theme.examples)
        if abs(valence) < CLEAR_VALENCE:
            continue
        kind = EvidenceKind.PAIN_POINT if valence < 0 else EvidenceKind.BRIGHT_SPOT
        emotions = [e.emotion for e in theme.examples if e.emotion]
        quotes = tuple(
            EvidenceQuote(e.text, "verbatim", answered_at=e.answered_at, response_id=e.response_id)
            for e in theme.examples
        )
        found.append(
            Evidence(
                kind=kind,
                summary=theme.label,
                source="verbatim",
                quotes=quotes,
                emotion=max(set(emotions), key=emotions.count) if emotions else None,
                strength=round(abs(valence), 4),
                size=theme.size,
            )
        )
    return found


def ranked(evidence: Sequence[Evidence], *, per_kind: int = PER_KIND) -> tuple[Evidence, ...]:
    """Evidence in kind order, strongest (then most common) first, ``per_kind`` of each."""
    kept: list[Evidence] = []
    for kind in EvidenceKind:
        same = [e for e in evidence if e.kind is kind]
        same.sort(key=lambda e: (-e.strength, -e.size, e.summary))
        kept += same[:per_kind]
    return tuple(kept)
