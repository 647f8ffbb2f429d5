"""The W3C web-platform-tests WebVTT file-parsing suite, run against our parser.

The 24 ``.test`` files were converted once to data (``tests/vendor/wpt-webvtt/``, with their
licence, origin and converter): each holds a WebVTT body and the testharness.js assertions on
it, as paths into the parsed track (``["cues", 3, "region", "lines"]``) with what they expect.
Here each body is parsed by ``parse_webvtt`` and each assertion is checked with testharness.js's
rules: ``equals`` wants the same JavaScript type and SameValue (``0`` differs from ``-0``),
``true`` wants exactly ``true``, objects (regions) compare by identity. A path naming anything
this file does not map fails the test; nothing is skipped.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from journeyscope.interviews.webvtt import parse_webvtt

DATA = Path(__file__).resolve().parents[2] / "vendor" / "wpt-webvtt" / "expectations.json"
TESTS = json.loads(DATA.read_text(encoding="utf-8"))["tests"]

CUE_PROPERTIES = {
    "id": "id", "text": "text", "startTime": "start_time", "endTime": "end_time",
    "region": "region", "vertical": "vertical", "snapToLines": "snap_to_lines", "line": "line",
    "lineAlign": "line_align", "position": "position", "positionAlign": "position_align",
    "size": "size", "align": "align",
}  # fmt: skip
REGION_PROPERTIES = {
    "id": "id", "width": "width", "lines": "lines", "regionAnchorX": "region_anchor_x",
    "regionAnchorY": "region_anchor_y", "viewportAnchorX": "viewport_anchor_x",
    "viewportAnchorY": "viewport_anchor_y", "scroll": "scroll",
}  # fmt: skip
STYLE_RULE = 1.0  # CSSRule.STYLE_RULE


class Missing:
    """JavaScript's ``undefined``: an index past the end of a list."""


def css_style_rules(text: str) -> list[str]:
    """The selector text of each top-level rule of a style sheet (a minimal CSS reader)."""
    text = re.sub(r"/\*.*?(?:\*/|\Z)", " ", text, flags=re.DOTALL)
    selectors, pos = [], 0
    while (start := text.find("{", pos)) != -1:
        prelude = " ".join(text[pos:start].split())
        assert not prelude.startswith("@"), "CSS at-rules are not mapped"
        depth, end = 1, start + 1
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        if prelude:
            selectors.append(prelude)
        pos = end
    return selectors


def _step(value: Any, key: str | int) -> Any:
    """Read ``key`` of ``value`` as the DOM would (``cues[0].startTime``)."""
    if isinstance(value, list):
        if key == "length":
            return len(value)
        assert isinstance(key, int), f"no property {key!r} of a list"
        return value[key] if key < len(value) else Missing()
    assert value is not None and not isinstance(value, Missing), f"TypeError reading {key!r}"
    if isinstance(value, dict):
        return value[key]
    names = REGION_PROPERTIES if hasattr(value, "region_anchor_x") else CUE_PROPERTIES
    assert key in names, f"{key!r} is not a mapped property of {type(value).__name__}"
    return getattr(value, names[str(key)])


def resolve(track: dict[str, Any], path: list[str | int]) -> Any:
    """The value at ``path`` in the parsed track."""
    value: Any = track
    for key in path:
        value = _step(value, key)
    return value


def _track(body: str) -> dict[str, Any]:
    parsed = parse_webvtt(body)
    sheets = [
        {"cssRules": [{"type": STYLE_RULE, "selectorText": s} for s in css_style_rules(text)]}
        for text in parsed.stylesheets
    ]
    return {"cues": list(parsed.cues), "document": {"styleSheets": sheets}}


def _js_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", type(None): "null", Missing: "undefined"}.get(type(value), "object")


def _same_value(a: Any, b: Any) -> bool:
    if _js_type(a) != _js_type(b):
        return False
    if _js_type(a) == "number":
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if _js_type(a) == "object":
        return a is b
    return bool(a == b)


def _expected(track: dict[str, Any], written: Any) -> Any:
    if isinstance(written, dict) and "same_as" in written:
        return resolve(track, written["same_as"])
    if isinstance(written, dict) and "number" in written:
        return float(written["number"])
    return written


def failure(track: dict[str, Any], check: dict[str, Any]) -> str | None:
    """What a browser would report for ``check``, or ``None`` when it holds."""
    actual = resolve(track, check["actual"])
    kind = check["check"]
    where = ".".join(map(str, check["actual"])) + (
        f" ({check['message']})" if "message" in check else ""
    )
    if kind in ("equals", "not_equals"):
        expected = _expected(track, check["expected"])
        if _same_value(actual, expected) != (kind == "equals"):
            return f"{where}: {kind} {expected!r}, got {actual!r}"
        return None
    holds = {
        "true": actual is True,
        "false": actual is False,
        "truthy": actual not in (None, False, 0, "") and not isinstance(actual, Missing),
    }[kind]
    return None if holds else f"{where}: expected {kind}, got {actual!r}"


@pytest.mark.parametrize("test", TESTS, ids=[test["name"] for test in TESTS])
def test_wpt_file_passes_every_assertion(test: dict[str, Any]) -> None:
    track = _track(test["body"])
    failures = [f for check in test["checks"] if (f := failure(track, check)) is not None]
    assert failures == []


def test_the_vendored_suite_is_complete_and_attributed() -> None:
    assert len(TESTS) == 24
    assert all(test["checks"] and test["commit"] and test["upstream"] for test in TESTS)
    assert {t["name"] for t in TESTS if t["erratum"]} == {
        "regions-id",
        "regions-regionanchor",
        "regions-viewportanchor",
    }
    licence = (DATA.parent / "LICENSE").read_text(encoding="utf-8")
    assert "3-Clause BSD License" in licence and "web-platform-tests contributors" in licence


BODY = (
    "WEBVTT\n\nREGION\nid:r\n\n00:00.000 --> 00:01.000 region:r line:0\ntext\n\n"
    "00:01.000 --> 00:02.000\nmore\n"
)
SAME_REGION = {"same_as": ["cues", 0, "region"]}


@pytest.mark.parametrize(
    ("check", "report"),
    [
        ({"actual": ["cues", "length"], "check": "equals", "expected": 1}, "equals 1, got 2"),
        ({"actual": ["cues", 0, "line"], "check": "equals", "expected": "0"}, "got 0"),
        ({"actual": ["cues", 0, "line"], "check": "equals", "expected": {"number": "-0"}}, "-0"),
        ({"actual": ["cues", 0, "snapToLines"], "check": "false"}, "expected false"),
        ({"actual": ["cues", 1, "region"], "check": "truthy"}, "expected truthy"),
        (
            {
                "actual": ["cues", 0, "region"],
                "check": "not_equals",
                "expected": {"same_as": ["cues", 0, "region"]},
            },
            "not_equals",
        ),
    ],
)
def test_a_check_that_does_not_hold_is_reported(check: dict[str, Any], report: str) -> None:
    reported = failure(_track(BODY), check)
    assert reported is not None and report in reported


def test_a_property_that_is_not_mapped_fails_instead_of_passing() -> None:
    with pytest.raises(AssertionError, match="not a mapped property"):
        resolve(_track(BODY), ["cues", 0, "pauseOnExit"])
    with pytest.raises(AssertionError, match="TypeError"):
        resolve(_track(BODY), ["cues", 5, "region", "id"])
