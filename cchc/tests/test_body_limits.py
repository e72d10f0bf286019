"""Request bodies are judged by their size before anything reads them (cchc/bodylimit.py): an
anonymous client cannot make the server parse, keep in memory or write to disk a large body —
neither with a declared Content-Length nor with a chunked body — through the test client and
on a real gunicorn."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.bodylimit import UPLOAD_VIEWS
from cchc.test import client_for

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
# A body already encoded (the test client encodes a dict only for its own FORM).
FORM = f"multipart/form-data; boundary={BOUNDARY}"
ANONYMOUS_PATHS = ["/healthz", "/accounts/login/", "/accounts/password_reset/"]


def multipart_body(size: int) -> bytes:
    """A form with one file of `size` bytes, as a browser sends it."""
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n" + b"x" * size)
    return encode_multipart(BOUNDARY, {"username": "anbien", "file": upload})


class Stream(io.RawIOBase):
    """A request body of `size` bytes produced on demand, counting what the server reads."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.data[self.position : self.position + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


def assert_refused_unread(response, seen) -> None:
    assert response.status_code == 413
    text = response.content.decode()
    assert "quá lớn" in text and "KB" in text  # what happened, and the limit
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert seen["parses"] == 0
    assert seen["temporary_files"] == 0
    assert not any(seen["folder"].iterdir())


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_a_large_anonymous_multipart_post_is_refused_before_it_is_read(path, spied):
    response = Client().post(path, multipart_body(30 * MB), content_type=FORM)
    assert_refused_unread(response, spied)


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_a_large_anonymous_chunked_post_is_refused_after_reading_no_more_than_the_limit(
    path, spied
):
    body = Stream(multipart_body(30 * MB))
    response = Client().generic(
        "POST",
        path,
        CONTENT_TYPE=FORM,
        HTTP_TRANSFER_ENCODING="chunked",  # no Content-Length: the size is known only at the end
        **{"wsgi.input": body, "wsgi.input_terminated": True},
    )
    assert_refused_unread(response, spied)
    assert body.position <= settings.ANONYMOUS_REQUEST_MAX_BYTES + 64 * 1024


def test_a_large_urlencoded_anonymous_post_is_refused_too(spied):
    response = Client().post(
        "/accounts/login/",
        b"username=anbien&password=" + b"x" * MB,
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused_unread(response, spied)


def test_the_refusal_page_says_what_to_do_in_vietnamese(spied):
    response = Client().post("/accounts/login/", multipart_body(MB), content_type=FORM)
    assert response.status_code == 413
    text = response.content.decode()
    assert "256 KB" in text
    assert "đăng nhập" in text  # an anonymous request may be a session that ended


def test_a_small_anonymous_chunked_post_is_read_as_usual(spied):
    """A client that sends a form chunked (no Content-Length) within the limit is served as if it
    had declared the length: the sign-in form is read and refuses the wrong password."""
    body = b"username=anbien&password=wrong-password"
    response = Client().generic(
        "POST",
        "/accounts/login/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )
    assert response.status_code == 200
    assert response.context["form"].data["username"] == "anbien"
    assert response.context["form"].errors


def test_an_anonymous_post_to_an_upload_view_gets_the_small_limit(spied):
    """An upload view is for signed-in users only: without a session its limit is the small one,
    whatever the URL."""
    response = Client().post(
        reverse("requests:submission-create", args=[1]),
        multipart_body(2 * MB),
        content_type=FORM,
    )
    assert_refused_unread(response, spied)


def test_a_post_that_csrf_refuses_is_refused_unread(spied):
    """Without a CSRF cookie the check refuses the form without reading it; nothing before the
    check reads it either."""
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "anbien", "password": "x" * 1000}
    )
    assert response.status_code == 403
    assert spied["parses"] == 0


def test_an_anonymous_post_within_the_limit_is_not_parsed_before_sign_in_is_checked(spied):
    """Past the CSRF check (which reads the token from the form when the cookie is there; the
    test client skips it), the body stays unread until a view asks for it: login_required
    redirects, and nobody parsed the form."""
    response = Client().post(
        reverse("requests:submission-create", args=[1]),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"x" * 1000)},
    )
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert spied["parses"] == 0


def test_a_signed_in_form_may_be_larger_than_an_anonymous_one(spied):
    """A signed-in user's ordinary form gets DATA_UPLOAD_MAX_MEMORY_SIZE, not the anonymous
    limit; beyond it, 413 again."""
    client = client_for("noivu")
    url = reverse("inspections:plan-list")
    filler = {"q": "x" * (MB // 2)}
    assert client.get(url).status_code == 200
    assert client.post(url, filler).status_code == 405  # read normally, refused by the view
    too_big = client.post(url, {"q": "x" * (6 * MB)})
    assert too_big.status_code == 413
    assert "5 MB" in too_big.content.decode()


# --- which views take files -----------------------------------------------------------------


def _url_names(patterns=None, namespace: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_upload_view_named_exists():
    assert set(_url_names()) >= UPLOAD_VIEWS


def test_every_form_that_sends_files_posts_to_an_upload_view():
    """A form with enctype multipart/form-data posts to one of UPLOAD_VIEWS; the admin's import
    form (no action: it posts to its own page) is one of them too."""
    forms = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", template.read_text()):
            if "multipart/form-data" in tag:
                action = re.search(r"action=\"\{% url '([^']+)'", tag)
                forms.append((template.name, action.group(1) if action else None))
    assert forms, "no form sends files?"
    for name, action in forms:
        if action is None:
            assert name == "import.html"
        else:
            assert action in UPLOAD_VIEWS, f"{name} posts files to {action}"
    imports = {n for n in _url_names() if n.startswith("admin:") and n.endswith("_import")}
    assert imports and imports <= UPLOAD_VIEWS
