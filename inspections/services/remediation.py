"""After the conclusion: units report remediation of each recommendation, the team verifies it,
reminders go out before and after the due date, and what stays open is proposed for
re-inspection in the next plan (resolved to the units that exist then)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    ConclusionNotice,
    Finding,
    FindingEvidence,
    NoticeStatus,
    Plan,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    RemediationFile,
    RemediationReport,
    TargetKind,
    Verification,
    Visit,
    require_unfrozen,
)
from inspections.services.plans import (
    current_value,
    earlier_target,
    plan_targets_add,
    require_editable,
)
from inspections.storage import checked_fields, files_saved_atomically
from inspections.text import short_date
from units.models import AdministrativeUnit, Agency
from units.services import agencies_successors_on


def remediation_report(
    *, recommendation: Recommendation, by, text: str, files: Iterable = ()
) -> RemediationReport:
    """A new version of the unit's report on a recommendation, with its evidence files."""
    if recommendation.status == RecommendationStatus.DONE:
        raise ValidationError(
            _("Kiến nghị đã được xác minh là đã khắc phục: không cần báo cáo thêm.")
        )
    if not recommendation.is_frozen:
        raise ValidationError(_("Thông báo kết luận chưa ban hành: chưa báo cáo khắc phục được."))
    if not text.strip():
        raise ValidationError(_("Chưa ghi kết quả khắc phục: nêu đã làm gì, khi nào, văn bản nào."))
    report = RemediationReport(
        recommendation=recommendation,
        text=text.strip(),
        submitted_by=by,
        late=timezone.localdate() > recommendation.due_date,
    )
    with files_saved_atomically() as save:
        # The recommendation's row is locked until the end (PostgreSQL; on SQLite the transaction
        # holds the write lock): reports at the same moment take versions one after the other,
        # and one sent while the team verifies sees the verification.
        status = current_value(recommendation)
        if status == RecommendationStatus.DONE:
            raise ValidationError(
                _("Kiến nghị vừa được xác minh là đã khắc phục: không cần báo cáo thêm.")
            )
        latest = recommendation.reports.aggregate(m=Max("version"))["m"] or 0
        report.version = latest + 1
        report.save()
        for upload in files:
            save(RemediationFile(report=report, uploaded_by=by, **checked_fields(upload)), upload)
    return report


def remediation_verify(
    *, recommendation: Recommendation, by, done: bool, note: str = ""
) -> Verification:
    """The team's judgement on the latest report (or on what it saw at a re-inspection). Not
    remedied needs a note saying what is missing; the unit may then report again."""
    if not done and not note.strip():
        raise ValidationError(
            _("Ghi nhận xét khi chưa đạt: nêu phần nào chưa khắc phục, đơn vị cần làm gì thêm.")
        )
    verification = Verification.objects.create(
        recommendation=recommendation,
        report=recommendation.reports.first(),
        done=done,
        note=note.strip(),
        verified_by=by,
    )
    recommendation.status = verified_status(done)
    recommendation.save(update_fields=["status"])
    return verification


def verified_status(done: bool) -> str:
    """A recommendation's status after a verification: its latest verification's outcome."""
    return RecommendationStatus.DONE if done else RecommendationStatus.NOT_DONE


def finding_evidence_add(*, finding: Finding, by, files: Iterable) -> list[FindingEvidence]:
    require_unfrozen(finding.frozen_by())
    files = list(files)
    if not files:
        raise ValidationError(_("Chưa chọn tệp minh chứng nào."))
    added = []
    with files_saved_atomically() as save:
        for upload in files:
            evidence = FindingEvidence(finding=finding, uploaded_by=by, **checked_fields(upload))
            save(evidence, upload)
            added.append(evidence)
    return added


# Re-inspection ------------------------------------------------------------------------------


@dataclass
class Proposal:
    """A unit proposed for re-inspection: valid on the new plan's date, with the unresolved
    recommendations it carries (their `responsible` is the original addressee), and its target
    in the plan if it already is one."""

    agency: Agency
    recommendations: list[Recommendation] = field(default_factory=list)
    existing: PlanTarget | None = None

    @property
    def already_reinspected(self) -> bool:
        return self.existing is not None and self.existing.kind == TargetKind.REINSPECTION

    @property
    def original_addressees(self) -> list[Agency]:
        seen: list[Agency] = []
        for r in self.recommendations:
            if r.responsible != self.agency and r.responsible not in seen:
                seen.append(r.responsible)
        return seen

    @property
    def reference(self) -> str:
        """The conclusion notices followed up, for the target's "văn bản kết luận" field."""
        notices = []
        for r in self.recommendations:
            notice = r.notice_reference
            if notice and notice not in notices:
                notices.append(notice)
        return "; ".join(notices)

    @property
    def reason(self) -> str:
        count = len(self.recommendations)
        return _("Còn %(n)d kiến nghị chưa khắc phục xong từ kỳ kiểm tra trước.") % {"n": count}


def unresolved_before(plan: Plan):
    """Unresolved recommendations of issued conclusions in earlier years of the plan's province
    and of the provinces it succeeded."""
    lineage = AdministrativeUnit.objects.lineage_ids(plan.province)
    notices = ConclusionNotice.objects.filter(
        plan=OuterRef("finding__visit__plan"),
        agency=OuterRef("finding__visit__agency"),
        status=NoticeStatus.ISSUED,
        amends__isnull=True,
    )
    return (
        Recommendation.objects.unresolved()
        .issued()
        .filter(
            finding__visit__plan__province_id__in=lineage,
            finding__visit__plan__year__lt=plan.year,
        )
        .annotate(
            notice_number=notices.values("number")[:1],
            notice_symbol=notices.values("symbol")[:1],
            notice_date=notices.values("issued_on")[:1],
        )
        .select_related("responsible__unit", "finding__visit__plan")
        .order_by("finding__visit__plan__year", "due_date", "pk")
    )


def _with_reference(recommendation: Recommendation) -> Recommendation:
    recommendation.notice_reference = (
        _("Thông báo kết luận số %(number)02d/%(symbol)s ngày %(day)s")
        % {
            "number": recommendation.notice_number,
            "symbol": recommendation.notice_symbol,
            "day": short_date(recommendation.notice_date),
        }
        if recommendation.notice_number
        else ""
    )
    return recommendation


def reinspection_proposals(plan: Plan) -> list[Proposal]:
    """Units with unresolved recommendations from earlier rounds, as they exist on the plan's
    date: an abolished unit is replaced by its successors (An Biên district in 2024 proposes the
    communes that took it over in 2026), the original addressee staying visible."""
    recommendations = [_with_reference(r) for r in unresolved_before(plan)]
    successors = agencies_successors_on(
        {r.responsible_id: r.responsible for r in recommendations}.values(), plan.document_date
    )
    targets = {t.agency_id: t for t in plan.targets.all()}
    proposals: dict[int, Proposal] = {}
    for recommendation in recommendations:
        for agency in successors[recommendation.responsible_id]:
            proposal = proposals.setdefault(
                agency.pk, Proposal(agency=agency, existing=targets.get(agency.pk))
            )
            proposal.recommendations.append(recommendation)
    return sorted(proposals.values(), key=lambda p: (p.agency.unit.level, p.agency.name))


def recommendations_to_verify(visit: Visit) -> list[Recommendation]:
    """At a re-inspection visit: the unresolved earlier recommendations that fall to the visited
    unit (to it directly, or to a unit it replaced)."""
    for proposal in reinspection_proposals(visit.plan):
        if proposal.agency.pk == visit.agency_id:
            return proposal.recommendations
    return []


def reinspection_targets_add(*, plan: Plan, proposals: Iterable[Proposal]) -> list[PlanTarget]:
    """Make proposals re-inspection targets, each with its reason and the notices it follows up:
    a new target, or an ordinary target of the plan turned into a re-inspection (a copied plan
    keeps last year's targets). If one is refused, nothing changes."""
    require_editable(plan)
    proposals = [p for p in proposals if not p.already_reinspected]
    with transaction.atomic():
        added = plan_targets_add(
            plan=plan, agencies=[p.agency for p in proposals if p.existing is None],
            kind=TargetKind.REINSPECTION,
        ) if any(p.existing is None for p in proposals) else []  # fmt: skip
        created = {t.agency_id: t for t in added}
        changed = []
        for proposal in proposals:
            target = proposal.existing or created[proposal.agency.pk]
            target.kind = TargetKind.REINSPECTION
            target.reason = "\n".join(x for x in (target.reason, proposal.reason) if x)
            target.follow_up_reference = proposal.reference[:300]
            target.follows_up = target.follows_up or earlier_target(plan, target.agency)
            target.save(update_fields=["kind", "reason", "follow_up_reference", "follows_up"])
            changed.append(target)
    return changed
