"""Workflows of the inspection plan: create, add targets, submit, approve or return, issue, copy.

Each function validates, runs in a transaction and records the transition. A refused step raises
`ValidationError` with a Vietnamese message that says what is wrong and how to fix it, and
changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from inspections.models import (
    EDITABLE_STATUSES,
    NumberRegister,
    Outline,
    Plan,
    PlanBasis,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    TargetKind,
    TargetMode,
)
from inspections.signals import document_issued
from inspections.text import short_date, unknown_placeholders
from units.models import AdministrativeUnit, Agency, Level
from units.services import agency_successors_on


def _transition(plan: Plan, to: str, by, note: str = "") -> None:
    PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to, by=by, note=note
    )
    plan.status = to
    plan.save(update_fields=["status", "number", "document_date", "updated_at"])


def plan_create(*, by, **fields) -> Plan:
    """A new draft plan; the issuer must belong to the author's scope (checked by the view)."""
    with transaction.atomic():
        plan = Plan(created_by=by, **fields)
        plan.full_clean()
        plan.save()
        PlanTransition.objects.create(plan=plan, to_status=PlanStatus.DRAFT, by=by)
    return plan


def require_editable(plan: Plan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "Kế hoạch đang ở trạng thái “%s” nên không sửa được. Chỉ sửa được bản dự thảo "
                "hoặc bản bị trả lại."
            )
            % plan.get_status_display()
        )


# Targets ------------------------------------------------------------------------------------


def target_problems(plan: Plan, agency: Agency) -> list[str]:
    """Why `agency` cannot be a target of `plan` (empty when it can)."""
    day = plan.document_date
    problems = []
    successors = [] if agency.is_valid_on(day) else agency_successors_on(agency, day)
    hint = _(" Đơn vị kế thừa: %s.") % ", ".join(a.name for a in successors) if successors else ""
    if agency.unit.level == Level.DISTRICT and not plan.three_tier:
        problems.append(
            _("Năm %(year)d không còn cấp huyện: không chọn %(agency)s.%(hint)s")
            % {"year": day.year, "agency": agency.name, "hint": hint}
        )
    elif not agency.is_valid_on(day):
        problems.append(
            _("%(agency)s không còn hiệu lực ngày %(day)s.%(hint)s")
            % {"agency": agency.name, "day": day.strftime("%d/%m/%Y"), "hint": hint}
        )
    lineage = AdministrativeUnit.objects.lineage_ids(plan.province)
    if agency.province_id not in lineage:
        problems.append(_("%s không thuộc tỉnh của kế hoạch.") % agency.name)
    return problems


def plan_targets_add(
    *,
    plan: Plan,
    agencies: Iterable[Agency],
    kind: str = TargetKind.INSPECTION,
    mode: str = TargetMode.ON_SITE,
    announced: bool = True,
    reason: str = "",
    follow_up_reference: str = "",
) -> list[PlanTarget]:
    """Add several targets at once; if any one is refused, none is added."""
    require_editable(plan)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError(_("Chưa chọn đơn vị nào: đánh dấu ít nhất một đơn vị để thêm."))
    existing = set(plan.targets.values_list("agency_id", flat=True))
    problems = []
    for agency in agencies:
        if agency.pk in existing:
            problems.append(_("%s đã có trong danh sách đối tượng.") % agency.name)
        problems += target_problems(plan, agency)
    if problems:
        raise ValidationError(problems)
    start = (plan.targets.aggregate(m=Max("order"))["m"] or 0) + 1
    with transaction.atomic():
        return [
            PlanTarget.objects.create(
                plan=plan,
                agency=agency,
                kind=kind,
                mode=mode,
                announced=announced,
                reason=reason,
                follow_up_reference=follow_up_reference,
                follows_up=earlier_target(plan, agency)
                if kind == TargetKind.REINSPECTION
                else None,
                order=start + i,
            )
            for i, agency in enumerate(agencies)
        ]


def earlier_target(plan: Plan, agency: Agency) -> PlanTarget | None:
    """The same agency's target in the latest earlier issued plan of the province, if any."""
    return (
        PlanTarget.objects.filter(
            agency=agency, plan__province=plan.province, plan__year__lt=plan.year
        )
        .exclude(plan=plan)
        .order_by("-plan__year")
        .first()
    )


# Checks -------------------------------------------------------------------------------------


def plan_warnings(plan: Plan) -> list[str]:
    """What deserves a second look but does not block: the seed itself has the first one."""
    warnings = []
    if plan.self_report_deadline and plan.self_report_deadline < plan.document_date:
        warnings.append(
            _(
                "Hạn gửi báo cáo tự kiểm tra (%(deadline)s) sớm hơn ngày văn bản (%(date)s): "
                "kiểm tra lại một trong hai ngày."
            )
            % {
                "deadline": short_date(plan.self_report_deadline),
                "date": short_date(plan.document_date),
            }
        )
    if plan.period_start and plan.period_start < plan.document_date:
        warnings.append(_("Thời gian kiểm tra bắt đầu trước ngày văn bản."))
    for target in plan.targets.all():
        if (
            target.kind == TargetKind.REINSPECTION
            and target.follows_up_id is None
            and not target.follow_up_reference
        ):
            warnings.append(
                _(
                    "Phúc tra %s nhưng không có kết luận kiểm tra trước trong hệ thống: ghi số, "
                    "ngày văn bản kết luận vào đối tượng này."
                )
                % target.agency.name
            )
    for item in plan.items.all():
        for name in unknown_placeholders(f"{item.heading} {item.text}"):
            warnings.append(
                _("Mục “%(item)s” dùng [%(name)s], không phải giá trị nào của kế hoạch.")
                % {"item": str(item)[:60], "name": name}
            )
    return warnings


def _submit_problems(plan: Plan) -> list[str]:
    problems = []
    if not plan.targets.exists():
        problems.append(_("Kế hoạch chưa có đối tượng kiểm tra: thêm ít nhất một đơn vị."))
    if not plan.items.exists():
        problems.append(_("Kế hoạch chưa có nội dung: thêm các mục I, II, III."))
    if not plan.signer_name:
        problems.append(_("Chưa ghi người ký: điền ở phần “Chữ ký và nơi nhận”."))
    for target in plan.targets.select_related("agency__unit"):
        problems += target_problems(plan, target.agency)
    return problems


# Workflow -----------------------------------------------------------------------------------


def plan_submit(*, plan: Plan, by) -> None:
    require_editable(plan)
    problems = _submit_problems(plan)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _transition(plan, PlanStatus.SUBMITTED, by)


def plan_approve(*, plan: Plan, by, note: str = "") -> None:
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được kế hoạch đang chờ duyệt."))
    with transaction.atomic():
        _transition(plan, PlanStatus.APPROVED, by, note)


def plan_return(*, plan: Plan, by, note: str) -> None:
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang chờ duyệt hoặc đã duyệt."))
    if not note.strip():
        raise ValidationError(_("Ghi lý do trả lại để người soạn biết cần sửa gì."))
    with transaction.atomic():
        _transition(plan, PlanStatus.RETURNED, by, note.strip())


def number_allocate(*, issuer: Agency, year: int, symbol: str, number=None, is_taken) -> int:
    """The next number of the issuer's register for the year and symbol (call in a transaction).

    `number` may be given to record a document numbered on paper; `is_taken(n)` says whether a
    document already carries it.
    """
    register, _created = NumberRegister.objects.get_or_create(
        issuer=issuer, year=year, symbol=symbol
    )
    # Locks the register row (PostgreSQL), so two issues at once never share a number.
    register = NumberRegister.objects.select_for_update().get(pk=register.pk)
    if number is None:
        number = register.last_number + 1
    elif is_taken(number):
        raise ValidationError(
            _("Số %(n)02d/%(symbol)s đã cấp trong năm %(year)d: để trống để lấy số tiếp theo.")
            % {"n": number, "symbol": symbol, "year": year}
        )
    register.last_number = max(register.last_number, number)
    register.save(update_fields=["last_number"])
    return number


def plan_issue(
    *, plan: Plan, by, document_date: datetime.date | None = None, number: int | None = None
) -> None:
    """Give the plan the next number of its issuer's register for the year, and lock it.

    `number` may be given to record a document already numbered on paper; it must be free.
    """
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Chỉ ban hành được kế hoạch đã được lãnh đạo duyệt."))
    with transaction.atomic():
        day = document_date or plan.document_date
        number = number_allocate(
            issuer=plan.issuer,
            year=day.year,
            symbol=plan.symbol,
            number=number,
            is_taken=lambda n: Plan.objects.filter(
                issuer=plan.issuer, symbol=plan.symbol, document_date__year=day.year, number=n
            ).exists(),
        )
        plan.number = number
        plan.document_date = day
        _transition(plan, PlanStatus.ISSUED, by)
        document_issued.send(sender=Plan, document=plan)


# Copy ---------------------------------------------------------------------------------------


def plan_copy(
    *, source: Plan, year: int, document_date: datetime.date, by
) -> tuple[Plan, list[str]]:
    """A new draft from an earlier plan. Targets and team agencies that no longer exist on the
    new date are replaced by their successors; the returned notes say which."""
    notes: list[str] = []
    issuer = _carry(source.issuer, document_date, notes)
    if issuer is None:
        raise ValidationError(
            _("Cơ quan ban hành %s không còn và không có cơ quan kế thừa: chọn cơ quan khác.")
            % source.issuer.name
        )
    with transaction.atomic():
        plan = Plan.objects.get(pk=source.pk)
        plan.pk = None
        plan._state.adding = True
        plan.version = 0
        plan.issuer = issuer
        plan.year = year
        plan.document_date = document_date
        plan.number = None
        plan.status = PlanStatus.DRAFT
        plan.copied_from = source
        plan.created_by = by
        plan.self_report_deadline = _same_day(source.self_report_deadline, year)
        plan.period_start = _same_day(source.period_start, year)
        plan.period_end = _same_day(source.period_end, year)
        if plan.standing_agency_id:
            plan.standing_agency = _carry(source.standing_agency, document_date, notes)
        plan.save()
        PlanTransition.objects.create(
            plan=plan, to_status=PlanStatus.DRAFT, by=by, note=_("Sao chép từ %s") % source
        )
        for basis in source.bases.all():
            PlanBasis.objects.create(plan=plan, document=basis.document, order=basis.order)
        _copy_items(source, plan)
        seen: set[int] = set()
        for team in source.team_agencies.select_related("agency"):
            for agency in _carry_all(team.agency, document_date, notes):
                if agency.pk not in seen:
                    seen.add(agency.pk)
                    PlanTeamAgency.objects.create(plan=plan, agency=agency, order=team.order)
        seen = set()
        for target in source.targets.select_related("agency__unit").prefetch_related(
            "content_areas"
        ):
            for agency in _carry_all(target.agency, document_date, notes):
                if agency.pk in seen:
                    continue
                seen.add(agency.pk)
                copy = PlanTarget.objects.create(
                    plan=plan,
                    agency=agency,
                    kind=target.kind,
                    mode=target.mode,
                    announced=target.announced,
                    reason=target.reason,
                    order=target.order,
                )
                copy.content_areas.set(target.content_areas.all())
        _copy_outline(source, plan, year)
    return plan, notes


def _copy_outline(source: Plan, plan: Plan, year: int) -> None:
    """The outline comes along, not yet sent, with its deadline moved to the new year."""
    outline = Outline.objects.filter(plan=source).first()
    if outline is None:
        return
    copy = Outline.objects.create(
        plan=plan,
        guidance=outline.guidance,
        target_deadline=_same_day(outline.target_deadline, year),
        include_non_targets=outline.include_non_targets,
        wants_unit_plan=outline.wants_unit_plan,
        letter_symbol=outline.letter_symbol,
        signer_capacity=outline.signer_capacity,
        signer_title=outline.signer_title,
    )
    for section in outline.sections.all():
        section.pk = None
        section.outline = copy
        section.save()
    for field in outline.fields.all():
        field.pk = None
        field.outline = copy
        field.save()


def _same_day(day: datetime.date | None, year: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _carry_all(agency: Agency, day: datetime.date, notes: list[str]) -> list[Agency]:
    successors = agency_successors_on(agency, day)
    if successors != [agency]:
        if successors:
            notes.append(
                _("%(old)s không còn ngày %(day)s, thay bằng: %(new)s.")
                % {
                    "old": agency.name,
                    "day": day.strftime("%d/%m/%Y"),
                    "new": ", ".join(a.name for a in successors),
                }
            )
        else:
            notes.append(
                _("%(old)s không còn ngày %(day)s và không có đơn vị kế thừa: đã bỏ.")
                % {"old": agency.name, "day": day.strftime("%d/%m/%Y")}
            )
    return successors


def _carry(agency: Agency, day: datetime.date, notes: list[str]) -> Agency | None:
    successors = _carry_all(agency, day, notes)
    return successors[0] if successors else None


def _copy_items(source: Plan, plan: Plan) -> None:
    items = list(source.items.prefetch_related("content_areas", "references"))
    new_pk: dict[int, PlanItem] = {}
    # Parents before children: an item's parent always comes earlier in depth order.
    pending = items
    while pending:
        later = []
        for item in pending:
            if item.parent_id and item.parent_id not in new_pk:
                later.append(item)
                continue
            copy = PlanItem.objects.create(
                plan=plan,
                parent=new_pk.get(item.parent_id),
                order=item.order,
                heading=item.heading,
                text=item.text,
                generated=item.generated,
            )
            copy.content_areas.set(item.content_areas.all())
            copy.references.set(item.references.all())
            new_pk[item.pk] = copy
        pending = later
