"""Throughput section of `make bench` (issue 16; subprocess starts only this project's manage.py and
gunicorn, with fixed arguments): the key pages served by gunicorn with 2 sync
workers and the production settings on loopback, each hammered in turn by a bounded closed-loop
client (CLIENTS threads, each sending its next request once the previous answer is read, for
SECONDS), in requests per second against `/healthz` measured in the same run: the ratio is what
a page costs beyond the framework, the WSGI server and the database connection. Documents are in
the mix (the plan and results report PDFs, served as kept once issued, and a visit's minutes,
rendered by WeasyPrint at every request while not issued), and every worker's resident memory is
sampled from /proc during the whole run: its peak is the figure of the goal "worker memory ≤ 250
MiB, PDFs included" (issue 16). Reported, never asserted; the client used and the load average
are part of the figures."""

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
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string

from cchc.localserver import database_url, free_port

WORKERS = 2
CLIENT = "Python http.client, one thread per client, a new connection per request (gunicorn sync)"
SAMPLE_SECONDS = 0.25  # how often each worker's resident memory is read


@dataclass
class Target:
    key: str
    url: str
    user: object | None  # signed in as this user (None: anonymous)


def session_cookie(user) -> str:
    """A session of `user` in the database, as the server reads it (signed with our key), and
    the CSRF cookie a browser keeps from its first page."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH)}"
    )


def _status_kib(pid: str, field: str) -> int | None:
    """A memory figure of /proc/<pid>/status in KiB (Linux only; None once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def workers_of(master: int) -> list[str]:
    """The worker processes of a gunicorn master (its children), by process id."""
    try:
        return Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []


class RssSampler:
    """Reads every worker's resident memory (VmRSS) every SAMPLE_SECONDS in a thread, and at
    the end also its high-water mark (VmHWM), which catches a peak between two samples. A worker
    replaced during the run appears under its own process id."""

    def __init__(self, master: int, every: float = SAMPLE_SECONDS) -> None:
        self.master, self.every = master, every
        self.peaks: dict[str, int] = {}  # pid → largest VmRSS seen, KiB
        self.samples: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        for pid in workers_of(self.master):
            rss = _status_kib(pid, "VmRSS")
            if rss is not None:
                self.peaks[pid] = max(self.peaks.get(pid, 0), rss)
                self.samples[pid] = self.samples.get(pid, 0) + 1

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def start(self) -> None:
        self.sample()
        self._thread.start()

    def stop(self) -> dict[str, dict]:
        """Per worker: peak resident memory (MiB; the larger of the samples and VmHWM read now)
        and the number of samples."""
        self._stop.set()
        self._thread.join()
        self.sample()
        for pid in workers_of(self.master):
            hwm = _status_kib(pid, "VmHWM")
            if hwm is not None:
                self.peaks[pid] = max(self.peaks.get(pid, 0), hwm)
        return {
            pid: {"peak_rss_mib": round(peak / 1024, 1), "samples": self.samples.get(pid, 0)}
            for pid, peak in sorted(self.peaks.items())
        }


class Server:
    """gunicorn with WORKERS sync workers and the production settings, on a free loopback port."""

    def __init__(self, folder: Path, page_cache: bool = True) -> None:
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
            # Off: every page is rendered at every request (cchc/pagecache).
            **({} if page_cache else {"PAGE_CACHE_SECONDS": "0"}),
        }
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.sampler: RssSampler | None = None
        self.workers: dict[str, dict] = {}  # filled when the server stops

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
                    self.sampler = RssSampler(self.process.pid)
                    self.sampler.start()
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.sampler is not None:
            self.workers = self.sampler.stop()
            self.sampler = None
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


def measure(
    targets: list[Target], *, seconds: float, clients: int, page_cache: bool = True
) -> dict:
    """Requests per second of /healthz and of each target, one after the other on one server;
    with the page cache of production, or without it (every page rendered at every request)."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    cookies: dict[int, str] = {}
    pages: dict[str, dict] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        Server(Path(folder), page_cache=page_cache) as server,
    ):
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
    workers = server.workers
    peak = max((w["peak_rss_mib"] for w in workers.values()), default=None)
    floor = pages["healthz"]["rps"]
    for figures in pages.values():
        figures["ratio_to_floor"] = round(figures["rps"] / floor, 3) if floor else None
    return {
        "server": f"gunicorn, {WORKERS} sync workers, production settings, loopback",
        "page_cache": page_cache,
        "client": f"{CLIENT}; {clients} clients, closed loop, {seconds:g} s per page",
        "clients": clients,
        "seconds": seconds,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        # Sampled every SAMPLE_SECONDS from start to stop, PDFs included; the largest of them.
        "worker_peak_rss_mib": peak,
        "workers": workers,
        "rss_sample_s": SAMPLE_SECONDS,
        "floor_rps": floor,
        "pages": pages,
    }


def table(result: dict) -> str:
    lines = ["| page | req/s | ratio to /healthz | failed |", "|---|---|---|---|"]
    for key, figures in result["pages"].items():
        ratio = figures["ratio_to_floor"]
        shown = "—" if ratio is None else f"1/{1 / ratio:.0f}" if ratio else "0"
        lines.append(f"| {key} | {figures['rps']:g} | {shown} | {figures['failed']} |")
    lines += ["", "| gunicorn worker | peak RSS MiB | samples |", "|---|---|---|"]
    for pid, worker in result["workers"].items():
        lines.append(f"| {pid} | {worker['peak_rss_mib']:g} | {worker['samples']} |")
    return "\n".join(lines)
