"""Redacting a transcript before it is stored: utterance texts and the speakers' names.

Utterance texts go through :func:`journeyscope.nlp.redact` (e-mails, phone and card numbers,
the given names). A speaker whose label contains one of the given names is renamed after
their role — ``Interviewer``, ``Participant`` (a customer) or ``Speaker`` (role unknown),
numbered when several share a role (``Participant 1``, ``Participant 2``) — so roles and
turns survive while the name does not. Run :func:`~journeyscope.interviews.roles.detect_roles`
first to get role-named labels; pass ``names=transcript.speakers`` to hide every speaker.

Times and the source offsets are unchanged: they still point at the original source, whose
text differs from the redacted one (keep the original file away from where the redacted
transcript goes). Pure: no database, no web.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from journeyscope.interviews.transcripts import Role, Transcript
from journeyscope.nlp import DEFAULT_PHONE_REGIONS, redact

ROLE_LABELS = {
    Role.INTERVIEWER: "Interviewer",
    Role.CUSTOMER: "Participant",
    Role.UNKNOWN: "Speaker",
}


def _names_in(label: str, names: Sequence[str]) -> bool:
    return any(span.kind == "name" for span in redact(label, names=names, phone_regions=()).spans)


def _new_labels(transcript: Transcript, names: Sequence[str]) -> dict[str, str]:
    """A role-based label for each speaker whose label holds a given name."""
    roles = {u.speaker: u.role for u in transcript.utterances if u.speaker}
    hidden = [s for s in transcript.speakers if _names_in(s, names)]
    kept = set(transcript.speakers) - set(hidden)
    groups: dict[str, list[str]] = {}
    for speaker in hidden:
        groups.setdefault(ROLE_LABELS[roles[speaker]], []).append(speaker)
    labels = {}
    for base, group in groups.items():
        numbered = len(group) > 1 or base in kept
        for i, speaker in enumerate(group, start=1):
            labels[speaker] = f"{base} {i}" if numbered else base
    return labels


def redact_transcript(
    transcript: Transcript,
    *,
    names: Sequence[str] = (),
    phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS,
) -> Transcript:
    """A copy with PII taken out of every utterance and the given names out of the speakers.

    Args:
        transcript: An imported transcript (roles set or not).
        names: People's names to take out, e.g. the participant's and the interviewer's.
        phone_regions: Regions whose national-format phone numbers are found (see
            :func:`journeyscope.nlp.redact`).

    Returns:
        The redacted transcript; roles, times and source offsets as they were (the offsets
        point at the original source, not at the redacted text).
    """
    labels = _new_labels(transcript, names)
    utterances = tuple(
        replace(
            u,
            text=redact(u.text, names=names, phone_regions=phone_regions).text,
            speaker=labels.get(u.speaker, u.speaker) if u.speaker else u.speaker,
        )
        for u in transcript.utterances
    )
    return replace(transcript, utterances=utterances)
