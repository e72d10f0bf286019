"""Amending an issued plan: a numbered amendment (kế hoạch điều chỉnh, bổ sung, or a decision)
drafted by staff, approved by a leader (or returned with a reason), then issued with the next
number of the issuer's register — the approval path of `services.approval`.

While drafted, the changes are proposals stored on the amendment; issuing applies them to the
plan in the same transaction as the number, or not at all. The plan's issued document is kept
as it was issued (`signals.plan_amending` lets `reports` keep its files first)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from inspections.locking import claim
from inspections.models import (
    AmendmentForm,
    AmendmentTarget,
    NoticeStatus,
    Plan,
    PlanAmendment,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    RequestMessage,
    Submission,
    TargetKind,
    TargetMode,
)
from inspections.services import lifecycle
from inspections.services.approval import approval_decide, approval_submit
from inspections.services.plans import lock_row, target_problems
from inspections.signals import document_issued, plan_amending
from inspections.text import short_date
from units.models import Agency

# The plan's fields an amendment may change; empty on the amendment = unchanged.
PLAN_FIELDS = ("period_text", "period_start", "period_end", "self_report_deadline")


def require_draft(amendment: PlanAmendment) -> None:
    if amendment.status != NoticeStatus.DRAFT:
        raise ValidationError(
            _("Văn bản điều chỉnh đang ở trạng thái “%s”: chỉ sửa được bản dự thảo.")
            % amendment.get_status_display()
        )


def amendment_start(*, plan: Plan, by, form: str = AmendmentForm.PLAN) -> PlanAmendment:
    """A new draft amendment of an issued plan, or the one not yet issued (one at a time)."""
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError(_("Chỉ điều chỉnh, bổ sung được kế hoạch đã ban hành."))
    with transaction.atomic():
        lock_row(plan)
        pending = plan.amendments.exclude(status=NoticeStatus.ISSUED).first()
        if pending is not None:
            return pending
        return PlanAmendment.objects.create(
            plan=plan, form=form, created_by=by, signer_name=plan.signer_name
        )


def amendment_save(
    *, amendment: PlanAmendment, version: int | None, team: list[Agency] | None = None, **fields
) -> None:
    """Save the draft's wording and proposed values (a form's cleaned data)."""
    require_draft(amendment)
    start = fields.get("period_start", amendment.period_start)
    end = fields.get("period_end", amendment.period_end)
    if start and end and start > end:
        raise ValidationError(_("Thời gian kiểm tra: ngày bắt đầu sau ngày kết thúc."))
    with transaction.atomic():
        if version is not None:
            claim(amendment, version)
        for name, value in fields.items():
            setattr(amendment, name, value)
        amendment.full_clean(exclude=["plan", "team"])
        amendment.save()
        if team is not None:
            amendment.team.set(team)


def removal_problems(target: PlanTarget) -> list[str]:
    """Why `target` cannot leave the plan: the round already worked on it."""
    name = target.agency.name
    problems = []
    if target.visits.exists():
        problems.append(
            _("%s đã có lịch kiểm tra (và có thể đã có kết quả kiểm tra): không bỏ được.") % name
        )
    requests = target.plan.requests.filter(agency=target.agency)
    if Submission.objects.filter(request__in=requests).exists():
        problems.append(_("%s đã nộp báo cáo tự kiểm tra: không bỏ được.") % name)
    elif RequestMessage.objects.filter(request__in=requests).exists():
        problems.append(_("%s đã trao đổi về yêu cầu báo cáo: không bỏ được.") % name)
    return problems


def amendment_target_add(
    *,
    amendment: PlanAmendment,
    agency: Agency,
    kind: str = TargetKind.INSPECTION,
    mode: str = TargetMode.ON_SITE,
    announced: bool = True,
    reason: str = "",
) -> AmendmentTarget:
    require_draft(amendment)
    plan = amendment.plan
    problems = target_problems(plan, agency)
    if plan.targets.filter(agency=agency).exists():
        problems.append(_("%s đã là đối tượng của kế hoạch.") % agency.name)
    if amendment.target_changes.filter(agency=agency).exists():
        problems.append(_("%s đã có trong văn bản điều chỉnh.") % agency.name)
    if problems:
        raise ValidationError(problems)
    change = AmendmentTarget(
        amendment=amendment, action=AmendmentTarget.Action.ADD, agency=agency, kind=kind,
        mode=mode, announced=announced, reason=reason,
    )  # fmt: skip
    change.full_clean(exclude=["amendment", "agency"])
    change.save()
    return change


def amendment_target_remove(*, amendment: PlanAmendment, target: PlanTarget) -> AmendmentTarget:
    require_draft(amendment)
    problems = removal_problems(target)
    if amendment.target_changes.filter(agency=target.agency_id).exists():
        problems.append(_("%s đã có trong văn bản điều chỉnh.") % target.agency.name)
    if problems:
        raise ValidationError(problems)
    return AmendmentTarget.objects.create(
        amendment=amendment, action=AmendmentTarget.Action.REMOVE, agency=target.agency
    )


def amendment_change_drop(*, amendment: PlanAmendment, change: AmendmentTarget) -> None:
    require_draft(amendment)
    change.delete()


def _has_changes(amendment: PlanAmendment) -> bool:
    return bool(
        amendment.content.strip()
        or amendment.changes_team
        or any(getattr(amendment, name) for name in PLAN_FIELDS)
        or amendment.target_changes.exists()
    )


def amendment_submit(*, amendment: PlanAmendment, version: int | None = None) -> None:
    require_draft(amendment)
    if not _has_changes(amendment):
        raise ValidationError(
            _(
                "Văn bản điều chỉnh chưa có nội dung: ghi nội dung điều chỉnh, hoặc đề xuất "
                "thay đổi đối tượng, thời gian, hạn báo cáo hay thành phần đoàn."
            )
        )
    if not amendment.signer_name.strip():
        raise ValidationError(_("Chưa ghi người ký."))
    approval_submit(amendment, version=version, return_reason="")


def amendment_decide(*, amendment: PlanAmendment, by, approve: bool, note: str = "") -> None:
    """A leader approves, or returns the draft with a reason its author reads on its page."""
    approval_decide(amendment, by=by, approve=approve, reason=note)


def amendment_issue(
    *,
    amendment: PlanAmendment,
    day: datetime.date | None = None,
    number: int | None = None,
    confirm: bool = False,
    by=None,
) -> list[str]:
    """Issue the approved amendment through the one lifecycle (its date, the issuer valid on it,
    the next number of the plan's register) and apply its changes to the plan, all in one
    transaction: a change that cannot be applied any more (a target visited since) refuses the
    issue and takes no number. Returns the warnings confirmed (`lifecycle.issue`)."""
    plan = amendment.plan
    with transaction.atomic():
        lock_row(plan)
        # The plan's issued text is kept before anything of it changes.
        plan_amending.send(sender=Plan, plan=plan)
        warnings = lifecycle.issue(
            amendment, kind="amendment", day=day, number=number, confirm=confirm, by=by
        )
        _apply(amendment)
        document_issued.send(sender=PlanAmendment, document=amendment)
    return warnings


def _apply(amendment: PlanAmendment) -> None:
    plan = Plan.objects.get(pk=amendment.plan_id)
    changes = list(amendment.target_changes.select_related("agency__unit"))
    existing = {t.agency_id: t for t in plan.targets.select_related("agency")}
    problems = []
    for change in changes:
        target = existing.get(change.agency_id)
        if change.action == AmendmentTarget.Action.REMOVE:
            problems += removal_problems(target) if target else []
        elif target is not None:
            problems.append(_("%s đã là đối tượng của kế hoạch.") % change.agency.name)
    if problems:
        raise ValidationError(problems)
    order = (plan.targets.aggregate(m=Max("order"))["m"] or 0) + 1
    for change in changes:
        target = existing.get(change.agency_id)
        if change.action == AmendmentTarget.Action.REMOVE:
            if target is not None:
                # Nothing was answered (checked above): the bare request goes with the target.
                plan.requests.filter(agency=change.agency_id).delete()
                target.delete()
            continue
        PlanTarget.objects.create(
            plan=plan, agency=change.agency, kind=change.kind, mode=change.mode,
            announced=change.announced, reason=change.reason, order=order, amendment=amendment,
        )  # fmt: skip
        order += 1
    changed = [name for name in PLAN_FIELDS if getattr(amendment, name)]
    if amendment.self_report_deadline and plan.self_report_deadline:
        # Units asked by the old deadline are asked by the new one.
        plan.requests.filter(is_target=False, deadline=plan.self_report_deadline).update(
            deadline=amendment.self_report_deadline
        )
    for name in changed:
        setattr(plan, name, getattr(amendment, name))
    if changed:
        plan.save(update_fields=[*changed, "updated_at"])
    if amendment.changes_team:
        team = list(amendment.team.order_by("name", "pk"))
        kept = {t.agency_id: t.order for t in plan.team_agencies.all()}
        plan.team_agencies.exclude(agency__in=team).delete()
        last = max(kept.values(), default=0)
        for agency in team:
            if agency.pk not in kept:
                last += 1
                PlanTeamAgency.objects.create(plan=plan, agency=agency, order=last)


def amendment_reference(amendment: PlanAmendment) -> str:
    """ "Kế hoạch điều chỉnh, bổ sung số 30/KH-UBND ngày 02/10/2023" (a draft: "dự thảo")."""
    if not amendment.is_issued:
        return f"{amendment.get_form_display()} ({_('dự thảo')})"
    kind = _("Quyết định") if amendment.form == AmendmentForm.DECISION else _("Kế hoạch")
    return _("%(kind)s số %(number)s ngày %(day)s") % {
        "kind": kind,
        "number": amendment.number_display,
        "day": short_date(amendment.issued_on),
    }
