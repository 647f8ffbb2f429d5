"""The SQLite files (and the rest of the data folder) are private to the account running us.

The database holds contacts and answers, and sits next to the secret key (mode 0600), so it
must not be readable by other users of the machine either:

- a missing folder is created ``0700``;
- the database file is created ``0600`` before SQLite opens it. SQLite gives its ``-wal``,
  ``-shm`` and journal files the database file's permissions, so those follow, whatever the
  umask;
- an existing database, ``-wal`` or ``-shm`` file that others may read (from an older version)
  is made ``0600``, with a warning;
- an existing folder open to others is left as it is (it may hold other things, or belong to
  someone else) and a warning gives the command that closes it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")
"""The database file and the files SQLite keeps beside it."""


def make_private_database(database: Path) -> None:
    """Prepare ``database``'s folder and files as private before SQLite opens it."""
    make_private_folder(database.parent)
    create_private_file(database)
    for suffix in COMPANIONS[1:]:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            create_private_file(companion)


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, a file only this account may read (its folder made private)."""
    make_private_folder(path.parent)
    create_private_file(path)
    path.write_bytes(data)


def create_private_file(path: Path) -> None:
    """Create ``path`` with mode 0600, or make an existing file 0600 (warning if it was not)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        return
    except FileExistsError:
        pass
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & ~PRIVATE_FILE_MODE:
        return
    try:
        path.chmod(PRIVATE_FILE_MODE)
    except PermissionError:  # another account's file: say so, and carry on
        log.warning("other users may read %s (mode %o); run: chmod 600 %s", path, mode, path)
        return
    log.warning("other users could read %s (mode %o); made it 0600", path, mode)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` 0700, or warn when an existing one is open to other users."""
    try:
        folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True)
    except FileExistsError:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & ~PRIVATE_DIR_MODE:
            log.warning(
                "%s holds the database and other users may open it (mode %o); "
                "close it with: chmod 700 %s",
                folder,
                mode,
                folder,
            )
