"""The version of the data a page was rendered from.

Two counters make the version:

- the **shared** one, a row in the database (`DataVersion`), bumped once after every committed
  transaction that wrote data, by whichever process or server wrote it. It is bumped *after* the
  commit: a page rendered while a write was under way was keyed by the version before the bump,
  so it is never served again once the write is visible;
- the **local** one, in this process, bumped at once by every write statement of this process,
  committed or not: a process sees its own writes at once (and so do tests, whose transactions
  never commit), and a change of settings (`override_settings`) counts as a write.

Writes are seen at the database connection (`execute_wrapper`), not through model signals, so a
queryset's `update()`, `bulk_create()`, raw SQL, the admin and management commands all count.
Only the tables that hold no data a page shows are left out: sessions (saved at every request)
and django-axes' sign-in records.
"""

from __future__ import annotations

import itertools
import re
import secrets

from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import F

from cchc.pagecache.models import DataVersion

# Statements that change nothing: everything else counts as a write (when in doubt, a write).
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW",
          "DECLARE", "FETCH", "CLOSE", "PRAGMA", "EXPLAIN", "WITH")  # fmt: skip
_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)
# Tables whose rows no page shows.
UNWATCHED = ("django_session", "axes_", "pagecache_")

_local = itertools.count(1)
_local_now = 0


def _bump_local() -> None:
    global _local_now
    _local_now = next(_local)


def is_write(sql: str) -> bool:
    """Whether a statement may change data a page shows."""
    head = sql.lstrip()[:10].upper()
    if head.startswith(_READS):
        # A WITH … may end in a write; Django's ORM writes none.
        return head.startswith("WITH") and bool(re.search(r"\b(INSERT|UPDATE|DELETE)\b", sql, re.I))
    table = _TABLE.match(sql)
    return not (table and table.group(1).lower().startswith(UNWATCHED))


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and is_write(sql):
        _bump_local()
        _after_commit(context["connection"])
    return result


def _after_commit(connection) -> None:
    """Bump the shared version once the transaction commits (at once without a transaction)."""
    pending = (func for _sids, func, _robust in connection.run_on_commit)
    if connection.in_atomic_block and _bump_shared_callback in pending:
        return
    connection.on_commit(_bump_shared_callback, robust=True)


def _bump_shared_callback() -> None:
    bump()


def bump(using: str = "default") -> None:
    """Count one committed change of data (also after a restore, or a change outside Django)."""
    _bump_local()
    rows = DataVersion.objects.using(using).filter(pk=1)
    try:
        if not rows.update(n=F("n") + 1):
            # The row is gone (a `flush`): start again from a random number, so that no version
            # a running process has seen comes back.
            try:
                with transaction.atomic(using=using):
                    DataVersion.objects.using(using).create(pk=1, n=secrets.randbits(62))
            except IntegrityError:  # created meanwhile by another process
                rows.update(n=F("n") + 1)
    except DatabaseError:
        # The table is not there yet (before `migrate`): nothing is kept without it either.
        pass


def current(using: str = "default") -> tuple[int, int] | None:
    """(shared, local): the version a page rendered now is keyed by; None when there is none
    to read (no table yet)."""
    connection = connections[using]
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n FROM {table} WHERE id = 1")  # nosec B608 (own table name)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return (row[0] if row else 0, _local_now)


def local() -> int:
    return _local_now


def _install(sender, connection, **kwargs) -> None:
    if connection.alias != DEFAULT_DB_ALIAS:
        return  # e.g. the connection without a database that creates the test database
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _settings_changed(**kwargs) -> None:
    _bump_local()


def watch_writes() -> None:
    """Watch every connection, those already open and those opened later."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch")
    setting_changed.connect(_settings_changed, dispatch_uid="pagecache-settings")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
