"""The database: engines, tables, transactions, pagination and migrations.

Imports nothing from the domains. Domains' own queries live in their ``repo.py``.
"""

from journeyscope.store import tables
from journeyscope.store.database import Database
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
from journeyscope.store.types import new_id, new_public_id, utcnow

__all__ = [
    "Database",
    "Page",
    "backup_before_upgrade",
    "backup_sqlite",
    "current_revision",
    "decode_cursor",
    "encode_cursor",
    "ensure_schema",
    "head_revision",
    "in_transaction_retrying",
    "is_retryable",
    "is_unavailable",
    "make_engine",
    "make_page",
    "new_id",
    "new_public_id",
    "page_query",
    "tables",
    "upgrade",
    "utcnow",
    "write_private_bytes",
]
