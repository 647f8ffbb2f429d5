"""The database: engines, tables, transactions, pagination and migrations.

Also the query helpers every domain's ``repo.py`` shares: what SQLite and PostgreSQL spell
differently (``dialects``: conflict-ignoring inserts and upserts; ``claims``: ``FOR UPDATE SKIP
LOCKED``) and bounded ``IN (...)`` lists (``chunking``). Imports nothing from the domains.
Domains' own queries live in their ``repo.py``.
"""

from journeyscope.store import tables
from journeyscope.store.bulk import copy_columns, insert_many, sqlite_value
from journeyscope.store.chunking import CHUNK, chunks
from journeyscope.store.claims import skip_locked
from journeyscope.store.database import Database
from journeyscope.store.dialects import dialect_insert, insert_ignoring_conflicts, is_postgres
from journeyscope.store.engine import make_engine
from journeyscope.store.migrate import (
    backup_before_upgrade,
    backup_sqlite,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from journeyscope.store.outages import is_unavailable
from journeyscope.store.pagination import Page, decode_cursor, encode_cursor, make_page, page_query
from journeyscope.store.retrying import in_transaction_retrying, is_retryable
from journeyscope.store.sqlite_files import write_private_bytes
from journeyscope.store.types import new_id, new_public_id
from journeyscope.store.write_batch import SKIP, AddTo, deferred_writes, write_rows

__all__ = [
    "CHUNK",
    "SKIP",
    "AddTo",
    "Database",
    "Page",
    "backup_before_upgrade",
    "backup_sqlite",
    "chunks",
    "copy_columns",
    "current_revision",
    "decode_cursor",
    "deferred_writes",
    "dialect_insert",
    "encode_cursor",
    "ensure_schema",
    "head_revision",
    "in_transaction_retrying",
    "insert_ignoring_conflicts",
    "insert_many",
    "is_postgres",
    "is_retryable",
    "is_unavailable",
    "make_engine",
    "make_page",
    "new_id",
    "new_public_id",
    "page_query",
    "skip_locked",
    "sqlite_value",
    "tables",
    "upgrade",
    "write_private_bytes",
    "write_rows",
]
