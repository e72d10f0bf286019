"""The results report of a round, assembled from its data: targets and their visits, findings,
good models, shortcomings per content area, earlier recommendations remedied or not, and the
appendix tables. People add the prose (`ResultsReport`); every figure comes from here, in a fixed
number of queries whatever the size of the round."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from inspections.locking import claim
from inspections.models import (
    ConclusionNotice,
    ContentArea,
    Finding,
    FindingKind,
    NoticeStatus,
    Plan,
    PlanStatus,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    ResultsReport,
    Visit,
    VisitStatus,
)
from inspections.services.approval import approval_decide, approval_submit
from inspections.services.lifecycle import issue
from inspections.services.self_inspection import ProgressRow, plan_progress
from units.models import AdministrativeUnit, Agency, Level

LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


@dataclass
class TargetResult:
    target: PlanTarget
    visits: list[Visit] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)  # kind → count
    notice: ConclusionNotice | None = None

    @property
    def visited(self) -> bool:
        return any(v.status == VisitStatus.DONE for v in self.visits)

    @property
    def state(self) -> str:
        if self.visited:
            return _("Đã kiểm tra")
        return _("Đã lên lịch") if self.visits else _("Chưa lên lịch")


@dataclass
class UnitRemediation:
    agency: Agency
    done: list[Recommendation] = field(default_factory=list)
    unresolved: list[Recommendation] = field(default_factory=list)


@dataclass
class RoundResults:
    plan: Plan
    targets: list[TargetResult]
    findings: list[Finding]
    recommendations: list[Recommendation]
    progress: list[ProgressRow]
    earlier: list[UnitRemediation]
    areas: list[ContentArea]

    # Summary figures ---------------------------------------------------------------------------

    def targets_by_level(self) -> list[tuple[str, list[TargetResult]]]:
        grouped = defaultdict(list)
        for result in self.targets:
            grouped[result.target.agency.unit.level].append(result)
        return [(Level(level).label, grouped[level]) for level in LEVELS if grouped[level]]

    @property
    def visited(self) -> int:
        return sum(1 for t in self.targets if t.visited)

    @property
    def concluded(self) -> int:
        return sum(1 for t in self.targets if t.notice)

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def shortcomings_by_area(self) -> list[tuple[str, list[Finding]]]:
        grouped = defaultdict(list)
        for finding in self.of_kind(FindingKind.SHORTCOMING):
            grouped[finding.content_area_id].append(finding)
        named = [(a.name, grouped[a.pk]) for a in self.areas if grouped.get(a.pk)]
        if grouped.get(None):
            named.append((_("Nội dung khác"), grouped[None]))
        return named

    def findings_table(self) -> list[tuple[str, dict[str, int], int]]:
        """(area, count per level, total) for every area, shortcomings and strengths alike."""
        counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for finding in self.findings:
            counts[finding.content_area_id][finding.visit.agency.unit.level] += 1
        rows = [(a.name, counts[a.pk]) for a in self.areas if a.pk in counts]
        if None in counts:
            rows.append((_("Nội dung khác"), counts[None]))
        return [(name, dict(c), sum(c.values())) for name, c in rows]

    @property
    def submitted(self) -> list[ProgressRow]:
        return [row for row in self.progress if row.latest]

    @property
    def late(self) -> list[ProgressRow]:
        return [row for row in self.submitted if row.latest.late]

    @property
    def below_threshold(self) -> list[ProgressRow]:
        return [row for row in self.submitted if row.latest.below_threshold]

    @property
    def recommendations_done(self) -> list[Recommendation]:
        return [r for r in self.recommendations if r.status == RecommendationStatus.DONE]


def round_results(plan: Plan) -> RoundResults:
    targets = list(plan.targets.select_related("agency__unit").order_by("order", "pk"))
    results = {t.pk: TargetResult(t) for t in targets}
    for visit in (
        Visit.objects.filter(plan=plan)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("agency")
        .order_by("date", "start_time")
    ):
        results[visit.target_id].visits.append(visit)
    findings = list(
        Finding.objects.filter(visit__plan=plan)
        .select_related("visit__agency__unit", "content_area")
        .order_by("content_area__number", "visit__agency__name", "pk")
    )
    for finding in findings:
        counts = results[finding.visit.target_id].findings
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    notices = {
        n.agency_id: n
        for n in ConclusionNotice.objects.filter(
            plan=plan, status=NoticeStatus.ISSUED, amends__isnull=True
        )
    }
    for result in results.values():
        result.notice = notices.get(result.target.agency_id)
    recommendations = list(
        Recommendation.objects.filter(finding__visit__plan=plan)
        .select_related("responsible__unit", "finding__visit__agency")
        .annotate(report_count=Count("reports"), last_report=Max("reports__submitted_at"))
        .order_by("responsible__name", "due_date", "pk")
    )
    frameworks = {f.content_area.framework_id for f in findings if f.content_area}
    areas = list(ContentArea.objects.filter(framework__in=frameworks))
    return RoundResults(
        plan=plan,
        targets=[results[t.pk] for t in targets],
        findings=findings,
        recommendations=recommendations,
        progress=plan_progress(plan),
        earlier=earlier_remediation(plan),
        areas=areas,
    )


def earlier_remediation(plan: Plan) -> list[UnitRemediation]:
    """Recommendations of earlier rounds' issued notices (this province and those it succeeded),
    per addressee: those fully remedied and those still unresolved."""
    lineage = AdministrativeUnit.objects.lineage_ids(plan.province)
    recommendations = (
        Recommendation.objects.issued()
        .filter(
            finding__visit__plan__province_id__in=lineage,
            finding__visit__plan__year__lt=plan.year,
        )
        .select_related("responsible")
        .order_by("responsible__name", "pk")
    )
    units: dict[int, UnitRemediation] = {}
    for recommendation in recommendations:
        entry = units.setdefault(
            recommendation.responsible_id, UnitRemediation(recommendation.responsible)
        )
        if recommendation.status == RecommendationStatus.DONE:
            entry.done.append(recommendation)
        else:
            entry.unresolved.append(recommendation)
    return list(units.values())


# Workflow -----------------------------------------------------------------------------------


def results_report_for(plan: Plan) -> ResultsReport:
    """The plan's results report, created as a draft on first use (issued plans only)."""
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError(_("Chỉ lập báo cáo kết quả cho kế hoạch đã ban hành."))
    report, _created = ResultsReport.objects.get_or_create(
        plan=plan, defaults={"issuer": plan.standing_agency or plan.issuer}
    )
    return report


def results_report_save(*, report: ResultsReport, version: int | None = None, **fields) -> None:
    """Write the prose of a draft. `version` is the report's when the form was loaded (0: not
    yet created): a save over a newer one is refused (`locking.StaleEdit`)."""
    if report.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Chỉ sửa được bản dự thảo: lãnh đạo trả lại thì sửa được tiếp."))
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    with transaction.atomic():
        if version is not None:
            claim(report, version)
        report.save()


def results_report_submit(*, report: ResultsReport) -> None:
    missing = [
        label
        for label, value in (
            (_("khái quát kết quả"), report.summary),
            (_("kiến nghị Ủy ban nhân dân tỉnh"), report.proposals),
            (_("người ký"), report.signer_name),
        )
        if not value.strip()
    ]
    if missing:
        raise ValidationError(_("Chưa ghi %s: bổ sung rồi gửi duyệt lại.") % ", ".join(missing))
    approval_submit(report)


def results_report_decide(*, report: ResultsReport, by, approve: bool, reason: str = "") -> None:
    approval_decide(report, by=by, approve=approve, reason=reason)


def results_report_issue(*, report: ResultsReport, **step) -> list[str]:
    """Number the report (`lifecycle.issue`): on or after the last conclusion notice it counts;
    then its files are rendered once and kept."""
    return issue(report, **step)
