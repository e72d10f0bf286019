"""Workflows of self-inspection: send the outline, record submissions, review, remind, progress."""

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
    Deliverable,
    FieldRole,
    Outline,
    Plan,
    PlanStatus,
    ReportRequest,
    RequestMessage,
    ReviewStatus,
    Submission,
    SubmissionAttachment,
)
from inspections.services.plans import lock_row, number_allocate
from inspections.signals import document_issued
from inspections.storage import checked_fields, files_saved_atomically
from inspections.text import percent, short_date
from inspections.uploads import has_digital_signature
from units.models import Agency, Level
from units.services import agency_successors_on

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


def outline_send(*, outline: Outline, by, include_unannounced: bool = False) -> int:
    """Create one request per unit (targets, and the others when the outline says so).

    An unannounced (đột xuất) target is asked nothing — neither as a target nor as one of the
    other units — unless staff ask for it (`include_unannounced`): a request would warn it.
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
    with transaction.atomic():
        # Sent twice at once (a double click): the second waits here for the first, then finds
        # its requests and its letter number and adds nothing.
        outline.letter_number, outline.letter_date = (
            Outline.objects.select_for_update()
            .values_list("letter_number", "letter_date")
            .get(pk=outline.pk)
        )
        existing = set(plan.requests.values_list("agency_id", flat=True))
        targets = list(plan.targets.select_related("agency"))
        wanted: list[tuple[Agency, bool, datetime.date]] = [
            (t.agency, True, outline.target_deadline)
            for t in targets
            if t.announced or include_unannounced
        ]
        if outline.include_non_targets:
            skip = {t.agency_id for t in targets}
            wanted += [
                (a, False, plan.self_report_deadline)
                for a in self_inspection_recipients(plan)
                if a.pk not in skip
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
        ReportRequest.objects.bulk_create(new)
        first_sending = outline.letter_number is None
        if first_sending:
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
        if first_sending:  # the covering letter is issued: rendered once and kept
            document_issued.send(sender=Outline, document=outline)
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
    message = RequestMessage(request=request, author=by, body=body.strip(), from_unit=from_unit)
    # The body comes straight from the page: one too long is refused with its length.
    message.full_clean(exclude=["request", "author"])
    message.save()
    return message


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
        key = reminder_key(request.deadline, today, days)
        if key and key not in {r.key for r in request.reminders.all()}:
            due.append((request, key))
    return due


def reminder_key(deadline: datetime.date, today: datetime.date, days: Iterable[int]) -> str:
    """Which reminder is due today for a deadline: `overdue` once it has passed, else the nearest
    threshold reached (with 7 and 1, from 7 days down to 2 before it is `before-7`), or ""."""
    left = (deadline - today).days
    if left < 0:
        return "overdue"
    reached = [d for d in days if left <= d]
    return f"before-{min(reached)}" if reached else ""


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
    if (
        deliverable == Deliverable.REPORT
        and request.plan.require_signed_reports
        and not has_digital_signature(file)
    ):
        raise ValidationError(
            _(
                "Kế hoạch yêu cầu báo cáo tự kiểm tra có chữ ký số: hãy ký số tệp PDF của báo "
                "cáo bằng chứng thư của đơn vị rồi tải lên lại."
            )
        )
    submission = Submission(
        request=request,
        deliverable=deliverable,
        submitted_by=by,
        late=timezone.localdate() > request.deadline,
        values=values,
        coverage=coverage,
        below_threshold=below,
        explanation=explanation.strip(),
        **checked_fields(file),
    )
    with files_saved_atomically() as save:
        # The request's row is locked until the end (PostgreSQL; on SQLite the transaction holds
        # the write lock): uploads at the same moment take versions one after the other.
        lock_row(request)
        latest = request.submissions.filter(deliverable=deliverable).aggregate(m=Max("version"))
        submission.version = (latest["m"] or 0) + 1
        save(submission, file)
        for extra in attachments:
            save(SubmissionAttachment(submission=submission, **checked_fields(extra)), extra)
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
