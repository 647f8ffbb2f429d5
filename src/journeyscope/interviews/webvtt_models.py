"""What a parsed WebVTT file holds: cues, regions and style sheets, as the HTML API exposes them.

The attribute values follow the ``VTTCue`` and ``VTTRegion`` interfaces of
https://w3c.github.io/webvtt/#api (``line`` is ``"auto"`` or a number, ``vertical`` is ``""``,
``"rl"`` or ``"lr"``, percentages are numbers from 0 to 100), with Python names
(``startTime`` → ``start_time``). Pure data: imports nothing from the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Auto = Literal["auto"]
LineAlign = Literal["start", "center", "end"]
PositionAlign = Literal["line-left", "center", "line-right", "auto"]
TextAlign = Literal["start", "center", "end", "left", "right"]
Vertical = Literal["", "rl", "lr"]
Scroll = Literal["", "up"]


@dataclass(frozen=True, slots=True)
class WebVTTRegion:
    """A ``REGION`` block: a part of the video where cues are rendered (``VTTRegion``).

    ``width`` and the anchor coordinates are percentages (0 to 100); ``lines`` is the number of
    lines the region holds; ``scroll`` is ``"up"`` or ``""`` (none).
    """

    id: str = ""
    width: float = 100.0
    lines: int = 3
    region_anchor_x: float = 0.0
    region_anchor_y: float = 100.0
    viewport_anchor_x: float = 0.0
    viewport_anchor_y: float = 100.0
    scroll: Scroll = ""


@dataclass(frozen=True, slots=True)
class WebVTTCue:
    r"""One cue (``VTTCue``): its identifier, times in seconds, settings and raw cue text.

    ``text`` is kept exactly as written (tags and character references included, lines joined
    by ``"\n"``). ``source_start``/``source_end`` are the character offsets of that text in the
    string given to :func:`~journeyscope.interviews.webvtt.parse_webvtt`, so
    ``source[source_start:source_end]`` is the cue text as written there (with its original line
    endings). ``end_time`` may be smaller than ``start_time``: the spec keeps such cues.
    """

    id: str
    start_time: float
    end_time: float
    text: str
    region: WebVTTRegion | None = None
    vertical: Vertical = ""
    snap_to_lines: bool = True
    line: float | Auto = "auto"
    line_align: LineAlign = "start"
    position: float | Auto = "auto"
    position_align: PositionAlign = "auto"
    size: float = 100.0
    align: TextAlign = "center"
    source_start: int = 0
    source_end: int = 0


@dataclass(frozen=True, slots=True)
class WebVTTFile:
    """A parsed WebVTT file.

    Attributes:
        cues: The cues in file order.
        regions: The regions defined by ``REGION`` blocks, in file order (a cue's ``region`` is
            one of these objects).
        stylesheets: The CSS text of each ``STYLE`` block, unparsed.
        warnings: Things a person may want to know, e.g. a cue skipped for invalid timings.
    """

    cues: tuple[WebVTTCue, ...]
    regions: tuple[WebVTTRegion, ...] = ()
    stylesheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
