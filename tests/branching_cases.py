"""The shared branching cases (tests/data/branching_cases.json), read once for every test.

The server's :mod:`journeyscope.surveys.flow` and the kiosk and widget scripts are all tested
against these cases, so the three implementations cannot drift apart.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CASES_FILE = Path(__file__).parent / "data" / "branching_cases.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return data


def surveys() -> dict[str, dict[str, Any]]:
    """Survey name → survey JSON."""
    return dict(_data()["surveys"])


def conditions() -> list[dict[str, Any]]:
    """``{condition, answers, holds}`` cases."""
    return list(_data()["conditions"])


def paths() -> list[dict[str, Any]]:
    """``{name, survey, answers, path, visible, missing, hidden}`` cases."""
    return list(_data()["paths"])


def condition_id(case: dict[str, Any]) -> str:
    """A readable test id: the condition and the answers, compact."""
    return json.dumps([case["condition"], case["answers"]], ensure_ascii=False)[:80]
