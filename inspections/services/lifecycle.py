"""One lifecycle for every official document of the round.

Plan (KH), team decision (QĐ), covering letter of the outline (CV), schedule notice (TB-ĐKT),
minutes (BB-ĐKT), conclusion notice (TB) and results report (BC) are one kind of thing: a draft,
approved by a leader where its type says so (submitted → approved, or returned with a reason),
then issued — numbered in its issuer's register and dated. `TYPES` says per type what differs
(symbol, approval, issuer, the date it must follow, who may take each step); `issue` is the one
issue step of every type.

The date rule. A document is issued with a document date (ngày ban hành): today in Vietnam by
default, an earlier day to record a document issued on paper, never a day to come. Its issuer is
the body valid on that day: a 2024 Kiên Giang round issues as Kiên Giang bodies whenever it is
recorded, and issuing as a body that does not exist on the day is refused, naming the body and
its successor. The round's chain follows time (decision and letter on or after the plan, schedule
notice on or after the decision, minutes on the visit's day, conclusion notice on or after its
minutes, results report on or after the last notice it counts), and numbers follow dates in
each register: a document that breaks either order is issued only after an explicit
confirmation (a paper record that really disagrees), and the warning is kept with its number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from inspections import mail
from inspections.models import (
    ConclusionNotice,
    DecisionStatus,
    IssuedNumber,
    Minutes,
    NoticeStatus,
    NumberRegister,
    Outline,
    Plan,
    PlanAmendment,
    PlanStatus,
    PlanTransition,
    ResultsReport,
    Team,
    VisitStatus,
)
from inspections.signals import document_issued
from inspections.text import province_named
from units.models import Agency, Role, today
from units.services import agency_successors_on

CONFIRM_LABEL = _("Xác nhận ngày trên văn bản giấy")


def dmy(day: datetime.date) -> str:
    """ "05/02/2024": dates in the messages of this module."""
    return day.strftime("%d/%m/%Y")


class NeedsConfirmation(ValidationError):
    """The issue breaks the chain's order in time or the register's order of dates: it is done
    only when the person issuing confirms the paper record (`confirm=True`)."""


# Row locks and conflicts ----------------------------------------------------------------------


def current_value(instance: models.Model, field: str = "status"):
    """`field` of `instance` as committed now, its row locked until the transaction ends (call
    in one). A workflow step re-reads its status so: of two steps taken at the same moment, the
    second waits for the first and then sees what it did, instead of doing it again."""
    manager = type(instance)._base_manager
    return manager.select_for_update().values_list(field, flat=True).get(pk=instance.pk)


def lock_row(instance: models.Model) -> None:
    """Lock `instance`'s row until the transaction ends (see `current_value`)."""
    current_value(instance, "pk")


def conflict(what: str) -> ValidationError:
    """Refusal of a step someone else took on the same document at the same moment."""
    return ValidationError(
        _(
            "Một người khác vừa thay đổi %(what)s này nên thao tác của bạn không được thực hiện. "
            "Hãy tải lại trang và thử lại."
        )
        % {"what": what}
    )


# Numbers ------------------------------------------------------------------------------------


def number_allocate(
    *,
    issuer: Agency,
    year: int,
    symbol: str,
    number=None,
    is_taken,
    day: datetime.date | None = None,
    document: str = "",
    warnings: list[str] | None = None,
) -> int:
    """The next number of the issuer's register for the year and symbol (call in a transaction).

    `number` may be given to record a document numbered on paper; `is_taken(n)` says whether a
    document already carries it (documents numbered before the register kept its numbers). The
    register's row is locked until the transaction ends (PostgreSQL; SQLite's transactions hold
    the database's write lock from their start), so concurrent issues queue; and the number is
    recorded in `IssuedNumber`, whose unique constraint refuses it twice in the database. A
    rolled-back issue takes no number.

    With the document's `day` and name, a number given out of the order of the register's dates
    (a larger number for an earlier day, or the reverse) is added to `warnings`, naming the
    document already numbered.
    """
    register, _created = NumberRegister.objects.get_or_create(
        issuer=issuer, year=year, symbol=symbol
    )
    register = NumberRegister.objects.select_for_update().get(pk=register.pk)
    if number is None:
        number = register.last_number + 1
    taken = ValidationError(
        _("Số %(n)02d/%(symbol)s đã cấp trong năm %(year)d: để trống để lấy số tiếp theo.")
        % {"n": number, "symbol": symbol, "year": year}
    )
    if is_taken(number):
        raise taken
    if day is not None and warnings is not None:
        earlier = (
            register.issued.filter(
                Q(number__lt=number, day__gt=day) | Q(number__gt=number, day__lt=day)
            )
            .order_by("-day", "number")
            .first()
        )
        if earlier is not None:
            warnings.append(
                _(
                    "Số không theo thứ tự ngày: %(other)s đề ngày %(other_day)s, còn văn bản "
                    "này số %(mine)02d/%(symbol)s đề ngày %(day)s."
                )
                % {
                    "other": earlier.document
                    or _("văn bản số %(n)02d/%(symbol)s") % {"n": earlier.number, "symbol": symbol},
                    "symbol": symbol,
                    "other_day": dmy(earlier.day),
                    "mine": number,
                    "day": dmy(day),
                }
            )
    try:
        with transaction.atomic():
            IssuedNumber.objects.create(
                register=register, number=number, day=day, document=document[:300]
            )
    except IntegrityError:
        raise taken from None
    register.last_number = max(register.last_number, number)
    register.save(update_fields=["last_number"])
    return number


# The document types ---------------------------------------------------------------------------

STAFF = (Role.STAFF,)
LEADER = (Role.LEADER,)
READERS = (Role.STAFF, Role.LEADER, Role.TEAM)


@dataclass(frozen=True)
class DocumentType:
    """What differs between the round's documents; everything else is the one lifecycle."""

    key: str
    name: str  # "Quyết định thành lập đoàn": in messages and in the register
    model: type[models.Model]
    approval: bool  # submitted to and approved by a leader before issue
    symbol_field: str
    number_field: str
    date_field: str
    issuer: Callable[[Any], Agency]  # the body the document is issued as
    # (what, its date) the document must be dated on or after; missing dates are skipped.
    follows: Callable[[Any], list[tuple[str, datetime.date | None]]]
    # (what, the date) the document must bear exactly (minutes: the visit's day), or None.
    same_day: Callable[[Any], tuple[str, datetime.date] | None] = lambda d: None
    default_day: Callable[[Any], datetime.date | None] = lambda d: None
    ready: Callable[[Any], None] = lambda d: None  # raises ValidationError if not issuable
    finish: Callable[[Any, Any], None] = lambda d, by: None  # status, transitions, save
    # The path from the document to its issuer, for numbers given before the register kept them.
    issuer_path: str | None = None
    kept: bool = True  # rendered once at issue and kept (`document_issued`)
    # Who may take each step: submit, approve, return, issue, download.
    steps: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def number(self, document) -> int | None:
        return getattr(document, self.number_field)

    def day(self, document) -> datetime.date | None:
        return getattr(document, self.date_field)

    def symbol(self, document) -> str:
        return getattr(document, self.symbol_field)

    def label(self, document, number: int | None = None) -> str:
        number = number if number is not None else self.number(document)
        shown = f"{number:02d}/{self.symbol(document)}" if number else f"…/{self.symbol(document)}"
        return _("%(name)s số %(number)s") % {"name": self.name, "number": shown}

    def is_issued(self, document) -> bool:
        return self.number(document) is not None


def _label(kind: str, document) -> str:
    return TYPES[kind].label(document)


def _require_approved(document) -> None:
    if document.status != NoticeStatus.APPROVED:
        raise ValidationError(_("Chỉ ban hành được văn bản đã được lãnh đạo duyệt."))


def _approved_issued(document, by) -> None:
    document.status = NoticeStatus.ISSUED
    document.return_reason = ""
    document.save(update_fields=["number", "issued_on", "status", "return_reason"])


def _plan_ready(plan: Plan) -> None:
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Chỉ ban hành được kế hoạch đã được lãnh đạo duyệt."))


def _plan_issued(plan: Plan, by) -> None:
    PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=PlanStatus.ISSUED, by=by
    )
    plan.status = PlanStatus.ISSUED
    plan.save(update_fields=["status", "number", "document_date", "updated_at"])


def _decision_ready(team: Team) -> None:
    if not team.members.filter(role="lead").exists():
        raise ValidationError(_("Đoàn chưa có Trưởng đoàn: thêm trước khi ban hành quyết định."))
    if not team.signer_name:
        raise ValidationError(_("Chưa ghi người ký quyết định."))


def _decision_issued(team: Team, by) -> None:
    team.decision_status = DecisionStatus.ISSUED
    team.save(update_fields=["decision_number", "decision_date", "decision_status"])


def _schedule_ready(team: Team) -> None:
    if not team.is_issued:
        raise ValidationError(
            _("Quyết định thành lập đoàn chưa ban hành: ban hành trước thông báo lịch kiểm tra.")
        )
    if not team.visits.exclude(status=VisitStatus.CANCELLED).exists():
        raise ValidationError(_("Đoàn chưa có lịch kiểm tra nào: lên lịch trước khi thông báo."))


def _saved(*fields: str) -> Callable[[Any, Any], None]:
    return lambda document, by: document.save(update_fields=list(fields))


def _minutes_of(notice: ConclusionNotice):
    return Minutes.objects.filter(
        visit__plan=notice.plan_id, visit__agency=notice.agency_id
    ).exclude(visit__status=VisitStatus.CANCELLED)


def _notice_follows(notice: ConclusionNotice) -> list[tuple[str, datetime.date | None]]:
    if notice.amends_id:
        original = notice.amends
        return [(_label("conclusion", original), original.issued_on)]
    return [
        (_label("minutes", m) if m.number else _("Biên bản kiểm tra"), m.issued_on or m.visit.date)
        for m in _minutes_of(notice).select_related("visit")
    ]


def _report_follows(report: ResultsReport) -> list[tuple[str, datetime.date | None]]:
    last = (
        ConclusionNotice.objects.filter(plan=report.plan_id, status=NoticeStatus.ISSUED)
        .order_by("-issued_on", "-pk")
        .first()
    )
    return [(_label("conclusion", last), last.issued_on)] if last else []


def _plan_of(document) -> Plan:
    return document.plan


def _after_plan(document) -> list[tuple[str, datetime.date | None]]:
    plan = _plan_of(document)
    return [(_label("plan", plan), plan.document_date)]


TYPES: dict[str, DocumentType] = {
    t.key: t
    for t in (
        DocumentType(
            key="plan",
            name=_("Kế hoạch kiểm tra"),
            model=Plan,
            approval=True,
            symbol_field="symbol",
            number_field="number",
            date_field="document_date",
            issuer=lambda plan: plan.issuer,
            follows=lambda plan: [],
            default_day=lambda plan: plan.document_date,
            ready=_plan_ready,
            finish=_plan_issued,
            issuer_path="issuer",
            steps={"submit": STAFF, "approve": LEADER, "return": LEADER, "issue": STAFF},
        ),
        DocumentType(
            key="amendment",
            name=_("Văn bản điều chỉnh kế hoạch"),
            model=PlanAmendment,
            approval=True,
            symbol_field="symbol",
            number_field="number",
            date_field="issued_on",
            issuer=lambda amendment: amendment.plan.issuer,
            follows=_after_plan,
            ready=_require_approved,
            finish=_approved_issued,
            issuer_path="plan__issuer",
            # `amendment_issue` applies the changes to the plan, then has the files kept.
            kept=False,
            steps={"submit": STAFF, "approve": LEADER, "return": LEADER, "issue": STAFF},
        ),
        DocumentType(
            key="decision",
            name=_("Quyết định thành lập đoàn"),
            model=Team,
            approval=False,
            symbol_field="decision_symbol",
            number_field="decision_number",
            date_field="decision_date",
            issuer=lambda team: team.plan.issuer,
            follows=_after_plan,
            default_day=lambda team: team.decision_date,  # a date set beforehand (the admin)
            ready=_decision_ready,
            finish=_decision_issued,
            issuer_path="plan__issuer",
            steps={"issue": STAFF, "download": READERS},
        ),
        DocumentType(
            key="letter",
            name=_("Công văn gửi đề cương"),
            model=Outline,
            approval=False,
            symbol_field="letter_symbol",
            number_field="letter_number",
            date_field="letter_date",
            issuer=lambda outline: outline.plan.standing_agency or outline.plan.issuer,
            follows=_after_plan,
            finish=_saved("letter_number", "letter_date"),
            steps={"issue": STAFF, "download": READERS},
        ),
        DocumentType(
            key="schedule",
            name=_("Thông báo lịch kiểm tra"),
            model=Team,
            approval=False,
            symbol_field="schedule_symbol",
            number_field="schedule_number",
            date_field="schedule_date",
            issuer=lambda team: team.plan.issuer,
            follows=lambda team: [(_label("decision", team), team.decision_date)],
            ready=_schedule_ready,
            finish=_saved("schedule_number", "schedule_date"),
            # The team's rendition is its decision's; the notice is rendered at each download.
            kept=False,
            steps={"issue": STAFF, "download": READERS},
        ),
        DocumentType(
            key="minutes",
            name=_("Biên bản kiểm tra"),
            model=Minutes,
            approval=False,
            symbol_field="symbol",
            number_field="number",
            date_field="issued_on",
            issuer=lambda minutes: minutes.visit.plan.issuer,
            follows=lambda minutes: [],
            same_day=lambda minutes: (_("ngày kiểm tra"), minutes.visit.date),
            default_day=lambda minutes: minutes.visit.date,
            finish=_saved("number", "issued_on"),
            # Kept once the unit's conclusion notice freezes it (`reports.issued`).
            kept=False,
            steps={"issue": (Role.STAFF, Role.TEAM), "download": READERS},
        ),
        DocumentType(
            key="conclusion",
            name=_("Thông báo kết luận kiểm tra"),
            model=ConclusionNotice,
            approval=True,
            symbol_field="symbol",
            number_field="number",
            date_field="issued_on",
            issuer=lambda notice: notice.plan.issuer,
            follows=_notice_follows,
            ready=_require_approved,
            finish=_approved_issued,
            issuer_path="plan__issuer",
            steps={"submit": STAFF, "approve": LEADER, "return": LEADER, "issue": STAFF},
        ),
        DocumentType(
            key="results",
            name=_("Báo cáo kết quả kiểm tra"),
            model=ResultsReport,
            approval=True,
            symbol_field="symbol",
            number_field="number",
            date_field="issued_on",
            issuer=lambda report: report.issuer,
            follows=_report_follows,
            ready=_require_approved,
            finish=_approved_issued,
            issuer_path="issuer",
            steps={"submit": STAFF, "approve": LEADER, "return": LEADER, "issue": STAFF},
        ),
    )
}


def roles(kind: str, step: str) -> tuple[str, ...]:
    """The roles that may take `step` on documents of type `kind` (for the views' checks)."""
    return TYPES[kind].steps.get(step, ())


# The rules of the date ------------------------------------------------------------------------


def issuer_on(issuer: Agency, day: datetime.date) -> Agency:
    """`issuer` if it exists on `day`; else refused, naming the body and who carries on."""
    if issuer.is_valid_on(day):
        return issuer
    if issuer.valid_from and day < issuer.valid_from:
        raise ValidationError(
            _(
                "%(body)s chưa thành lập ngày %(day)s (có từ %(from)s): chọn ngày ban hành từ "
                "ngày đó."
            )
            % {
                "body": province_named(issuer),
                "day": dmy(day),
                "from": dmy(issuer.valid_from),
            }
        )
    successors = [a for a in agency_successors_on(issuer, day) if a.pk != issuer.pk]
    raise ValidationError(
        _(
            "%(body)s không còn tồn tại ngày %(day)s (hết hiệu lực từ %(to)s; cơ quan kế thừa: "
            "%(successors)s): văn bản không thể ban hành nhân danh cơ quan này ngày đó. Ghi ngày "
            "ban hành trên văn bản giấy, khi cơ quan còn hoạt động."
        )
        % {
            "body": province_named(issuer),
            "day": dmy(day),
            "to": dmy(issuer.valid_to + datetime.timedelta(days=1)),
            "successors": ", ".join(province_named(a) for a in successors) or _("không có"),
        }
    )


def chain_problems(kind: DocumentType, document, day: datetime.date) -> list[str]:
    """Where `day` breaks the chain's order in time (each message names both dates)."""
    problems = [
        _("Ngày ban hành %(day)s trước ngày của %(what)s (%(other)s).")
        % {"day": dmy(day), "what": what, "other": dmy(other)}
        for what, other in kind.follows(document)
        if other is not None and day < other
    ]
    same = kind.same_day(document)
    if same is not None and same[1] != day:
        problems.append(
            _("%(name)s phải đề %(what)s (%(other)s), không phải %(day)s.")
            % {
                "name": kind.name,
                "what": same[0],
                "other": dmy(same[1]),
                "day": dmy(day),
            }
        )
    return problems


def document_type(document, kind: str | None = None) -> DocumentType:
    if kind is not None:
        return TYPES[kind]
    (found,) = [t for t in TYPES.values() if t.model is type(document)]
    return found


def issue(
    document,
    *,
    kind: str | None = None,
    day: datetime.date | None = None,
    number: int | None = None,
    confirm: bool = False,
    by=None,
) -> list[str]:
    """Issue the document: number it in its issuer's register and date it `day`.

    `day` defaults to today in Vietnam (the visit's day for minutes, the plan's date for a
    plan); a day to come, or one on which the issuer does not exist, is refused. `number` records
    a document numbered on paper (checked against the register). A day out of the chain's order,
    or a number out of the register's order of dates, raises `NeedsConfirmation` unless
    `confirm`; confirmed, the warnings are kept with the number and returned. Nothing is written
    by a refused issue, and no number is taken."""
    kind_ = document_type(document, kind)
    if kind_.is_issued(document):
        raise ValidationError(_("%s đã ban hành.") % kind_.label(document))
    kind_.ready(document)
    day = day or kind_.default_day(document) or today()
    if day > today():
        raise ValidationError(
            _("Ngày ban hành %(day)s chưa đến (hôm nay %(today)s): không ghi ngày tương lai.")
            % {"day": dmy(day), "today": dmy(today())}
        )
    issuer = issuer_on(kind_.issuer(document), day)
    warnings = chain_problems(kind_, document, day)
    symbol = kind_.symbol(document)
    with transaction.atomic():
        if current_value(document, kind_.number_field) is not None:
            raise conflict(kind_.name.lower())
        if kind_.approval and current_value(document) != document.status:
            raise conflict(kind_.name.lower())
        previous = kind_.model._base_manager.exclude(pk=document.pk).filter(
            **{
                kind_.symbol_field: symbol,
                f"{kind_.date_field}__year": day.year,
                **({kind_.issuer_path: issuer} if kind_.issuer_path else {}),
            }
        )
        given = number_allocate(
            issuer=issuer,
            year=day.year,
            symbol=symbol,
            number=number,
            is_taken=lambda n: previous.filter(**{kind_.number_field: n}).exists(),
            day=day,
            document=kind_.name,
            warnings=warnings,
        )
        if warnings and not confirm:
            raise NeedsConfirmation(
                [
                    *warnings,
                    _("Nếu văn bản giấy đúng như vậy, đánh dấu “%s” rồi ban hành lại.")
                    % CONFIRM_LABEL,
                ],
                code="confirm",
            )
        IssuedNumber.objects.filter(
            register__issuer=issuer, register__year=day.year, register__symbol=symbol, number=given
        ).update(document=kind_.label(document, given), warning="\n".join(warnings))
        setattr(document, kind_.number_field, given)
        setattr(document, kind_.date_field, day)
        kind_.finish(document, by)
        if kind_.kept:
            document_issued.send(sender=kind_.model, document=document)
        mail.workflow_step(document, PlanStatus.ISSUED, by=by)  # the documents mail is about
    return warnings
