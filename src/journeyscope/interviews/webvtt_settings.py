"""The line-level steps of WebVTT parsing: timestamps, cue timings and settings, region settings.

Follows https://w3c.github.io/webvtt/#cue-timings-and-settings-parsing,
#collect-a-webvtt-timestamp, #region-settings-parsing and #parse-a-percentage-string. Numbers
are read with the HTML "rules for parsing floating-point number values": the nearest double,
never ``-0``, and an error where the value would round to infinity.

One deliberate difference from the current spec text: a ``line`` or ``position`` setting whose
alignment keyword is unknown (``line:100%,middle``) keeps its offset and ignores the keyword,
as the web-platform-tests ``settings-line`` and ``settings-position`` tests require and as
Firefox does; the spec has dropped the whole setting since w3c/webvtt#336 (2017), but the tests
were never changed. Pure: imports only the WebVTT models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from journeyscope.interviews.webvtt_models import (
    Auto,
    LineAlign,
    PositionAlign,
    TextAlign,
    Vertical,
    WebVTTRegion,
)

ASCII_WHITESPACE = "\t\n\f\r "
_WHITESPACE_RUN = re.compile(r"[\t\n\f\r ]+")
_DIGITS = frozenset("0123456789")
_PERCENTAGE = re.compile(r"[0-9]+(?:\.[0-9]+)?%")
_LINE_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MAX_HOUR_DIGITS = 300  # more would overflow a double; such a timestamp is rejected
_MAX_LINES_DIGITS = 4000  # Python refuses to read longer integers; such a setting is ignored

_LINE_ALIGNS: dict[str, LineAlign] = {"start": "start", "center": "center", "end": "end"}
_POSITION_ALIGNS: dict[str, PositionAlign] = {
    "line-left": "line-left",
    "center": "center",
    "line-right": "line-right",
}
_TEXT_ALIGNS: dict[str, TextAlign] = {
    "start": "start",
    "center": "center",
    "end": "end",
    "left": "left",
    "right": "right",
}
_VERTICALS: dict[str, Vertical] = {"rl": "rl", "lr": "lr"}


@dataclass(slots=True)
class CueSettings:
    """The settings of one cue while its settings line is read (the spec's initial values)."""

    region: WebVTTRegion | None = None
    vertical: Vertical = ""
    snap_to_lines: bool = True
    line: float | Auto = "auto"
    line_align: LineAlign = "start"
    position: float | Auto = "auto"
    position_align: PositionAlign = "auto"
    size: float = 100.0
    align: TextAlign = "center"


@dataclass(frozen=True, slots=True)
class CueTimings:
    """What a cue timings line holds: start and end in seconds, and the settings."""

    start: float
    end: float
    settings: CueSettings


def split_on_ascii_whitespace(text: str) -> list[str]:
    """Split on runs of tab, LF, FF, CR and space (not on other Unicode spaces such as VT)."""
    return [token for token in _WHITESPACE_RUN.split(text) if token]


def to_double(decimal: str) -> float | None:
    """A decimal string as the nearest double: ``None`` on overflow, and ``0`` for ``-0``."""
    value = float(decimal)
    if value in (float("inf"), float("-inf")):
        return None
    return value + 0.0  # -0.0 + 0.0 is 0.0: the HTML rules never return negative zero


def parse_percentage(text: str) -> float | None:
    """Parse a WebVTT percentage (``12.5%``): a number from 0 to 100, or ``None``."""
    if not _PERCENTAGE.fullmatch(text):
        return None
    value = to_double(text[:-1])
    if value is None or not 0 <= value <= 100:
        return None
    return value


def _collect_digits(line: str, pos: int) -> tuple[str, int]:
    end = pos
    while end < len(line) and line[end] in _DIGITS:
        end += 1
    return line[pos:end], end


def _is_at(line: str, pos: int, char: str) -> bool:
    return pos < len(line) and line[pos] == char


def collect_timestamp(line: str, pos: int) -> tuple[float, int] | None:
    """Read ``[hh:]mm:ss.ttt`` at ``pos``: the time in seconds and the position after it.

    Hours may have any number of digits (and are required when the first field has other than
    two digits or exceeds 59); minutes and seconds exactly two, at most 59; milliseconds three.
    """
    first, pos = _collect_digits(line, pos)
    if not first or len(first) > _MAX_HOUR_DIGITS or not _is_at(line, pos, ":"):
        return None
    has_hours = len(first) != 2 or int(first) > 59
    second, pos = _collect_digits(line, pos + 1)
    if len(second) != 2:
        return None
    if has_hours or _is_at(line, pos, ":"):
        if not _is_at(line, pos, ":"):
            return None
        third, pos = _collect_digits(line, pos + 1)
        if len(third) != 2:
            return None
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    if not _is_at(line, pos, "."):
        return None
    millis, pos = _collect_digits(line, pos + 1)
    if len(millis) != 3 or minutes > 59 or seconds > 59:
        return None
    total_ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(millis)
    return total_ms / 1000, pos  # int / int is correctly rounded, like the decimal literal


def _skip_whitespace(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in ASCII_WHITESPACE:
        pos += 1
    return pos


def collect_cue_timings(line: str, regions: Sequence[WebVTTRegion]) -> CueTimings | None:
    """Read a cue timings line (``start --> end settings``); ``None`` when it is not valid."""
    start = collect_timestamp(line, _skip_whitespace(line, 0))
    if start is None:
        return None
    pos = _skip_whitespace(line, start[1])
    if line[pos : pos + 3] != "-->":
        return None
    end = collect_timestamp(line, _skip_whitespace(line, pos + 3))
    if end is None:
        return None
    return CueTimings(start[0], end[0], parse_cue_settings(line[end[1] :], regions))


def parse_cue_settings(text: str, regions: Sequence[WebVTTRegion]) -> CueSettings:
    """Apply each ``name:value`` setting in ``text`` in order; unknown or bad ones are skipped."""
    settings = CueSettings()
    for token in split_on_ascii_whitespace(text):
        name, colon, value = token.partition(":")
        setter = _CUE_SETTERS.get(name)
        if colon and name and value and setter is not None:
            setter(settings, value, regions)
    return settings


def _set_region(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    cue.region = next((r for r in reversed(regions) if r.id == value), None)


def _set_vertical(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    cue.vertical = _VERTICALS.get(value, cue.vertical)
    if cue.vertical:
        cue.region = None  # there are no vertical regions


def _line_number(linepos: str) -> float | None:
    if linepos.endswith("%"):
        return parse_percentage(linepos)
    return to_double(linepos) if _LINE_NUMBER.fullmatch(linepos) else None


def _set_line(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    linepos, _, linealign = value.partition(",")
    number = _line_number(linepos) if _DIGITS.intersection(linepos) else None
    if number is None:
        return
    cue.line_align = _LINE_ALIGNS.get(linealign, cue.line_align)  # unknown: see module doc
    cue.line = number
    cue.snap_to_lines = not linepos.endswith("%")
    cue.region = None  # explicitly positioned cues drop out of their region


def _set_position(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    colpos, _, colalign = value.partition(",")
    number = parse_percentage(colpos)
    if number is None:
        return
    cue.position_align = _POSITION_ALIGNS.get(colalign, cue.position_align)  # see module doc
    cue.position = number


def _set_size(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    number = parse_percentage(value)
    if number is None:
        return
    cue.size = number
    if number != 100:
        cue.region = None  # explicitly sized cues drop out of their region


def _set_align(cue: CueSettings, value: str, regions: Sequence[WebVTTRegion]) -> None:
    cue.align = _TEXT_ALIGNS.get(value, cue.align)


_CUE_SETTERS: dict[str, Callable[[CueSettings, str, Sequence[WebVTTRegion]], None]] = {
    "region": _set_region,
    "vertical": _set_vertical,
    "line": _set_line,
    "position": _set_position,
    "size": _set_size,
    "align": _set_align,
}


def _anchor(value: str) -> tuple[float, float] | None:
    x_text, comma, y_text = value.partition(",")
    x, y = parse_percentage(x_text), parse_percentage(y_text)
    if not comma or x is None or y is None:
        return None
    return x, y


def _apply_region_setting(region: WebVTTRegion, name: str, value: str) -> WebVTTRegion:
    if name == "id":
        return replace(region, id=value)
    if name == "width" and (width := parse_percentage(value)) is not None:
        return replace(region, width=width)
    if name == "lines" and set(value) <= _DIGITS and len(value) <= _MAX_LINES_DIGITS:
        return replace(region, lines=int(value))
    if name == "regionanchor" and (anchor := _anchor(value)) is not None:
        return replace(region, region_anchor_x=anchor[0], region_anchor_y=anchor[1])
    if name == "viewportanchor" and (anchor := _anchor(value)) is not None:
        return replace(region, viewport_anchor_x=anchor[0], viewport_anchor_y=anchor[1])
    if name == "scroll" and value == "up":
        return replace(region, scroll="up")
    return region


def parse_region_settings(text: str) -> WebVTTRegion:
    """Build a region from the settings of a ``REGION`` block (the lines after ``REGION``)."""
    region = WebVTTRegion()
    for token in split_on_ascii_whitespace(text):
        name, colon, value = token.partition(":")
        if colon and name and value:
            region = _apply_region_setting(region, name, value)
    return region
