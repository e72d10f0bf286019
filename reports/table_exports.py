"""The app's lists as Excel or CSV: a plan's targets, the findings, the recommendations and the
registry directories.

Each export reads its rows from the same function as its page (`inspections.lists`,
`units.lists`), with the same filters from the query string, and answers with the page's access
check, so a download never holds a row the page would not show.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from inspections.access import get_plan_for_user
from inspections.lists import findings_filtered, recommendations_filtered, targets_listed
from reports.exports import Column, Kind, Table, export_response
from units.lists import agencies_filtered, units_filtered


def _filters_text(form: forms.Form) -> str:
    """The filters in force, for the sheet's title: "Năm: 2024; Cấp: Cấp huyện". The as-of
    date of the directories is in their title already."""
    parts = []
    for name, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, "") or name == "on":
            continue
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            shown = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            shown = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            shown = value.strftime("%d/%m/%Y")
        else:
            shown = value
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def _title(title: str, form: forms.Form, *, all_or_none: bool = False) -> str:
    """`all_or_none`: the list ignores every filter when one is invalid (the directories)."""
    filters = "" if all_or_none and form.errors else _filters_text(form)
    return f"{title} ({filters})" if filters else title


@login_required
@require_GET
def target_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan's targets in the order of the plan page, for whoever reads the plan."""
    plan = get_plan_for_user(request.user, pk)
    rows = []
    for number, target in enumerate(targets_listed(plan, request.user), start=1):
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
    table = Table(
        title=f"Đối tượng kiểm tra — Kế hoạch {plan.number_display}",
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
    return export_response(table, fmt)


@login_required
@require_GET
def finding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The findings list with the page's filters, for whoever sees the list (a unit: its own,
    once the conclusion notice is issued)."""
    form, findings = findings_filtered(request)
    table = Table(
        title=_title("Kết quả kiểm tra", form),
        columns=[
            Column("Đơn vị được kiểm tra"),
            Column("Cấp"),
            Column("Kế hoạch"),
            Column("Ngày kiểm tra", Kind.DATE),
            Column("Lĩnh vực"),
            Column("Loại"),
            Column("Mức độ"),
            Column("Nội dung"),
            Column("Số kiến nghị", Kind.INTEGER),
        ],
        rows=[
            [
                f.visit.agency.name,
                f.visit.agency.unit.get_level_display(),
                f.visit.plan.number_display,
                f.visit.date,
                f.content_area.name if f.content_area else "",
                f.get_kind_display(),
                f.get_severity_display(),
                f.description,
                f.recommendation_count,
            ]
            for f in findings
        ],
        filename="ket-qua-kiem-tra",
    )
    return export_response(table, fmt)


@login_required
@require_GET
def recommendation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The recommendation list with the page's filters, for whoever sees the list."""
    form, recommendations = recommendations_filtered(request)
    today = timezone.localdate()
    table = Table(
        title=_title("Kiến nghị sau kiểm tra", form),
        columns=[
            Column("Kiến nghị"),
            Column("Đơn vị thực hiện"),
            Column("Kế hoạch"),
            Column("Ngày kiểm tra", Kind.DATE),
            Column("Hạn khắc phục", Kind.DATE),
            Column("Số lần báo cáo", Kind.INTEGER),
            Column("Tình trạng"),
            Column("Quá hạn", Kind.BOOLEAN),
        ],
        rows=[
            [
                r.text,
                r.responsible.name,
                r.finding.visit.plan.number_display,
                r.finding.visit.date,
                r.due_date,
                r.report_count,
                r.get_status_display(),
                r.is_overdue(today),
            ]
            for r in recommendations
        ],
        filename="kien-nghi",
    )
    return export_response(table, fmt)


@login_required
@require_GET
def unit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The unit directory with the page's filters, valid on the same day."""
    form, day, units = units_filtered(request)
    table = Table(
        title=_title(f"Đơn vị hành chính có hiệu lực ngày {day:%d/%m/%Y}", form, all_or_none=True),
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
    )
    return export_response(table, fmt)


@login_required
@require_GET
def agency_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The agency directory with the page's filters, valid on the same day."""
    form, day, agencies = agencies_filtered(request)
    table = Table(
        title=_title(f"Cơ quan, đơn vị có hiệu lực ngày {day:%d/%m/%Y}", form, all_or_none=True),
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
    )
    return export_response(table, fmt)
