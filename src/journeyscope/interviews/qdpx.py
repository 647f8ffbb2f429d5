"""REFI-QDA Project Exchange (``.qdpx``) of analysed interviews for ATLAS.ti, NVivo and MAXQDA.

A ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML in the namespace
``urn:QDA-XML:project:1.0``) and the sources under ``Sources/``. Each interview becomes a plain
text source of ``Speaker: text`` lines; every annotated utterance becomes a selection coded
with its emotions and stage, and every finding quote a selection coded with the finding's kind
(its summary as the selection's description). The code book has three groups: Emotions,
Stages and Findings. Positions are Unicode code points into the UTF-8 source, end exclusive.

Every GUID is a UUID 5 of the interview ids and labels, and zip entries carry a fixed time, so
the same input gives the same bytes: two exports of one project can be compared or merged.
Pure: no store, no web.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # builds XML only; nothing here parses any

from journeyscope import __version__
from journeyscope.errors import InvalidInput
from journeyscope.interviews.analysis_models import FindingKind, InterviewAnalysis
from journeyscope.interviews.coaching import analysis_by_position
from journeyscope.interviews.transcripts import Transcript

NAMESPACE = "urn:QDA-XML:project:1.0"
"""The QDA-XML project namespace (REFI-QDA Project Exchange 1.0)."""

GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:journeyscope:qdpx")
"""The UUID 5 namespace every GUID in an export is derived from."""

EMOTIONS, STAGES, FINDINGS = "Emotions", "Stages", "Findings"
GROUP_COLORS = {EMOTIONS: "#D64545", STAGES: "#3E7CB1", FINDINGS: "#E0B040"}
FINDING_COLORS = {
    FindingKind.STRENGTH: "#2F9E44",
    FindingKind.WEAKNESS: "#E03131",
    FindingKind.OPPORTUNITY: "#1C7ED6",
    FindingKind.CHURN_RISK: "#862E9C",
    FindingKind.PROBE: "#F08C00",
}
PALETTE = ("#E8590C", "#5C940D", "#1971C2", "#9C36B5", "#C2255C", "#0B7285", "#E67700")

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_CodeKey = tuple[str, str]  # (group, label)


@dataclass(frozen=True, slots=True)
class QdpxInterview:
    """One interview to export.

    Attributes:
        name: The source's name in the QDA tool (e.g. the interview title).
        id: A stable id (e.g. the interview's database id); the source's GUID derives from
            it, so it must be unique within one export and the same across exports.
        transcript: The transcript.
        analysis: Its analysis.
        participant: Who was interviewed; interviews with the same participant share a case.
        created: When the interview was held or imported; must be time-zone aware.
    """

    name: str
    id: str
    transcript: Transcript
    analysis: InterviewAnalysis
    participant: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Selection:
    key: str  # stable, unique within the export: the seed of its GUID
    start: int
    end: int
    name: str
    description: str | None
    codes: tuple[_CodeKey, ...]


@dataclass(frozen=True, slots=True)
class _Source:
    item: QdpxInterview
    guid: str
    text: str
    selections: tuple[_Selection, ...]


def build_qdpx(
    items: Sequence[QdpxInterview], *, project_name: str = "Journeyscope interviews"
) -> bytes:
    """The ``.qdpx`` file (zip bytes) of ``items``, one text source each.

    Raises:
        InvalidInput: Two items share an id, a ``created`` has no time zone, or an analysis
            refers to utterances its transcript does not have.
    """
    _check_items(items)
    sources = [_source(item) for item in items]
    project = _project(project_name, sources, _created(items))
    body = ET.tostring(project, encoding="unicode")
    qde = '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
    return _zip(qde, sources)


def guid(key: str) -> str:
    """The export's GUID for ``key``: an upper-case UUID 5 (8-4-4-4-12 hex digits)."""
    return str(uuid.uuid5(GUID_NAMESPACE, key)).upper()


def source_text(transcript: Transcript) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The plain text written for ``transcript`` and each utterance's ``(start, end)`` in it.

    One ``Speaker: text`` line per utterance (the role when there is no speaker); line
    breaks are newlines only and characters XML cannot carry become spaces, so offsets stay exact.
    """
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for utterance in transcript.utterances:
        speaker = " ".join(_clean(utterance.speaker or utterance.role.value.title()).split())
        prefix, body = f"{speaker}: ", _clean(utterance.text)
        spans.append((offset + len(prefix), offset + len(prefix) + len(body)))
        lines.append(prefix + body)
        offset += len(prefix) + len(body) + 1
    return "\n".join(lines), tuple(spans)


def _clean(text: str) -> str:
    return _NOT_XML.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _check_items(items: Sequence[QdpxInterview]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise InvalidInput(
                f"Two interviews share the id {item.id!r}.",
                field=f"items[{index}].id",
                hint="Give every interview in one export its own id.",
            )
        seen.add(item.id)
        if item.created is not None and item.created.utcoffset() is None:
            raise InvalidInput(
                "The interview's date has no time zone.",
                field=f"items[{index}].created",
                hint="Pass an aware datetime, e.g. datetime(2026, 1, 5, 9, 30, tzinfo=UTC).",
            )


def _created(items: Sequence[QdpxInterview]) -> datetime | None:
    dates = [item.created for item in items if item.created is not None]
    return max(dates) if dates else None


def _stamp(moment: datetime | None) -> dict[str, str]:
    if moment is None:
        return {}
    return {"creationDateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def _source(item: QdpxInterview) -> _Source:
    analysis_by_position(item.transcript, item.analysis)  # refuses a mismatched analysis
    text, spans = source_text(item.transcript)
    selections = [*_utterance_selections(item, text, spans)]
    selections += _finding_selections(item, text, spans)
    return _Source(item, guid(f"source:{item.id}"), text, tuple(selections))


def _utterance_selections(
    item: QdpxInterview,
    text: str,
    spans: Sequence[tuple[int, int]],
) -> Iterator[_Selection]:
    """One selection per utterance with emotions or a stage, coded with each of them."""
    for found in item.analysis.utterances:
        codes: list[_CodeKey] = []
        if found.annotation is not None:
            codes += [(EMOTIONS, label) for label in found.annotation.emotions]
        if found.stage is not None:
            codes.append((STAGES, found.stage.stage))
        start, end = spans[found.position]
        if codes and end > start:
            key = f"{item.id}:utterance:{found.position}"
            yield _Selection(key, start, end, _preview(text[start:end]), None, tuple(codes))


def _finding_selections(
    item: QdpxInterview, text: str, spans: Sequence[tuple[int, int]]
) -> list[_Selection]:
    """One selection per finding quote: the quoted words when found, else the utterance."""
    selections = []
    for f_index, finding in enumerate(item.analysis.findings):
        code = (FINDINGS, finding.kind.value)
        for q_index, quote in enumerate(finding.quotes):
            start, end = _quote_span(text, spans[quote.position], quote.text)
            key = f"{item.id}:finding:{f_index}:{q_index}"
            name = _preview(text[start:end])
            selections.append(_Selection(key, start, end, name, finding.summary, (code,)))
    return selections


def _quote_span(text: str, span: tuple[int, int], quote: str) -> tuple[int, int]:
    start, end = span
    wanted = _clean(quote).strip()
    found = text.find(wanted, start, end) if wanted else -1
    return (found, found + len(wanted)) if found >= 0 else span


def _preview(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


def _project(name: str, sources: Sequence[_Source], created: datetime | None) -> ET.Element:
    user = guid("user:journeyscope")
    root = _element(
        "Project",
        name=_clean(name),
        origin=f"Journeyscope {__version__}",
        creatingUserGUID=user,
        **_stamp(created),
    )
    users = _child(root, "Users")
    _child(users, "User", guid=user, name="Journeyscope")
    _codebook(_child(root, "CodeBook"), sources)
    _cases(root, sources)
    sources_element = _child(root, "Sources")
    for source in sources:
        _text_source(sources_element, source, user)
    ET.indent(root)
    return root


def _codebook(codebook: ET.Element, sources: Sequence[_Source]) -> None:
    """Groups Emotions, Stages and Findings; each label used becomes a codable child."""
    used = {code for s in sources for sel in s.selections for code in sel.codes}
    codes = _child(codebook, "Codes")
    for group in (EMOTIONS, STAGES):
        parent = _code(codes, f"group:{group}", group, GROUP_COLORS[group], codable=False)
        for label in sorted(label for g, label in used if g == group):
            _code(parent, f"code:{group}:{label}", label, _color(label), codable=True)
    findings = _code(codes, f"group:{FINDINGS}", FINDINGS, GROUP_COLORS[FINDINGS], codable=False)
    for kind in FindingKind:
        label = kind.value.replace("_", " ").capitalize()
        _code(findings, f"code:{FINDINGS}:{kind.value}", label, FINDING_COLORS[kind], codable=True)


def _code(parent: ET.Element, key: str, name: str, color: str, *, codable: bool) -> ET.Element:
    return _child(
        parent,
        "Code",
        guid=guid(key),
        name=_clean(name),
        isCodable="true" if codable else "false",
        color=color,
    )


def _color(label: str) -> str:
    return PALETTE[zlib.crc32(label.encode()) % len(PALETTE)]


def _cases(root: ET.Element, sources: Sequence[_Source]) -> None:
    """One case per participant, referring to each of their interviews."""
    by_participant: dict[str, list[str]] = {}
    for source in sources:
        if source.item.participant:
            by_participant.setdefault(source.item.participant, []).append(source.guid)
    if not by_participant:
        return
    cases = _child(root, "Cases")
    for participant, guids in by_participant.items():
        case = _child(cases, "Case", guid=guid(f"case:{participant}"), name=_clean(participant))
        for target in guids:
            _child(case, "SourceRef", targetGUID=target)


def _text_source(parent: ET.Element, source: _Source, user: str) -> None:
    stamp = _stamp(source.item.created)
    element = _child(
        parent,
        "TextSource",
        guid=source.guid,
        name=_clean(source.item.name),
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=user,
        **stamp,
    )
    for selection in source.selections:
        _selection(element, selection, user, stamp)


def _selection(parent: ET.Element, selection: _Selection, user: str, stamp: dict[str, str]) -> None:
    element = _child(
        parent,
        "PlainTextSelection",
        guid=guid(f"selection:{selection.key}"),
        name=_clean(selection.name),
        startPosition=str(selection.start),
        endPosition=str(selection.end),
        creatingUser=user,
        **stamp,
    )
    if selection.description:
        _child(element, "Description").text = _clean(selection.description)
    for group, label in selection.codes:
        coding_key = f"coding:{selection.key}:{group}:{label}"
        coding = _child(element, "Coding", guid=guid(coding_key), creatingUser=user, **stamp)
        _child(coding, "CodeRef", targetGUID=guid(f"code:{group}:{label}"))


def _element(tag: str, **attributes: str) -> ET.Element:
    """The root element, declaring the QDA-XML namespace as the default for all below.

    Written as a plain ``xmlns`` attribute because ElementTree cannot serialise a default
    namespace together with the schema's unqualified attributes.
    """
    return ET.Element(tag, {"xmlns": NAMESPACE, **attributes})


def _child(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, attributes)


def _zip(qde: str, sources: Sequence[_Source]) -> bytes:
    """The archive: ``project.qde`` first, then ``Sources/<GUID>.txt`` in input order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, "project.qde", qde)
        for source in sources:
            _write(archive, f"Sources/{source.guid}.txt", source.text)
    return out.getvalue()


def _write(archive: zipfile.ZipFile, path: str, text: str) -> None:
    info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, text.encode("utf-8"))
