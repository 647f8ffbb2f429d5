"""CLI start-up: how long ``journeyscope --version`` and ``--help`` take, against the floor.

The floor, measured in the same run, is what no CLI of ours can beat: the interpreter alone
(``python -c pass``) and the interpreter importing Typer (which brings Click and pydantic-core
with it). Each case runs as a fresh process, ``--rounds`` times, in turn with the others, so a
busy moment on a shared machine hits every case alike. Two figures per case:

- **wall**: seconds until the process exits, what a user waits for;
- **cpu**: user + system seconds of the process, which a busy machine inflates far less than
  the wall time (on a loaded 2-core box the wall time can be 5x the CPU time).

``--src DIR`` measures another checkout's ``src/`` (e.g. the code before a change, from
``git archive``) with this interpreter and its installed dependencies.

Run:  .venv/bin/python bench/cli_startup.py [--rounds 15] [--src /tmp/before/src]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _harness import machine_line

CASES = {
    "python -c pass (floor)": ["-c", "pass"],
    "import typer (floor)": ["-c", "import typer"],
    "journeyscope --version": ["-m", "journeyscope", "--version"],
    "journeyscope --help": ["-m", "journeyscope", "--help"],
    "journeyscope journey --help": ["-m", "journeyscope", "journey", "--help"],
    "journeyscope interviews --help": ["-m", "journeyscope", "interviews", "--help"],
}


def _run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], env=env, stdout=subprocess.DEVNULL, check=True, timeout=120
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _describe(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--src", type=Path, help="measure this src/ folder instead")
    options = parser.parse_args()
    env = dict(os.environ)
    if options.src is not None:
        env["PYTHONPATH"] = str(options.src.resolve())
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    cpus: dict[str, list[float]] = {name: [] for name in CASES}
    for args in CASES.values():  # warm the file cache and the bytecode once
        _run_once(args, env)
    for _ in range(options.rounds):
        for name, args in CASES.items():
            wall, cpu = _run_once(args, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(machine_line([f"load average {load}", f"{options.rounds} rounds"]))
    print(f"source: {options.src or Path(__file__).resolve().parents[1] / 'src'}")
    width = max(len(name) for name in CASES)
    print(f"{'case':<{width}}  {'wall s, median (range)':>24}  {'cpu s, median (range)':>24}")
    for name in CASES:
        print(f"{name:<{width}}  {_describe(walls[name]):>24}  {_describe(cpus[name]):>24}")


if __name__ == "__main__":
    main()
