"""One document of each type of a round, built from a plan's data: what `bench_documents` times
and what the tests of the documents' form read back."""

from __future__ import annotations

from collections.abc import Callable

from inspections.models import ConclusionNotice, Minutes, NoticeStatus, Plan, ResultsReport
from inspections.services import round_results
from reports.amendment_document import amendment_document, amendment_for_document
from reports.documents import OfficialDocument
from reports.outline_document import outline_document
from reports.plan_document import plan_document, plan_for_document
from reports.results_document import results_document
from reports.visit_documents import (
    conclusion_document,
    minutes_document,
    schedule_notice,
    team_decision,
)

TYPES = (
    "plan", "decision", "outline", "schedule", "minutes", "conclusion", "results", "amendment",
)  # fmt: skip


def document_builders(plan: Plan) -> dict[str, Callable[[], OfficialDocument]]:
    """A builder per type that the plan has data for: the plan itself, its first team's decision
    and schedule notice, the outline's covering letter, the first minutes, the first issued
    conclusion notice, the results report and the plan's first issued amendment. Each builder
    runs its own queries, so timing it times the whole document."""
    builders: dict[str, Callable[[], OfficialDocument]] = {
        "plan": lambda: plan_document(plan_for_document(plan.pk))
    }
    team = plan.teams.order_by("pk").first()
    if team is not None:
        builders["decision"] = lambda: team_decision(team)
    if hasattr(plan, "outline"):
        builders["outline"] = lambda: outline_document(plan.outline)
    if team is not None:
        builders["schedule"] = lambda: schedule_notice(team)
    minutes = (
        Minutes.objects.filter(visit__plan=plan)
        .select_related("visit__plan__issuer", "visit__team", "visit__agency__unit")
        .order_by("visit__date", "pk")
        .first()
    )
    if minutes is not None:
        builders["minutes"] = lambda: minutes_document(minutes)
    notice = ConclusionNotice.objects.filter(plan=plan, status="issued").order_by("pk").first()
    if notice is not None:
        builders["conclusion"] = lambda: conclusion_document(notice)
    report = ResultsReport.objects.filter(plan=plan).first()
    if report is not None:
        builders["results"] = lambda: results_document(report, round_results(plan))
    amendment = plan.amendments.filter(status=NoticeStatus.ISSUED).order_by("pk").first()
    if amendment is not None:
        builders["amendment"] = lambda: amendment_document(amendment_for_document(amendment.pk))
    return builders
