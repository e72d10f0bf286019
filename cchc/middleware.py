"""Typed text is stored the way it was typed, in one form.

Vietnamese can arrive composed (NFC: “ệ” one character) or decomposed (NFD: “e” and two marks,
as macOS and some keyboards send it). Both look the same but compare, sort, search and count
differently, so every value of the query string and of a submitted form is composed to NFC here,
once, before any view or form sees it (the form when it is first read); a view that reads
`request.POST` directly gets the same text as a form. Characters that no document can hold are
dropped first: the C0 controls other than tab and line breaks, and U+FFFE/U+FFFF (XML 1.0 forbids
them, and the Word and Excel files are XML; PostgreSQL cannot store NUL). They cannot be typed
on a keyboard, only forged.

Passwords are left exactly as typed (fields whose name contains “password”): Django compares
them byte for byte and an existing password must keep working.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, QueryDict

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
KEPT_AS_TYPED = "password"


def clean_text(value: str) -> str:
    """`value` without unstorable characters, composed to NFC (in that order: a dropped
    character between a letter and its mark must not keep them apart)."""
    return unicodedata.normalize("NFC", UNSTORABLE.sub("", value))


def _cleaned(query: QueryDict) -> QueryDict:
    changed = False
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        if KEPT_AS_TYPED not in key.lower():
            new = [clean_text(value) for value in values]
            changed = changed or new != values
            values = new
        cleaned.setlist(key, values)
    if not changed:
        return query
    cleaned._mutable = False
    return cleaned


class TextNormalizationMiddleware:
    """Cleans the query string at once, and the form when something first reads it.

    The form is never read here: Django parses it the first time a view, a form or the CSRF
    check (for its token, when the CSRF cookie is there) asks for `request.POST`, and the
    cleaning is attached to that parse. So a request refused by the sign-in check, or by CSRF
    for want of its cookie, is refused unread; and whatever reads it, its size has been judged
    before (cchc/bodylimit.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not callable(getattr(HttpRequest, "_load_post_and_files", None)):
            # Fail at start-up rather than leave forms uncleaned after a Django upgrade.
            raise ImproperlyConfigured("HttpRequest._load_post_and_files is gone: see below.")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            _clean_when_parsed(request)
        return self.get_response(request)


def _clean_when_parsed(request: HttpRequest) -> None:
    # Django's request parses POST and FILES together in `_load_post_and_files`, on first use.
    parse = request._load_post_and_files

    def parse_and_clean() -> None:
        parse()
        request._post = _cleaned(request._post)

    request._load_post_and_files = parse_and_clean
