"""Request bodies are judged by their size before anything reads them (cchc/bodylimit.py): an
anonymous client cannot make the server parse, keep in memory or write to disk a large body —
neither with a declared Content-Length nor with a chunked body — through the test client and
on a real gunicorn."""

from __future__ import annotations

import http.client
import io
import os
import re
import select
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http.multipartparser import MultiPartParser
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


@pytest.fixture
def spied(monkeypatch, settings, tmp_path):
    """Counts the multipart parses and the temporary upload files; the temporary folder is a
    fresh one, so that nothing written there can be missed."""
    temporary = tmp_path / "upload-tmp"
    temporary.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    seen = {"parses": 0, "temporary_files": 0, "folder": temporary}
    parse = MultiPartParser.parse

    def counted_parse(self):
        seen["parses"] += 1
        return parse(self)

    class CountedTemporaryFile(uploadhandler.TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            seen["temporary_files"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(MultiPartParser, "parse", counted_parse)
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", CountedTemporaryFile)
    return seen


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


# --- on a real gunicorn ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = urllib.parse.quote(db.get("HOST") or "", safe="")
    auth = f"{db['USER']}@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _peak_memory_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, django_db_setup):
    """One gunicorn (one sync worker, production settings) whose temporary folder (TMPDIR, the
    default of FILE_UPLOAD_TEMP_DIR) is a fresh folder of this test."""
    root = tmp_path_factory.mktemp("gunicorn")
    temporary = root / "tmp"
    temporary.mkdir()
    (root / "worker").mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "TMPDIR": str(temporary),
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "TESTING": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(root / "static"),
        "STATIC_COMPRESS": "false",
    }
    # As a deployment does before starting the server (production serves hashed static files).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True,
    )  # fmt: skip
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--log-level", "warning",
            "--worker-tmp-dir", str(root / "worker"),  # gunicorn's heartbeat file, not an upload
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                probe.request("GET", "/accounts/login/")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port, temporary, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _send(port: int, path: str, body: bytes, *, chunked: bool, folder: Path):
    """Sends `body` in 64 KB pieces as a client on a slow line would, stopping as soon as the
    server answers; returns the status, the bytes sent and the most the folder ever held."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", FORM)
    if chunked:
        connection.putheader("Transfer-Encoding", "chunked")
    else:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders()
    sent, most = 0, 0
    try:
        for start in range(0, len(body), 64 * 1024):
            piece = body[start : start + 64 * 1024]
            connection.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
            most = max(most, _folder_bytes(folder))
            if select.select([connection.sock], [], [], 0)[0]:
                break  # the server has answered (or closed): stop sending, as a browser does
        else:
            if chunked:
                connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server closed the connection after answering
    response = connection.getresponse()
    status, text = response.status, response.read().decode()
    connection.close()
    return status, text, sent, max(most, _folder_bytes(folder))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/"])
def test_gunicorn_refuses_a_large_anonymous_post_without_storing_it(gunicorn, path, chunked):
    port, temporary, master = gunicorn
    (worker,) = _worker_pids(master)
    before = _peak_memory_kb(worker)
    status, text, sent, most = _send(
        port, path, multipart_body(30 * MB), chunked=chunked, folder=temporary
    )
    assert status == 413
    assert "quá lớn" in text
    assert most == 0 and not any(temporary.iterdir())
    assert sent < 30 * MB  # the client was told to stop long before the end
    assert _peak_memory_kb(worker) - before < 10 * 1024  # KB: the worker never held the body


def test_gunicorn_reads_a_small_chunked_form_as_usual(gunicorn):
    """Within the limit, a chunked form is read on a real gunicorn as if its length had been
    declared: the password-reset form accepts the address and redirects (unread, it would say
    that the address is missing)."""
    port, _temporary, _master = gunicorn
    page = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    page.request("GET", "/accounts/password_reset/")
    response = page.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    page.close()
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": "khong-co@example.invalid"}
    ).encode()
    post = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    post.putrequest("POST", "/accounts/password_reset/")
    post.putheader("Content-Type", "application/x-www-form-urlencoded")
    post.putheader("Transfer-Encoding", "chunked")
    post.putheader("Cookie", cookie)
    post.endheaders()
    for start in range(0, len(body), 16):
        piece = body[start : start + 16]
        post.send(b"%x\r\n%s\r\n" % (len(piece), piece))
    post.send(b"0\r\n\r\n")
    answer = post.getresponse()
    assert answer.status == 302, answer.read().decode()[:2000]
    assert answer.getheader("Location").endswith("/accounts/password_reset/done/")
