"""What the inspection lists share beyond their filters (`inspections.filters`): counts of related
rows, and a plan's targets in the order its page and its download list them."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from inspections.models import Plan, PlanTarget, TargetKind
from units.models import Level


def count_of(rows, field: str):
    """How many `rows` point at the outer row through `field`, as a correlated subquery: a
    GROUP BY over every joined column of a list grew with the data (36 MB sorted on disk at 10×
    in the benchmark)."""
    counted = (
        rows.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def targets_listed(plan: Plan, user, *, names_only: bool = False) -> list[PlanTarget]:
    """The plan's targets the user may see (`PlanTarget.objects.visible_to`) as its page lists
    them: inspections by level (province, district, commune), then re-inspections, each in the
    plan's order; with the agency, its unit and parent, the team, the earlier target and the
    thematic areas loaded (two queries; `names_only`: the agency, its unit and parent, in one)."""
    targets = PlanTarget.objects.visible_to(user).filter(plan=plan).order_by("order", "pk")
    if names_only:
        targets = list(targets.select_related("agency__unit", "agency__parent"))
    else:
        targets = list(
            targets.select_related(
                "agency__unit", "agency__parent", "follows_up__plan", "assignment__team",
                "amendment",
            ).prefetch_related("content_areas")
        )  # fmt: skip
    inspected = [t for t in targets if t.kind == TargetKind.INSPECTION]
    inspected.sort(key=lambda t: LEVEL_ORDER[t.agency.unit.level])  # stable: keeps plan order
    return inspected + [t for t in targets if t.kind == TargetKind.REINSPECTION]
