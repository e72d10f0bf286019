"""The reminder engine: every deadline of the round, one rule for when to remind, one record of
what was sent (`SentReminder`), one digest mail per person per day.

A *deadline kind* (`KINDS`) says which rows still wait for a unit (a self-inspection request
without a report, an unresolved recommendation of an issued notice), their date, the unit that
owes them, and how a digest names and links them. For each row, `reminder_key` gives the
reminder due today — `before-N` from N days before the date (the smallest N reached), then
`overdue` — and each goes out once to each person of the unit who has an address and has not
turned reminders off (`Membership.receives_reminders`). A person's reminders of the day are
gathered into one mail; a person who already had a digest today gets nothing more until
tomorrow (what was not sent is then still due). `manage.py send_reminders` runs it daily.

To add a deadline (e.g. another document's due date): add a `DeadlineKind` to `KINDS`, with a
`GenericRelation("inspections.SentReminder")` named `reminders` on its model.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inspections.mail import absolute, send
from inspections.models import (
    Deliverable,
    PlanStatus,
    Recommendation,
    ReportRequest,
    ReviewStatus,
    SentReminder,
    carried_by_issued_notice,
)
from inspections.text import short_date

DEFAULT_DAYS = (7, 1)


@dataclass(frozen=True)
class DeadlineKind:
    """One kind of deadline the engine reminds of."""

    title: str
    model: type[models.Model]
    # The rows still owed whose date is on or before the horizon, with what `describe` reads.
    waiting: Callable[[datetime.date], models.QuerySet]
    date_of: Callable[[models.Model], datetime.date]
    agency_of: Callable[[models.Model], int]
    describe: Callable[[models.Model], str]
    path_of: Callable[[models.Model], str]


def _requests_waiting(horizon: datetime.date) -> models.QuerySet:
    return (
        ReportRequest.objects.filter(plan__status=PlanStatus.ISSUED, deadline__lte=horizon)
        .exclude(
            submissions__deliverable=Deliverable.REPORT,
            submissions__status__in=[ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED],
        )
        .select_related("agency", "plan")
    )


def _recommendations_waiting(horizon: datetime.date) -> models.QuerySet:
    return (
        Recommendation.objects.unresolved()
        .filter(carried_by_issued_notice("finding__"), due_date__lte=horizon)
        .select_related("responsible", "finding__visit__plan")
    )


KINDS: tuple[DeadlineKind, ...] = (
    DeadlineKind(
        title=_("Báo cáo tự kiểm tra"),
        model=ReportRequest,
        waiting=_requests_waiting,
        date_of=lambda r: r.deadline,
        agency_of=lambda r: r.agency_id,
        describe=lambda r: (
            f"Báo cáo tự kiểm tra theo Kế hoạch {r.plan.number_display} "
            f"({r.plan.summary}) — {r.agency.name}"
        ),
        path_of=lambda r: reverse("requests:request-detail", args=[r.pk]),
    ),
    DeadlineKind(
        title=_("Khắc phục kiến nghị sau kiểm tra"),
        model=Recommendation,
        waiting=_recommendations_waiting,
        date_of=lambda r: r.due_date,
        agency_of=lambda r: r.responsible_id,
        describe=lambda r: (
            f"Kiến nghị theo Kế hoạch {r.finding.visit.plan.number_display}: "
            f"“{r.text[:200]}” — {r.responsible.name}"
        ),
        path_of=lambda r: reverse("inspections:recommendation-detail", args=[r.pk]),
    ),
)


def reminder_key(deadline: datetime.date, today: datetime.date, days: Iterable[int]) -> str:
    """Which reminder is due today for a deadline: `overdue` once it has passed, else the nearest
    threshold reached (with 7 and 1, from 7 days down to 2 before it is `before-7`), or ""."""
    left = (deadline - today).days
    if left < 0:
        return "overdue"
    reached = [d for d in days if left <= d]
    return f"before-{min(reached)}" if reached else ""


@dataclass(frozen=True)
class Due:
    """A reminder due today: which row, of which kind, and which reminder."""

    kind: DeadlineKind
    row: models.Model
    key: str

    @property
    def date(self) -> datetime.date:
        return self.kind.date_of(self.row)

    @property
    def overdue(self) -> bool:
        return self.key == "overdue"

    @property
    def text(self) -> str:
        return self.kind.describe(self.row)

    @property
    def date_display(self) -> str:
        return short_date(self.date)

    @property
    def url(self) -> str:
        return absolute(self.kind.path_of(self.row))


def reminders_due(today: datetime.date, days: Iterable[int] = DEFAULT_DAYS) -> list[Due]:
    """Every reminder that is due today, whoever has been sent it already."""
    days = sorted(set(days))
    horizon = today + datetime.timedelta(days=max(days, default=0))
    due = []
    for kind in KINDS:
        for row in kind.waiting(horizon):
            key = reminder_key(kind.date_of(row), today, days)
            if key:
                due.append(Due(kind, row, key))
    return due


def digests(today: datetime.date, days: Iterable[int] = DEFAULT_DAYS) -> dict[object, list[Due]]:
    """{person: the reminders of today's digest}: for each due reminder, the active people of the
    unit with an address and reminders on, who have not been sent it yet."""
    due = reminders_due(today, days)
    agencies = {d.kind.agency_of(d.row) for d in due}
    people: dict[int, list] = {}
    for user in (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__agency_id__in=agencies,
            membership__receives_reminders=True,
        )
        .exclude(email="")
        .select_related("membership")
    ):
        people.setdefault(user.membership.agency_id, []).append(user)
    types = {kind.model: ContentType.objects.get_for_model(kind.model) for kind in KINDS}
    sent = set(
        SentReminder.objects.filter(
            user__membership__agency_id__in=agencies,
            content_type__in=types.values(),
            key__in={d.key for d in due},
        ).values_list("user_id", "content_type_id", "object_id", "key")
    )
    result: dict[object, list[Due]] = {}
    for item in due:
        ct = types[item.kind.model].pk
        for user in people.get(item.kind.agency_of(item.row), []):
            if (user.pk, ct, item.row.pk, item.key) not in sent:
                result.setdefault(user, []).append(item)
    return result


def send_digests(today: datetime.date, days: Iterable[int] = DEFAULT_DAYS) -> int:
    """Send today's digests; returns how many mails went out. Safe to run twice, even at once:
    each person's digest is recorded (one row per reminder) in the transaction that sends it,
    after their user row is locked, and skipped if they already had one today."""
    sent = 0
    User = get_user_model()
    for user, items in digests(today, days).items():
        try:
            with transaction.atomic():
                User.objects.select_for_update().filter(pk=user.pk).first()
                if SentReminder.objects.filter(user=user, day=today).exists():
                    continue
                SentReminder.objects.bulk_create(
                    SentReminder(
                        deadline=item.row, key=item.key, user=user, address=user.email, day=today
                    )
                    for item in items
                )
                send("reminder_digest", [user], {"items": items, "today": short_date(today)})
                sent += 1
        except IntegrityError:  # another run recorded one of them first
            continue
    return sent
