"""On SQLite, concurrent writers wait their turn; none fails with "database is locked"."""

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction

from config.settings import base

WRITERS = 8
WRITES_EACH = 40
ALIAS = "concurrent_writes"

pytestmark = pytest.mark.skipif(
    bool(base.DATABASE_URL), reason="SQLite's locking; PostgreSQL runs the same code with MVCC"
)


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """A file database opened with the platform's own SQLite options, under its own alias."""
    connections.settings[ALIAS] = {
        **settings.DATABASES["default"],
        "NAME": str(tmp_path / "writes.sqlite3"),
        "OPTIONS": base.DATABASES["default"]["OPTIONS"],
    }
    with django_db_blocker.unblock():
        yield ALIAS
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def test_concurrent_read_then_write_transactions_all_succeed(file_database: str) -> None:
    # given
    with connections[file_database].cursor() as cursor:
        cursor.execute("CREATE TABLE hit (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for _ in range(WRITES_EACH):
                # Read, then write, in one transaction: with a deferred BEGIN two such
                # transactions deadlock on the lock upgrade and one fails at once.
                with (
                    transaction.atomic(using=file_database),
                    connections[file_database].cursor() as cursor,
                ):
                    cursor.execute("SELECT COUNT(*) FROM hit WHERE writer = %s", [writer])
                    count = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO hit (writer, n) VALUES (%s, %s)", [writer, count])
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections[file_database].close()

    # when
    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT writer || '-' || n) FROM hit")
        assert cursor.fetchone() == (WRITERS * WRITES_EACH, WRITERS * WRITES_EACH)
