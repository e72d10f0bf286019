"""Who changed what, and when: the recorded history (django-simple-history) of a page's objects,
as entries for the compact “Lịch sử thay đổi” section of that page.

Each page reads one query per kind of record it shows (the plan, its items, its targets…), with
the people and the related objects the labels need joined in, and computes the differences
between consecutive versions in Python: the cost does not grow with the number of changes.
Only Home Affairs staff and administrators see it (`inspections.access.may_see_history`).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.models import (
    AmendmentTarget,
    ConclusionNotice,
    Finding,
    Minutes,
    Plan,
    PlanAmendment,
    PlanBasis,
    PlanItem,
    PlanTarget,
    PlanTeamAgency,
    Recommendation,
    ReportRequest,
    ResultsReport,
    Submission,
    Team,
    TeamMember,
    TeamTarget,
    Visit,
)
from units.templatetags.people import person_name

# Bookkeeping that changes with every save and says nothing to a reader, and what a record is
# created with and never changes (the plan or visit it belongs to, who made it, the stored file):
# named in Vietnamese for the admin's forms, never listed as a change.
NOT_SHOWN = {
    "id", "version", "updated_at", "created_at", "created_by", "plan", "visit", "finding",
    "request", "recommendation", "report", "submitted_by", "verified_by", "verified_at",
    "file_name", "file_size", "file_sha256", "content_type", "object_id",
}  # fmt: skip
ACTIONS = {"+": gettext_lazy("Tạo"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    user: AbstractBaseUser | None
    action: str  # "+", "~" or "-", as simple-history records it
    subject: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


@dataclass(frozen=True)
class Source:
    """Historical rows of one model; `name` labels the object of a row (none: the page's own)."""

    rows: models.QuerySet
    name: Callable[[models.Model], str] | None = None


def entries(*sources: Source) -> list[Entry]:
    """Every recorded change of the sources, newest first; a save that changed nothing shown is
    left out."""
    result = []
    for source in sources:
        rows = source.rows.select_related("history_user").order_by("history_date", "history_id")
        previous: dict[int, models.Model] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            changes = changes_between(before, row) if row.history_type == "~" and before else []
            if row.history_type == "~" and before and not changes:
                continue
            result.append(
                Entry(
                    at=row.history_date,
                    user=row.history_user,
                    action=row.history_type,
                    subject=_subject(row, source.name),
                    changes=changes,
                )
            )
    result.sort(key=lambda entry: entry.at, reverse=True)
    return result


def _subject(row, name) -> str:
    subject = str(row.instance_type._meta.verbose_name)
    label = Truncator(name(row)).chars(80) if name else ""
    return f"{subject} “{label}”" if label else subject


def _labelled(model_field) -> bool:
    # Django makes "status" of a field without a verbose name; such fields are not for readers.
    return model_field.name not in NOT_SHOWN and str(model_field.verbose_name) != (
        model_field.name.replace("_", " ")
    )


def changes_between(before, after) -> list[Change]:
    """What a reader would see changed from one historical row to the next (fields without a
    Vietnamese name left out)."""
    return [
        Change(capfirst(str(f.verbose_name)), _shown(before, f), _shown(after, f))
        for f in after.tracked_fields
        if _labelled(f) and getattr(before, f.attname) != getattr(after, f.attname)
    ]


def _shown(row, model_field) -> str:
    """A value as a reader says it: choice labels, dates d/m/Y, people by name, related objects
    by their name when the page loaded them (never a query per row: otherwise their number)."""
    value = getattr(row, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        if not row._meta.get_field(model_field.name).is_cached(row):
            return f"#{value}"
        related = getattr(row, model_field.name)
        if related is None:  # deleted since
            return f"#{value}"
        return person_name(related) if isinstance(related, AbstractBaseUser) else str(related)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, decimal.Decimal):
        return f"{value.normalize():f}"
    return Truncator(str(value)).chars(200)


# What each page shows ------------------------------------------------------------------------


def plan_history(plan: Plan) -> list[Entry]:
    """The plan, its body, targets, team agencies and cited documents: five queries."""
    return entries(
        Source(Plan.history.filter(id=plan.pk).select_related("issuer", "standing_agency")),
        Source(
            PlanItem.history.filter(plan_id=plan.pk).select_related("parent"),
            lambda r: r.heading or r.text,
        ),
        Source(
            PlanTarget.history.filter(plan_id=plan.pk).select_related(
                "agency", "follows_up__agency"
            ),
            lambda r: r.agency.name if r.agency else "",
        ),
        Source(
            PlanTeamAgency.history.filter(plan_id=plan.pk).select_related("agency"),
            lambda r: r.agency.name if r.agency else "",
        ),
        Source(
            PlanBasis.history.filter(plan_id=plan.pk).select_related("document"),
            lambda r: str(r.document) if r.document else "",
        ),
    )


def team_history(team: Team) -> list[Entry]:
    """The team, its members and its targets: three queries."""
    return entries(
        Source(Team.history.filter(id=team.pk)),
        Source(
            TeamMember.history.filter(team_id=team.pk).select_related("agency", "user"),
            lambda r: r.full_name,
        ),
        Source(
            TeamTarget.history.filter(team_id=team.pk).select_related("target__agency"),
            lambda r: r.target.agency.name if r.target else "",
        ),
    )


def visit_history(visit: Visit) -> list[Entry]:
    """The visit, its minutes, findings and recommendations: four queries."""
    return entries(
        Source(
            Visit.history.filter(id=visit.pk).select_related(
                "team__plan", "target__agency", "agency"
            )
        ),
        Source(Minutes.history.filter(visit_id=visit.pk).select_related("recorded_by")),
        Source(
            Finding.history.filter(visit_id=visit.pk).select_related("content_area", "recorded_by"),
            lambda r: r.description,
        ),
        Source(
            Recommendation.history.filter(finding__visit=visit).select_related(
                "responsible", "finding"
            ),
            lambda r: r.text,
        ),
    )


def notice_history(notice: ConclusionNotice) -> list[Entry]:
    return entries(
        Source(ConclusionNotice.history.filter(id=notice.pk).select_related("approved_by"))
    )


def amendment_history(amendment: PlanAmendment) -> list[Entry]:
    """The amendment and its target changes: two queries."""
    return entries(
        Source(PlanAmendment.history.filter(id=amendment.pk).select_related("approved_by")),
        Source(
            AmendmentTarget.history.filter(amendment_id=amendment.pk).select_related("agency"),
            lambda r: r.agency.name if r.agency else "",
        ),
    )


def results_report_history(report: ResultsReport) -> list[Entry]:
    return entries(
        Source(ResultsReport.history.filter(id=report.pk).select_related("approved_by", "issuer"))
    )


def recommendation_history(recommendation: Recommendation) -> list[Entry]:
    return entries(
        Source(
            Recommendation.history.filter(id=recommendation.pk).select_related(
                "responsible", "finding"
            )
        )
    )


def request_history(request: ReportRequest) -> list[Entry]:
    """The unit's submissions to one request: their review (accepted, returned, comment)."""
    return entries(
        Source(
            Submission.history.filter(request_id=request.pk).select_related("reviewed_by"),
            lambda r: (
                _("%(what)s lần %(n)d") % {"what": r.get_deliverable_display(), "n": r.version}
            ),
        )
    )
