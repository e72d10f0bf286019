"""Workflows of the inspection itself: form a team, issue its decision, choose communes in the
inspected districts, schedule visits with warnings for double bookings."""

from __future__ import annotations

import datetime
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspections.locking import StaleEdit, claim, stale_message
from inspections.models import (
    CalendarFeed,
    CommuneChoice,
    ConclusionNotice,
    DeadlineKind,
    Finding,
    Holiday,
    Minutes,
    NoticeStatus,
    Plan,
    PlanStatus,
    PlanTarget,
    Recommendation,
    Team,
    TeamMember,
    TeamTarget,
    Visit,
    VisitStatus,
    require_unfrozen,
)
from inspections.services.approval import approval_decide, approval_submit
from inspections.services.lifecycle import issue
from inspections.signals import document_issued
from inspections.workdays import Calendar
from units.models import Agency, Level


def team_create(*, plan: Plan, name: str, by) -> Team:
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError(_("Chỉ lập đoàn khi kế hoạch đã ban hành."))
    team = Team(plan=plan, name=name.strip() or _("Đoàn kiểm tra"))
    team.full_clean()  # the name comes straight from the page: too long is refused, not cut
    team.save()
    return team


def _require_draft_decision(team: Team) -> None:
    if team.is_issued:
        raise ValidationError(
            _("Quyết định thành lập đoàn đã ban hành: thành phần và đối tượng không sửa được.")
        )


def team_member_add(*, team: Team, **fields) -> TeamMember:
    _require_draft_decision(team)
    member = TeamMember(team=team, order=team.members.count() + 1, **fields)
    member.full_clean()
    member.save()
    return member


def team_targets_assign(*, team: Team, targets: list[PlanTarget]) -> int:
    """Give targets to the team; a target already with another team is refused."""
    _require_draft_decision(team)
    taken = (
        TeamTarget.objects.filter(target__in=targets)
        .exclude(team=team)
        .select_related("team", "target__agency")
    )
    if taken:
        raise ValidationError(
            [
                _("%(agency)s đã thuộc %(team)s.")
                % {"agency": t.target.agency.name, "team": t.team.name}
                for t in taken
            ]
        )
    with transaction.atomic():
        created = [
            TeamTarget.objects.get_or_create(team=team, target=target)[1] for target in targets
        ]
    return sum(created)


def team_decision_issue(*, team: Team, **step) -> list[str]:
    """Number the decision forming the team in the issuer's register. `step`: the issue's
    `day`, `number`, `confirm` and `by` (`lifecycle.issue`)."""
    _require_draft_decision(team)
    return issue(team, kind="decision", **step)


def schedule_notice_issue(*, team: Team, **step) -> list[str]:
    """Number and date the team's schedule notice (thông báo lịch kiểm tra): on or after the
    decision forming the team."""
    return issue(team, kind="schedule", **step)


def minutes_issue(*, minutes: Minutes, **step) -> list[str]:
    """Number the minutes of a visit, dated the visit's day."""
    return issue(minutes, **step)


# Communes of inspected districts ------------------------------------------------------------


def commune_candidates(target: PlanTarget) -> list[tuple[Agency, int | None]]:
    """The district's communes (their People's Committees) valid on the plan date, least recently
    inspected first: (committee, year last visited or None)."""
    plan = target.plan
    if target.agency.unit.level != Level.DISTRICT:
        raise ValidationError(_("Chỉ chọn xã cho đối tượng cấp huyện."))
    committees = list(
        Agency.objects.valid_on(plan.document_date)
        .filter(kind=Agency.Kind.COMMITTEE, unit__parent=target.agency.unit)
        .select_related("unit")
        .order_by("unit__code")
    )
    last: dict[int, int] = {}
    for agency_id, year in Visit.objects.filter(
        agency__in=committees, status=VisitStatus.DONE
    ).values_list("agency_id", "plan__year"):
        last[agency_id] = max(year, last.get(agency_id, 0))
    return sorted(
        ((c, last.get(c.pk)) for c in committees),
        key=lambda pair: (pair[1] or 0, pair[0].unit.code),
    )


def communes_choose(
    *, target: PlanTarget, agencies: list[Agency], by, seed: int | None = None
) -> list[CommuneChoice]:
    """Record the communes chosen in a district, at most the plan's N."""
    allowed = {a.pk for a, _y in commune_candidates(target)}
    limit = target.plan.communes_per_district or 0
    problems = [
        _("%s không thuộc huyện này hoặc không còn hiệu lực.") % a.name
        for a in agencies
        if a.pk not in allowed
    ]
    already = target.communes.count()
    if already + len(agencies) > limit:
        problems.append(
            _(
                "Kế hoạch quy định %(n)d xã mỗi huyện; đã chọn %(already)d, "
                "không chọn thêm %(more)d."
            )
            % {"n": limit, "already": already, "more": len(agencies)}
        )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return [
            CommuneChoice.objects.create(target=target, agency=a, chosen_by=by, seed=seed)
            for a in agencies
        ]


def communes_draw(*, target: PlanTarget, by, seed: int | None = None) -> list[CommuneChoice]:
    """A reproducible random draw of the missing communes; the seed is recorded with the choice."""
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    chosen = set(target.communes.values_list("agency_id", flat=True))
    pool = [a for a, _y in commune_candidates(target) if a.pk not in chosen]
    missing = (target.plan.communes_per_district or 0) - len(chosen)
    # Not for secrets: a draw anyone can replay from the recorded seed, which SystemRandom drew.
    picked = random.Random(seed).sample(pool, min(missing, len(pool))) if missing > 0 else []  # nosec B311
    return communes_choose(target=target, agencies=picked, by=by, seed=seed)


# Schedule -----------------------------------------------------------------------------------


def visit_warnings(visit: Visit) -> list[str]:
    """Double bookings of the team or of a member, and a visit outside the plan's period."""
    warnings = []
    overlapping = (
        Visit.objects.filter(
            date=visit.date, start_time__lt=visit.end_time, end_time__gt=visit.start_time
        )
        .exclude(pk=visit.pk)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("agency", "team")
    )
    for other in overlapping.filter(team=visit.team):
        warnings.append(
            _("Đoàn đã có lịch tại %(agency)s cùng giờ ngày %(day)s.")
            % {"agency": other.agency.name, "day": other.date.strftime("%d/%m/%Y")}
        )
    users = visit.team.members.exclude(user=None).values_list("user", flat=True)
    for other in (
        overlapping.exclude(team=visit.team).filter(team__members__user__in=users).distinct()
    ):
        warnings.append(
            _("Thành viên của đoàn cũng có lịch với %(team)s tại %(agency)s cùng giờ.")
            % {"team": other.team.name, "agency": other.agency.name}
        )
    plan = visit.plan
    if (plan.period_start and visit.date < plan.period_start) or (
        plan.period_end and visit.date > plan.period_end
    ):
        warnings.append(_("Ngày kiểm tra nằm ngoài thời gian kiểm tra của kế hoạch."))
    return warnings


def visit_schedule(*, team: Team, target: PlanTarget, agency: Agency, **fields) -> Visit:
    """Schedule a visit of the team to a target, or to a commune chosen in a target district."""
    if (
        target.plan_id != team.plan_id
        or not TeamTarget.objects.filter(team=team, target=target).exists()
    ):
        raise ValidationError(_("Đối tượng này không được giao cho đoàn: giao đối tượng trước."))
    if agency != target.agency and not target.communes.filter(agency=agency).exists():
        raise ValidationError(_("Chỉ lên lịch cho đối tượng hoặc xã đã chọn của đối tượng đó."))
    visit = Visit(plan=team.plan, team=team, target=target, agency=agency, **fields)
    visit.full_clean()
    visit.save()
    return visit


def calendar_feed_for(user, *, reset: bool = False) -> CalendarFeed:
    """The user's calendar address; `reset` gives a new one and ends the old."""
    token = secrets.token_urlsafe(32)
    if reset:
        feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
        return feed
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
    return feed


# Minutes, findings, recommendations ---------------------------------------------------------


def is_team_member(user, team: Team) -> bool:
    return team.members.filter(user=user).exists()


def minutes_save(*, visit: Visit, by, version: int | None = None, **fields) -> Minutes:
    """Record (or correct) the minutes of a visit; the visit is then done.

    `version` is the one the form was loaded with (0: no minutes yet); a save over minutes
    changed since is refused (`StaleEdit`). None (scripts, the demo round) does not check.
    Once the unit's conclusion notice is issued, the minutes are frozen (`FrozenRecord`).
    """
    require_unfrozen(visit.frozen_by())
    try:
        with transaction.atomic():
            minutes = Minutes.objects.filter(visit=visit).first() or Minutes(visit=visit)
            if minutes.is_issued:
                raise ValidationError(
                    _("Biên bản số %(n)02d/%(s)s đã ban hành ngày %(day)s: không sửa được.")
                    % {
                        "n": minutes.number,
                        "s": minutes.symbol,
                        "day": minutes.issued_on.strftime("%d/%m/%Y"),
                    }
                )
            if version is not None:
                claim(minutes, version)
            for name, value in fields.items():
                setattr(minutes, name, value)
            minutes.recorded_by = by
            minutes.save()
            if visit.status != VisitStatus.DONE:
                visit.status = VisitStatus.DONE
                visit.save(update_fields=["status"])
    except IntegrityError:
        # Two first recordings at once: the other one created the minutes in between.
        raise StaleEdit(stale_message(Minutes.objects.filter(visit=visit).first())) from None
    return minutes


def finding_add(
    *, visit: Visit, by, amendment: ConclusionNotice | None = None, **fields
) -> Finding:
    """A finding of the visit. Once the unit's conclusion notice is issued the visit is frozen:
    a finding is then only added by an amending notice being drafted (`amendment`)."""
    if amendment is not None and (
        amendment.amends_id is None
        or amendment.plan_id != visit.plan_id
        or amendment.agency_id != visit.agency_id
    ):
        raise ValidationError(
            _("Thông báo điều chỉnh, bổ sung này không thuộc đơn vị được kiểm tra.")
        )
    finding = Finding(visit=visit, recorded_by=by, amendment=amendment, **fields)
    require_unfrozen(finding.frozen_by())  # the visit's notice, or the amendment once issued
    finding.full_clean()
    finding.save()
    return finding


def due_date_of(
    *, start: datetime.date, kind: str, date=None, count=None, calendar: Calendar | None = None
) -> datetime.date:
    """The due date of a deadline given as a date, N days or N working days after `start`.
    Pure when given the `calendar` of working days (read from the holidays otherwise)."""
    if kind == DeadlineKind.DATE:
        return date
    if kind == DeadlineKind.DAYS:
        return start + datetime.timedelta(days=count)
    return (calendar or Holiday.objects.calendar()).add_working_days(start, count)


def recommendation_add(
    *,
    finding: Finding,
    responsible: Agency,
    text: str,
    deadline_kind: str,
    deadline_date: datetime.date | None = None,
    deadline_count: int | None = None,
) -> Recommendation:
    """A recommendation with its due date counted from the visit day; refused once the notice
    carrying the finding is issued."""
    require_unfrozen(finding.frozen_by())
    recommendation = Recommendation(finding=finding)
    _recommendation_set(recommendation, responsible, text, deadline_kind, deadline_date,
                        deadline_count)  # fmt: skip
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def _recommendation_set(recommendation, responsible, text, kind, day, count) -> None:
    """The wording, body and deadline of a recommendation, its due date counted from the visit."""
    visit = recommendation.finding.visit
    if kind == DeadlineKind.DATE and day and day < visit.date:
        raise ValidationError(_("Hạn khắc phục trước ngày kiểm tra: chọn ngày sau ngày kiểm tra."))
    recommendation.responsible = responsible
    recommendation.text = text
    recommendation.deadline_kind = kind
    recommendation.deadline_date = day if kind == DeadlineKind.DATE else None
    recommendation.deadline_count = count if kind != DeadlineKind.DATE else None
    try:
        recommendation.due_date = (
            due_date_of(start=visit.date, kind=kind, date=day, count=count)
            if (day or count)
            else visit.date
        )
    except OverflowError:  # counted from a visit at the end of the calendar
        raise ValidationError(_("Hạn khắc phục vượt quá năm 9999: ghi số ngày ít hơn.")) from None


# Changing and removing what was recorded, until the notice resting on it is issued ----------


def finding_change(*, finding: Finding, **fields) -> Finding:
    """New wording of a finding; refused once its notice is issued (the record is frozen)."""
    require_unfrozen(finding.frozen_by())
    for name, value in fields.items():
        setattr(finding, name, value)
    finding.full_clean()
    finding.save()
    return finding


def recommendation_change(
    *,
    recommendation: Recommendation,
    finding: Finding,
    responsible: Agency,
    text: str,
    deadline_kind: str,
    deadline_date: datetime.date | None = None,
    deadline_count: int | None = None,
) -> Recommendation:
    """New wording, body or deadline (the due date counted again); refused once frozen."""
    require_unfrozen(recommendation.finding.frozen_by())
    require_unfrozen(finding.frozen_by())
    recommendation.finding = finding
    _recommendation_set(recommendation, responsible, text, deadline_kind, deadline_date,
                        deadline_count)  # fmt: skip
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def removal_consequences(record: Finding | Recommendation) -> list[str]:
    """What goes with a finding or recommendation when it is removed, as the confirmation says
    it ("2 kiến nghị", "1 tệp minh chứng")."""
    if isinstance(record, Recommendation):
        return []
    said = []
    recommendations = record.recommendations.count()
    files = record.evidence.count()
    if recommendations:
        said.append(_("%d kiến nghị của kết quả này") % recommendations)
    if files:
        said.append(_("%d tệp minh chứng") % files)
    return said


def record_remove(record: Finding | Recommendation) -> None:
    """Remove a finding (with its recommendations and evidence files) or a recommendation,
    while no notice rests on it. A recommendation the unit has already reported on is kept: the
    unit's report is never lost."""
    finding = record if isinstance(record, Finding) else record.finding
    require_unfrozen(finding.frozen_by())
    recommendations = (
        Recommendation.objects.filter(pk=record.pk)
        if isinstance(record, Recommendation)
        else record.recommendations.all()
    )
    if recommendations.filter(reports__isnull=False).exists():
        raise ValidationError(_("Đơn vị đã báo cáo khắc phục kiến nghị này: không xoá được."))
    with transaction.atomic():
        if isinstance(record, Finding):
            files = [evidence.file for evidence in record.evidence.all()]
            record.evidence.all().delete()
            recommendations.delete()
            record.delete()
            transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
        else:
            record.delete()


# Conclusion notices -------------------------------------------------------------------------


def conclusion_prepare(*, plan: Plan, agency: Agency) -> ConclusionNotice:
    """The draft notice to a unit that was visited and has findings."""
    if not Finding.objects.filter(visit__plan=plan, visit__agency=agency).exists():
        raise ValidationError(_("Đơn vị chưa có kết quả kiểm tra nào: ghi kết quả trước."))
    notice, _created = ConclusionNotice.objects.get_or_create(plan=plan, agency=agency, amends=None)
    return notice


def conclusion_amend(*, notice: ConclusionNotice) -> ConclusionNotice:
    """A draft amended or supplementary notice (thông báo kết luận điều chỉnh, bổ sung) of an
    issued notice: the only way to correct or add to what the issued notice says. It goes
    through the same approval and numbering; the one being drafted is returned if any."""
    original = notice.amends or notice
    if original.status != NoticeStatus.ISSUED:
        raise ValidationError(
            _("Thông báo kết luận chưa ban hành: sửa trực tiếp bản dự thảo, không cần điều chỉnh.")
        )
    with transaction.atomic():
        ConclusionNotice.objects.select_for_update().filter(pk=original.pk).first()
        pending = original.amendments.exclude(status=NoticeStatus.ISSUED).first()
        if pending:
            return pending
        return ConclusionNotice.objects.create(
            plan=original.plan,
            agency=original.agency,
            amends=original,
            symbol=original.symbol,
            signer_name=original.signer_name,
        )


def conclusion_submit(
    *,
    notice: ConclusionNotice,
    summary: str | None = None,
    signer_name: str | None = None,
    corrections: str | None = None,
    version: int | None = None,
) -> None:
    """Send the draft to the leader, with its final summary and signer; a refused step changes
    nothing. `version` is the notice's when the page was loaded: a summary written over a newer
    one is refused."""
    fields = {"summary": summary, "signer_name": signer_name}
    if notice.is_amendment:
        fields["corrections"] = corrections
        wording = corrections if corrections is not None else notice.corrections
        if not wording.strip() and not notice.added_findings.exists():
            raise ValidationError(
                _(
                    "Thông báo điều chỉnh, bổ sung chưa có nội dung: ghi nội dung điều chỉnh, "
                    "hoặc ghi kết quả kiểm tra bổ sung tại trang cuộc kiểm tra."
                )
            )
    approval_submit(notice, version=version, **fields)


def conclusion_decide(*, notice: ConclusionNotice, by, approve: bool, reason: str = "") -> None:
    """A leader approves the notice, or returns it to draft with a reason for its author."""
    approval_decide(notice, by=by, approve=approve, reason=reason)


def conclusion_issue(
    *, notice: ConclusionNotice, confirm: bool = False, by=None, **step
) -> list[str]:
    """Number the notice in the issuer's register; from now on the unit sees it, and what it
    rests on is frozen: the visits' minutes, findings and recommendations (or, for an
    amendment, what it adds). Minutes not yet numbered are issued first, dated their visit's
    day. The notice and the minutes are rendered once and kept. Returns the confirmed
    warnings."""
    with transaction.atomic():
        warnings = []
        if not notice.is_amendment:
            for minutes in Minutes.objects.filter(
                visit__plan=notice.plan, visit__agency=notice.agency, number__isnull=True
            ).select_related("visit__plan__issuer"):
                warnings += issue(minutes, confirm=confirm, by=by)
        warnings += issue(notice, confirm=confirm, by=by, **step)
        if not notice.is_amendment:
            for minutes in Minutes.objects.filter(
                visit__plan=notice.plan, visit__agency=notice.agency
            ):
                document_issued.send(sender=Minutes, document=minutes)
    return warnings
