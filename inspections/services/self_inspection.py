"""Workflows of self-inspection: send the outline, record submissions, review, remind, progress."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
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
from inspections.services.lifecycle import issue
from inspections.services.plans import lock_row
from inspections.storage import checked_fields, files_saved_atomically
from inspections.text import percent
from inspections.uploads import has_digital_signature
from units.models import Agency, Level

# Self-inspection ----------------------------------------------------------------------------


def self_inspection_recipients(plan: Plan) -> list[Agency]:
    """Units that are not targets but must self-inspect and report (seed §III.5): the
    province's departments and equivalent bodies, and the committees one level below the
    province (districts before the 2025 reform, communes after)."""
    return [agency for rows in _recipients(plan) for agency in rows.select_related("unit")]


def _recipients(plan: Plan) -> tuple[QuerySet[Agency], QuerySet[Agency]]:
    """The departments and the committees of `self_inspection_recipients`, unread."""
    day = plan.document_date
    level = Level.DISTRICT if plan.three_tier else Level.COMMUNE
    agencies = Agency.objects.valid_on(day).filter(province_id=plan.province_id)
    departments = agencies.filter(unit__level=Level.PROVINCE, parent__isnull=True).exclude(
        kind=Agency.Kind.COMMITTEE
    )
    committees = agencies.filter(kind=Agency.Kind.COMMITTEE, unit__level=level)
    return departments, committees


def outline_send(
    *,
    outline: Outline,
    by,
    include_unannounced: bool = False,
    day: datetime.date | None = None,
    number: int | None = None,
    confirm: bool = False,
) -> int:
    """Create one request per unit (targets, and the others when the outline says so).

    An unannounced (đột xuất) target is asked nothing — neither as a target nor as one of the
    other units — unless staff ask for it (`include_unannounced`): a request would warn it.
    Sending again after adding targets creates only the missing requests; returns how many.
    The first sending issues the covering letter (`lifecycle.issue`), dated `day` (today by
    default) and numbered in its sender's register.
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
        if first_sending:  # the covering letter is issued: rendered once and kept
            issue(outline, day=day, number=number, confirm=confirm, by=by)
        outline.sent_at = timezone.now()
        outline.sent_by = by
        outline.save(update_fields=["sent_at", "sent_by"])
    return len(new)


def outline_sender(outline: Outline) -> Agency:
    """Who signs the covering letter: the plan's standing body (Sở Nội vụ), else its issuer —
    as it was on the letter's date (the issue refuses a day on which it did not exist)."""
    plan = outline.plan
    return plan.standing_agency or plan.issuer


def request_message_post(*, request: ReportRequest, by, body: str, from_unit: bool):
    if not body.strip():
        raise ValidationError(_("Nội dung trống: ghi điều cần phản ánh hoặc trả lời."))
    message = RequestMessage(request=request, author=by, body=body.strip(), from_unit=from_unit)
    # The body comes straight from the page: one too long is refused with its length.
    message.full_clean(exclude=["request", "author"])
    message.save()
    return message


def coverage_of(outline: Outline, values: dict[str, Any]) -> Decimal | None:
    """Self-inspected ÷ total, in percent, from the two fields the outline marks for it."""
    roles = {f.role: str(f.pk) for f in outline.fields.all() if f.role}
    total = values.get(roles.get(FieldRole.COVERAGE_TOTAL, ""))
    done = values.get(roles.get(FieldRole.COVERAGE_DONE, ""))
    return coverage_rate(done, total)


def coverage_rate(done, total) -> Decimal | None:
    """`done` ÷ `total` in percent with two decimals; None when there is nothing to divide."""
    if not total or done is None:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def submission_figures(
    *, coverage: Decimal | None, threshold: Decimal, day: datetime.date, deadline: datetime.date
) -> dict[str, Any]:
    """The figures a submission records besides what the unit sent: its coverage, whether that is
    below the plan's threshold (then an explanation is required) and whether `day` is past the
    request's deadline. Pure: `submission_create` and the synthetic data both use it."""
    return {
        "coverage": coverage,
        "below_threshold": coverage is not None and coverage < threshold,
        "late": day > deadline,
    }


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
    figures = submission_figures(
        coverage=coverage, threshold=threshold, day=timezone.localdate(), deadline=request.deadline
    )
    if figures["below_threshold"] and not explanation.strip():
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
        values=values,
        explanation=explanation.strip(),
        **figures,
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
    """Units of the province that were asked nothing (when the outline leaves non-targets out),
    left out in the database: a province's committees are a thousand rows at national scale."""
    asked = plan.requests.values("agency_id")
    return [
        agency for rows in _recipients(plan) for agency in rows.exclude(pk__in=asked).only("name")
    ]


def plan_progress(plan: Plan | None, requests=None) -> list[ProgressRow]:
    """One row per request, in two queries whatever the number of units and versions."""
    if requests is None:
        requests = plan.requests.all()
    if isinstance(requests, QuerySet):
        requests = requests.select_related("agency__unit", "plan")
    requests = list(requests)  # or a list already read, with the agency, its unit and the plan
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


def progress_late_and_below(requests) -> dict[str, int]:
    """How many of `requests` have a latest report sent late (`late`) and one below the plan's
    threshold (`below`), counted in the database in one query."""
    latest = Submission.objects.filter(
        request=OuterRef("pk"), deliverable=Deliverable.REPORT
    ).order_by("-version")
    return (
        requests.order_by()
        .annotate(
            latest_late=Subquery(latest.values("late")[:1]),
            latest_below=Subquery(latest.values("below_threshold")[:1]),
        )
        .aggregate(
            late=Count("pk", filter=Q(latest_late=True)),
            below=Count("pk", filter=Q(latest_below=True)),
        )
    )


def unanswered(requests):
    """Requests whose thread ends with a message of the unit."""
    last = RequestMessage.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-pk")
    return requests.annotate(last_from_unit=Subquery(last.values("from_unit")[:1])).filter(
        last_from_unit=True
    )
