"""The size of a request's body is judged before anything reads it.

Every request gets a limit, from its URL and headers alone:

- without a signed-in session: `ANONYMOUS_REQUEST_MAX_BYTES` (the sign-in and password forms
  need a few hundred bytes);
- signed in: `DATA_UPLOAD_MAX_MEMORY_SIZE` (an ordinary form);
- signed in, on one of the `UPLOAD_VIEWS`: `UPLOAD_MAX_BYTES` plus `UPLOAD_OVERHEAD_BYTES` for
  the form's other fields and the multipart framing — every file of one request together.

"Signed in" is read from the session the cookie names (the session store, never the body), and
only when the body may be larger than the anonymous limit. A declared `Content-Length` above the
limit is answered 413 at once, unread; a WSGI server never hands over more than that length. A
body without a length (`Transfer-Encoding: chunked`, which gunicorn de-chunks and marks with
`wsgi.input_terminated`) is read up to the limit into a temporary spool (memory, then a file in
`FILE_UPLOAD_TEMP_DIR` past `FILE_UPLOAD_MAX_MEMORY_SIZE`): one byte more and the spool is
dropped and the answer is 413; otherwise Django reads the spool as if the length had been
declared (Django alone ignores a body without a length). The spool is closed, and its file
deleted, as soon as the view has answered.

This middleware comes before any other that could read the body; the text normalisation
(cchc/middleware.py) reads it only when a view does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.csp import build_policy

# The views that accept files, by URL name. A view that reads request.FILES and is not here can
# receive no more than DATA_UPLOAD_MAX_MEMORY_SIZE (cchc/tests/test_body_limits.py checks that
# every form that sends files posts to one of these).
UPLOAD_VIEWS = frozenset(
    {
        "requests:submission-create",  # self-inspection report and its attachments
        "inspections:finding-evidence-add",  # evidence of a finding
        "inspections:remediation-create",  # remediation report and its evidence
        "signing:person-upload",  # an issued document signed by the competent person
        "admin:units_administrativeunit_import",  # unit list (.csv / .xlsx)
        "admin:units_agency_import",  # agency list
    }
)
READ_SIZE = 64 * 1024


def is_signed_in(request: HttpRequest) -> bool:
    """Whether the session cookie names a live session with a signed-in user. Reads the session
    store (the cookie's key is looked up, never trusted), not the body."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return store.get(SESSION_KEY) is not None


def is_upload_view(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.view_name in UPLOAD_VIEWS


ANONYMOUS, FORM, UPLOAD = "anonymous", "form", "upload"


def body_limit(request: HttpRequest) -> tuple[int, str]:
    """The largest body this request may carry, and which kind of request it is (see the
    module's docstring)."""
    if not is_signed_in(request):
        return settings.ANONYMOUS_REQUEST_MAX_BYTES, ANONYMOUS
    if is_upload_view(request):
        return settings.UPLOAD_MAX_BYTES + settings.UPLOAD_OVERHEAD_BYTES, UPLOAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, FORM


def _size_text(size: int) -> str:
    """A limit as people read it: "256 KB", "5 MB", "20,5 MB"."""
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    text = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{text.replace('.', ',')} MB"


def too_large(request: HttpRequest, limit: int, kind: str) -> HttpResponse:
    """413, with a short page in Vietnamese: what happened, the limit, what to do. It is made
    before the other middleware ran, so it carries the headers they would have added."""
    page = render_to_string(
        "413.html",
        {
            "limit": _size_text(limit),
            "kind": kind,
            "upload_limit": _size_text(settings.UPLOAD_MAX_BYTES),
        },
    )
    response = HttpResponse(page, status=413)
    response.headers["Content-Security-Policy"] = build_policy(settings.SECURE_CSP)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def _read_into(spool, stream, limit: int) -> int:
    """Copies `stream` into `spool`, stopping one byte past `limit`; returns the bytes read."""
    size = 0
    while size <= limit:
        chunk = stream.read(min(READ_SIZE, limit + 1 - size))
        if not chunk:
            break
        spool.write(chunk)
        size += len(chunk)
    return size


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                size = int(declared)
            except ValueError:
                size = 0  # Django reads nothing from a body whose length it cannot read
            if size > settings.ANONYMOUS_REQUEST_MAX_BYTES:
                limit, kind = body_limit(request)
                if size > limit:
                    return too_large(request, limit, kind)
            return self.get_response(request)
        if not self._has_undeclared_body(request):
            return self.get_response(request)
        # A chunked body: measured while it is read; read at most a byte past the limit.
        limit, kind = body_limit(request)
        with tempfile.SpooledTemporaryFile(
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
        ) as spool:
            size = _read_into(spool, request.META["wsgi.input"], limit)
            if size > limit:
                return too_large(request, limit, kind)
            spool.seek(0)
            request.META["CONTENT_LENGTH"] = str(size)
            request._stream = LimitedStream(spool, size)
            return self.get_response(request)

    @staticmethod
    def _has_undeclared_body(request: HttpRequest) -> bool:
        """A body without Content-Length that the server lets us read to its end. Without
        `wsgi.input_terminated` (e.g. runserver) reading it could block: Django then ignores it,
        as it always has."""
        return bool(
            request.META.get("HTTP_TRANSFER_ENCODING")
            and request.META.get("wsgi.input_terminated")
            and "wsgi.input" in request.META
        )
