"""The rows of the inspection lists, shared by each page and its download (served by `reports`):
one function per list reads the filters, applies the user's visibility and loads what both show,
so an export always holds exactly the rows its page lists, in the same order."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from inspections import services
from inspections.access import visible_plans
from inspections.forms import FindingFilterForm, RecommendationFilterForm
from inspections.models import (
    Finding,
    Plan,
    PlanTarget,
    Recommendation,
    RemediationReport,
    TargetKind,
)
from units.access import scope_for
from units.models import Level


def _valid_filters(form) -> dict:
    """The filters that are valid; an invalid one shows its message on the page and is ignored."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def count_of(rows, field: str):
    """How many `rows` point at the outer row through `field`, as a correlated subquery: a
    GROUP BY over every joined column of a list grew with the data (36 MB sorted on disk at 10×
    in the benchmark)."""
    counted = (
        rows.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def findings_filtered(request: HttpRequest) -> tuple[FindingFilterForm, QuerySet[Finding]]:
    """The findings the user may see, filtered by `year`, `plan`, `area`, `kind` and `level`
    (of the visited unit), with the visit, plan, unit and area loaded and the recommendations
    counted."""
    form = FindingFilterForm(request.GET, plans=visible_plans(request.user))
    filters = _valid_filters(form)
    findings = services.findings_visible(scope_for(request.user))
    if "year" in filters:
        findings = findings.filter(visit__plan__year=filters["year"])
    if "plan" in filters:
        findings = findings.filter(visit__plan=filters["plan"])
    if "area" in filters:
        findings = findings.filter(content_area=filters["area"])
    if "kind" in filters:
        findings = findings.filter(kind=filters["kind"])
    if "level" in filters:
        findings = findings.filter(visit__agency__unit__level=filters["level"])
    findings = (
        findings.select_related("visit__plan", "visit__agency__unit", "content_area")
        .annotate(recommendation_count=count_of(Recommendation.objects, "finding"))
        .order_by(
            "-visit__plan__year", "-visit__date", "visit__agency__name", "content_area__number",
            "pk",
        )
    )  # fmt: skip
    return form, findings


def recommendations_filtered(
    request: HttpRequest,
) -> tuple[RecommendationFilterForm, QuerySet[Recommendation]]:
    """The recommendations the user may see, filtered by `status` (`unresolved`, `overdue`,
    `done`, `not_done`), `year`, `area` (of the finding) and `level` (of the responsible unit),
    with the unit, visit and plan loaded and the remediation reports counted."""
    form = RecommendationFilterForm(request.GET)
    filters = _valid_filters(form)
    recommendations = services.recommendations_visible(scope_for(request.user))
    status = filters.get("status")
    if status == "unresolved":
        recommendations = recommendations.unresolved()
    elif status == "overdue":
        recommendations = recommendations.overdue(timezone.localdate())
    elif status:
        recommendations = recommendations.filter(status=status)
    if "year" in filters:
        recommendations = recommendations.filter(finding__visit__plan__year=filters["year"])
    if "area" in filters:
        recommendations = recommendations.filter(finding__content_area=filters["area"])
    if "level" in filters:
        recommendations = recommendations.filter(responsible__unit__level=filters["level"])
    recommendations = (
        recommendations.select_related("responsible", "finding__visit__plan")
        .annotate(report_count=count_of(RemediationReport.objects, "recommendation"))
        .order_by("due_date", "pk")
    )
    return form, recommendations


LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def targets_listed(plan: Plan, user) -> list[PlanTarget]:
    """The plan's targets the user may see (`PlanTarget.objects.visible_to`) as its page lists
    them: inspections by level (province, district, commune), then re-inspections, each in the
    plan's order; with the agency, its unit and parent, the team, the earlier target and the
    thematic areas loaded (two queries)."""
    targets = list(
        PlanTarget.objects.visible_to(user)
        .filter(plan=plan)
        .select_related(
            "agency__unit", "agency__parent", "follows_up__plan", "assignment__team", "amendment"
        )
        .prefetch_related("content_areas")
        .order_by("order", "pk")
    )
    inspected = [t for t in targets if t.kind == TargetKind.INSPECTION]
    inspected.sort(key=lambda t: LEVEL_ORDER[t.agency.unit.level])  # stable: keeps plan order
    return inspected + [t for t in targets if t.kind == TargetKind.REINSPECTION]
