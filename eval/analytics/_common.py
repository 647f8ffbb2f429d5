"""Shared helpers for the analytics eval scripts: where the reference data is, how to print."""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

DATA_ENV = "JOURNEYSCOPE_EVAL_DATA"


def data_folder(description: str) -> Path:
    """The shared data folder: first argument, else $JOURNEYSCOPE_EVAL_DATA (never copied here)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", nargs="?", default=os.environ.get(DATA_ENV), help="data folder")
    args = parser.parse_args()
    if not args.data:
        parser.error(f"give the shared data folder as an argument or in ${DATA_ENV}")
    return Path(args.data)


def read_reference(data: Path, name: str) -> dict[str, list[float]]:
    """One of R's data sets as exported to ``reference/NAME.csv`` (row names dropped)."""
    with (data / "reference" / f"{name}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {k: [float(r[k]) for r in rows] for k in rows[0] if k}


def show(rows: list[tuple[str, float, float | None]], digits: int = 4) -> int:
    """Print ours beside the published figure; return how many differ at ``digits`` places."""
    print(f"{'quantity':44} {'ours':>10} {'published':>10}  match")
    differ = 0
    for label, ours, published in rows:
        if published is None:
            print(f"{label:44} {ours:>10.{digits}f} {'-':>10}  (no published figure)")
            continue
        same = round(ours, digits) == round(published, digits)
        differ += not same
        print(
            f"{label:44} {ours:>10.{digits}f} {published:>10.{digits}f}  {'yes' if same else 'NO'}"
        )
    return differ
