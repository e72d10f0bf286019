"""Rendered pages kept while the data they show is unchanged (`@kept_page`).

A signed-in user asking again for the same page (same address, same htmx target) gets the HTML
rendered for them the first time, as long as nothing was written since (`version.current()`),
the day has not changed and their session is the same. Kept per process, compressed, for at most
`PAGE_CACHE_SECONDS` (0: nothing kept). Never kept: another user's page, an answer other than a
200 HTML page, a page showing a message (it is shown once), a page whose rendering wrote
anything. A page's CSP nonce (the htmx script tag carries one) is replaced by the new request's
own when the page is served again: a nonce is never sent twice.

The page is keyed by everything it is rendered from outside the database: the user and their
session (which holds the CSRF secret when the cookie does not: the cookie is in the key too),
the address with its query, the htmx headers, the language and the date.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone, translation

from cchc.pagecache import version

CACHE = "pages"
# Response headers a kept page is served with (the others are the middleware's, set again).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "HX-Push-Url",
                "HX-Retarget", "HX-Reswap", "HX-Trigger")  # fmt: skip


def _key(request: HttpRequest, data_version: tuple[int, int]) -> str:
    session = getattr(request, "session", None)
    parts = {
        "v": data_version,
        "user": request.user.pk,
        "session": dict(session.items()) if session is not None else None,
        "csrf": request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        "path": request.get_full_path(),
        "htmx": sorted((k, v) for k, v in request.META.items() if k.startswith("HTTP_HX_")),
        "lang": translation.get_language(),
        "day": timezone.localdate().isoformat(),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"page:{digest}"


def _shows_messages(request: HttpRequest) -> bool:
    return bool(len(messages.get_messages(request)))


def _keepable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        # The page's form tokens are for the CSRF cookie the browser holds: a browser without
        # one gets a new one with a page rendered for it.
        and settings.CSRF_COOKIE_NAME in request.COOKIES
        and not _shows_messages(request)
    )


def _nonce_attribute(request: HttpRequest) -> bytes | None:
    """The request's CSP nonce as printed in a tag, if the page used one."""
    nonce = getattr(request, "_csp_nonce", None)
    if not nonce:  # a LazyNonce is false until generated
        return None
    return f'nonce="{nonce}"'.encode()


def kept_page(view):
    """Keep the view's rendered page for the user while the data is unchanged. Put it under
    `login_required` and the method check: they run at every request."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _keepable(request):
            return view(request, *args, **kwargs)
        data_version = version.current()
        if data_version is None:
            return view(request, *args, **kwargs)
        key = _key(request, data_version)
        cache = caches[CACHE]
        kept = cache.get(key)
        if kept is not None:
            headers, nonce, body = kept
            body = zlib.decompress(body)
            if nonce is not None:
                body = body.replace(nonce, f'nonce="{get_nonce(request)}"'.encode())
            response = HttpResponse(body, status=200)
            for name, value in headers:
                response.headers[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse: rendered here, on the version read above
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and version.local() == data_version[1]  # the rendering wrote nothing
            and not _shows_messages(request)
        ):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            kept = (headers, _nonce_attribute(request), zlib.compress(response.content, 1))
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
