"""The app's lists as Excel or CSV: a plan's targets, the findings, the recommendations, the
registry directories and the dashboard's ranking of units.

Each export reads its rows from the same FilterSet or function as its page
(`inspections.filters`, `units.lists`), with the same filters from the query string, and answers
with the page's access check, so a download never holds a row the page would not show.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from inspections.access import get_plan_for_role, get_plan_for_user
from inspections.filters import (
    ConclusionFilter,
    FindingFilter,
    PlanFilter,
    RecommendationFilter,
    RequestFilter,
    TargetFilter,
    VisitFilter,
    of_plan,
)
from inspections.models import ReportRequest
from inspections.services import PROGRESS_STATES, plan_progress
from reports import jobs
from reports.dashboard import dashboard_kept, may_view, ranking_matching
from reports.exports import Column, Kind, Table, export_response
from reports.forms import DashboardFilterForm
from units.access import PROVINCE_ROLES, scope_for
from units.filters import ListFilterSet, filters_text
from units.lists import agencies_filtered, units_filtered

FORMATS = ("xlsx", "csv")


def _title(title: str, filters_text: str) -> str:
    return f"{title} ({filters_text})" if filters_text else title


def _directory_title(title: str, form: forms.Form) -> str:
    return _title(title, filters_text(form))


@dataclass(frozen=True)
class Prepared:
    """An export once its access check passed and its filters were read: the rows (a
    QuerySet, not yet run, or a list already computed) and how to make the table from them."""

    rows: QuerySet | Sequence
    table: Callable[[Iterable], Table]


def _targets(request: HttpRequest, pk: int) -> Prepared:
    """The plan's targets in the order of the plan page, with its section and search, for
    whoever reads the plan."""
    plan = get_plan_for_user(request.user, pk)
    filters = of_plan(TargetFilter, request, plan)

    def table(targets: Iterable) -> Table:
        rows = []
        for number, target in enumerate(targets, start=1):
            assignment = getattr(target, "assignment", None)
            notes = [target.reason, target.follow_up_reference]
            if target.follows_up:
                notes.append(f"Phúc tra kết luận năm {target.follows_up.plan.year}")
            rows.append(
                [
                    number,
                    target.agency.name,
                    target.agency.unit.get_level_display(),
                    target.get_kind_display(),
                    target.get_mode_display(),
                    target.announced,
                    "; ".join(a.name for a in target.content_areas.all()) or "Mọi lĩnh vực",
                    "\n".join(note for note in notes if note),
                    assignment.team.name if assignment else "",
                ]
            )
        return Table(
            title=_title(
                f"Đối tượng kiểm tra — Kế hoạch {plan.number_display}", filters.filters_text()
            ),
            columns=[
                Column("STT", Kind.INTEGER),
                Column("Cơ quan, đơn vị"),
                Column("Cấp"),
                Column("Hình thức"),
                Column("Cách kiểm tra"),
                Column("Báo trước", Kind.BOOLEAN),
                Column("Chuyên đề"),
                Column("Lý do"),
                Column("Đoàn kiểm tra"),
            ],
            rows=rows,
            filename=f"doi-tuong-kiem-tra-{plan.number_display}",
        )

    return Prepared(filters.qs, table)


def _progress(request: HttpRequest, pk: int) -> Prepared:
    """The self-inspection progress table, for those who see it on screen, with the page's
    filters (its status, search, level): every row of them, in the page's order."""
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    filters = of_plan(RequestFilter, request, plan)
    title = f"Tiến độ báo cáo tự kiểm tra — Kế hoạch {plan.number_display}"

    def table(requests: Iterable) -> Table:
        return Table(
            title=_title(title, filters.filters_text()),
            columns=[
                Column("Đơn vị"),
                Column("Cấp"),
                Column("Đối tượng kiểm tra", Kind.BOOLEAN),
                Column("Hạn nộp", Kind.DATE),
                Column("Tình trạng"),
                Column("Số lần nộp", Kind.INTEGER),
                Column("Nộp lúc", Kind.DATETIME),
                Column("Nộp trễ", Kind.BOOLEAN),
                Column("Tỷ lệ tự kiểm tra", Kind.PERCENT),
                Column("Dưới mức quy định", Kind.BOOLEAN),
            ],
            rows=[
                [
                    row.request.agency.name,
                    row.request.agency.unit.get_level_display(),
                    row.request.is_target,
                    row.request.deadline,
                    row.state_label,
                    row.versions,
                    row.latest.submitted_at if row.latest else None,
                    row.latest.late if row.latest else None,
                    row.latest.coverage if row.latest else None,
                    row.latest.below_threshold if row.latest else None,
                ]
                for row in plan_progress(None, requests)
            ],
            filename=f"tien-do-tu-kiem-tra-{plan.number_display.replace('/', '-')}",
        )

    return Prepared(filters.qs, table)


@dataclass(frozen=True)
class ListExport:
    """A list page's download: its FilterSet (the same rows in the same order), the sheet's
    title and columns, and one row per object (`row(obj, today)`)."""

    filterset: type[ListFilterSet]
    title: str
    filename: str
    columns: list[Column]
    row: Callable[[Any, datetime.date], list]


def _request_state(r: ReportRequest, today: datetime.date) -> str:
    if r.report_status:
        return str(PROGRESS_STATES[r.report_status])
    return str(PROGRESS_STATES["overdue" if today > r.deadline else "pending"])


def _number(document) -> str:
    return f"{document.number:02d}/{document.symbol}" if document.number else ""


LISTS: dict[str, ListExport] = {
    "plans": ListExport(
        PlanFilter, "Kế hoạch kiểm tra", "ke-hoach-kiem-tra",
        [Column("Số"), Column("Trích yếu"), Column("Năm", Kind.INTEGER),
         Column("Cơ quan ban hành"), Column("Số đối tượng", Kind.INTEGER), Column("Trạng thái")],
        lambda p, _today: [p.number_display, p.summary, p.year, p.issuer.name, p.target_count,
                           p.get_status_display()],
    ),
    "requests": ListExport(
        RequestFilter, "Báo cáo tự kiểm tra", "bao-cao-tu-kiem-tra",
        [Column("Kế hoạch"), Column("Đơn vị"), Column("Cấp"), Column("Hạn nộp", Kind.DATE),
         Column("Tình trạng")],
        lambda r, today: [r.plan.number_display, r.agency.name,
                          r.agency.unit.get_level_display(), r.deadline,
                          _request_state(r, today)],
    ),
    "visits": ListExport(
        VisitFilter, "Lịch kiểm tra", "lich-kiem-tra",
        [Column("Ngày", Kind.DATE), Column("Từ"), Column("Đến"), Column("Đơn vị"),
         Column("Cấp"), Column("Đoàn"), Column("Kế hoạch"), Column("Địa điểm"),
         Column("Tình trạng")],
        lambda v, _today: [v.date, v.start_time.strftime("%H:%M"), v.end_time.strftime("%H:%M"),
                           v.agency.name, v.agency.unit.get_level_display(), v.team.name,
                           v.plan.number_display, v.place, v.get_status_display()],
    ),
    "findings": ListExport(
        FindingFilter, "Kết quả kiểm tra", "ket-qua-kiem-tra",
        [Column("Đơn vị được kiểm tra"), Column("Cấp"), Column("Kế hoạch"),
         Column("Ngày kiểm tra", Kind.DATE), Column("Lĩnh vực"), Column("Loại"),
         Column("Mức độ"), Column("Nội dung"), Column("Số kiến nghị", Kind.INTEGER)],
        lambda f, _today: [f.visit.agency.name, f.visit.agency.unit.get_level_display(),
                           f.visit.plan.number_display, f.visit.date,
                           f.content_area.name if f.content_area else "", f.get_kind_display(),
                           f.get_severity_display(), f.description, f.recommendation_count],
    ),
    "recommendations": ListExport(
        RecommendationFilter, "Kiến nghị sau kiểm tra", "kien-nghi",
        [Column("Kiến nghị"), Column("Đơn vị thực hiện"), Column("Kế hoạch"),
         Column("Ngày kiểm tra", Kind.DATE), Column("Hạn khắc phục", Kind.DATE),
         Column("Số lần báo cáo", Kind.INTEGER), Column("Tình trạng"),
         Column("Quá hạn", Kind.BOOLEAN)],
        lambda r, today: [r.text, r.responsible.name, r.finding.visit.plan.number_display,
                          r.finding.visit.date, r.due_date, r.report_count,
                          r.get_status_display(), r.is_overdue(today)],
    ),
    "conclusions": ListExport(
        ConclusionFilter, "Thông báo kết luận kiểm tra", "thong-bao-ket-luan",
        [Column("Đơn vị"), Column("Cấp"), Column("Kế hoạch"), Column("Số"),
         Column("Ngày ban hành", Kind.DATE), Column("Điều chỉnh, bổ sung", Kind.BOOLEAN),
         Column("Trạng thái")],
        lambda n, _today: [n.agency.name, n.agency.unit.get_level_display(),
                           n.plan.number_display, _number(n), n.issued_on, n.amends_id is not None,
                           n.get_status_display()],
    ),
}  # fmt: skip


def _list(list_name: str) -> Callable[[HttpRequest], Prepared]:
    """A list with its page's filters (never its page number), for whoever sees the list: the
    rows come from the same FilterSet, so the download holds exactly the rows the page lists."""

    def prepare(request: HttpRequest) -> Prepared:
        spec = LISTS[list_name]
        filters = spec.filterset(request.GET, request=request)
        today = timezone.localdate()
        return Prepared(
            filters.qs,
            lambda rows: Table(
                title=_title(spec.title, filters.filters_text()),
                columns=spec.columns,
                rows=[spec.row(obj, today) for obj in rows],
                filename=spec.filename,
            ),
        )

    return prepare


def _units(request: HttpRequest) -> Prepared:
    """The unit directory with the page's filters, valid on the same day."""
    form, day, rows = units_filtered(request)
    return Prepared(
        rows,
        lambda units: Table(
            title=_directory_title(f"Đơn vị hành chính có hiệu lực ngày {day:%d/%m/%Y}", form),
            columns=[
                Column("Mã"),
                Column("Tên"),
                Column("Cấp"),
                Column("Loại"),
                Column("Trực thuộc"),
                Column("Hiệu lực từ", Kind.DATE),
                Column("Hiệu lực đến", Kind.DATE),
            ],
            rows=[
                [
                    u.code,
                    u.name,
                    u.get_level_display(),
                    u.get_kind_display(),
                    u.parent.name if u.parent else "",
                    u.valid_from,
                    u.valid_to,
                ]
                for u in units
            ],
            filename=f"don-vi-hanh-chinh-{day:%Y-%m-%d}",
        ),
    )


def _agencies(request: HttpRequest) -> Prepared:
    """The agency directory with the page's filters, valid on the same day."""
    form, day, rows = agencies_filtered(request)
    return Prepared(
        rows,
        lambda agencies: Table(
            title=_directory_title(f"Cơ quan, đơn vị có hiệu lực ngày {day:%d/%m/%Y}", form),
            columns=[
                Column("Mã"),
                Column("Tên"),
                Column("Cấp"),
                Column("Loại"),
                Column("Đơn vị hành chính"),
                Column("Trực thuộc"),
                Column("Hiệu lực từ", Kind.DATE),
                Column("Hiệu lực đến", Kind.DATE),
            ],
            rows=[
                [
                    a.code,
                    a.name,
                    a.unit.get_level_display(),
                    a.get_kind_display(),
                    a.unit.name,
                    a.parent.name if a.parent else "",
                    a.valid_from,
                    a.valid_to,
                ]
                for a in agencies
            ],
            filename=f"co-quan-{day:%Y-%m-%d}",
        ),
    )


def _dashboard_ranking(request: HttpRequest) -> Prepared:
    """The dashboard's whole ranking of units (the page shows one page of it), each unit beside
    its previous round, with the page's year, level and search, for whoever sees the ranking on
    the page: the figures kept for the page (`dashboard_kept`), so the same ranks. Without a
    role 403, as the page; a unit's reporter sees no ranking (it names other units): 404."""
    scope = scope_for(request.user)
    if not may_view(scope):
        raise PermissionDenied
    if scope.is_reporter and not scope.is_admin:
        raise Http404
    form = DashboardFilterForm(request.GET)
    form.is_valid()  # as on the page: an invalid filter is ignored
    filters = form.cleaned_data
    board = dashboard_kept(scope, year=filters.get("year"), level=filters.get("level") or "")
    for name in ("year", "page"):  # the year is in the title; the page is not a filter
        filters.pop(name, None)
    title = f"Xếp hạng đơn vị năm {board.year}" if board.year else "Xếp hạng đơn vị"

    def table(ranked: Iterable) -> Table:
        rows = []
        for r in ranked:
            e = r.earlier
            rows.append(
                [r.rank, r.tied, r.name, r.recommendations, r.done, r.remediation_rate,
                 r.requests, r.on_time, r.on_time_rate, r.findings,
                 e and e.year, e and "; ".join(e.predecessors), e and e.recommendations,
                 e and e.done, e and e.remediation_rate, r.remediation_change,
                 e and e.requests, e and e.on_time, e and e.on_time_rate, r.on_time_change,
                 e and e.findings]
            )  # fmt: skip
        return Table(
            title=_directory_title(title, form),
            columns=[
                Column("Hạng", Kind.INTEGER),
                Column("Đồng hạng", Kind.BOOLEAN),
                Column("Đơn vị"),
                Column("Kiến nghị", Kind.INTEGER),
                Column("Đã khắc phục", Kind.INTEGER),
                Column("Tỷ lệ khắc phục", Kind.PERCENT),
                Column("Yêu cầu báo cáo", Kind.INTEGER),
                Column("Nộp đúng hạn", Kind.INTEGER),
                Column("Tỷ lệ đúng hạn", Kind.PERCENT),
                Column("Kết quả kiểm tra", Kind.INTEGER),
                Column("Lần trước (năm)", Kind.INTEGER),
                Column("Lần trước gồm"),
                Column("Kiến nghị lần trước", Kind.INTEGER),
                Column("Đã khắc phục lần trước", Kind.INTEGER),
                Column("Tỷ lệ khắc phục lần trước", Kind.PERCENT),
                Column("Tỷ lệ khắc phục thay đổi (điểm)", Kind.DECIMAL),
                Column("Yêu cầu báo cáo lần trước", Kind.INTEGER),
                Column("Nộp đúng hạn lần trước", Kind.INTEGER),
                Column("Tỷ lệ đúng hạn lần trước", Kind.PERCENT),
                Column("Tỷ lệ đúng hạn thay đổi (điểm)", Kind.DECIMAL),
                Column("Kết quả kiểm tra lần trước", Kind.INTEGER),
            ],
            rows=rows,
            filename=f"xep-hang-don-vi-{board.year}" if board.year else "xep-hang-don-vi",
        )

    return Prepared(ranking_matching(board.ranking, filters.get("q") or ""), table)


# Every download, by name (a background job names its export so) -------------------------------

EXPORTS: dict[str, Callable[..., Prepared]] = {
    "targets": _targets,
    "progress": _progress,
    **{name: _list(name) for name in LISTS},
    "units": _units,
    "agencies": _agencies,
    "ranking": _dashboard_ranking,
}


def exported(request: HttpRequest, fmt: str, name: str, *args) -> HttpResponse:
    """The download `name` with the request's filters: at once up to EXPORT_INLINE_MAX_ROWS
    rows, otherwise a background job (reports/jobs.py) whose page the user is sent to. The
    first rows are read once: a small download costs no extra query."""
    if fmt not in FORMATS:
        raise Http404
    prepared = EXPORTS[name](request, *args)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    rows = list(prepared.rows[: limit + 1])
    if len(rows) > limit:
        job = jobs.export_start(by=request.user, export=name, fmt=fmt, args=list(args),
                                query=request.GET.urlencode())  # fmt: skip
        return redirect("reports:job", job.pk)
    return export_response(prepared.table(rows), fmt)


def export_table(user, name: str, args: list, query: str) -> Table:
    """The whole table of a download as `user` would get it at once (a background job): the
    same access check, filters and rows."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    prepared = EXPORTS[name](request, *args)
    return prepared.table(prepared.rows)


@login_required
@require_GET
def target_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return exported(request, fmt, "targets", pk)


@login_required
@require_GET
def progress_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return exported(request, fmt, "progress", pk)


@login_required
@require_GET
def list_export(request: HttpRequest, fmt: str, list_name: str) -> HttpResponse:
    return exported(request, fmt, list_name)


@login_required
@require_GET
def unit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return exported(request, fmt, "units")


@login_required
@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return exported(request, fmt, "ranking")


@login_required
@require_GET
def agency_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return exported(request, fmt, "agencies")
