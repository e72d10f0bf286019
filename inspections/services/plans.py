"""Workflows of the inspection plan: create, add targets, submit, approve or return, issue, copy.

Each function validates, runs in a transaction and records the transition. A refused step raises
`ValidationError` with a Vietnamese message that says what is wrong and how to fix it, and
changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from inspections import mail
from inspections.models import (
    EDITABLE_STATUSES,
    ConclusionNotice,
    NoticeStatus,
    Outline,
    Plan,
    PlanBasis,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    TargetKind,
    TargetMode,
)
from inspections.plan_wording import unknown_placeholders
from inspections.services.lifecycle import (  # noqa: F401 (re-exported)
    conflict,
    current_value,
    issue,
    lock_row,
    number_allocate,
)
from inspections.text import passage, province_named, shift_years, short_date
from units.models import AdministrativeUnit, Agency, Level
from units.services import agency_successors_on


def _transition(plan: Plan, to: str, by, note: str = "") -> None:
    PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to, by=by, note=note
    )
    plan.status = to
    plan.save(update_fields=["status", "number", "document_date", "updated_at"])
    mail.workflow_step(plan, to, by=by, note=note)


def plan_create(*, by, **fields) -> Plan:
    """A new draft plan; the issuer must belong to the author's scope (checked by the view)."""
    with transaction.atomic():
        plan = Plan(created_by=by, **fields)
        plan.full_clean()
        plan.save()
        PlanTransition.objects.create(plan=plan, to_status=PlanStatus.DRAFT, by=by)
    return plan


def plan_relations_save(*, plan: Plan, team: Iterable[Agency], bases: Iterable) -> None:
    """The agencies of the plan's team and the documents it is based on, as chosen: those left
    out are removed, the new ones added in the order given."""
    _keep_chosen(plan.team_agencies, "agency", team)
    _keep_chosen(plan.bases, "document", bases)


def _keep_chosen(links, field: str, chosen: Iterable) -> None:
    chosen = list(chosen)
    links.exclude(**{f"{field}__in": chosen}).delete()
    kept = set(links.values_list(f"{field}_id", flat=True))
    for order, row in enumerate(chosen):
        if row.pk not in kept:
            links.create(**{field: row}, order=order)


def require_editable(plan: Plan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "Kế hoạch đang ở trạng thái “%s” nên không sửa được. Chỉ sửa được bản dự thảo "
                "hoặc bản bị trả lại."
            )
            % plan.get_status_display()
        )


# Targets ------------------------------------------------------------------------------------


class _PlanFacts:
    """What every target of a plan is checked against, read once for all of them (so checking
    forty targets takes the queries of one)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    @cached_property
    def lineage(self) -> frozenset[int]:
        return AdministrativeUnit.objects.lineage_ids(self.plan.province)

    @cached_property
    def three_tier(self) -> bool:
        return self.plan.three_tier


def target_problems(plan: Plan, agency: Agency, facts: _PlanFacts | None = None) -> list[str]:
    """Why `agency` cannot be a target of `plan` (empty when it can)."""
    facts = facts or _PlanFacts(plan)
    day = plan.document_date
    problems = []
    successors = [] if agency.is_valid_on(day) else agency_successors_on(agency, day)
    hint = _(" Đơn vị kế thừa: %s.") % ", ".join(a.name for a in successors) if successors else ""
    if agency.unit.level == Level.DISTRICT and not facts.three_tier:
        problems.append(
            _("Năm %(year)d không còn cấp huyện: không chọn %(agency)s.%(hint)s")
            % {"year": day.year, "agency": agency.name, "hint": hint}
        )
    elif not agency.is_valid_on(day):
        problems.append(
            _("%(agency)s không còn hiệu lực ngày %(day)s.%(hint)s")
            % {"agency": agency.name, "day": day.strftime("%d/%m/%Y"), "hint": hint}
        )
    if agency.province_id not in facts.lineage:
        problems.append(_("%s không thuộc tỉnh của kế hoạch.") % agency.name)
    return problems


def plan_targets_add(
    *,
    plan: Plan,
    agencies: Iterable[Agency],
    kind: str = TargetKind.INSPECTION,
    mode: str = TargetMode.ON_SITE,
    announced: bool = True,
    reason: str = "",
    follow_up_reference: str = "",
) -> list[PlanTarget]:
    """Add several targets at once; if any one is refused, none is added."""
    require_editable(plan)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError(_("Chưa chọn đơn vị nào: đánh dấu ít nhất một đơn vị để thêm."))
    existing = set(plan.targets.values_list("agency_id", flat=True))
    problems = []
    facts = _PlanFacts(plan)
    for agency in agencies:
        if agency.pk in existing:
            problems.append(_("%s đã có trong danh sách đối tượng.") % agency.name)
        problems += target_problems(plan, agency, facts)
    if problems:
        raise ValidationError(problems)
    start = (plan.targets.aggregate(m=Max("order"))["m"] or 0) + 1
    with transaction.atomic():
        return [
            PlanTarget.objects.create(
                plan=plan,
                agency=agency,
                kind=kind,
                mode=mode,
                announced=announced,
                reason=reason,
                follow_up_reference=follow_up_reference,
                follows_up=earlier_target(plan, agency)
                if kind == TargetKind.REINSPECTION
                else None,
                order=start + i,
            )
            for i, agency in enumerate(agencies)
        ]


def earlier_target(plan: Plan, agency: Agency) -> PlanTarget | None:
    """The same agency's target in the latest earlier issued plan of the province, if any."""
    return (
        PlanTarget.objects.filter(
            agency=agency, plan__province=plan.province, plan__year__lt=plan.year
        )
        .exclude(plan=plan)
        .order_by("-plan__year")
        .first()
    )


# Checks -------------------------------------------------------------------------------------


def plan_warnings(plan: Plan) -> list[str]:
    """What deserves a second look but does not block: the seed itself has the first one."""
    warnings = []
    if plan.self_report_deadline and plan.self_report_deadline < plan.document_date:
        warnings.append(
            _(
                "Hạn gửi báo cáo tự kiểm tra (%(deadline)s) sớm hơn ngày văn bản (%(date)s): "
                "kiểm tra lại một trong hai ngày."
            )
            % {
                "deadline": short_date(plan.self_report_deadline),
                "date": short_date(plan.document_date),
            }
        )
    if plan.period_start and plan.period_start < plan.document_date:
        warnings.append(_("Thời gian kiểm tra bắt đầu trước ngày văn bản."))
    if plan.period_end:  # the outline is read only when there is a period to check against
        warnings += _deadline_checks(plan, Outline.objects.filter(plan=plan).first())
    for target in plan.targets.all():
        if (
            target.kind == TargetKind.REINSPECTION
            and target.follows_up_id is None
            and not target.follow_up_reference
        ):
            warnings.append(
                _(
                    "Phúc tra %s nhưng không có kết luận kiểm tra trước trong hệ thống: ghi số, "
                    "ngày văn bản kết luận vào đối tượng này."
                )
                % target.agency.name
            )
    for item in plan.items.all():
        for name in unknown_placeholders(f"{item.heading} {item.text}"):
            warnings.append(
                _("Mục “%(item)s” dùng [%(name)s], không phải giá trị nào của kế hoạch.")
                % {"item": str(item)[:60], "name": name}
            )
    return warnings


def _submit_problems(plan: Plan) -> list[str]:
    problems = []
    if not plan.targets.exists():
        problems.append(_("Kế hoạch chưa có đối tượng kiểm tra: thêm ít nhất một đơn vị."))
    if not plan.items.exists():
        problems.append(_("Kế hoạch chưa có nội dung: thêm các mục I, II, III."))
    if not plan.signer_name:
        problems.append(_("Chưa ghi người ký: điền ở phần “Chữ ký và nơi nhận”."))
    facts = _PlanFacts(plan)
    for target in plan.targets.select_related("agency__unit"):
        problems += target_problems(plan, target.agency, facts)
    return problems


# Workflow -----------------------------------------------------------------------------------


def plan_submit(*, plan: Plan, by) -> None:
    require_editable(plan)
    problems = _submit_problems(plan)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _transition(plan, PlanStatus.SUBMITTED, by)


def plan_approve(*, plan: Plan, by, note: str = "") -> None:
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được kế hoạch đang chờ duyệt."))
    with transaction.atomic():
        _transition(plan, PlanStatus.APPROVED, by, note)


def plan_return(*, plan: Plan, by, note: str) -> None:
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang chờ duyệt hoặc đã duyệt."))
    if not note.strip():
        raise ValidationError(_("Ghi lý do trả lại để người soạn biết cần sửa gì."))
    with transaction.atomic():
        _transition(plan, PlanStatus.RETURNED, by, note.strip())


def plan_issue(
    *,
    plan: Plan,
    by,
    document_date: datetime.date | None = None,
    number: int | None = None,
    confirm: bool = False,
) -> list[str]:
    """Give the plan the next number of its issuer's register for the year, and lock it
    (`lifecycle.issue`; the date defaults to the plan's). `number` may be given to record a
    document already numbered on paper; it must be free. Returns the confirmed warnings."""
    return issue(plan, day=document_date, number=number, confirm=confirm, by=by)


# Copy ---------------------------------------------------------------------------------------


class _Notes(dict):
    """Messages for the author, in order, each said once (a body replaced in the issuer, the
    standing body, the team and the targets is named once)."""

    def add(self, message: str) -> None:
        self.setdefault(message, None)


def plan_copy(
    *, source: Plan, year: int, document_date: datetime.date, by
) -> tuple[Plan, list[str]]:
    """A new draft from an earlier plan, moved to `year`.

    Every year of the plan moves by the same number of years: title, opening, closing, period,
    budget, the body, targets' reasons, the outline's text (`text.shift_years`: never a cited
    document's own number, date or title) and the deadlines, which are then checked against the
    period. Bodies, team agencies and targets that no longer exist on the new date are replaced
    by their successors; a re-inspection whose successor is already an ordinary target turns
    that target into a re-inspection; re-inspections are linked to the conclusion notices the
    system holds. The returned notes say what was replaced and which texts still name the old
    year, for the author to review.
    """
    notes = _Notes()
    shift = year - source.year
    issuer = _carry(source.issuer, document_date, notes)
    if issuer is None:
        raise ValidationError(
            _("Cơ quan ban hành %s không còn và không có cơ quan kế thừa: chọn cơ quan khác.")
            % source.issuer.name
        )
    review: list[tuple[str, list[str]]] = []

    def moved(label: str, text: str) -> str:
        shifted, kept = shift_years(text, source.year, year)
        if kept:
            review.append((label, kept))
        return shifted

    with transaction.atomic():
        plan = Plan.objects.get(pk=source.pk)
        plan.pk = None
        plan._state.adding = True
        plan.version = 0
        plan.issuer = issuer
        if issuer.province_id != source.issuer.province_id:
            # The place before the date is the new issuer's province ("An Giang, ngày …").
            plan.place = issuer.province.short_name
        plan.year = year
        plan.document_date = document_date
        plan.number = None
        plan.status = PlanStatus.DRAFT
        plan.copied_from = source
        plan.created_by = by
        for name in ("summary", "preamble", "closing", "period_text", "budget_note"):
            label = str(Plan._meta.get_field(name).verbose_name)
            setattr(plan, name, moved(label.capitalize(), getattr(source, name)))
        plan.self_report_deadline = _years_later(source.self_report_deadline, shift)
        plan.period_start = _years_later(source.period_start, shift)
        plan.period_end = _years_later(source.period_end, shift)
        if plan.standing_agency_id:
            plan.standing_agency = _carry(source.standing_agency, document_date, notes)
        plan.save()
        PlanTransition.objects.create(
            plan=plan, to_status=PlanStatus.DRAFT, by=by, note=_("Sao chép từ %s") % source
        )
        for basis in source.bases.all():
            PlanBasis.objects.create(plan=plan, document=basis.document, order=basis.order)
        _copy_items(source, plan, moved)
        seen: set[int] = set()
        for team in source.team_agencies.select_related("agency"):
            for agency in _carry_all(team.agency, document_date, notes):
                if agency.pk not in seen:
                    seen.add(agency.pk)
                    PlanTeamAgency.objects.create(plan=plan, agency=agency, order=team.order)
        origins = _copy_targets(source, plan, notes, moved)
        _link_reinspections(source, plan, origins, notes)
        outline = _copy_outline(source, plan, shift, moved)
    for message in _deadline_checks(plan, outline):
        notes.add(message)
    for label, kept in review:
        notes.add(
            _("%(label)s còn ghi năm %(old)s hoặc %(before)s, xem lại: %(passages)s")
            % {
                "label": label,
                "old": source.year,
                "before": source.year - 1,
                "passages": "; ".join(f"“{k}”" for k in kept),
            }
        )
    return plan, list(notes)


def _copy_targets(source: Plan, plan: Plan, notes: _Notes, moved) -> dict[int, PlanTarget]:
    """The source's targets as they exist on the new date; returns {new target pk: the source
    target it continues}, the re-inspection's where a successor continues several."""
    day = plan.document_date
    copies: dict[int, PlanTarget] = {}
    origins: dict[int, PlanTarget] = {}
    targets = source.targets.select_related("agency__unit", "agency__province").prefetch_related(
        "content_areas"
    )
    for target in targets.order_by("order", "pk"):
        reason = moved(_("Lý do chọn %s") % target.agency.name, target.reason)
        carried = []
        for agency in _carry_all(target.agency, day, notes):
            existing = copies.get(agency.pk)
            if existing is None:
                copy = PlanTarget.objects.create(
                    plan=plan,
                    agency=agency,
                    kind=target.kind,
                    mode=target.mode,
                    announced=target.announced,
                    reason=reason,
                    order=target.order,
                )
                copy.content_areas.set(target.content_areas.all())
                copies[agency.pk] = copy
                origins[copy.pk] = target
                carried.append(agency)
            elif target.kind == TargetKind.REINSPECTION and existing.kind != target.kind:
                # The successor is already an ordinary target (it took over another target
                # too): it becomes a re-inspection, never a silently lost one.
                existing.kind = TargetKind.REINSPECTION
                existing.reason = "\n".join(r for r in (existing.reason, reason) if r)
                existing.save(update_fields=["kind", "reason"])
                carried.append(agency)
                other = origins[existing.pk].agency
                origins[existing.pk] = target
                notes.add(
                    _(
                        "%(new)s đã là đối tượng kiểm tra (kế thừa %(other)s), nay là đối tượng "
                        "phúc tra vì kế thừa cả %(old)s, đơn vị được phúc tra."
                    )
                    % {
                        "new": province_named(agency),
                        "other": province_named(other),
                        "old": province_named(target.agency),
                    }
                )
        if target.kind == TargetKind.REINSPECTION and carried and carried != [target.agency]:
            notes.add(
                _("Phúc tra %(old)s chuyển thành phúc tra đơn vị kế thừa: %(new)s.")
                % {
                    "old": province_named(target.agency),
                    "new": ", ".join(province_named(a) for a in carried),
                }
            )
    return origins


def _link_reinspections(
    source: Plan, plan: Plan, origins: dict[int, PlanTarget], notes: _Notes
) -> None:
    """Each re-inspection follows up the source's target it continues and cites the conclusion
    notices the system holds for it: those with recommendations still open (the proposals of
    `reinspection_proposals`), else the notices issued to that unit in the source's round."""
    # Imported here: the remediation services build on this module.
    from inspections.services.remediation import reinspection_proposals

    proposals = {p.agency.pk: p for p in reinspection_proposals(plan)}
    for target in plan.targets.filter(kind=TargetKind.REINSPECTION).select_related("agency"):
        origin = origins.get(target.pk)
        proposal = proposals.get(target.agency_id)
        reference = proposal.reference if proposal else ""
        if not reference and origin is not None:
            notices = ConclusionNotice.objects.filter(
                plan=source, agency=origin.agency, status=NoticeStatus.ISSUED
            ).order_by("issued_on", "pk")
            reference = "; ".join(
                _("Thông báo kết luận số %(number)s ngày %(day)s")
                % {"number": n.number_display, "day": short_date(n.issued_on)}
                for n in notices
            )
        if reference:
            target.follow_up_reference = reference[:300]
            target.follows_up = origin
            target.save(update_fields=["follow_up_reference", "follows_up"])
        else:
            notes.add(
                _(
                    "Phúc tra %(agency)s: hệ thống chưa có thông báo kết luận nào của kỳ kiểm tra "
                    "năm %(year)s cho đơn vị này; xem lại đối tượng phúc tra."
                )
                % {"agency": province_named(target.agency), "year": source.year}
            )


def _deadline_checks(plan: Plan, outline: Outline | None) -> list[str]:
    """Deadlines moved by whole years may fall after the period they belong to."""
    if plan.period_end is None:
        return []
    deadlines = [(_("Hạn gửi báo cáo tự kiểm tra"), plan.self_report_deadline)]
    if outline is not None:
        deadlines.append((_("Hạn gửi báo cáo của đối tượng kiểm tra"), outline.target_deadline))
    return [
        _(
            "%(what)s (%(deadline)s) sau ngày kết thúc thời gian kiểm tra (%(end)s): chọn lại "
            "một trong hai ngày."
        )
        % {"what": what, "deadline": short_date(day), "end": short_date(plan.period_end)}
        for what, day in deadlines
        if day and day > plan.period_end
    ]


def _copy_outline(source: Plan, plan: Plan, shift: int, moved) -> Outline | None:
    """The outline comes along, not yet sent, with its text and deadline moved."""
    outline = Outline.objects.filter(plan=source).first()
    if outline is None:
        return None
    copy = Outline.objects.create(
        plan=plan,
        guidance=moved(_("Hướng dẫn của đề cương"), outline.guidance),
        area_guidance={
            area: {
                "what": moved(_("Đề cương, hướng dẫn theo lĩnh vực"), text["what"]),
                "figures": [
                    moved(_("Đề cương, số liệu theo lĩnh vực"), f) for f in text["figures"]
                ],
            }
            for area, text in outline.area_guidance.items()
        },
        target_deadline=_years_later(outline.target_deadline, shift),
        include_non_targets=outline.include_non_targets,
        wants_unit_plan=outline.wants_unit_plan,
        letter_symbol=outline.letter_symbol,
        signer_capacity=outline.signer_capacity,
        signer_title=outline.signer_title,
    )
    for section in outline.sections.all():
        section.pk = None
        section.outline = copy
        section.title = moved(_("Đề cương, phần %s") % section.title[:40], section.title)
        section.guidance = moved(_("Đề cương, phần %s") % section.title[:40], section.guidance)
        section.save()
    for field in outline.fields.all():
        field.pk = None
        field.outline = copy
        field.save()
    return copy


def _years_later(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _carry_all(agency: Agency, day: datetime.date, notes: _Notes) -> list[Agency]:
    successors = agency_successors_on(agency, day)
    if successors != [agency]:
        if successors:
            notes.add(
                _("%(old)s → %(new)s (không còn ngày %(day)s).")
                % {
                    "old": province_named(agency),
                    "new": ", ".join(province_named(a) for a in successors),
                    "day": day.strftime("%d/%m/%Y"),
                }
            )
        else:
            notes.add(
                _("%(old)s không còn ngày %(day)s và không có đơn vị kế thừa: đã bỏ.")
                % {"old": province_named(agency), "day": day.strftime("%d/%m/%Y")}
            )
    return successors


def _carry(agency: Agency, day: datetime.date, notes: _Notes) -> Agency | None:
    successors = _carry_all(agency, day, notes)
    return successors[0] if successors else None


def _copy_items(source: Plan, plan: Plan, moved) -> None:
    items = list(source.items.prefetch_related("content_areas", "references"))
    new_pk: dict[int, PlanItem] = {}
    # Parents before children: an item's parent always comes earlier in depth order.
    pending = items
    while pending:
        later = []
        for item in pending:
            if item.parent_id and item.parent_id not in new_pk:
                later.append(item)
                continue
            copy = PlanItem.objects.create(
                plan=plan,
                parent=new_pk.get(item.parent_id),
                order=item.order,
                heading=moved(_("Mục “%s”") % passage(str(item), 0, 0, 8), item.heading),
                text=moved(_("Mục “%s”") % passage(str(item), 0, 0, 8), item.text),
                generated=item.generated,
            )
            copy.content_areas.set(item.content_areas.all())
            copy.references.set(item.references.all())
            new_pk[item.pk] = copy
        pending = later
