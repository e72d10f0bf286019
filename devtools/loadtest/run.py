"""The load run of issue 7 (`make load`): gunicorn with 2 workers and the production settings on
loopback, a mix of signed-in people for 5 minutes, no server error, worker memory stable.

    DATABASE_URL=postgres:///cchc_load python devtools/loadtest/run.py    # what `make load` runs

Steps: migrate the (PostgreSQL) database and generate synthetic provinces when missing
(`generate_data --keep`); sign in the staff member, leader, team member and three unit reporters of
each province by writing their sessions to the database (as `login()` would, with a secret key made
for this run and shared with the servers); collect the static files into a temporary folder; start
`gunicorn cchc.wsgi --workers 2` on a free loopback port; run locust (its own environment,
`devtools/loadtest/.venv`; the virtual users are in `devtools/loadtest/locustfile.py`) headless for
`LOAD_SECONDS`, stopping early at `LOAD_MAX_REQUESTS`; meanwhile read every worker's resident memory
(VmRSS) every few seconds. Before the timed load, every page of each role is requested a few times,
two at once so that both workers serve it (the first plan PDF a worker renders loads WeasyPrint's
fonts: some 30 MiB once, not a leak); a page that does not answer 200 then stops the run before it
starts. Then print the report, write it to `bench-results/load.json`, remove the sessions and the
messages the run wrote, stop the servers.

Exit status 1 when a request failed (any 5xx, an unexpected status, no answer), when a worker
was replaced during the run, or when a worker's memory kept growing after the first minute.

Environment: LOAD_SECONDS (300), LOAD_MAX_REQUESTS (20000), LOAD_PROVINCES (4, TN01…),
LOAD_USERS (default: one virtual user per account, 24 with 4 provinces), LOAD_WAIT ("1,3":
seconds a person waits between two pages), LOAD_SAMPLE_SECONDS (5), LOAD_MAX_GROWTH_MIB (16:
growth of a worker after the first minute above which memory is called unstable), LOAD_LOCUST (the
locust executable; default `devtools/loadtest/.venv/bin/locust`).
"""

from __future__ import annotations

import concurrent.futures
import datetime
import io
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "bench-results" / "load.json"
MESSAGE = "Phản ánh thử tải (make load): tự xóa khi chạy xong."
REPORTERS_PER_PROVINCE = 3


def mix() -> dict:
    """The weighted mix of pages of each role (relative weights, per page drawn). A function:
    the roles are `units.models.Role`, importable once Django is set up (in `main`)."""
    from units.models import Role

    return {
        Role.STAFF: {
            "home": 8, "plan-list": 8, "plan-detail": 12, "progress": 10, "schedule": 8,
            "finding-list": 10, "recommendation-list": 10, "unit-list": 6, "dashboard": 5,
            "plan-pdf": 1,
        },
        Role.LEADER: {
            "home": 8, "dashboard": 20, "plan-list": 6, "plan-detail": 10, "progress": 8,
            "schedule": 4, "finding-list": 8, "recommendation-list": 8, "unit-list": 2,
            "plan-pdf": 1,
        },
        Role.TEAM: {
            "home": 8, "plan-list": 4, "plan-detail": 10, "progress": 6, "schedule": 12,
            "finding-list": 12, "recommendation-list": 8, "unit-list": 3, "dashboard": 2,
            "plan-pdf": 1,
        },
        Role.REPORTER: {
            "home": 10, "request-list": 8, "request-detail": 14, "plan-list": 3, "plan-detail": 5,
            "finding-list": 6, "recommendation-list": 10, "recommendation-detail": 8,
            "unit-list": 2, "dashboard": 3, "message-post": 2,
        },
    }  # fmt: skip


def number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


SECONDS = int(number("LOAD_SECONDS", 300))
MAX_REQUESTS = int(number("LOAD_MAX_REQUESTS", 20000))
PROVINCES = int(number("LOAD_PROVINCES", 4))
SAMPLE_SECONDS = number("LOAD_SAMPLE_SECONDS", 5)
MAX_GROWTH_MIB = number("LOAD_MAX_GROWTH_MIB", 16)
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(","))
LOCUST = os.environ.get("LOAD_LOCUST") or str(HERE / ".venv" / "bin" / "locust")


def production_environment(static_root: str) -> dict[str, str]:
    """The settings of the servers (and of this process, which writes their sessions)."""
    return {
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "DEBUG": "false",
        "TESTING": "false",
        # Made for this run: sessions written here must verify in the servers.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy in front
        "STATIC_ROOT": static_root,
        "STATIC_COMPRESS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


# --- Preparing the data and the people -----------------------------------------------------


def prepare_database() -> list[str]:
    from django.core.management import call_command
    from django.db import connection

    from devtools.synthetic import province_code

    if connection.vendor != "postgresql":
        sys.exit("The load run needs PostgreSQL: set DATABASE_URL (make load does).")
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", interactive=False, **quiet)
    call_command("load_content_areas", **quiet)
    call_command("load_holidays", **quiet)
    call_command("generate_data", provinces=PROVINCES, keep=True, **quiet)
    codes = [province_code(n) for n in range(1, PROVINCES + 1)]
    print(f"  synthetic provinces {codes[0]}–{codes[-1]} ready", flush=True)
    return codes


def accounts_of(codes: list[str]) -> list:
    """The staff member, leader and team member of each province, and three of its reporters
    (two departments and one commune) that have requests to answer."""
    from inspections.models import ReportRequest
    from units.models import Membership, Role

    chosen = []
    for code in codes:
        members = list(
            Membership.objects.filter(province__code=code)
            .select_related("user")
            .order_by("user__username")
        )
        for role in (Role.STAFF, Role.LEADER, Role.TEAM):
            chosen += [m for m in members if m.role == role][:1]
        answering = set(ReportRequest.objects.values_list("agency_id", flat=True).distinct())
        reporters = [m for m in members if m.role == Role.REPORTER and m.agency_id in answering]
        picks = reporters[: REPORTERS_PER_PROVINCE - 1] + reporters[-1:]
        chosen += list(dict.fromkeys(picks))[:REPORTERS_PER_PROVINCE]
    return chosen


def pages_of(membership) -> list[dict]:
    """The pages one person requests, with their weights and URLs in that person's scope."""
    from django.urls import reverse

    from inspections.models import Plan, Recommendation, ReportRequest
    from units.access import scope_for
    from units.models import Role

    user = membership.user
    scope = scope_for(user)
    plans = Plan.objects.visible_to(user).order_by("-year", "-pk")
    plans = list(plans.values_list("pk", flat=True))

    def each_plan(name):
        return [reverse(name, args=[pk]) for pk in plans]

    urls = {
        "home": [reverse("home")],
        "plan-list": [reverse("inspections:plan-list")],
        "plan-detail": each_plan("inspections:plan-detail"),
        "progress": each_plan("inspections:progress"),
        "schedule": each_plan("inspections:schedule"),
        "finding-list": [reverse("inspections:finding-list")],
        "recommendation-list": [reverse("inspections:recommendation-list")],
        "unit-list": [reverse("units:unit-list")],
        "dashboard": [reverse("reports:dashboard")],
        "plan-pdf": each_plan("reports:plan-pdf"),
    }
    if membership.role == Role.REPORTER:
        requests = list(
            ReportRequest.objects.visible_to(scope)
            .order_by("-plan__year", "-pk")
            .values_list("pk", flat=True)
        )
        recommendations = Recommendation.objects.visible_to(scope).order_by("-pk")[:20]
        urls["request-list"] = [reverse("requests:request-list")]
        urls["request-detail"] = [reverse("requests:request-detail", args=[pk]) for pk in requests]
        urls["recommendation-detail"] = [
            reverse("inspections:recommendation-detail", args=[r.pk]) for r in recommendations
        ]
        # On the latest request only: one thread, emptied at the end of the run.
        urls["message-post"] = [
            {
                "form": reverse("requests:request-detail", args=[pk]),
                "action": reverse("requests:message-post", args=[pk]),
            }
            for pk in requests[:1]
        ]
    pages = []
    for name, weight in mix()[membership.role].items():
        if urls.get(name):
            method = "POST" if name == "message-post" else "GET"
            pages.append({"name": name, "method": method, "weight": weight, "urls": urls[name]})
    return pages


def sign_in(user) -> str:
    """A session in the database, as `login()` leaves it; the servers share the database and
    the secret key. Returns its key (the session cookie's value)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def clean_up(session_keys: list[str], users: list, started: datetime.datetime) -> int:
    """Removes what the run wrote: its sessions and its messages. Returns the messages removed."""
    from django.contrib.sessions.models import Session

    from inspections.models import RequestMessage

    Session.objects.filter(session_key__in=session_keys).delete()
    removed, _ = RequestMessage.objects.filter(
        body=MESSAGE, author__in=users, created_at__gte=started
    ).delete()
    return removed


# --- The servers and their memory ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def warm_up(plan: dict) -> int:
    """Every page of the first account of each role, twice at once (both workers busy, so each
    serves one) and again; the plan PDF three times so. Anything but 200 stops the run here.
    Returns the number of requests."""
    jobs = []
    for role in mix():
        account = next((a for a in plan["accounts"] if a["role"] == role), None)
        for page in account["pages"] if account else []:
            if page["method"] == "GET":
                rounds = 3 if page["name"] == "plan-pdf" else 2
                jobs += [(account, page["name"], page["urls"][0])] * (2 * rounds)

    def get(job):
        account, name, url = job
        request = urllib.request.Request(  # our own server, on loopback
            plan["base_url"] + url,
            headers={"Cookie": f"{plan['session_cookie']}={account['session']}"},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise RuntimeError(f"warm-up: {name} ({url}) as {account['username']}: HTTP {status}")

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for i in range(0, len(jobs), 2):
            list(pool.map(get, jobs[i : i + 2]))
    return len(jobs)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer here (to the sign-in page: the session was not accepted)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def proc_status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:  # the process has just gone
        return {}


def children_of(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and proc_status(int(entry)).get("PPid", "").strip() == str(master):
            pids.append(int(entry))
    return sorted(pids)


def rss_mib(pid: int) -> float | None:
    value = proc_status(pid).get("VmRSS")
    return round(int(value.split()[0]) / 1024, 1) if value else None


class MemorySampler(threading.Thread):
    """Reads the resident memory of every gunicorn worker (children of the master)."""

    def __init__(self, master: int, every: float) -> None:
        super().__init__(daemon=True)
        self.master, self.every = master, every
        self.samples: dict[int, list[tuple[float, float]]] = {}
        self.started = time.monotonic()
        self.stopping = threading.Event()

    def sample(self) -> None:
        now = round(time.monotonic() - self.started, 1)
        for pid in children_of(self.master):
            rss = rss_mib(pid)
            if rss is not None:
                self.samples.setdefault(pid, []).append((now, rss))

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            self.sample()

    def latest(self) -> str:
        return ", ".join(f"{pid}: {s[-1][1]:g} MiB" for pid, s in self.samples.items())


def slope_mib_per_minute(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of RSS over time."""
    if len(points) < 3:
        return None
    ts, ys = [p[0] for p in points], [p[1] for p in points]
    mt, my = statistics.fmean(ts), statistics.fmean(ys)
    var = sum((t - mt) ** 2 for t in ts)
    if not var:
        return None
    return round(60 * sum((t - mt) * (y - my) for t, y in zip(ts, ys, strict=True)) / var, 2)


def settled_after() -> float:
    """When a worker's memory is taken as the baseline: a fifth into the load, 30 s to 60 s."""
    return min(60, max(30, SECONDS / 5))


def memory_table(
    sampler: MemorySampler, idle: dict[int, float], warmed: dict[int, float], load_start: float
) -> list:
    """Per worker: idle (started, no request yet), warmed up (before the load), settled (a fifth
    into the load, 30 to 60 s), peak, end, growth since settled, trend of the second half."""
    rows = []
    for pid, points in sorted(sampler.samples.items()):
        loaded = [p for p in points if p[0] >= load_start] or points
        settled = next((p for p in loaded if p[0] >= load_start + settled_after()), loaded[-1])
        half = loaded[len(loaded) // 2 :]
        growth = round(loaded[-1][1] - settled[1], 1)
        rows.append(
            {
                "pid": pid,
                "idle_mib": idle.get(pid),
                "warmed_mib": warmed.get(pid),
                "settled_mib": settled[1],
                "peak_mib": max(p[1] for p in loaded),
                "end_mib": loaded[-1][1],
                "growth_since_settled_mib": growth,
                "second_half_mib_per_min": slope_mib_per_minute(half),
                "samples": len(points),
                "stable": growth <= MAX_GROWTH_MIB,
            }
        )
    return rows


# --- The report ----------------------------------------------------------------------------


def machine(locust_version: str) -> dict:
    """The benchmark's description of the machine (`devtools.bench.machine`), with the server's
    and the load tool's versions."""
    import gunicorn

    from devtools.bench import machine as described

    return {**described(), "gunicorn": gunicorn.__version__, "locust": locust_version}


def summarize(raw: dict, elapsed: float) -> dict:
    from devtools.bench import p95  # the nearest-rank method, as `manage.py bench`

    pages = {}
    for name, times in sorted(raw["times_ms"].items()):
        statuses = raw["page_statuses"][name]
        pages[name] = {
            "requests": len(times),
            "failures": raw["page_failures"].get(name, 0),
            "statuses": statuses,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1),
            "max_ms": round(max(times), 1),
        }
    total = sum(raw["statuses"].values())
    span = (raw["last_request"] or 0) - (raw["first_request"] or 0)
    return {
        "requests": total,
        "failures": sum(raw["failures"].values()),
        "server_errors": sum(n for code, n in raw["statuses"].items() if code.startswith("5")),
        "statuses": dict(sorted(raw["statuses"].items())),
        "throughput_rps": round(total / span, 1) if span > 0 else None,
        "duration_s": round(elapsed, 1),
        "stopped_at_max_requests": raw["stopped_at_max_requests"],
        "pages": pages,
        "failure_messages": dict(sorted(raw["failures"].items(), key=lambda kv: -kv[1])[:20]),
    }


def _mib(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def print_report(result: dict) -> None:
    run, load = result["run"], result["load"]
    m = result["machine"]
    print()
    print(f"Load run {result['date']} — {m['nproc']} CPUs ({m['cpu']}), {m['database']}")
    print(
        f"  Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} "
        f"(2 sync workers), locust {m['locust']}"
    )
    before, after = result["load_average"]["before"], result["load_average"]["after"]
    print(f"  load average before {before}, after {after}")
    print(
        f"  {run['users']} virtual users on {run['accounts']} accounts of {run['provinces']} "
        f"provinces ({', '.join(f'{n} {r}' for r, n in run['roles'].items())}), think time "
        f"{run['wait_s'][0]:g}–{run['wait_s'][1]:g} s, {run['seconds']} s, at most "
        f"{run['max_requests']} requests"
    )
    print()
    statuses = ", ".join(f"{code}: {n}" for code, n in load["statuses"].items())
    print(
        f"Requests {load['requests']} in {load['duration_s']:g} s ({load['throughput_rps']}/s), "
        f"failures {load['failures']}, server errors (5xx) {load['server_errors']}"
    )
    print(f"Status codes: {statuses}")
    if load["stopped_at_max_requests"]:
        print("Stopped at the request limit before the time limit.")
    print()
    print("| page | requests | failures | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, p in load["pages"].items():
        print(
            f"| {name} | {p['requests']} | {p['failures']} | {p['median_ms']:g} | "
            f"{p['p95_ms']:g} | {p['max_ms']:g} |"
        )
    print()
    print(f"Worker memory (RSS, MiB; sampled every {run['sample_s']:g} s)")
    settled = f"{settled_after():g} s"
    print(f"| worker pid | idle | warmed up | at {settled} | peak | end | growth after {settled} | "
          "MiB/min, 2nd half |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in result["memory"]:
        slope = w["second_half_mib_per_min"]
        print(
            f"| {w['pid']} | {_mib(w['idle_mib'])} | {_mib(w['warmed_mib'])} | "
            f"{w['settled_mib']:g} | {w['peak_mib']:g} | {w['end_mib']:g} | "
            f"{w['growth_since_settled_mib']:+g} | {'—' if slope is None else f'{slope:+g}'} |"
        )
    for message, n in load["failure_messages"].items():
        print(f"  failure ×{n}: {message}")
    print()
    for goal in result["goals"]:
        if not goal["met"]:
            print(f"Goal missed: {goal['goal']} (measured {goal['measured']})")
    print(f"Verdict: {'OK' if result['ok'] else 'FAILED'} — {'; '.join(result['verdict'])}")
    print(f"Figures written to {RESULTS.relative_to(ROOT)}")


# --- The run -------------------------------------------------------------------------------


def main() -> int:
    if not Path(LOCUST).exists():
        sys.exit(f"locust not found at {LOCUST}: run `make load` (it installs it).")
    workdir = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    os.environ.update(production_environment(str(workdir / "static")))
    # This process generates the synthetic data (`generate_data`, of the development app
    # `devtools`); the servers it starts run without that app, as in production.
    os.environ["DEVTOOLS"] = "true"
    server_environment = {k: v for k, v in os.environ.items() if k != "DEVTOOLS"}
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    print(f"Preparing the database {connection.settings_dict['NAME']}…", flush=True)
    codes = prepare_database()
    accounts = accounts_of(codes)
    if not accounts:
        sys.exit("No synthetic accounts found (generate_data).")
    started_at = datetime.datetime.now(datetime.UTC)
    keys = [sign_in(m.user) for m in accounts]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    plan = {
        "host": "127.0.0.1",
        "base_url": base_url,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "message": MESSAGE,
        "wait_min": WAIT[0],
        "wait_max": WAIT[-1],
        "accounts": [
            {"username": m.user.username, "role": m.role, "session": key, "pages": pages_of(m)}
            for m, key in zip(accounts, keys, strict=True)
        ],
    }
    (workdir / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    users = int(number("LOAD_USERS", len(accounts)))
    roles: dict[str, int] = {}
    for m in accounts:
        roles[m.role] = roles.get(m.role, 0) + 1
    print("Collecting static files…", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()  # the servers and the load need the CPU; reopened for the clean-up

    version = subprocess.run([LOCUST, "--version"], capture_output=True, text=True, check=True)  # nosec B603
    locust_version = version.stdout.split()[1]
    server_log = open(workdir / "gunicorn.log", "w+", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT, env=server_environment,
    )  # fmt: skip
    load_log = workdir / "locust.log"
    try:
        wait_until_up(base_url, server)
        sampler = MemorySampler(server.pid, SAMPLE_SECONDS)
        sampler.sample()
        idle = {pid: points[-1][1] for pid, points in sampler.samples.items()}
        workers = ", ".join(map(str, idle))
        print(f"gunicorn on {base_url}, workers {workers}; warming up…", flush=True)
        warm_requests = warm_up(plan)
        sampler.sample()
        warmed = {pid: points[-1][1] for pid, points in sampler.samples.items()}
        load_before = [round(x, 2) for x in os.getloadavg()]
        print(
            f"{warm_requests} warm-up requests answered; {users} users for {SECONDS} s, at most "
            f"{MAX_REQUESTS} requests…",
            flush=True,
        )
        sampler.start()
        load_start = round(time.monotonic() - sampler.started, 1)
        began = time.monotonic()
        with open(load_log, "w", encoding="utf-8") as log:
            locust = subprocess.Popen(  # nosec B603
                [LOCUST, "-f", str(HERE / "locustfile.py"), "--headless", "--host", base_url,
                 "--users", str(users), "--spawn-rate", str(max(1, users / 10)),
                 "--run-time", f"{SECONDS}s", "--stop-timeout", "15", "--only-summary",
                 "--exit-code-on-error", "0", "--loglevel", "WARNING"],
                cwd=HERE, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "LOAD_PLAN": str(workdir / "plan.json"),
                     "LOAD_RESULT": str(workdir / "result.json"),
                     "LOAD_MAX_REQUESTS": str(MAX_REQUESTS)},
            )  # fmt: skip
            next_progress = began + 30
            while locust.poll() is None:
                now = time.monotonic()
                if now > began + SECONDS + 90:
                    locust.kill()
                    break
                if now >= next_progress:
                    print(f"  {round(now - began)} s: {sampler.latest()}", flush=True)
                    next_progress += 30
                time.sleep(1)
        elapsed = time.monotonic() - began
        sampler.stopping.set()
        sampler.join()
        sampler.sample()
        load_after = [round(x, 2) for x in os.getloadavg()]
        result_file = workdir / "result.json"
        if not result_file.exists():
            print(load_log.read_text(encoding="utf-8")[-3000:])
            raise RuntimeError("locust wrote no result")
        raw = json.loads(result_file.read_text(encoding="utf-8"))
    except BaseException:
        server_log.seek(0)
        print(server_log.read()[-3000:])
        raise
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        removed = clean_up(keys, [m.user for m in accounts], started_at)
        shutil.rmtree(workdir / "static", ignore_errors=True)

    load = summarize(raw, elapsed)
    memory = memory_table(sampler, idle, warmed, load_start)
    restarted = len(memory) > 2
    verdict = []
    if load["server_errors"]:
        verdict.append(f"{load['server_errors']} server errors")
    if load["failures"]:
        verdict.append(f"{load['failures']} failed requests")
    if not load["requests"]:
        verdict.append("no request made")
    if restarted:
        verdict.append(f"workers replaced during the run ({len(memory)} pids seen)")
    grown = [w["pid"] for w in memory if not w["stable"]]
    if grown:
        verdict.append(
            f"memory of workers {grown} grew more than {MAX_GROWTH_MIB:g} MiB after "
            f"{settled_after():g} s"
        )
    ok = not verdict
    if ok:
        verdict = ["no server error, no failed request, worker memory stable"]
    from devtools.bench import WORKER_RSS_GOAL_MIB

    peaks = {str(w["pid"]): w["peak_mib"] for w in memory}
    goals = [  # reported, never a reason to fail the run
        {
            "goal": f"worker memory ≤ {WORKER_RSS_GOAL_MIB} MiB during the load run (PDFs "
            "included; peak RSS of each gunicorn worker)",
            "measured": peaks,
            "met": all(peak <= WORKER_RSS_GOAL_MIB for peak in peaks.values()),
        }
    ]
    result = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": machine(locust_version),
        "load_average": {"before": load_before, "after": load_after},
        "run": {
            "seconds": SECONDS,
            "max_requests": MAX_REQUESTS,
            "users": users,
            "accounts": len(accounts),
            "provinces": len(codes),
            "roles": roles,
            "wait_s": list(WAIT),
            "sample_s": SAMPLE_SECONDS,
            "max_growth_mib": MAX_GROWTH_MIB,
            "memory_settled_after_s": settled_after(),
            "warm_up_requests": warm_requests,
            "mix": mix(),
            "messages_posted_and_removed": removed,
        },
        "load": load,
        "memory": memory,
        "memory_samples": {str(pid): points for pid, points in sampler.samples.items()},
        "ok": ok,
        "verdict": verdict,
        "goals": goals,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print_report(result)
    if not ok:
        server_log.seek(0)
        tail = server_log.read()[-3000:]
        if tail.strip():
            print("\nServer log (end):\n" + tail)
    server_log.close()
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
