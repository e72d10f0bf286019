"""A write that loses a race with another at the database answers a Vietnamese page, not a 500.

The workflows take what they number under a row lock (the register, the request, the
recommendation, the document being issued) and run in a transaction, so requests at the same
moment queue and each sees what the one before it did. What is left, and answered here:

- the database gave up waiting for a lock: SQLite's "database is locked" after `SQLITE_TIMEOUT`
  seconds, or PostgreSQL's lock timeout, deadlock or serialization failure → 503 with
  `Retry-After`, "the system is busy, reload and try again";
- a constraint refused a row another request has just written (two people adding the same unit
  to a plan at once) → 409, "someone else has just changed this, reload and try again".

Either way the failing workflow's transaction was rolled back, so nothing was changed. Both are
logged with the traceback (a 409 that is not a race is a bug to fix). Other database errors
(the server unreachable) stay 500s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
# PostgreSQL: class 40 (serialization failure, deadlock detected), 55P03 (lock not available).
POSTGRESQL_BUSY = ("40", "55P03")
RETRY_AFTER_SECONDS = 5


def is_lock_timeout(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    if sqlstate.startswith(POSTGRESQL_BUSY):
        return True
    return any(text in str(error).lower() for text in SQLITE_BUSY)


class DatabaseConflictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_lock_timeout(exception):
            status, busy = 503, True
        elif isinstance(exception, IntegrityError):
            status, busy = 409, False
        else:
            return None
        logger.warning(
            "Database conflict on %s %s (answered %d)",
            request.method,
            request.path,
            status,
            exc_info=exception,
        )
        response = HttpResponse(
            render_to_string("conflict.html", {"busy": busy}, request=request), status=status
        )
        if busy:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
