"""Throughput section of `make bench` (issue 16; subprocess starts only this project's manage.py and
gunicorn, with fixed arguments): the key pages served by gunicorn with 2 sync
workers and the production settings on loopback, each hammered in turn by a bounded closed-loop
client (CLIENTS threads, each sending its next request once the previous answer is read, for
SECONDS), in requests per second against `/healthz` measured in the same run: the ratio is what
a page costs beyond the framework, the WSGI server and the database connection. Reported, never
asserted; the client used and the load average are part of the figures."""

from __future__ import annotations

import http.client
import os
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from cchc.localserver import database_url, free_port

WORKERS = 2
CLIENT = "Python http.client, one thread per client, a new connection per request (gunicorn sync)"


@dataclass
class Target:
    key: str
    url: str
    user: object | None  # signed in as this user (None: anonymous)


def session_cookie(user) -> str:
    """A session of `user` in the database, as the server reads it (signed with our key)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _peak_rss_mib(master: int) -> float | None:
    """The largest peak resident memory (VmHWM) of the server's workers (Linux only)."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        peaks = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
        return round(max(peaks) / 1024, 1) if peaks else None
    except OSError:
        return None


class Server:
    """gunicorn with WORKERS sync workers and the production settings, on a free loopback port."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "TESTING": "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(folder / "static"),
            "STATIC_COMPRESS": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        # This Python, fixed arguments (as below).
        subprocess.run(  # nosec B603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR, env=self.env, check=True,
        )  # fmt: skip
        self.process = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(WORKERS), "--log-level", "warning",
             "--worker-tmp-dir", str(self.folder)],
            cwd=settings.BASE_DIR, env=self.env,
        )  # fmt: skip
        for _ in range(300):
            try:
                if self.get("/healthz", None)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def get(self, url: str, cookie: str | None) -> tuple[int, int]:
        """One request: the status and the size of the body read."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, len(response.read())
        finally:
            conn.close()

    @property
    def peak_rss_mib(self) -> float | None:
        return _peak_rss_mib(self.process.pid) if self.process else None


def closed_loop(server: Server, url: str, cookie: str | None, clients: int, seconds: float):
    """(requests answered 200, other answers or errors, elapsed seconds)."""
    done, failed = [0] * clients, [0] * clients
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        while time.perf_counter() < stop:
            try:
                status, _size = server.get(url, cookie)
            except OSError:
                failed[i] += 1
                continue
            if status == 200:
                done[i] += 1
            else:
                failed[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(failed), time.perf_counter() - start


def measure(targets: list[Target], *, seconds: float, clients: int) -> dict:
    """Requests per second of /healthz and of each target, one after the other on one server."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    cookies: dict[int, str] = {}
    pages: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder, Server(Path(folder)) as server:
        for target in [Target("healthz", "/healthz", None), *targets]:
            cookie = None
            if target.user is not None:
                if target.user.pk not in cookies:
                    cookies[target.user.pk] = session_cookie(target.user)
                cookie = cookies[target.user.pk]
            closed_loop(server, target.url, cookie, clients, min(1.0, seconds))  # warm-up
            done, failed, elapsed = closed_loop(server, target.url, cookie, clients, seconds)
            pages[target.key] = {
                "url": target.url,
                "requests": done,
                "failed": failed,
                "rps": round(done / elapsed, 1),
            }
        peak = server.peak_rss_mib
    floor = pages["healthz"]["rps"]
    for figures in pages.values():
        figures["ratio_to_floor"] = round(figures["rps"] / floor, 3) if floor else None
    return {
        "server": f"gunicorn, {WORKERS} sync workers, production settings, loopback",
        "client": f"{CLIENT}; {clients} clients, closed loop, {seconds:g} s per page",
        "clients": clients,
        "seconds": seconds,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "worker_peak_rss_mib": peak,
        "floor_rps": floor,
        "pages": pages,
    }


def table(result: dict) -> str:
    lines = ["| page | req/s | ratio to /healthz | failed |", "|---|---|---|---|"]
    for key, figures in result["pages"].items():
        ratio = figures["ratio_to_floor"]
        shown = "—" if ratio is None else f"1/{1 / ratio:.0f}" if ratio else "0"
        lines.append(f"| {key} | {figures['rps']:g} | {shown} | {figures['failed']} |")
    return "\n".join(lines)
