"""`journeyscope metrics` prints a table with intervals; `analytics rebuild` reports and fixes."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from factories import Tenant
from journeyscope.cli import run
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from metrics_support import complete, make_journey


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def scored(cli_env: Settings, db: Database, tenant: Tenant) -> None:
    """Today (on the system clock): the till 20 promoters and 10 detractors; the call 3."""
    make_journey(db, tenant)
    for score, n in ((10, 20), (0, 10)):
        for _ in range(n):
            complete(db, tenant, score)
    for _ in range(3):
        complete(db, tenant, 9, survey="care")


@pytest.mark.usefixtures("scored")
def test_metrics_prints_nps_by_stage_with_intervals_and_too_few(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(
        capsys, "metrics", "--journey", "retail", "--by", "stage", "--grain", "week",
        "--since", "90d",
    )  # fmt: skip
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["stage", "period", "nps", "interval", "n"]
    assert rows[1][0] == "buy" and rows[1][2:] == ["33.3", *rows[1][3:6], "30"]
    assert rows[2][0] == "care" and rows[2][2:] == ["too", "few", "(n=3)", "3"]


@pytest.mark.usefixtures("scored")
def test_metrics_names_a_bad_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "metrics", "--by", "colour")
    assert code == 1
    assert "colour" in err


@pytest.mark.usefixtures("scored")
def test_rebuild_reports_and_fixes_a_corrupted_row(
    capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    rollup = tables.MetricRollup.__table__
    with db.transaction() as session:
        session.execute(update(rollup).where(rollup.c.h9 == 3).values(h9=99))
    code, out, _ = _run(capsys, "analytics", "rebuild", "--check")
    assert code == 1
    assert "1 row differed" in out and "stored 99, facts give 3" in out
    code, out, _ = _run(capsys, "analytics", "rebuild")
    assert (code, out.splitlines()[-1]) == (0, "fixed: the rollups now match the facts")
    code, out, _ = _run(capsys, "analytics", "rebuild", "--workspace", "acme")
    assert (code, out.strip()) == (0, "1 workspace, 4 rollup rows from the facts: 0 rows differed")
