"""One source of the current time: only ``journeyscope/clock.py`` asks the system for it.

Everything else reads ``db.clock.now()`` (or is handed the time), so a test that moves the
database's clock moves the whole product, and no module can silently read another time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import journeyscope

SRC = Path(journeyscope.__file__).parent
WALL_CLOCK_CALLS = {
    "datetime.now", "datetime.utcnow", "datetime.today", "date.today",
    "time.time", "time.time_ns", "time.localtime", "time.gmtime", "time.ctime",
}  # fmt: skip
ALLOWED = {
    "clock.py": "the one source",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def wall_clock_reads(source: str) -> list[str]:
    """The calls in ``source`` that read the system's time, as ``line: name``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if any(name == call or name.endswith("." + call) for call in WALL_CLOCK_CALLS):
                found.append(f"{node.lineno}: {name}")
    return found


def test_the_scanner_finds_the_ways_of_reading_the_time() -> None:
    source = "import time\ndt.datetime.now(dt.UTC)\ndatetime.date.today()\ntime.time()\n"
    assert wall_clock_reads(source) == [
        "2: dt.datetime.now",
        "3: datetime.date.today",
        "4: time.time",
    ]


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative not in ALLOWED:
            found = wall_clock_reads(path.read_text(encoding="utf-8"))
            if found:
                offenders[relative] = found
    assert offenders == {}, "read db.clock.now() (journeyscope.clock) instead"
