"""The leaders' dashboard: the figures of one inspection round, as far as the viewer may see.

The round is the issued plans of the selected year (by default the latest year with one) in the
viewer's provinces. Every figure is counted in SQL (`Count(..., filter=Q(...))` over
`values().annotate()`), so the dashboard costs the same number of queries whatever the number of
units, visits or findings. Every figure carries the address of the list behind it, chosen among
the lists the viewer may open.

Scope: administrators see every province; staff, leaders and team members their provinces (and
those they succeeded); a unit's reporter only its own requests, and its own findings and
recommendations once the conclusion notice carrying them is issued. Reporters get neither the
round's progress (visits may be unannounced) nor the ranking (it names other units).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.pagecache import version
from inspections.models import (
    ConclusionNotice,
    Deliverable,
    Finding,
    FindingKind,
    NoticeStatus,
    Plan,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    ReportRequest,
    Submission,
    Visit,
    VisitStatus,
)
from inspections.text import number, percent
from reports import charts
from reports.charts import Bar, Series, StackedRow
from units.access import Scope
from units.models import Agency, Level, Role
from units.text import fold

UNRESOLVED = (RecommendationStatus.OPEN, RecommendationStatus.NOT_DONE)

# Coverage of the latest report of each request: (key, label, from %, below %).
COVERAGE_BUCKETS = (
    ("lt50", gettext_lazy("Dưới 50%"), None, 50),
    ("lt80", gettext_lazy("Từ 50% đến dưới 80%"), 50, 80),
    ("lt100", gettext_lazy("Từ 80% đến dưới 100%"), 80, 100),
    ("full", gettext_lazy("100% trở lên"), 100, None),
)

KIND_CSS = {
    FindingKind.STRENGTH: "chart-strength",
    FindingKind.SHORTCOMING: "chart-shortcoming",
    FindingKind.GOOD_MODEL: "chart-good-model",
}

RANKING_RULE = gettext_lazy(
    "Xếp theo tỷ lệ khắc phục kiến nghị (đã khắc phục ÷ tổng số kiến nghị giao cho đơn vị), cao "
    "trước; bằng nhau thì theo tỷ lệ nộp báo cáo tự kiểm tra đúng hạn (có ít nhất một lần nộp "
    "trong hạn ÷ số yêu cầu). Đơn vị không có kiến nghị nào không tính tỷ lệ khắc phục (ghi "
    "“không có kiến nghị”) và xếp sau các đơn vị có kiến nghị, theo tỷ lệ nộp đúng hạn; đơn vị "
    "không được yêu cầu báo cáo tính là 0% đúng hạn. Các đơn vị bằng nhau ở mọi tiêu chí cùng "
    "hạng (ghi “đồng hạng”, trong hạng xếp theo tên) và hạng sau là hạng kế tiếp. Kết quả kiểm "
    "tra của một xã được tính cho chính xã đó, không cho huyện."
)


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole in percent, one decimal; None when there is nothing to divide."""
    return round(part * 100 / whole, 1) if whole else None


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 1)


@dataclass(frozen=True)
class Figure:
    """A number on the dashboard and the list behind it."""

    label: str
    value: int | float | None
    href: str = ""
    is_rate: bool = False

    @property
    def text(self) -> str:
        return percent(self.value, 1) if self.is_rate else number(self.value)


@dataclass(frozen=True)
class PlanRow:
    """The round's figures of one plan, when the year has several."""

    plan: Plan
    targets: dict[str, Figure]
    requests: dict[str, Figure]


@dataclass(frozen=True)
class FindingRow:
    """Findings of one content area (or one level) by kind."""

    key: int | str | None  # the area's pk (None: no area given), or the level
    label: str
    counts: dict[str, Figure]
    total: Figure


@dataclass(frozen=True)
class YearRow:
    year: int
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Earlier:
    """A unit's figures in the latest earlier round it took part in: its own and those of the
    units it carries on across a reorganisation (`AgencyQuerySet.lineage`), named in
    `predecessors`; `links` open the rows behind each figure."""

    year: int
    recommendations: int
    done: int
    requests: int
    on_time: int
    findings: int
    predecessors: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)

    @property
    def remediation_rate(self) -> float | None:
        return rate(self.done, self.recommendations)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.requests)


@dataclass(frozen=True)
class RankRow:
    rank: int
    agency_id: int
    name: str
    href: str
    recommendations: int
    done: int
    requests: int
    on_time: int
    findings: int = 0  # at the unit's own visits (a commune's under the commune)
    tied: bool = False  # shares its rank with another unit
    links: dict[str, str] = field(default_factory=dict)  # the lists behind each figure
    earlier: Earlier | None = None  # the unit's previous round, across the 2025 reform
    search_name: str = ""  # the name folded (`units.text.fold`), for the ranking's search

    @property
    def remediation_rate(self) -> float | None:
        return rate(self.done, self.recommendations)

    @property
    def remediation_change(self) -> float | None:
        """Remediation rate now minus in the previous round, in points."""
        return _change(self.remediation_rate, self.earlier and self.earlier.remediation_rate)

    @property
    def on_time_change(self) -> float | None:
        return _change(self.on_time_rate, self.earlier and self.earlier.on_time_rate)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.requests)

    @property
    def sort_key(self) -> tuple[bool, float, float]:
        """Units with recommendations first (a unit without any is not 100 % remedied), then
        the remediation rate, then the on-time rate; higher first."""
        remediation = self.remediation_rate
        return (remediation is not None, remediation or 0.0, self.on_time_rate or 0.0)


@dataclass
class Dashboard:
    year: int | None
    level: str
    years: list[int]
    plans: list[Plan]
    is_unit: bool
    today: datetime.date
    round: dict[str, Figure] = field(default_factory=dict)
    by_plan: list[PlanRow] = field(default_factory=list)
    self_inspection: dict[str, Figure] = field(default_factory=dict)
    coverage: dict[str, Figure] = field(default_factory=dict)
    findings_by_area: list[FindingRow] = field(default_factory=list)
    findings_by_level: list[FindingRow] = field(default_factory=list)
    findings_total: Figure | None = None
    remediation: dict[str, Figure] = field(default_factory=dict)
    comparison: list[YearRow] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    ranking_rule: str = ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else _("Mọi cấp")


# Who sees what -------------------------------------------------------------------------------


def may_view(scope: Scope) -> bool:
    return scope.is_admin or scope.role in (Role.STAFF, Role.LEADER, Role.TEAM, Role.REPORTER)


def _is_unit(scope: Scope) -> bool:
    return not scope.is_admin and scope.role == Role.REPORTER


def _plans(scope: Scope):
    """Issued plans of the viewer's provinces, newest first (one query gives years and plans)."""
    return (
        Plan.objects.in_scope(scope.province_ids)
        .issued()
        .only("pk", "year", "number", "symbol", "summary", "document_date")
        .order_by("-year", "-pk")
    )


# Links ---------------------------------------------------------------------------------------


def _url(name: str, *args, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)}, doseq=True)
    url = reverse(name, args=args)
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class _Links:
    """The lists behind the figures, for one viewer, year and level."""

    is_unit: bool
    year: int | None
    level: str
    plans: tuple[Plan, ...]

    @property
    def _single(self) -> Plan | None:
        return self.plans[0] if len(self.plans) == 1 else None

    def plan_list(self, year: int | None = None) -> str:
        return _url("inspections:plan-list", year=year or self.year)

    def targets(self, plan: Plan | None = None) -> str:
        plan = plan or self._single
        return _url("inspections:plan-detail", plan.pk) if plan else self.plan_list()

    def schedule(self, plan: Plan | None = None) -> str:
        plan = plan or self._single
        return _url("inspections:schedule", plan.pk) if plan else self.plan_list()

    def conclusions(self) -> str:
        return _url("inspections:conclusion-list")

    def requests(self, plan: Plan | None = None) -> str:
        plan = plan or self._single
        if self.is_unit or plan is None:
            return _url("requests:request-list")
        return _url("inspections:progress", plan.pk)

    def findings(self, year: int | None = None, level: str | None = None, **params) -> str:
        return _url(
            "inspections:finding-list",
            year=year or self.year,
            level=self.level if level is None else level,
            **params,
        )

    def recommendations(self, status: str = "", year: int | None = None) -> str:
        return _url(
            "inspections:recommendation-list",
            status=status,
            year=year or self.year,
            level=self.level,
        )

    def agency(self, agency_id: int) -> str:
        return _url("units:agency-detail", agency_id)

    def of_unit(self, agency_id: int | Iterable[int], year: int | None = None) -> dict[str, str]:
        """The lists behind a unit's figures in the ranking: its recommendations (all, done),
        its self-inspection requests (those of the year, on time or not) and its findings; of
        an earlier `year`, those of the unit and of the units it carries on (`agency_id` several
        ids: the lists' `agency` filter takes several)."""
        year = year or self.year
        agency = sorted(agency_id) if isinstance(agency_id, Iterable) else agency_id
        return {
            "recommendations": _url("inspections:recommendation-list", year=year, agency=agency),
            "done": _url(
                "inspections:recommendation-list", year=year, agency=agency,
                status=RecommendationStatus.DONE,
            ),
            "requests": _url("requests:request-list", year=year, agency=agency),
            "findings": _url("inspections:finding-list", year=year, agency=agency),
        }  # fmt: skip

    def dashboard(self, year: int) -> str:
        return _url("reports:dashboard", year=year, level=self.level)


# The figures ---------------------------------------------------------------------------------


def _level(prefix: str, level: str) -> Q:
    return Q(**{f"{prefix}unit__level": level}) if level else Q()


def _target_counts(plan_ids: Iterable[int], level: str):
    """Per plan: targets, scheduled (a visit not cancelled), visited (a visit done), concluded
    (an issued notice to the target's agency in that plan)."""
    visits = Visit.objects.filter(target=OuterRef("pk"))
    issued = ConclusionNotice.objects.filter(
        plan=OuterRef("plan"),
        agency=OuterRef("agency"),
        status=NoticeStatus.ISSUED,
        amends__isnull=True,
    )
    return (
        PlanTarget.objects.filter(_level("agency__", level), plan_id__in=plan_ids)
        .alias(
            is_scheduled=Exists(visits.exclude(status=VisitStatus.CANCELLED)),
            is_visited=Exists(visits.filter(status=VisitStatus.DONE)),
            is_concluded=Exists(issued),
        )
        .values("plan_id")
        .annotate(
            targets=Count("pk"),
            scheduled=Count("pk", filter=Q(is_scheduled=True)),
            visited=Count("pk", filter=Q(is_visited=True)),
            concluded=Count("pk", filter=Q(is_concluded=True)),
        )
        .order_by()
    )


def _request_counts(scope: Scope, plan_ids: Iterable[int], level: str, today: datetime.date):
    """Per plan: requests; submitted (a report, any version); on time (a version in time); late
    (submitted, no version in time); not submitted and past the deadline; coverage of the
    latest version in buckets; latest version below the plan's threshold."""
    reports = Submission.objects.filter(request=OuterRef("pk"), deliverable=Deliverable.REPORT)
    latest = reports.order_by("-version")
    buckets = {}
    for key, _label, low, high in COVERAGE_BUCKETS:
        condition = Q(has_report=True)
        if low is not None:
            condition &= Q(coverage__gte=low)
        if high is not None:
            condition &= Q(coverage__lt=high)
        buckets[key] = Count("pk", filter=condition)
    return (
        ReportRequest.objects.visible_to(scope)
        .filter(_level("agency__", level), plan_id__in=plan_ids)
        .alias(
            has_report=Exists(reports),
            has_on_time=Exists(reports.filter(late=False)),
            coverage=Subquery(latest.values("coverage")[:1]),
            below=Subquery(latest.values("below_threshold")[:1]),
        )
        .values("plan_id")
        .annotate(
            requests=Count("pk"),
            submitted=Count("pk", filter=Q(has_report=True)),
            on_time=Count("pk", filter=Q(has_on_time=True)),
            late=Count("pk", filter=Q(has_report=True, has_on_time=False)),
            overdue=Count("pk", filter=Q(has_report=False, deadline__lt=today)),
            no_figure=Count("pk", filter=Q(has_report=True, coverage__isnull=True)),
            below_threshold=Count("pk", filter=Q(has_report=True, below=True)),
            **buckets,
        )
        .order_by()
    )


def _sum(rows: Iterable[dict], keys: Iterable[str]) -> dict[str, int]:
    rows = list(rows)
    return {k: sum(r[k] for r in rows) for k in keys}


TARGET_KEYS = ("targets", "scheduled", "visited", "concluded")
REQUEST_KEYS = (
    "requests", "submitted", "on_time", "late", "overdue", "no_figure", "below_threshold",
    *(b[0] for b in COVERAGE_BUCKETS),
)  # fmt: skip


def _round_figures(counts: dict[str, int], links: _Links, plan: Plan | None = None) -> dict:
    return {
        "targets": Figure(_("Đối tượng kiểm tra"), counts["targets"], links.targets(plan)),
        "scheduled": Figure(_("Đã lên lịch"), counts["scheduled"], links.schedule(plan)),
        "visited": Figure(_("Đã kiểm tra"), counts["visited"], links.schedule(plan)),
        "concluded": Figure(
            _("Đã có thông báo kết luận"), counts["concluded"], links.conclusions()
        ),
    }


def _request_figures(counts: dict[str, int], links: _Links, plan: Plan | None = None) -> dict:
    href = links.requests(plan)
    total = counts["requests"]
    return {
        "requests": Figure(_("Đơn vị được yêu cầu báo cáo"), total, href),
        "submitted": Figure(_("Đã nộp báo cáo"), counts["submitted"], href),
        "on_time": Figure(_("Nộp đúng hạn"), counts["on_time"], href),
        "late": Figure(_("Nộp trễ hạn"), counts["late"], href),
        "not_submitted": Figure(_("Chưa nộp"), total - counts["submitted"], href),
        "overdue": Figure(_("Chưa nộp, đã quá hạn"), counts["overdue"], href),
        "rate": Figure(_("Tỷ lệ đã nộp"), rate(counts["submitted"], total), href, True),
        "on_time_rate": Figure(_("Tỷ lệ nộp đúng hạn"), rate(counts["on_time"], total), href, True),
    }


def _coverage_figures(counts: dict[str, int], links: _Links) -> dict:
    href = links.requests()
    figures = {
        key: Figure(str(label), counts[key], href) for key, label, _low, _high in COVERAGE_BUCKETS
    }
    figures["no_figure"] = Figure(_("Không ghi tỷ lệ"), counts["no_figure"], href)
    figures["below_threshold"] = Figure(
        _("Dưới tỷ lệ tối thiểu của kế hoạch"), counts["below_threshold"], href
    )
    return figures


def _findings(board: Dashboard, findings, links: _Links) -> None:
    """Findings of the round by content area × kind and by level × kind (one query)."""
    rows = list(
        findings.filter(visit__plan_id__in=[p.pk for p in board.plans])
        .values(
            "content_area_id", "content_area__number", "content_area__name",
            "visit__agency__unit__level", "kind",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    kinds = list(FindingKind)
    areas: dict[tuple, dict[str, int]] = {}
    levels: dict[str, dict[str, int]] = {}
    for row in rows:
        key = (row["content_area__number"] or 0, row["content_area_id"], row["content_area__name"])
        areas.setdefault(key, dict.fromkeys(kinds, 0))[row["kind"]] += row["n"]
        level = row["visit__agency__unit__level"]
        levels.setdefault(level, dict.fromkeys(kinds, 0))[row["kind"]] += row["n"]
    board.findings_by_area = [
        FindingRow(
            pk,
            f"{number}. {name}" if pk else _("Không ghi lĩnh vực"),
            {k: Figure(k.label, counts[k], links.findings(area=pk, kind=k)) for k in kinds},
            Figure(_("Tổng"), sum(counts.values()), links.findings(area=pk)),
        )
        for (number, pk, name), counts in sorted(areas.items(), key=_area_order)
    ]
    board.findings_by_level = [
        FindingRow(
            level,
            Level(level).label,
            {
                k: Figure(k.label, levels[level][k], links.findings(level=level, kind=k))
                for k in kinds
            },
            Figure(_("Tổng"), sum(levels[level].values()), links.findings(level=level)),
        )
        for level in Level.values
        if level in levels
    ]
    board.findings_total = Figure(
        _("Kết quả kiểm tra được ghi nhận"), sum(r["n"] for r in rows), links.findings()
    )


def _area_order(item) -> tuple:
    (number, pk, _name), _counts = item
    return (pk is None, number, pk or 0)


def _remediation(recommendations, links: _Links, today: datetime.date) -> dict[str, Figure]:
    counts = recommendations.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=RecommendationStatus.DONE)),
        not_done=Count("pk", filter=Q(status=RecommendationStatus.NOT_DONE)),
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        overdue=Count("pk", filter=Q(status__in=UNRESOLVED, due_date__lt=today)),
    )
    return {
        "total": Figure(_("Kiến nghị"), counts["total"], links.recommendations()),
        "done": Figure(
            _("Đã khắc phục"), counts["done"], links.recommendations(RecommendationStatus.DONE)
        ),
        "not_done": Figure(
            _("Chưa khắc phục (đã xác minh)"),
            counts["not_done"],
            links.recommendations(RecommendationStatus.NOT_DONE),
        ),
        # The list has no filter for "open" alone: it opens on the unresolved ones.
        "open": Figure(_("Đang khắc phục"), counts["open"], links.recommendations("unresolved")),
        "unresolved": Figure(
            _("Chưa khắc phục xong"),
            counts["open"] + counts["not_done"],
            links.recommendations("unresolved"),
        ),
        "overdue": Figure(
            _("Quá hạn chưa khắc phục"), counts["overdue"], links.recommendations("overdue")
        ),
        "rate": Figure(
            _("Tỷ lệ khắc phục"),
            rate(counts["done"], counts["total"]),
            links.recommendations(RecommendationStatus.DONE),
            True,
        ),
    }


def _comparison(
    scope: Scope, board: Dashboard, findings, recommendations, links: _Links, all_ids: list[int]
) -> list[YearRow]:
    """Targets, findings, submission rate and remediation rate of every year in scope."""
    level = board.level
    per_year: dict[int, dict[str, int]] = {
        y: dict.fromkeys(("targets", "findings", "requests", "submitted", "recs", "done"), 0)
        for y in board.years
    }

    def add(rows, **keys):
        for row in rows:
            for key, column in keys.items():
                per_year[row["year"]][key] = row[column]

    if not board.is_unit:
        add(
            PlanTarget.objects.filter(_level("agency__", level), plan_id__in=all_ids)
            .values(year=F("plan__year"))
            .annotate(n=Count("pk"))
            .order_by(),
            targets="n",
        )
    add(
        findings.filter(visit__plan_id__in=all_ids)
        .values(year=F("visit__plan__year"))
        .annotate(n=Count("pk"))
        .order_by(),
        findings="n",
    )
    reports = Submission.objects.filter(request=OuterRef("pk"), deliverable=Deliverable.REPORT)
    add(
        ReportRequest.objects.visible_to(scope)
        .filter(_level("agency__", level), plan_id__in=all_ids)
        .alias(has_report=Exists(reports))
        .values(year=F("plan__year"))
        .annotate(n=Count("pk"), submitted=Count("pk", filter=Q(has_report=True)))
        .order_by(),
        requests="n",
        submitted="submitted",
    )
    add(
        recommendations.filter(finding__visit__plan_id__in=all_ids)
        .values(year=F("finding__visit__plan__year"))
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=RecommendationStatus.DONE)))
        .order_by(),
        recs="n",
        done="done",
    )
    rows = []
    for year in board.years:
        c = per_year[year]
        figures = {
            "findings": Figure(_("Kết quả kiểm tra"), c["findings"], links.findings(year=year)),
            "submission_rate": Figure(
                _("Tỷ lệ nộp báo cáo tự kiểm tra"),
                rate(c["submitted"], c["requests"]),
                links.dashboard(year),
                True,
            ),
            "remediation_rate": Figure(
                _("Tỷ lệ khắc phục"),
                rate(c["done"], c["recs"]),
                links.recommendations(RecommendationStatus.DONE, year=year),
                True,
            ),
        }
        if not board.is_unit:
            figures = {
                "targets": Figure(_("Đối tượng kiểm tra"), c["targets"], links.plan_list(year)),
                **figures,
            }
        rows.append(YearRow(year, figures))
    return rows


def _ranking(
    scope: Scope,
    recommendations,
    findings,
    plans: list[Plan],
    earlier_ids: list[int],
    level: str,
    links: _Links,
):
    """Units of the round ranked by remediation rate, then on-time self-inspection, densely
    (the rule is `RANKING_RULE`), each beside its previous round. A unit's findings are those of
    its own visits: a commune's findings count under the commune, never under its district.

    The same three queries count every unit's figures of the round and of the earlier rounds
    (`earlier_ids`), by year; a unit's previous round is the latest earlier year in which it, or
    a unit it carries on across a reorganisation, has a figure (`AgencyQuerySet.lineage`: one
    query, then two per generation of reorganisations)."""
    if not plans:
        return []
    year = plans[0].year
    plan_ids = [*(p.pk for p in plans), *earlier_ids]
    counts: dict[tuple[int, int], dict[str, int]] = {}  # (year, agency) → figures
    names: dict[int, str] = {}

    def add(row, agency: str, name: str, **figures: str) -> None:
        names[row[agency]] = row[name]
        entry = counts.setdefault(
            (row["year"], row[agency]), dict.fromkeys(("recs", "done", "requests", "on_time",
                                                        "findings"), 0)
        )  # fmt: skip
        for key, column in figures.items():
            entry[key] = row[column]

    for row in (
        recommendations.filter(finding__visit__plan_id__in=plan_ids)
        .values("responsible_id", "responsible__name", year=F("finding__visit__plan__year"))
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=RecommendationStatus.DONE)))
        .order_by()
    ):
        add(row, "responsible_id", "responsible__name", recs="n", done="done")
    on_time = Submission.objects.filter(
        request=OuterRef("pk"), deliverable=Deliverable.REPORT, late=False
    )
    for row in (
        ReportRequest.objects.visible_to(scope)
        .filter(_level("agency__", level), plan_id__in=plan_ids)
        .alias(has_on_time=Exists(on_time))
        .values("agency_id", "agency__name", year=F("plan__year"))
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(has_on_time=True)))
        .order_by()
    ):
        add(row, "agency_id", "agency__name", requests="n", on_time="on_time")
    for row in (
        findings.filter(visit__plan_id__in=plan_ids)
        .values("visit__agency_id", "visit__agency__name", year=F("visit__plan__year"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(row, "visit__agency_id", "visit__agency__name", findings="n")

    # Ranked: the units with a recommendation or a request in the round.
    units = {pk: c for (y, pk), c in counts.items() if y == year and (c["recs"] or c["requests"])}
    first_day = min(p.document_date or datetime.date(year, 1, 1) for p in plans)
    lineage = Agency.objects.lineage(units, ended_before=first_day)
    earlier_years = sorted({y for y, _pk in counts if y < year}, reverse=True)

    def earlier(pk: int) -> Earlier | None:
        family = lineage.of(pk)
        for y in earlier_years:
            found = [counts[y, a] for a in sorted(family) if (y, a) in counts]
            if found:
                total = _sum(found, ("recs", "done", "requests", "on_time", "findings"))
                return Earlier(
                    y, total["recs"], total["done"], total["requests"], total["on_time"],
                    total["findings"],
                    predecessors=tuple(sorted(lineage.names[a] for a in family - {pk})),
                    links=links.of_unit(family, year=y),
                )  # fmt: skip
        return None

    rows = [
        RankRow(0, pk, names[pk], links.agency(pk), u["recs"], u["done"], u["requests"],
                u["on_time"], u["findings"], links=links.of_unit(pk), earlier=earlier(pk),
                search_name=fold(names[pk]))
        for pk, u in units.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (*(-k for k in r.sort_key), r.name))
    ranked: list[RankRow] = []
    for row in rows:
        previous = ranked[-1] if ranked else None
        if previous and previous.sort_key == row.sort_key:  # a tie: the same rank, both marked
            ranked[-1] = replace(previous, tied=True)
            ranked.append(replace(row, rank=previous.rank, tied=True))
        else:  # dense: the next rank after a tie is the next number
            ranked.append(replace(row, rank=previous.rank + 1 if previous else 1))
    return ranked


def ranking_matching(rows: list[RankRow], query: str) -> list[RankRow]:
    """The ranked units whose name holds every word of `query`, without diacritics or case
    ("an bien" finds "An Biên"), in the ranking's order and keeping their ranks in the whole
    list. The ranking is kept in the cache as a list, so it is searched here, not in SQL."""
    words = fold(query).split()
    if not words:
        return rows
    return [row for row in rows if all(word in row.search_name for word in words)]


def dashboard(
    scope: Scope,
    *,
    year: int | None = None,
    level: str = "",
    today: datetime.date | None = None,
    summary: bool = False,
) -> Dashboard:
    """Every figure of the round for `scope`. `summary` computes only the key figures shown on
    the home page (round, self-inspection, remediation)."""
    today = today or timezone.localdate()
    is_unit = _is_unit(scope)
    all_plans = list(_plans(scope))  # 1 query
    years = sorted({p.year for p in all_plans}, reverse=True)
    if year is None and years:
        year = years[0]
    plans = [p for p in all_plans if p.year == year]
    plan_ids = [p.pk for p in plans]
    board = Dashboard(year, level, years, plans, is_unit, today)
    links = _Links(is_unit, year, level, tuple(plans))
    by_plan: dict[int, dict] = {p.pk: {} for p in plans}

    if not is_unit:
        rows = list(_target_counts(plan_ids, level))  # 1 query
        board.round = _round_figures(_sum(rows, TARGET_KEYS), links)
        for row in rows:
            by_plan[row["plan_id"]]["targets"] = row
    rows = list(_request_counts(scope, plan_ids, level, today))  # 1 query
    totals = _sum(rows, REQUEST_KEYS)
    board.self_inspection = _request_figures(totals, links)
    board.coverage = _coverage_figures(totals, links)
    for row in rows:
        by_plan[row["plan_id"]]["requests"] = row
    if len(plans) > 1:
        board.by_plan = [
            PlanRow(
                p,
                _round_figures(by_plan[p.pk].get("targets") or dict.fromkeys(TARGET_KEYS, 0),
                               links, p),
                _request_figures(by_plan[p.pk].get("requests")
                                 or dict.fromkeys(REQUEST_KEYS, 0), links, p),
            )
            for p in plans
        ]  # fmt: skip

    recommendations = Recommendation.objects.visible_to(scope).filter(
        _level("responsible__", level)
    )
    current = recommendations.filter(finding__visit__plan_id__in=plan_ids)
    board.remediation = _remediation(current, links, today)  # 1 query
    if summary:
        return board

    findings = Finding.objects.visible_to(scope).filter(_level("visit__agency__", level))
    _findings(board, findings, links)  # 1 query
    board.comparison = _comparison(  # 3 queries, 4 with targets
        scope, board, findings, recommendations, links, [p.pk for p in all_plans]
    )
    if not is_unit:
        earlier_ids = [p.pk for p in all_plans if year and p.year < year]
        board.ranking = _ranking(  # 3 queries, and the lineage of the ranked units
            scope, recommendations, findings, plans, earlier_ids, level, links
        )
        board.ranking_rule = str(RANKING_RULE)
    return board


# Kept figures --------------------------------------------------------------------------------

# Changed when what is kept changes shape (2: the ranked units' folded names), so that figures
# kept by an older release are never read back without a field.
KEPT_FORMAT = 2


def dashboard_kept(scope: Scope, *, year: int | None = None, level: str = "") -> Dashboard:
    """`dashboard`, kept in the cache under a key of the viewer's scope, the filters, the day,
    the language and the data version (`cchc.pagecache.version`: one row bumped after every
    committed write, by any process, and this process's own writes at once): computed once as
    long as nothing was written (a finished round's figures, asked again and again), recomputed
    after any write, a queryset's `update()` or raw SQL included. The version is read from the
    database at every request, so no process serves old figures."""
    today = timezone.localdate()
    data = version.current()
    if data is None:  # no version to key by (before `migrate`): computed, not kept
        return dashboard(scope, year=year, level=level, today=today)
    provinces = None if scope.province_ids is None else sorted(scope.province_ids)
    key = repr(
        (KEPT_FORMAT, provinces, str(scope.role), scope.agency_id, scope.user_id, year, level,
         today, translation.get_language(), data)
    )  # fmt: skip
    key = "dashboard:" + hashlib.sha256(key.encode()).hexdigest()
    board = cache.get(key)
    if board is None:
        board = dashboard(scope, year=year, level=level, today=today)
        cache.set(key, board, settings.DASHBOARD_CACHE_SECONDS)
    return board


# Charts --------------------------------------------------------------------------------------


def dashboard_charts(board: Dashboard) -> dict[str, str]:
    """The SVG charts (with their data tables) of a computed dashboard."""
    out: dict[str, str] = {}
    if board.round:
        total = board.round["targets"].value or 0
        out["round"] = charts.bar_chart(
            chart_id="chart-round",
            title=_("Tiến độ kiểm tra: %(n)s đối tượng") % {"n": number(total)},
            bars=[
                Bar(f.label, f.value, f.href, display=f"{f.text}/{number(total)}")
                for key, f in board.round.items()
                if key != "targets"
            ],
            maximum=total,
        )
    s = board.self_inspection
    if s:
        out["self_inspection"] = charts.stacked_bar_chart(
            chart_id="chart-self-inspection",
            title=_("Báo cáo tự kiểm tra: %(n)s đơn vị được yêu cầu")
            % {"n": number(s["requests"].value)},
            series=[
                Series(_("Nộp đúng hạn"), "chart-ok"),
                Series(_("Nộp trễ hạn"), "chart-warn"),
                Series(_("Chưa nộp"), "chart-bad"),
            ],
            rows=[
                StackedRow(
                    _("Đơn vị"),
                    [s["on_time"].value, s["late"].value, s["not_submitted"].value],
                    [s["on_time"].href, s["late"].href, s["not_submitted"].href],
                    total_href=s["requests"].href,
                )
            ],
        )
        keys = [b[0] for b in COVERAGE_BUCKETS] + ["no_figure"]
        out["coverage"] = charts.bar_chart(
            chart_id="chart-coverage",
            title=_("Tỷ lệ tự kiểm tra trong báo cáo mới nhất của mỗi đơn vị"),
            bars=[
                Bar(board.coverage[k].label, board.coverage[k].value, board.coverage[k].href)
                for k in keys
            ],
            value_header=_("Số đơn vị"),
        )
    kinds = list(FindingKind)
    series = [Series(k.label, KIND_CSS[k]) for k in kinds]
    for key, rows, header in (
        ("findings_by_area", board.findings_by_area, _("Lĩnh vực")),
        ("findings_by_level", board.findings_by_level, _("Cấp")),
    ):
        if rows:
            out[key] = charts.stacked_bar_chart(
                chart_id=f"chart-{key.replace('_', '-')}",
                title=_("Kết quả kiểm tra theo lĩnh vực")
                if key == "findings_by_area"
                else _("Kết quả kiểm tra theo cấp đơn vị"),
                series=series,
                rows=[
                    StackedRow(
                        r.label,
                        [r.counts[k].value for k in kinds],
                        [r.counts[k].href for k in kinds],
                        total_href=r.total.href,
                    )
                    for r in rows
                ],
                label_header=header,
            )
    r = board.remediation
    if r and r["total"].value:
        out["remediation"] = charts.stacked_bar_chart(
            chart_id="chart-remediation",
            title=_("Kiến nghị: %(n)s, đã khắc phục %(rate)s")
            % {"n": number(r["total"].value), "rate": r["rate"].text},
            series=[
                Series(_("Đã khắc phục"), "chart-ok"),
                Series(_("Đang khắc phục"), "chart-warn"),
                Series(_("Chưa khắc phục (đã xác minh)"), "chart-bad"),
            ],
            rows=[
                StackedRow(
                    _("Kiến nghị"),
                    [r["done"].value, r["open"].value, r["not_done"].value],
                    [r["done"].href, r["open"].href, r["not_done"].href],
                    total_href=r["total"].href,
                )
            ],
        )
    return out
