"""Lone reads outside a transaction (``Database.read``), transactions as before around them."""

from __future__ import annotations

from sqlalchemy import text

from journeyscope.store import Database


def test_read_runs_outside_a_transaction_on_postgresql(db: Database, backend: str) -> None:
    with db.read() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        driver = connection.connection.driver_connection
        if backend == "postgres":
            assert driver.autocommit is True  # type: ignore[union-attr]
        else:
            assert driver.in_transaction is False  # type: ignore[union-attr]


def test_transactions_after_a_read_still_begin_and_roll_back(db: Database) -> None:
    with db.read() as connection:
        connection.execute(text("SELECT 1"))
    with db.transaction() as session:
        driver = session.connection().connection.driver_connection
        assert getattr(driver, "autocommit", False) is False
        assert session.in_transaction()
