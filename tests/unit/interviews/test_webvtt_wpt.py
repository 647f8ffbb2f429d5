"""The W3C web-platform-tests WebVTT file-parsing suite, run against our parser.

Each ``support/*.test`` file of the suite (``../shared/data/wpt-webvtt`` beside the repository,
or ``$JOURNEYSCOPE_WPT_WEBVTT``) is one test: its WebVTT body is parsed by ``parse_webvtt`` and
its testharness.js assertions are run by ``wpt_assertions``. The data is never copied here. When
the folder is missing the tests skip with the reason (the issue asks for the suite to run where
the folder exists); a ``$JOURNEYSCOPE_WPT_WEBVTT`` that names a missing folder fails.

Three files as published cannot pass in any implementation, ours or a browser's; ERRATA corrects
them, and a separate test pins that the published file still fails exactly where expected, so a
fixed upstream copy shows up as a failure asking to drop the erratum.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from journeyscope.interviews.webvtt import parse_webvtt
from unit.interviews.wpt_assertions import (
    HarnessFailure,
    Unsupported,
    WptTest,
    parse_script,
    read_wpt_test,
    run_wpt_test,
    split_wpt_test,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
ENV_VAR = "JOURNEYSCOPE_WPT_WEBVTT"
WPT_DIR = Path(os.environ.get(ENV_VAR) or REPO_ROOT.parent / "shared" / "data" / "wpt-webvtt")
TEST_FILES = sorted((WPT_DIR / "support").glob("*.test")) if WPT_DIR.is_dir() else []


def _renumber_invalid_regions(test: WptTest) -> WptTest:
    """Give the 14 regions after ``NOTE invalid`` the ids 7..20 that their cues refer to."""
    head, marker, tail = test.body.partition("NOTE invalid")
    ids = iter(range(7, 21))
    tail, count = re.subn(r"^id:6$", lambda _: f"id:{next(ids)}", tail, flags=re.MULTILINE)
    assert marker and count == 14, "the erratum no longer matches the file"
    return WptTest(test.name, test.title, test.script, head + marker + tail)


def _use_each_region(test: WptTest) -> WptTest:
    """Check ``region2.lines`` etc., not ``region1.lines`` four times."""
    fixed = test.script
    for wrong, right in (("region1.lines, 1)", "region2.lines, 1)"),
                         ("region1.lines, 3)", "region3.lines, 3)"),
                         ("region1.lines, 4)", "region4.lines, 4)")):  # fmt: skip
        assert fixed.count(wrong) == 1, "the erratum no longer matches the file"
        fixed = fixed.replace(wrong, right)
    return WptTest(test.name, test.title, fixed, test.body)


@dataclass(frozen=True)
class Erratum:
    """A correction to a published ``.test`` file that cannot pass as written."""

    why: str
    fix: Callable[[WptTest], WptTest]
    published_failure: str  # a regex for the failure the published file gives


_DUPLICATE_IDS = (
    "the 14 invalid REGION blocks all say id:6, so cues 'region:7'..'region:20' get no region "
    "(TypeError reading a property of null) and 'region:6' gets the last id:6 region, whose "
    "settings are all invalid; the intended ids are 7..20"
)
ERRATA = {
    "regions-id": Erratum(
        "the published copy asserts region1.lines four times (2, 1, 3, 4); upstream fixed it to "
        "region1..region4 (tests/regions-id.html @91e8253)",
        _use_each_region,
        r"assert_equals: expected 1 but got 2",
    ),
    "regions-regionanchor": Erratum(
        _DUPLICATE_IDS, _renumber_invalid_regions, r"Failed with region 5 expected 100 but got 0"
    ),
    "regions-viewportanchor": Erratum(
        _DUPLICATE_IDS, _renumber_invalid_regions, r"Failed with region 5 expected 100 but got 0"
    ),
}


def _require_data() -> None:
    if TEST_FILES:
        return
    reason = (
        f"the wpt WebVTT suite is not at {WPT_DIR} (set {ENV_VAR} or put the shared data "
        "folder beside the repository)"
    )
    if os.environ.get(ENV_VAR):
        pytest.fail(f"{reason}; {ENV_VAR} names a folder without the suite")
    pytest.skip("SKIPPING THE WPT WEBVTT SUITE: " + reason)


def _params(paths: list[Path]) -> list[object]:
    return [pytest.param(path, id=path.stem) for path in paths] or [
        pytest.param(None, id="wpt-data-missing")
    ]


@pytest.mark.parametrize("path", _params(TEST_FILES))
def test_wpt_file_passes_every_assertion(path: Path | None) -> None:
    _require_data()
    assert path is not None
    test = read_wpt_test(path)
    erratum = ERRATA.get(test.name)
    if erratum is not None:
        test = erratum.fix(test)
    assert run_wpt_test(test, parse_webvtt) > 0


@pytest.mark.parametrize("name", sorted(ERRATA))
def test_wpt_file_as_published_fails_where_the_erratum_says(name: str) -> None:
    _require_data()
    path = WPT_DIR / "support" / f"{name}.test"
    assert path.is_file(), f"{name}.test is gone: drop its erratum"
    erratum = ERRATA[name]
    try:
        run_wpt_test(read_wpt_test(path), parse_webvtt)
    except HarnessFailure as failure:
        assert re.search(erratum.published_failure, str(failure)), str(failure)
    else:
        pytest.fail(f"{name} passes as published, so this no longer holds: {erratum.why}")


def test_wpt_folder_holds_the_suite() -> None:
    _require_data()
    assert len(TEST_FILES) >= 24
    assert {path.stem for path in TEST_FILES} >= set(ERRATA)


# The evaluator itself: what it does not know must fail, never pass or skip.


def _run(script: str, body: str = "WEBVTT\n\n00:00.000 --> 00:01.000\ntext\n") -> int:
    return run_wpt_test(WptTest("inline", "inline", script, body), parse_webvtt)


@pytest.mark.parametrize(
    "script",
    [
        "if (cues.length) { assert_true(true); }",
        "assert_equals(track.regions.length, 0);",
        "assert_equals(cues[0].pauseOnExit, false);",
        "assert_approx_equals(cues[0].startTime, 0, 0.001);",
        "let x = 1; assert_equals(x, 1);",
        "assert_equals(cues.length == 1, true);",
        "cues.forEach(function(cue) { assert_true(true); });",
        "var x = 1;",
    ],
)
def test_evaluator_fails_loudly_on_what_it_does_not_know(script: str) -> None:
    with pytest.raises(Unsupported):
        _run(script)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("assert_equals(cues.length, 2);", "expected 2 but got 1"),
        ("assert_equals(cues[0].line, 0);", 'expected \\(number\\) 0 but got \\(string\\) "auto"'),
        ("assert_equals(-0, 0);", "expected 0 but got -0"),
        ("assert_true(1);", "expected true got 1"),
        ("assert_not_equals(cues[0], cues[0]);", "disallowed value"),
        ("assert_equals(cues[0].region.id, 'x');", "TypeError"),
        ("assert_equals(cues[0].id, 'x', 'Failed with cue ' + 0);", "Failed with cue 0"),
    ],
)
def test_evaluator_reports_failures_like_testharness(script: str, message: str) -> None:
    with pytest.raises(HarnessFailure, match=message):
        _run(script)


def test_evaluator_runs_closures_loops_and_js_arithmetic() -> None:
    script = """
        var seen = Array.from(cues).map(function(cue) { return cue.text; });
        for (var i = 0; i < 3; i++) { var last = 'text' + (i + 1); }
        assert_equals(last, 'text3');
        assert_equals(seen[0] + seen.length, 'text1');
        assert_equals(-1 * Number.MAX_VALUE < 0, true);
        assert_equals(1e21 + '', '1e+21');
        assert_equals(0.000001 + '|' + 1.5e-7, '0.000001|1.5e-7');
        assert_equals("\\uFFFD\\x20", '\\ufffd ');
        assert_true(!!cues[0] && !cues[0].region);
    """
    assert _run(script) == 7


def test_evaluator_splits_a_test_file_and_decodes_its_body() -> None:
    raw = "t\n<link>\n\nassert_equals(cues.length, 0);\n===\nWEBVTT\\r\\\nx\\x00\\uFFFD"
    test = split_wpt_test("t", raw)
    assert test.script == "assert_equals(cues.length, 0);\n"
    assert test.body == "WEBVTT\rx\0\ufffd"
    assert parse_script(test.script)[0][0] == "expr"
