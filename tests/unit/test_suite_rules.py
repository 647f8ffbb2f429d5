"""Rules the test suite keeps about itself, checked on its own source."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _bare_sleeps(tree: ast.AST) -> list[int]:
    """Lines that sleep outside a ``while`` loop (a loop polls for something to happen)."""
    found: list[int] = []

    def visit(node: ast.AST, in_loop: bool) -> None:
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            name = node.func.id if isinstance(node.func, ast.Name) else name
            if name == "sleep" and not in_loop:
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            nested = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, (in_loop or isinstance(node, ast.While)) and not nested)

    visit(tree, False)
    return found


def test_no_test_sleeps_instead_of_waiting_for_a_signal() -> None:
    # A sleep before asserting that something did not happen passes whenever the machine is
    # slow: wait for a later event that proves it would have happened instead. Sleeping is
    # only allowed between the polls of a loop that waits for something to happen.
    offenders = [
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        if "vendor" not in path.parts
        for line in _bare_sleeps(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_sleep_rule_catches_a_bare_sleep() -> None:
    bare = "import time\ndef test():\n    click()\n    time.sleep(2.5)\n    assert not shown()\n"
    polled = "import time\ndef wait():\n    while not ready():\n        time.sleep(0.1)\n"
    assert _bare_sleeps(ast.parse(bare)) == [4]
    assert _bare_sleeps(ast.parse(polled)) == []
