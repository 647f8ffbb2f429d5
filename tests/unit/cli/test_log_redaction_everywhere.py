"""Every command logs without secrets, not only ``serve``: a Celery worker's task lines too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LOG_LIKE_A_WORKER = """
import logging
from journeyscope.cli.context import state
state.settings  # what every command does first: settings, then logging
logging.getLogger("celery.app.trace").warning(
    "Task journeyscope.dispatch succeeded: sent to %s via %s",
    "ann@example.com",
    "https://cx.example/u/secret.token",
)
"""


def test_a_worker_task_line_is_redacted(tmp_path: Path) -> None:
    env = {**os.environ, "JOURNEYSCOPE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", LOG_LIKE_A_WORKER],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Task journeyscope.dispatch succeeded: sent to [email]" in done.stderr
    assert "/u/[token]" in done.stderr
    assert "ann@example.com" not in done.stderr
    assert "secret.token" not in done.stderr
