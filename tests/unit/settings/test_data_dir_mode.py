"""The data folder the secret key is generated in is private (0700), like the key (0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from journeyscope.settings import Settings, ensure_secret_key


def test_the_folder_made_for_the_generated_key_is_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, under which folders are made 0755
    try:
        ensure_secret_key(Settings(data_dir=tmp_path / "data"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
