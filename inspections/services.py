"""Workflows of the inspection plan: create, add targets, submit, approve or return, issue, copy.

Each function validates, runs in a transaction and records the transition. A refused step raises
`ValidationError` with a Vietnamese message that says what is wrong and how to fix it, and
changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    EDITABLE_STATUSES,
    Deliverable,
    FieldRole,
    NumberRegister,
    Outline,
    Plan,
    PlanBasis,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    ReportRequest,
    RequestMessage,
    ReviewStatus,
    Submission,
    SubmissionAttachment,
    TargetKind,
    TargetMode,
)
from inspections.text import percent, short_date, unknown_placeholders
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
                follows_up=_earlier_target(plan, agency)
                if kind == TargetKind.REINSPECTION
                else None,
                order=start + i,
            )
            for i, agency in enumerate(agencies)
        ]


def _earlier_target(plan: Plan, agency: Agency) -> PlanTarget | None:
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


# Self-inspection ----------------------------------------------------------------------------


def self_inspection_recipients(plan: Plan) -> list[Agency]:
    """Units that are not targets but must self-inspect and report (seed §III.5): the
    province's departments and equivalent bodies, and the committees one level below the
    province (districts before the 2025 reform, communes after)."""
    day = plan.document_date
    level = Level.DISTRICT if plan.three_tier else Level.COMMUNE
    agencies = Agency.objects.valid_on(day).filter(province_id=plan.province_id)
    departments = agencies.filter(unit__level=Level.PROVINCE, parent__isnull=True).exclude(
        kind=Agency.Kind.COMMITTEE
    )
    committees = agencies.filter(kind=Agency.Kind.COMMITTEE, unit__level=level)
    return list(departments.select_related("unit")) + list(committees.select_related("unit"))


def outline_send(*, outline: Outline, by) -> int:
    """Create one request per unit (targets, and the others when the outline says so).

    Sending again after adding targets creates only the missing requests; returns how many.
    """
    plan = outline.plan
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError(_("Chỉ gửi đề cương khi kế hoạch đã ban hành."))
    if not outline.fields.exists() and not outline.sections.exists():
        raise ValidationError(_("Đề cương chưa có phần hay chỉ tiêu nào: thêm trước khi gửi."))
    if outline.include_non_targets and plan.self_report_deadline is None:
        raise ValidationError(
            _("Kế hoạch chưa ghi hạn báo cáo tự kiểm tra của đơn vị không thuộc đối tượng.")
        )
    existing = set(plan.requests.values_list("agency_id", flat=True))
    wanted: list[tuple[Agency, bool, datetime.date]] = [
        (t.agency, True, outline.target_deadline) for t in plan.targets.select_related("agency")
    ]
    if outline.include_non_targets:
        targets = {a.pk for a, _t, _d in wanted}
        wanted += [
            (a, False, plan.self_report_deadline)
            for a in self_inspection_recipients(plan)
            if a.pk not in targets
        ]
    new = [
        ReportRequest(
            plan=plan,
            agency=agency,
            is_target=is_target,
            deadline=deadline,
            wants_unit_plan=outline.wants_unit_plan,
        )
        for agency, is_target, deadline in wanted
        if agency.pk not in existing
    ]
    with transaction.atomic():
        ReportRequest.objects.bulk_create(new)
        if outline.letter_number is None:
            today = timezone.localdate()
            outline.letter_date = today
            outline.letter_number = number_allocate(
                issuer=outline_sender(outline, today),
                year=today.year,
                symbol=outline.letter_symbol,
                is_taken=lambda n: Outline.objects.filter(
                    letter_symbol=outline.letter_symbol,
                    letter_number=n,
                    letter_date__year=today.year,
                ).exists(),
            )
        outline.sent_at = timezone.now()
        outline.sent_by = by
        outline.save(update_fields=["sent_at", "sent_by", "letter_number", "letter_date"])
    return len(new)


def outline_sender(outline: Outline, day: datetime.date) -> Agency:
    """Who signs the covering letter on `day`: the plan's standing body (Sở Nội vụ), or the body
    that carries on its work after a reorganisation."""
    plan = outline.plan
    standing = plan.standing_agency or plan.issuer
    successors = agency_successors_on(standing, day)
    return successors[0] if successors else standing


def request_message_post(*, request: ReportRequest, by, body: str, from_unit: bool):
    if not body.strip():
        raise ValidationError(_("Nội dung trống: ghi điều cần phản ánh hoặc trả lời."))
    return RequestMessage.objects.create(
        request=request, author=by, body=body.strip(), from_unit=from_unit
    )


def reminders_due(today: datetime.date, days: Iterable[int]) -> list[tuple[ReportRequest, str]]:
    """(request, key) of every reminder that should go out today and has not gone out yet:
    `before-N` N days before the deadline, `overdue` once the deadline has passed, for requests
    without an accepted or pending report."""
    days = sorted(set(days))
    horizon = today + datetime.timedelta(days=max(days, default=0))
    requests = (
        ReportRequest.objects.filter(plan__status=PlanStatus.ISSUED, deadline__lte=horizon)
        .exclude(
            submissions__deliverable=Deliverable.REPORT,
            submissions__status__in=[ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED],
        )
        .select_related("agency", "plan")
        .prefetch_related("reminders")
    )
    due = []
    for request in requests:
        sent = {r.key for r in request.reminders.all()}
        left = (request.deadline - today).days
        if left < 0:
            key = "overdue"
        else:
            # The nearest threshold reached: with 7 and 1, from 7 days down to 2 it is before-7.
            reached = [d for d in days if left <= d]
            key = f"before-{min(reached)}" if reached else ""
        if key and key not in sent:
            due.append((request, key))
    return due


def coverage_of(outline: Outline, values: dict[str, Any]) -> Decimal | None:
    """Self-inspected ÷ total, in percent, from the two fields the outline marks for it."""
    roles = {f.role: str(f.pk) for f in outline.fields.all() if f.role}
    total = values.get(roles.get(FieldRole.COVERAGE_TOTAL, ""))
    done = values.get(roles.get(FieldRole.COVERAGE_DONE, ""))
    if not total or done is None:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def submission_create(
    *,
    request: ReportRequest,
    by,
    deliverable: str,
    file,
    values: dict[str, Any] | None = None,
    explanation: str = "",
    attachments: Iterable = (),
) -> Submission:
    """Record a new version of a deliverable with its file (already checked by the form).

    Coverage below the plan's threshold needs a written explanation. A failure after the file is
    stored removes the file, so no orphan is left.
    """
    values = values or {}
    checked = file.checked
    coverage = None
    if deliverable == Deliverable.REPORT and hasattr(request.plan, "outline"):
        coverage = coverage_of(request.plan.outline, values)
    threshold = request.plan.self_inspection_threshold
    below = coverage is not None and coverage < threshold
    if below and not explanation.strip():
        raise ValidationError(
            _(
                "Tỷ lệ tự kiểm tra %(coverage)s thấp hơn mức %(threshold)s của kế hoạch: ghi "
                "giải trình vì sao chưa đạt."
            )
            % {"coverage": percent(coverage), "threshold": percent(threshold)}
        )
    latest = (
        request.submissions.filter(deliverable=deliverable).aggregate(m=Max("version"))["m"] or 0
    )
    submission = Submission(
        request=request,
        deliverable=deliverable,
        version=latest + 1,
        submitted_by=by,
        late=timezone.localdate() > request.deadline,
        values=values,
        coverage=coverage,
        below_threshold=below,
        explanation=explanation.strip(),
        file_name=checked.name,
        file_size=checked.size,
        file_sha256=checked.sha256,
        content_type=checked.content_type,
    )
    stored = []  # every file written, to remove if anything fails
    try:
        with transaction.atomic():
            submission.file.save(checked.name, file, save=False)
            stored.append(submission.file)
            submission.save()
            for extra in attachments:
                attachment = SubmissionAttachment(
                    submission=submission,
                    file_name=extra.checked.name,
                    file_size=extra.checked.size,
                    file_sha256=extra.checked.sha256,
                    content_type=extra.checked.content_type,
                )
                attachment.file.save(extra.checked.name, extra, save=False)
                stored.append(attachment.file)
                attachment.save()
    except BaseException:
        for stored_file in stored:
            stored_file.storage.delete(stored_file.name)
        raise
    return submission


def submission_review(*, submission: Submission, by, accept: bool, comment: str = "") -> None:
    latest = submission.request.submissions.filter(deliverable=submission.deliverable).first()
    if latest != submission:
        raise ValidationError(_("Đã có bản nộp mới hơn: hãy xem xét bản mới nhất."))
    if submission.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Bản nộp này đã được xem xét."))
    if not accept and not comment.strip():
        raise ValidationError(_("Ghi ý kiến để đơn vị biết cần bổ sung gì."))
    submission.status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment.strip()
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])


@dataclass
class ProgressRow:
    """Where one unit stands with its self-inspection report."""

    request: ReportRequest
    latest: Submission | None
    versions: int
    state: str  # pending, overdue, submitted, returned, accepted
    state_label: str


PROGRESS_STATES = {
    "pending": _("Chưa nộp"),
    "overdue": _("Quá hạn, chưa nộp"),
    ReviewStatus.SUBMITTED: _("Đã nộp, chờ xem xét"),
    ReviewStatus.RETURNED: _("Trả lại để bổ sung"),
    ReviewStatus.ACCEPTED: _("Đã chấp nhận"),
}


def not_requested(plan: Plan) -> list[Agency]:
    """Units of the province that were asked nothing (when the outline leaves non-targets out)."""
    asked = set(plan.requests.values_list("agency_id", flat=True))
    return [a for a in self_inspection_recipients(plan) if a.pk not in asked]


def plan_progress(plan: Plan | None, requests=None) -> list[ProgressRow]:
    """One row per request, in two queries whatever the number of units and versions."""
    requests = list(
        (requests if requests is not None else plan.requests.all()).select_related(
            "agency__unit", "plan"
        )
    )
    latest: dict[int, Submission] = {}
    versions: dict[int, int] = {}
    for submission in Submission.objects.filter(
        request__in=[r.pk for r in requests], deliverable=Deliverable.REPORT
    ).order_by("request_id", "version"):
        latest[submission.request_id] = submission
        versions[submission.request_id] = submission.version
    today = timezone.localdate()
    rows = []
    for request in requests:
        last = latest.get(request.pk)
        if last is not None:
            state = last.status
        else:
            state = "overdue" if today > request.deadline else "pending"
        rows.append(
            ProgressRow(request, last, versions.get(request.pk, 0), state, PROGRESS_STATES[state])
        )
    return rows


@dataclass(frozen=True)
class Todo:
    text: str
    url: str


def unanswered(requests):
    """Requests whose thread ends with a message of the unit."""
    last = RequestMessage.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-pk")
    return requests.annotate(last_from_unit=Subquery(last.values("from_unit")[:1])).filter(
        last_from_unit=True
    )


def todo_for(scope) -> list[Todo]:
    """What the user must do next, by role, in a fixed number of queries."""
    from django.urls import reverse

    todos: list[Todo] = []
    if scope.role == "reporter":
        requests = ReportRequest.objects.visible_to(scope).filter(plan__status=PlanStatus.ISSUED)
        for row in plan_progress(None, requests):
            if row.state in ("pending", "overdue", ReviewStatus.RETURNED):
                todos.append(
                    Todo(
                        _("%(state)s: báo cáo tự kiểm tra theo Kế hoạch %(plan)s, hạn %(day)s")
                        % {
                            "state": row.state_label,
                            "plan": row.request.plan.number_display,
                            "day": short_date(row.request.deadline),
                        },
                        reverse("requests:request-detail", args=[row.request.pk]),
                    )
                )
        return todos
    plans = Plan.objects.in_scope(scope.province_ids)
    wanted = {
        "staff": (PlanStatus.RETURNED, PlanStatus.APPROVED),
        "leader": (PlanStatus.SUBMITTED,),
    }.get(scope.role or "", ())
    if scope.is_admin:
        wanted = (PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.APPROVED)
    verbs = {
        PlanStatus.SUBMITTED: _("Duyệt kế hoạch"),
        PlanStatus.RETURNED: _("Sửa kế hoạch bị trả lại"),
        PlanStatus.APPROVED: _("Cấp số, ban hành kế hoạch"),
    }
    for plan in plans.filter(status__in=wanted).order_by("-pk")[:20]:
        todos.append(
            Todo(
                f"{verbs[plan.status]}: {plan.summary}",
                reverse("inspections:plan-detail", args=[plan.pk]),
            )
        )
    if scope.is_admin or scope.role in ("staff", "team"):
        requests = ReportRequest.objects.visible_to(scope)
        waiting = (
            Submission.objects.filter(request__in=requests, status=ReviewStatus.SUBMITTED)
            .values("request")
            .distinct()
            .count()
        )
        if waiting:
            todos.append(
                Todo(
                    _("%d báo cáo tự kiểm tra chờ xem xét") % waiting,
                    reverse("requests:request-list"),
                )
            )
    if scope.is_admin or scope.role == "staff":
        count = unanswered(ReportRequest.objects.visible_to(scope)).count()
        if count:
            todos.append(
                Todo(
                    _("%d phản ánh, kiến nghị của đơn vị chưa trả lời") % count,
                    reverse("requests:request-list") + "?unanswered=1",
                )
            )
    return todos
