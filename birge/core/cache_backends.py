"""The cache every web worker shares when there is no Redis: a table in the database."""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    """Django's DatabaseCache with an incr() that loses no counts and keeps the key's expiry.

    Django's own incr() is a get() then a set(): two workers counting at once both read n and
    both write n + 1 (8 threads x 50 hits counted 347 of 400), and set() moves the expiry to
    the default 300 s, so a rate-limit window of an hour ended five minutes after the last hit.
    Redis's INCR has neither fault; this gives the database the same semantics.
    """

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined] # not in the stubs
        # PostgreSQL locks the row; SQLite has no FOR UPDATE, but our settings begin every
        # transaction with the write lock (transaction_mode EXCLUSIVE), which serialises the
        # read and the write just the same.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = timezone.now().replace(microsecond=0, tzinfo=None)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires > %s{lock}",  # noqa: S608 - the table name comes from settings, quoted
                [key, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 - our own rows
            cursor.execute(
                f"UPDATE {table} SET value = %s WHERE cache_key = %s",  # noqa: S608 - as above
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key],
            )
        return value
