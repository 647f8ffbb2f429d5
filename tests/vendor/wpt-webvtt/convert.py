"""Convert the web-platform-tests WebVTT ``.test`` files to ``expectations.json``, once.

Usage (Node.js runs the files' JavaScript; nothing here runs in the test suite)::

    python tests/vendor/wpt-webvtt/convert.py SOURCE_DIR > tests/vendor/wpt-webvtt/expectations.json

``SOURCE_DIR`` holds ``support/*.test`` (wpt's ``webvtt/parsing/file-parsing/``) and, if it has
one, ``MANIFEST.tsv`` (file, upstream path, commit), whose commits are written beside each test.

Each ``.test`` file is: a title line, HTML metadata up to the first blank line, testharness.js
assertions up to a line ``===``, then the WebVTT body, escaped as Python's ``unicode_escape``
decodes it. The assertions are run once by Node.js against *symbolic* cues: reading
``cues[3].region.lines`` yields a value that only remembers that path, and each assertion is
written down as ``{"actual": path, "check": ..., "expected": ...}``. So the data holds what the
files assert, not what any parser answers. Arithmetic on a symbolic value, or an assertion whose
actual value is not a path, stops the conversion.

Three files as published cannot pass in any implementation; ERRATA corrects them before the
conversion and the JSON says so (``erratum``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ERRATA = {
    "regions-id": (
        "the published copy asserts region1.lines four times (2, 1, 3, 4); upstream fixed it "
        "to region1..region4 (tests/regions-id.html @91e8253)"
    ),
    "regions-regionanchor": (
        "the 14 invalid REGION blocks all say id:6, so cues 'region:7'..'region:20' would get no "
        "region; the intended ids 7..20 are given to them"
    ),
    "regions-viewportanchor": (
        "the 14 invalid REGION blocks all say id:6, so cues 'region:7'..'region:20' would get no "
        "region; the intended ids 7..20 are given to them"
    ),
}

RUNNER = r"""
const vm = require("vm");
const {script, cueCount} = JSON.parse(require("fs").readFileSync(0, "utf8"));
const PATH = Symbol("path");
function sym(path) {
  return new Proxy({}, {get(_, key) {
    if (key === PATH) return path;
    if (typeof key === "symbol") throw new Error("a symbolic value used as " + String(key));
    return sym(path.concat([/^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key]));
  }});
}
const pathOf = (v) => (v !== null && typeof v === "object" && v[PATH]) || null;
function encode(v) {
  if (pathOf(v)) return {same_as: pathOf(v)};
  if (Object.is(v, -0)) return {number: "-0"};
  if (typeof v === "number" && !isFinite(v)) return {number: String(v)};
  if (v === null || ["number", "string", "boolean"].includes(typeof v)) return v;
  throw new Error("cannot write down " + String(v));
}
const checks = [];
function record(check, actual, expected, message) {
  if (!pathOf(actual)) throw new Error(check + " on a value that is not a path: " + actual);
  const entry = {actual: pathOf(actual), check};
  if (expected !== undefined) entry.expected = encode(expected);
  if (message !== undefined) entry.message = pathOf(message) ? pathOf(message).join(".")
                                                             : String(message);
  checks.push(entry);
}
const cues = sym(["cues"]);
const sandbox = {
  cues,
  document: sym(["document"]),
  CSSRule: {STYLE_RULE: 1},
  Number: {MAX_VALUE: Number.MAX_VALUE, MIN_VALUE: Number.MIN_VALUE},
  Array: {from(x) {
    if (x !== cues) throw new Error("Array.from of something else than cues");
    return Array.from({length: cueCount}, (_, i) => sym(["cues", i]));
  }},
  assert_equals: (a, e, m) => record("equals", a, e, m),
  assert_not_equals: (a, e, m) => record("not_equals", a, e, m),
  assert_true: (a, m) => record("true", a, undefined, m),
  assert_false: (a, m) => record("false", a, undefined, m),
  assert_truthy: (a, m) => record("truthy", a, undefined, m),
};
vm.runInNewContext(script, sandbox);
process.stdout.write(JSON.stringify(checks));
"""


def split(raw: str) -> tuple[str, str, str]:
    """The title, the script and the escape-decoded WebVTT body of a ``.test`` file."""
    title, _, rest = raw.partition("\n")
    _metadata, blank, rest = rest.partition("\n\n")
    parts = re.split(r"(?m)^===\n", rest, maxsplit=1)
    if not blank or len(parts) != 2:
        raise SystemExit("no blank line after the metadata or no '===' line")
    return title, parts[0], parts[1].encode("ascii").decode("unicode_escape")


def correct(name: str, script: str, body: str) -> tuple[str, str]:
    """Apply the erratum of ``name``, checking that it still matches the file."""
    if name == "regions-id":
        for index in (2, 3, 4):
            wrong = f"region1.lines, {1 if index == 2 else index})"
            assert script.count(wrong) == 1, "the erratum no longer matches the file"
            script = script.replace(wrong, f"region{index}.lines, {1 if index == 2 else index})")
    elif name in ERRATA:
        head, marker, tail = body.partition("NOTE invalid")
        ids = iter(range(7, 21))
        tail, count = re.subn(r"^id:6$", lambda _: f"id:{next(ids)}", tail, flags=re.MULTILINE)
        assert marker and count == 14, "the erratum no longer matches the file"
        body = head + marker + tail
    return script, body


def checks_of(script: str) -> list[dict[str, object]]:
    """Run ``script`` on symbolic cues with Node.js: the assertions it makes."""
    script = re.sub(r"assert_true\(!!", "assert_truthy(", script)  # '!!x' would lose the path
    count = re.search(r"assert_equals\(cues\.length, (\d+)\)", script)
    data = json.dumps({"script": script, "cueCount": int(count[1]) if count else 0})
    ran = subprocess.run(
        ["node", "-e", RUNNER], input=data, capture_output=True, text=True, check=False
    )
    if ran.returncode:
        raise SystemExit(ran.stderr)
    checks: list[dict[str, object]] = json.loads(ran.stdout)
    return checks


def main(source: Path) -> None:
    manifest = source / "MANIFEST.tsv"
    commits = {}
    if manifest.is_file():
        rows = [line.split("\t") for line in manifest.read_text().splitlines()[1:]]
        commits = {Path(row[0]).stem: (row[1], row[2]) for row in rows if row[0].endswith(".test")}
    tests = []
    for path in sorted((source / "support").glob("*.test")):
        title, script, body = split(path.read_text(encoding="utf-8"))
        script, body = correct(path.stem, script, body)
        upstream, commit = commits.get(path.stem, (None, None))
        entry = {"name": path.stem, "title": title, "upstream": upstream, "commit": commit}
        entry |= {"erratum": ERRATA.get(path.stem), "body": body, "checks": checks_of(script)}
        tests.append(entry)
    json.dump({"source": "web-platform-tests/wpt", "tests": tests}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
