"""The benchmark of the key pages and documents against the framework floor (`manage.py bench`,
`make bench`). Figures are reported, never asserted.

Every page is requested in-process through Django's test client, signed in (`force_login`) as the
synthetic province's staff member (its leader for the dashboard), on the province's latest plan.
For each page: the number of SQL queries (one request), the median and 95th percentile of the
time of repeated requests, the peak memory of one request, and the ratio of the median to the
floor: `/healthz`, which runs one `SELECT 1`, timed in the same run with the same signed-in
client, so the ratio is what the page costs beyond the middleware and the session.

Peak memory is tracemalloc's peak of the Python allocations of one more request (untimed: tracing
slows it down). It misses what C libraries allocate, and is skipped for the large size's
documents, whose traced rendering would take minutes; the process's peak resident size is
reported once for the whole run.

Two sizes of one province's data: the base (1×, a province of the national data set) and a
province generated at a larger scale (10×); the query count of every page should be the same at
both. Requests run with DEBUG off (no query log), except the one that counts queries.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

import django
from django.core.cache import caches
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from devtools.synthetic import Params, synthetic_provinces
from inspections.models import Finding, Plan, Recommendation, ReportRequest, ResultsReport, Visit
from reports.issued import built
from reports.jobs import run_job
from reports.models import Job, JobStatus
from reports.rendering import render_pdf
from units.access import scope_for
from units.models import AdministrativeUnit, Agency, Membership, Role

# Goals of issue 7 (reported, never asserted).
HTML_P95_GOAL_MS = 150
HTML_SIZE_GOAL_KB = 150
SEED_PDF_GOAL_MS = 1000
RESULTS_PDF_GOAL_MS = 3000


@dataclass(frozen=True)
class Page:
    key: str
    url_name: str
    role: str = Role.STAFF
    document: bool = False
    # The URL's arguments, from the province's latest plan.
    args: Callable[[Plan], list] = lambda plan: []
    # A document's record, from the plan: its PDF is also rendered once from its data and timed
    # ("render ms"), whether or not its files are kept already (the downloads above serve them).
    record: Callable[[Plan], object] | None = None


FLOOR = Page("healthz", "healthz")  # the framework floor
PAGES = [
    Page("plan-list", "inspections:plan-list"),
    Page("plan-detail", "inspections:plan-detail", args=lambda plan: [plan.pk]),
    Page("progress", "inspections:progress", args=lambda plan: [plan.pk]),
    Page("schedule", "inspections:schedule", args=lambda plan: [plan.pk]),
    Page("finding-list", "inspections:finding-list"),
    Page("unit-list", "units:unit-list"),
    Page("dashboard", "reports:dashboard", role=Role.LEADER),
    Page(
        "plan-pdf",
        "reports:plan-pdf",
        document=True,
        args=lambda plan: [plan.pk],
        record=lambda plan: plan,
    ),
    Page(
        "results-pdf",
        "reports:results-document",
        document=True,
        args=lambda plan: [plan.pk, "pdf"],
        record=lambda plan: ResultsReport.objects.filter(plan=plan).first(),
    ),
]
SEED_PLAN = Page(
    "seed-plan-pdf", "reports:plan-pdf", document=True, record=lambda plan: plan
)  # 23/KH-UBND


@dataclass
class Measure:
    """One page at one size."""

    url: str = ""
    status: int | None = None
    queries: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    runs: int = 0
    peak_mib: float | None = None
    bytes: int | None = None
    ratio: float | None = None
    # The first request, timed on its own: for an issued results report it renders and stores
    # the files; the repeated requests after it serve them.
    first_ms: float | None = None
    # An HTML page asked again by the same person while nothing changed: served as kept by the
    # page cache (cchc/pagecache). The median and p95 above are of pages rendered every time.
    kept_median_ms: float | None = None
    kept_p95_ms: float | None = None
    # A document rendered by a background job (the results report): the job's time in-process,
    # when the bench had to run it (its files were not kept yet).
    job_ms: float | None = None
    # A document's PDF rendered once from its data (`reports.issued.built`, `render_pdf`), kept
    # or not: what an issued document's first rendering and every draft's download cost.
    render_ms: float | None = None
    note: str = ""


@dataclass
class Size:
    """The data a size is measured on: a province, its latest plan, the people who read it."""

    label: str
    province: AdministrativeUnit
    plan: Plan | None
    people: dict[str, object]
    measures: dict[str, Measure] = field(default_factory=dict)

    def describe(self) -> dict:
        params = Params.from_note(self.province.note)
        plan = self.plan
        figures = {
            "province": self.province.code,
            "scale": params.scale if params else None,
            "communes": AdministrativeUnit.objects.filter(province=self.province).count(),
            "agencies": Agency.objects.filter(province=self.province).count(),
            "plans": Plan.objects.filter(province=self.province).count(),
            "findings": Finding.objects.filter(visit__plan__province=self.province).count(),
        }
        if plan:
            figures["plan"] = f"{plan.number_display} ({plan.year})"
            figures["plan_targets"] = plan.targets.count()
            figures["plan_requests"] = ReportRequest.objects.filter(plan=plan).count()
            figures["plan_visits"] = Visit.objects.filter(plan=plan).count()
        return figures


def _job_of(response) -> Job | None:
    """The background job a document's answer sends to (302 to its page), if any."""
    if response.status_code != 302:
        return None
    try:
        match = resolve(response["Location"])
    except Resolver404:
        return None
    if match.view_name != "reports:job":
        return None
    return Job.objects.filter(pk=match.kwargs.get("job_pk"), status=JobStatus.QUEUED).first()


def p95(times: list[float]) -> float:
    """The 95th percentile by the nearest-rank method."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                "",
            )
    except OSError:
        cpu = platform.processor()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        # Other work on the machine skews the times: the load average says how much there was.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


def national_figures() -> dict:
    """How big the whole database is (every province, real and synthetic)."""
    return {
        "provinces": AdministrativeUnit.objects.provinces().count(),
        "synthetic_provinces": synthetic_provinces().count(),
        "units": AdministrativeUnit.objects.count(),
        "plans": Plan.objects.count(),
        "requests": ReportRequest.objects.count(),
        "visits": Visit.objects.count(),
        "findings": Finding.objects.count(),
        "recommendations": Recommendation.objects.count(),
    }


def choose_sizes(base: str | None, large: str | None) -> tuple[str, str | None]:
    """The base province (by default the first synthetic one at the smallest scale) and the
    large one (by default the one at the largest scale, when larger than the base)."""
    provinces = [(p.code, Params.from_note(p.note)) for p in synthetic_provinces().order_by("code")]
    if not provinces:
        raise LookupError(
            "Chưa có dữ liệu tổng hợp: chạy `manage.py generate_data` (xem `make bench`)."
        )
    scales = {code: params.scale for code, params in provinces}
    known = set(scales)
    for code in (base, large):
        if code and code not in known:
            raise LookupError(f"Không có tỉnh thử nghiệm {code}.")
    base = base or min(scales, key=lambda code: (scales[code], code))
    if large is None:
        biggest = max(scales, key=lambda code: (scales[code], code))
        large = biggest if scales[biggest] > scales[base] else None
    return base, large


def size_for(label: str, code: str) -> Size:
    province = synthetic_provinces().get(code=code)
    people = {
        m.role: m.user
        for m in Membership.objects.filter(
            province=province, role__in=[Role.STAFF, Role.LEADER]
        ).select_related("user")
    }
    plan = (
        Plan.objects.filter(province=province)
        .annotate(n=Count("targets"))
        .order_by("-year", "-pk")
        .first()
    )
    return Size(label, province, plan, people)


def seed_plan_reader() -> tuple[Plan | None, object | None]:
    """The seed plan 23/KH-UBND and a staff member who may read it, if both are there."""
    plan = Plan.objects.filter(year=2023, number=23, symbol="KH-UBND").first()
    if plan is None:
        return None, None
    for membership in Membership.objects.filter(role=Role.STAFF).select_related("user"):
        ids = scope_for(membership.user).province_ids
        if ids is None or plan.province_id in ids:
            return plan, membership.user
    return plan, None


class Bench:
    def __init__(self, *, repeat: int, repeat_documents: int, warmup: int, only=None) -> None:
        self.repeat = repeat
        self.repeat_documents = repeat_documents
        self.warmup = warmup
        self.only = set(only or [])  # page keys to measure (empty: all)
        self.trace_documents = True
        self.clients: dict[int, Client] = {}
        self.renderer_ready = False

    def client(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def measure(
        self, page: Page, user, args: list, repeat: int | None = None, record=None
    ) -> Measure:
        """`record`: a document's record, whose PDF is rendered once more from its data."""
        result = Measure()
        try:
            result.url = reverse(page.url_name, args=args)
        except NoReverseMatch:
            result.note = f"URL {page.url_name} chưa có: bỏ qua."
            return result
        if user is None:
            result.note = "Không có người dùng phù hợp: bỏ qua."
            return result
        client = self.client(user)
        repeat = repeat or (self.repeat_documents if page.document else self.repeat)
        try:
            # The first request alone (cold caches; a document not yet kept is stored now).
            start = time.perf_counter()
            response = client.get(result.url)
            result.first_ms = round((time.perf_counter() - start) * 1000, 1)
            job = _job_of(response)
            if job is not None:
                # Rendered by a background job (reports/jobs.py): run it here.
                start = time.perf_counter()
                run_job.call(job.pk)
                result.job_ms = round((time.perf_counter() - start) * 1000, 1)
            # The counted request: rendered (nothing kept), as a returning browser asks.
            caches["pages"].clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(result.url)
            result.status = response.status_code
            result.queries = len(queries)
            result.bytes = len(response.content)
            if response.status_code != 200:
                result.note = f"HTTP {response.status_code}"
                return result
            if not page.document:
                with override_settings(DEBUG=False):
                    client.get(result.url)  # kept by this one
                    kept = []
                    for _ in range(repeat):
                        start = time.perf_counter()
                        client.get(result.url)
                        kept.append(time.perf_counter() - start)
                result.kept_median_ms = round(statistics.median(kept) * 1000, 1)
                result.kept_p95_ms = round(p95(kept) * 1000, 1)
            # Rendered at every request: the page cache is off.
            with override_settings(DEBUG=False, PAGE_CACHE_SECONDS=0):
                # The counted request warmed a document up; rendering one again is costly.
                for _ in range(0 if page.document else self.warmup):
                    client.get(result.url)
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    client.get(result.url)
                    times.append(time.perf_counter() - start)
                if page.document and not self.trace_documents:
                    result.note = "Bộ nhớ không đo (tracemalloc quá chậm với PDF lớn)."
                else:
                    tracemalloc.start()
                    try:
                        client.get(result.url)
                        peak = tracemalloc.get_traced_memory()[1]
                    finally:
                        tracemalloc.stop()
                    result.peak_mib = round(peak / 1024 / 1024, 1)
        except Exception as error:  # a page being built by someone else may fail: report it
            result.note = f"{type(error).__name__}: {error}"[:300]
            return result
        result.runs = len(times)
        result.median_ms = round(statistics.median(times) * 1000, 1)
        result.p95_ms = round(p95(times) * 1000, 1)
        if record is not None:
            try:
                if not self.renderer_ready:  # WeasyPrint's import and fonts, once a process
                    render_pdf(built(record))
                    self.renderer_ready = True
                start = time.perf_counter()
                render_pdf(built(record))
                result.render_ms = round((time.perf_counter() - start) * 1000, 1)
            except Exception as error:  # reported beside the download's figures
                result.note = f"Dựng PDF: {type(error).__name__}: {error}"[:300]
        return result

    def run_size(self, size: Size) -> None:
        staff = size.people.get(Role.STAFF)
        size.measures[FLOOR.key] = floor = self.measure(FLOOR, staff, [])
        for page in PAGES:
            if self.only and page.key not in self.only:
                continue
            if size.plan is None and page.args(Plan()) != []:
                size.measures[page.key] = Measure(note="Tỉnh chưa có kế hoạch: bỏ qua.")
                continue
            user = size.people.get(page.role)
            args = page.args(size.plan) if size.plan else []
            record = page.record(size.plan) if page.record and size.plan else None
            measure = self.measure(page, user, args, record=record)
            if measure.median_ms and floor.median_ms:
                measure.ratio = round(measure.median_ms / floor.median_ms, 1)
            size.measures[page.key] = measure


def goals(sizes: list[Size], seed: Measure | None) -> list[dict]:
    base = sizes[0]
    out = []
    pages = [page for page in PAGES if page.key in base.measures]
    if len(sizes) > 1:
        large = sizes[1]
        for page in pages:
            a, b = base.measures[page.key].queries, large.measures[page.key].queries
            out.append(
                {
                    "goal": f"{page.key}: same query count at {base.label} and {large.label}",
                    "measured": f"{a} / {b}",
                    "met": a is not None and a == b,
                }
            )
    for page in pages:
        if page.document:
            continue
        for size in sizes:  # rendered at every request (the page cache off), at 1× and 10×
            m = size.measures.get(page.key)
            if m is None:
                continue
            out.append(
                {
                    "goal": f"{page.key}: p95 ≤ {HTML_P95_GOAL_MS} ms rendered, at {size.label}",
                    "measured": m.p95_ms,
                    "met": m.p95_ms is not None and m.p95_ms <= HTML_P95_GOAL_MS,
                }
            )
            out.append(
                {
                    "goal": f"{page.key}: HTML < {HTML_SIZE_GOAL_KB} KB at {size.label}",
                    "measured": None if m.bytes is None else round(m.bytes / 1024, 1),
                    "met": m.bytes is not None and m.bytes < HTML_SIZE_GOAL_KB * 1024,
                }
            )
    documents = []
    if seed is not None:
        documents.append(("seed plan PDF", seed, SEED_PDF_GOAL_MS))
    results = base.measures.get("results-pdf")
    if results is not None:
        targets = base.describe().get("plan_targets")
        documents.append((f"results report PDF ({targets} targets)", results, RESULTS_PDF_GOAL_MS))
    for name, m, goal_ms in documents:
        # Rendered from its data (an issued document once, by its background job for the results
        # report; a draft at every download), and downloaded as kept once issued.
        out.append(
            {
                "goal": f"{name} rendered < {goal_ms} ms",
                "measured": m.render_ms,
                "met": m.render_ms is not None and m.render_ms < goal_ms,
            }
        )
        out.append(
            {
                "goal": f"{name} download p95 < {goal_ms} ms",
                "measured": m.p95_ms,
                "met": m.p95_ms is not None and m.p95_ms < goal_ms,
            }
        )
    return out


# Throughput (devtools/throughput.py): every HTML page at least this share of /healthz's requests
# per second, through gunicorn with 2 workers; no worker above this resident memory during the
# run, PDFs included (issue 16).
THROUGHPUT_GOAL = 1 / 10
WORKER_RSS_GOAL_MIB = 250


def throughput_targets(size: Size) -> list:
    """The pages and documents measured at this size (answered 200), each with the person who
    opened it, and the minutes of one visit of the plan as a PDF: not issued, so WeasyPrint
    renders it at every request (the issued plan and results report are served as kept)."""
    from devtools.throughput import Target

    targets = [
        Target(page.key, size.measures[page.key].url, size.people.get(page.role))
        for page in PAGES
        if page.key in size.measures and size.measures[page.key].status == 200
    ]
    visit = (
        Visit.objects.filter(plan=size.plan, minutes__isnull=False).order_by("pk").first()
        if size.plan
        else None
    )
    if visit is not None:
        url = reverse("reports:minutes-document", args=[visit.pk, "pdf"])
        targets.append(Target("minutes-pdf", url, size.people.get(Role.STAFF)))
    return targets


def throughput_goals(result: dict) -> list[dict]:
    goals = [
        {
            "goal": f"{key}: throughput ≥ 1/{round(1 / THROUGHPUT_GOAL)} of /healthz",
            "measured": figures["ratio_to_floor"],
            "met": figures["ratio_to_floor"] is not None
            and figures["ratio_to_floor"] >= THROUGHPUT_GOAL,
        }
        for key, figures in result["pages"].items()
        if key != "healthz" and not key.endswith("-pdf")  # a document is no HTML page
    ]
    peak = result["worker_peak_rss_mib"]
    goals.append(
        {
            "goal": f"worker memory ≤ {WORKER_RSS_GOAL_MIB} MiB during the throughput run "
            "(PDFs included; peak RSS of each gunicorn worker)",
            "measured": {pid: w["peak_rss_mib"] for pid, w in result["workers"].items()},
            "met": peak is not None and peak <= WORKER_RSS_GOAL_MIB,
        }
    )
    return goals


def report(sizes: list[Size], seed: Measure | None, started: float, settings_used: dict) -> dict:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": settings_used,
        "database": national_figures(),
        "sizes": {
            size.label: {
                "data": size.describe(),
                "pages": {key: vars(m) for key, m in size.measures.items()},
            }
            for size in sizes
        },
        "seed_plan_pdf": vars(seed) if seed else None,
        "goals": goals(sizes, seed),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "duration_s": round(time.perf_counter() - started, 1),
    }


def _cell(value, unit: str = "") -> str:
    return "—" if value is None else f"{value:g}{unit}" if isinstance(value, float) else str(value)


def table(result: dict) -> str:
    """The figures as a Markdown table (ready to paste into the README)."""
    sizes = list(result["sizes"])
    base = result["sizes"][sizes[0]]["pages"]
    large = result["sizes"][sizes[1]]["pages"] if len(sizes) > 1 else None
    head = ["page", f"queries {sizes[0]}"]
    if large is not None:
        head += [f"queries {sizes[1]}", "same"]
    head += [f"first ms {sizes[0]}", f"median ms {sizes[0]}", f"p95 ms {sizes[0]}", "× floor",
             "peak MiB"]  # fmt: skip
    if large is not None:
        head += [f"median ms {sizes[1]}", f"p95 ms {sizes[1]}"]
    head += [f"kept p95 ms {sizes[0]}"] + ([f"kept p95 ms {sizes[1]}"] if large else [])
    head += ["render ms", "job ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, m in base.items():
        row = [key, _cell(m["queries"])]
        if large is not None:
            other = large.get(key, {})
            same = m["queries"] is not None and m["queries"] == other.get("queries")
            row += [_cell(other.get("queries")), "yes" if same else "**no**"]
        row += [_cell(m.get("first_ms")), _cell(m["median_ms"]), _cell(m["p95_ms"]),
                _cell(m["ratio"]), _cell(m["peak_mib"])]  # fmt: skip
        if large is not None:
            row += [_cell(other.get("median_ms")), _cell(other.get("p95_ms"))]
        row += [_cell(m.get("kept_p95_ms"))]
        if large is not None:
            row += [_cell(other.get("kept_p95_ms"))]
        for column in ("render_ms", "job_ms"):  # "1× / 10×"
            both = [m.get(column)] + ([other.get(column)] if large is not None else [])
            row += [" / ".join(_cell(ms) for ms in both) if any(both) else "—"]
        lines.append("| " + " | ".join(row) + " |")
    seed = result["seed_plan_pdf"]
    if seed:
        row = [SEED_PLAN.key, _cell(seed["queries"])]
        if large is not None:
            row += ["", ""]
        row += [_cell(seed.get("first_ms")), _cell(seed["median_ms"]), _cell(seed["p95_ms"]), "",
                _cell(seed["peak_mib"])]  # fmt: skip
        row += ["", "", "", ""] if large is not None else [""]  # 10× and kept columns
        row += [_cell(seed.get("render_ms")), ""]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
