"""Body limits on a real gunicorn (production settings): an anonymous 30 MB post is refused
without the temporary folder growing; a small chunked form is read as usual.

No `django_db` mark: the server writes to the test database itself, and a test holding a
transaction (SQLite takes the write lock when a transaction begins) would make it wait.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

from cchc.localserver import database_url, free_port
from cchc.tests.test_body_limits import FORM, multipart_body

MB = 1024 * 1024


# --- on a real gunicorn ---------------------------------------------------------------------


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
    port = free_port()
    env = {
        **os.environ,
        "TMPDIR": str(temporary),
        "DATABASE_URL": database_url(),
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
