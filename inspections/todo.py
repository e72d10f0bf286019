"""What waits for whom: the to-do list of each role's home page, and the selections it links to.

Each entry of a to-do list counts the rows of one *selection* — a named filter of one list
(`SELECTIONS`) — and links to that list with `?todo=<name>`. The list applies the same function
(`narrowed`), so the count on the home page and the rows behind the link are the same rows by
construction. One function per role (`leader_todos`, `staff_todos`, `team_todos`,
`reporter_todos`) gives its entries, one COUNT query each: the number of queries does not grow
with the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from inspections.models import (
    ConclusionNotice,
    Deliverable,
    NoticeStatus,
    Plan,
    PlanStatus,
    Recommendation,
    RemediationReport,
    ReportRequest,
    ReviewStatus,
    Submission,
    Verification,
    Visit,
    VisitStatus,
)
from inspections.services import unanswered
from units.access import scope_for
from units.models import Role

WEEK = datetime.timedelta(days=7)

Selection = Callable[[QuerySet, datetime.date], QuerySet]


@dataclass(frozen=True)
class Todo:
    """One line of a to-do list: what waits, how many, and the list of exactly those rows."""

    text: str
    count: int
    url: str


# Selections -----------------------------------------------------------------------------------


def _latest_report_status() -> Subquery:
    latest = Submission.objects.filter(
        request=OuterRef("pk"), deliverable=Deliverable.REPORT
    ).order_by("-version")
    return Subquery(latest.values("status")[:1])


def _requests_open(requests: QuerySet) -> QuerySet:
    """Requests whose report the unit still owes: never sent, or sent back to complete."""
    return requests.annotate(latest_report=_latest_report_status()).filter(
        Q(latest_report__isnull=True) | Q(latest_report=ReviewStatus.RETURNED)
    )


def _requests_to_review(requests: QuerySet, today: datetime.date) -> QuerySet:
    waiting = Submission.objects.filter(request=OuterRef("pk"), status=ReviewStatus.SUBMITTED)
    return requests.filter(Exists(waiting))


def _requests_due(requests: QuerySet, today: datetime.date) -> QuerySet:
    return requests.annotate(latest_report=_latest_report_status()).filter(
        latest_report__isnull=True
    )


def _requests_returned(requests: QuerySet, today: datetime.date) -> QuerySet:
    return requests.annotate(latest_report=_latest_report_status()).filter(
        latest_report=ReviewStatus.RETURNED
    )


def _requests_due_this_week(requests: QuerySet, today: datetime.date) -> QuerySet:
    return _requests_open(requests).filter(deadline__range=(today, today + WEEK))


def _awaiting_verification() -> Exists:
    """A remediation report of the recommendation that no verification has judged yet."""
    judged = Verification.objects.filter(
        recommendation=OuterRef("recommendation"), verified_at__gte=OuterRef("submitted_at")
    )
    return Exists(
        RemediationReport.objects.filter(recommendation=OuterRef("pk")).exclude(Exists(judged))
    )


def _recommendations_to_verify(recommendations: QuerySet, today: datetime.date) -> QuerySet:
    return recommendations.unresolved().filter(_awaiting_verification())


def _recommendations_to_report(recommendations: QuerySet, today: datetime.date) -> QuerySet:
    """Unresolved, and nothing of the unit waits for the team: never reported, or judged not
    remedied after its last report."""
    return recommendations.unresolved().exclude(_awaiting_verification())


def _recommendations_due_this_week(recommendations: QuerySet, today: datetime.date) -> QuerySet:
    return recommendations.unresolved().filter(due_date__range=(today, today + WEEK))


def _visits_without_minutes(visits: QuerySet, today: datetime.date) -> QuerySet:
    return visits.filter(date__lte=today, minutes__isnull=True).exclude(
        status=VisitStatus.CANCELLED
    )


def _visits_without_findings(visits: QuerySet, today: datetime.date) -> QuerySet:
    return visits.filter(minutes__isnull=False, findings__isnull=True)


def _visits_without_notice(visits: QuerySet, today: datetime.date) -> QuerySet:
    """Visits recorded (minutes and findings) whose unit has no conclusion notice yet."""
    notice = ConclusionNotice.objects.filter(
        plan=OuterRef("plan"), agency=OuterRef("agency"), amends__isnull=True
    )
    recorded = Visit.objects.filter(pk=OuterRef("pk"), findings__isnull=False)
    return visits.filter(minutes__isnull=False).filter(Exists(recorded)).exclude(Exists(notice))


def _status(field: str, value: str) -> Selection:
    return lambda rows, today: rows.filter(**{field: value})


SELECTIONS: Mapping[str, Mapping[str, Selection]] = {
    "plans": {
        "approve": _status("status", PlanStatus.SUBMITTED),
        "returned": _status("status", PlanStatus.RETURNED),
        "issue": _status("status", PlanStatus.APPROVED),
        "results-approve": _status("results_report__status", NoticeStatus.SUBMITTED),
        "results-issue": _status("results_report__status", NoticeStatus.APPROVED),
    },
    "conclusions": {
        "approve": _status("status", NoticeStatus.SUBMITTED),
        "issue": _status("status", NoticeStatus.APPROVED),
    },
    "requests": {
        "review": _requests_to_review,
        "due": _requests_due,
        "returned": _requests_returned,
        "due-week": _requests_due_this_week,
        "unanswered": lambda requests, today: unanswered(requests),
    },
    "recommendations": {
        "verify": _recommendations_to_verify,
        "report": _recommendations_to_report,
        "due-week": _recommendations_due_this_week,
    },
    "visits": {
        "minutes": _visits_without_minutes,
        "findings": _visits_without_findings,
        "notice": _visits_without_notice,
    },
}

LIST_URLS = {
    "plans": "inspections:plan-list",
    "conclusions": "inspections:conclusion-list",
    "requests": "requests:request-list",
    "recommendations": "inspections:recommendation-list",
    "visits": "inspections:my-visits",
}

# What each selection is called above its list, when the list is opened from the to-do.
TITLES = {
    ("plans", "approve"): gettext_lazy("Kế hoạch chờ lãnh đạo duyệt"),
    ("plans", "returned"): gettext_lazy("Kế hoạch bị trả lại, cần sửa"),
    ("plans", "issue"): gettext_lazy("Kế hoạch đã duyệt, chờ cấp số ban hành"),
    ("plans", "results-approve"): gettext_lazy("Báo cáo kết quả kiểm tra chờ lãnh đạo duyệt"),
    ("plans", "results-issue"): gettext_lazy("Báo cáo kết quả kiểm tra đã duyệt, chờ ban hành"),
    ("conclusions", "approve"): gettext_lazy("Thông báo kết luận chờ lãnh đạo duyệt"),
    ("conclusions", "issue"): gettext_lazy("Thông báo kết luận đã duyệt, chờ cấp số ban hành"),
    ("requests", "review"): gettext_lazy("Báo cáo tự kiểm tra chờ xem xét"),
    ("requests", "due"): gettext_lazy("Báo cáo tự kiểm tra chưa nộp"),
    ("requests", "returned"): gettext_lazy("Báo cáo tự kiểm tra bị trả lại, cần bổ sung"),
    ("requests", "due-week"): gettext_lazy("Báo cáo tự kiểm tra đến hạn trong 7 ngày tới"),
    ("requests", "unanswered"): gettext_lazy("Phản ánh, kiến nghị của đơn vị chưa trả lời"),
    ("recommendations", "verify"): gettext_lazy("Báo cáo khắc phục chờ xác minh"),
    ("recommendations", "report"): gettext_lazy("Kiến nghị cần báo cáo kết quả khắc phục"),
    ("recommendations", "due-week"): gettext_lazy("Kiến nghị đến hạn khắc phục trong 7 ngày tới"),
    ("visits", "minutes"): gettext_lazy("Cuộc kiểm tra đã diễn ra, chưa có biên bản"),
    ("visits", "findings"): gettext_lazy("Biên bản chưa ghi kết quả kiểm tra"),
    ("visits", "notice"): gettext_lazy("Cuộc kiểm tra chờ dự thảo thông báo kết luận"),
}


def selection_name(listing: str, params: Mapping[str, str]) -> str:
    """The `todo` of the query string if the list knows it, else ""."""
    name = params.get("todo", "")
    return name if name in SELECTIONS[listing] else ""


def narrowed(listing: str, rows: QuerySet, params: Mapping[str, str]) -> QuerySet:
    """The list's rows narrowed to the selection named by `?todo=` (an unknown name is ignored).
    Distinct, since some selections join to many rows."""
    name = selection_name(listing, params)
    if not name:
        return rows
    return SELECTIONS[listing][name](rows, timezone.localdate()).distinct()


def selection_title(listing: str, params: Mapping[str, str]) -> str:
    name = selection_name(listing, params)
    return str(TITLES[listing, name]) if name else ""


def _entry(listing: str, name: str, rows: QuerySet, today: datetime.date) -> Todo | None:
    count = SELECTIONS[listing][name](rows, today).values("pk").distinct().count()
    if not count:
        return None
    url = f"{reverse(LIST_URLS[listing])}?todo={name}"
    return Todo(str(TITLES[listing, name]), count, url)


def _entries(wanted: list[tuple[str, str, QuerySet]]) -> list[Todo]:
    today = timezone.localdate()
    found = (_entry(listing, name, rows, today) for listing, name, rows in wanted)
    return [todo for todo in found if todo is not None]


# One function per role ------------------------------------------------------------------------


def leader_todos(user) -> list[Todo]:
    """Every document waiting for a leader's approval. Three queries."""
    plans = Plan.objects.visible_to(user)
    notices = ConclusionNotice.objects.visible_to(user)
    return _entries(
        [
            ("plans", "approve", plans),
            ("conclusions", "approve", notices),
            ("plans", "results-approve", plans),
        ]
    )


def staff_todos(user) -> list[Todo]:
    """Approved documents to issue, plans returned, reports to review, remediation to verify,
    questions unanswered and deadlines of the coming week. Nine queries."""
    scope = scope_for(user)
    plans = Plan.objects.visible_to(user)
    requests = ReportRequest.objects.visible_to(scope)
    recommendations = Recommendation.objects.visible_to(scope)
    return _entries(
        [
            ("plans", "returned", plans),
            ("plans", "issue", plans),
            ("conclusions", "issue", ConclusionNotice.objects.visible_to(scope)),
            ("plans", "results-issue", plans),
            ("requests", "review", requests),
            ("recommendations", "verify", recommendations),
            ("requests", "unanswered", requests),
            ("requests", "due-week", requests),
            ("recommendations", "due-week", recommendations),
        ]
    )


def team_todos(user) -> list[Todo]:
    """The member's visits without minutes, minutes without findings, visits waiting for their
    conclusion notice; reports to review and remediation to verify. Five queries."""
    scope = scope_for(user)
    visits = Visit.objects.visible_to(user)
    return _entries(
        [
            ("visits", "minutes", visits),
            ("visits", "findings", visits),
            ("visits", "notice", visits),
            ("requests", "review", ReportRequest.objects.visible_to(scope)),
            ("recommendations", "verify", Recommendation.objects.visible_to(scope)),
        ]
    )


def reporter_todos(user) -> list[Todo]:
    """The unit's reports due, reports returned, recommendations waiting for its remediation
    report. Three queries."""
    scope = scope_for(user)
    requests = ReportRequest.objects.visible_to(scope).filter(plan__status=PlanStatus.ISSUED)
    return _entries(
        [
            ("requests", "due", requests),
            ("requests", "returned", requests),
            ("recommendations", "report", Recommendation.objects.visible_to(scope)),
        ]
    )


BY_ROLE: Mapping[str, Callable[[object], list[Todo]]] = {
    Role.LEADER: leader_todos,
    Role.STAFF: staff_todos,
    Role.TEAM: team_todos,
    Role.REPORTER: reporter_todos,
}


def todos_for(user) -> list[Todo]:
    """The user's to-do list; an administrator without a role sees the leaders' and staff's."""
    scope = scope_for(user)
    if scope.role in BY_ROLE:
        return BY_ROLE[scope.role](user)
    if scope.is_admin:
        return leader_todos(user) + staff_todos(user)
    return []
