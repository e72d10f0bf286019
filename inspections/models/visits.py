"""The inspection itself: teams with their members and targets, communes chosen in inspected
districts, and the scheduled visits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from inspections.locking import Versioned
from inspections.models.change_history import RecordedHistory
from inspections.models.plans import Plan, PlanTarget, TargetMode
from units.access import PROVINCE_ROLES, as_scope
from units.limits import NOTE, PROSE, LimitedTextField
from units.models import Agency, Role, today


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Team(Versioned):
    """An inspection team (Đoàn kiểm tra), formed by a decision of the People's Committee."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="teams", verbose_name=_("kế hoạch")
    )
    name = models.CharField(_("tên đoàn"), max_length=200, default="Đoàn kiểm tra")
    tasks = LimitedTextField(
        _("nhiệm vụ, quyền hạn (Điều 2)"),
        blank=True,
        default=(
            "Đoàn kiểm tra có nhiệm vụ kiểm tra công tác cải cách hành chính tại các cơ quan, đơn "
            "vị, địa phương theo Kế hoạch; được yêu cầu cung cấp thông tin, hồ sơ, tài liệu liên "
            "quan; kết thúc kiểm tra, báo cáo kết quả và kiến nghị Ủy ban nhân dân tỉnh xem xét, "
            "xử lý.\nTrưởng đoàn phân công nhiệm vụ cho các thành viên; thành viên Đoàn làm việc "
            "theo chế độ kiêm nhiệm; Đoàn tự giải thể sau khi hoàn thành nhiệm vụ."
        ),
        max_length=PROSE,
    )
    decision_symbol = models.CharField(_("ký hiệu quyết định"), max_length=40, default="QĐ-UBND")
    decision_number = models.PositiveIntegerField(_("số quyết định"), null=True, editable=False)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_status = models.CharField(
        _("tình trạng quyết định"),
        max_length=10,
        choices=DecisionStatus.choices,
        default=DecisionStatus.DRAFT,
        editable=False,
    )
    # The team's schedule notice (thông báo lịch kiểm tra), numbered in the register of the
    # committee that formed the team under its own symbol.
    schedule_symbol = models.CharField(
        _("ký hiệu thông báo lịch kiểm tra"), max_length=40, default="TB-ĐKT"
    )
    schedule_number = models.PositiveIntegerField(
        _("số thông báo lịch kiểm tra"), null=True, editable=False
    )
    schedule_date = models.DateField(_("ngày thông báo lịch kiểm tra"), null=True, editable=False)
    signing_capacity = models.CharField(
        _("hình thức ký"), max_length=100, blank=True, default="KT. CHỦ TỊCH"
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=100, blank=True, default="PHÓ CHỦ TỊCH"
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    history = RecordedHistory()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("đoàn kiểm tra")
        verbose_name_plural = _("đoàn kiểm tra")

    def __str__(self) -> str:
        return f"{self.name} — {self.plan.number_display}"

    @property
    def is_issued(self) -> bool:
        return self.decision_status == DecisionStatus.ISSUED

    @property
    def schedule_issued(self) -> bool:
        return self.schedule_number is not None


class ScheduleNotice(Team):
    """The team's schedule notice (thông báo lịch kiểm tra, TB-ĐKT) as a document of its own:
    its number and date are the team's `schedule_*` fields, and its kept files
    (`IssuedRendition`, keyed by this model's content type) are apart from the decision's."""

    class Meta:
        proxy = True
        verbose_name = _("thông báo lịch kiểm tra")
        verbose_name_plural = _("thông báo lịch kiểm tra")

    def __str__(self) -> str:
        return f"{_('Thông báo lịch kiểm tra')} — {self.name}"


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Trưởng đoàn")
    DEPUTY = "deputy", _("Phó Trưởng đoàn")
    MEMBER = "member", _("Thành viên")
    SECRETARY = "secretary", _("Thư ký")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        help_text=_("Tài khoản trong hệ thống, để thành viên thấy các cuộc kiểm tra của Đoàn"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=100)
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("nhiệm vụ trong đoàn"), max_length=10, choices=TeamRole.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = RecordedHistory()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(user__isnull=False),
                name="inspections_team_member_unique",
                violation_error_message=_("Người này đã có trong đoàn."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="lead"),
                name="inspections_team_one_lead",
                violation_error_message=_("Mỗi đoàn chỉ có một Trưởng đoàn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class TeamTarget(models.Model):
    """A plan target given to a team (a target belongs to one team at most)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    target = models.OneToOneField(
        PlanTarget,
        verbose_name=_("đối tượng"),
        on_delete=models.CASCADE,
        related_name="assignment",
    )
    history = RecordedHistory()

    class Meta:
        verbose_name = _("đối tượng của đoàn")
        verbose_name_plural = _("đối tượng của đoàn")

    def __str__(self) -> str:
        return f"{self.team.name}: {self.target.agency}"


class CommuneChoice(models.Model):
    """A commune the team chose in an inspected district (the plan's N communes per district)."""

    target = models.ForeignKey(
        PlanTarget,
        verbose_name=_("đối tượng kiểm tra"),
        on_delete=models.CASCADE,
        related_name="communes",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Ủy ban nhân dân cấp xã"), on_delete=models.PROTECT, related_name="+"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chọn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chọn lúc"), auto_now_add=True)
    # A reproducible draw records its seed; a choice by hand records none.
    seed = models.BigIntegerField(_("hạt giống bốc thăm"), null=True, blank=True)

    class Meta:
        ordering = ["target", "pk"]
        verbose_name = _("xã được chọn kiểm tra")
        verbose_name_plural = _("xã được chọn kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["target", "agency"], name="inspections_commune_unique")
        ]

    def __str__(self) -> str:
        return str(self.agency)


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    DONE = "done", _("Đã kiểm tra")
    CANCELLED = "cancelled", _("Đã hủy")


class VisitQuerySet(models.QuerySet):
    def secret(self) -> VisitQuerySet:
        """Visits a unit must not learn of in advance: unannounced, or of an unannounced target."""
        return self.filter(Q(announced=False) | Q(target__announced=False))

    def visible_to(self, user_or_scope) -> VisitQuerySet:
        """Visits a user may see (cancelled ones left out): staff and leaders of the province
        all; team members their team's; a unit its own, a secret one (`secret`) only from the
        visit's day in Vietnam — the same rule as `PlanTarget.objects.visible_to`."""
        scope = as_scope(user_or_scope)
        visits = self.exclude(status=VisitStatus.CANCELLED)
        if scope.is_admin:
            return visits
        if scope.role in (Role.STAFF, Role.LEADER):
            return visits.filter(plan__province_id__in=scope.province_ids)
        if scope.role == Role.TEAM:
            return visits.filter(team__members__user_id=scope.user_id)
        if scope.is_reporter:
            return visits.filter(agency_id=scope.agency_id).filter(
                Q(announced=True, target__announced=True) | Q(date__lte=today())
            )
        return visits.none()


class Visit(models.Model):
    """A team's visit to one unit: a target, or a commune chosen in a target district."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="visits", verbose_name=_("kế hoạch")
    )
    team = models.ForeignKey(
        Team, verbose_name=_("đoàn kiểm tra"), on_delete=models.PROTECT, related_name="visits"
    )
    target = models.ForeignKey(
        PlanTarget, verbose_name=_("đối tượng"), on_delete=models.PROTECT, related_name="visits"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("ngày"))
    start_time = models.TimeField(_("từ"))
    end_time = models.TimeField(_("đến"))
    place = models.CharField(_("địa điểm"), max_length=300)
    mode = models.CharField(
        _("cách kiểm tra"), max_length=15, choices=TargetMode.choices, default=TargetMode.ON_SITE
    )
    announced = models.BooleanField(_("báo trước"), default=True)
    attendees = LimitedTextField(
        _("thành phần đơn vị tham dự"),
        blank=True,
        default="Lãnh đạo đơn vị; công chức phụ trách công tác cải cách hành chính.",
        max_length=NOTE,
    )
    prepare = LimitedTextField(
        _("đơn vị chuẩn bị"),
        blank=True,
        default="Báo cáo tự kiểm tra; hồ sơ, tài liệu minh chứng theo đề cương.",
        max_length=NOTE,
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    history = RecordedHistory()

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="inspections_visit_time_order",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.date:%d/%m/%Y}"

    def frozen_by(self) -> ConclusionNotice | None:
        """The issued conclusion notice to the visited unit, which rests on this visit's minutes,
        findings and recommendations: from its issue on, they never change (see `RestsOnNotice`)."""
        return (
            ConclusionNotice.objects.filter(
                plan_id=self.plan_id,
                agency_id=self.agency_id,
                amends__isnull=True,
                status=NoticeStatus.ISSUED,
            )
            .order_by()
            .first()
        )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_by() is not None


class CalendarFeed(models.Model):
    """A secret address for a user's visits in a calendar application (iCalendar), which cannot
    sign in. Resetting it makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lịch đăng ký (iCalendar)")
        verbose_name_plural = _("lịch đăng ký (iCalendar)")

    def __str__(self) -> str:
        return str(self.user)


# Minutes, findings and recommendations ------------------------------------------------------


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Ưu điểm")
    SHORTCOMING = "shortcoming", _("Tồn tại, hạn chế")
    GOOD_MODEL = "good_model", _("Mô hình hay, cách làm mới cần nhân rộng")


class Severity(models.TextChoices):
    MINOR = "minor", _("Nhẹ")
    MODERATE = "moderate", _("Trung bình")
    SERIOUS = "serious", _("Nghiêm trọng")


class FrozenRecord(ValidationError):
    """A change to what an issued conclusion notice rests on (refused, nothing written)."""


def frozen_message(notice: ConclusionNotice) -> str:
    return _(
        "%(kind)s số %(number)s đã ban hành ngày %(day)s: không thể sửa biên bản, phát hiện, "
        "kiến nghị. Muốn đính chính, hãy lập thông báo kết luận điều chỉnh, bổ sung."
    ) % {
        "kind": notice.kind_label,
        "number": notice.number_display,
        "day": notice.issued_on.strftime("%d/%m/%Y") if notice.issued_on else "",
    }


def require_unfrozen(notice: ConclusionNotice | None) -> None:
    """The one guard: raise `FrozenRecord` when an issued notice rests on the record."""
    if notice is not None:
        raise FrozenRecord(frozen_message(notice), code="frozen")


def carried_by_issued_notice(prefix: str = "") -> Q:
    """Findings (reached through `prefix`, e.g. "finding__") whose conclusion notice is issued:
    the unit's original notice for what the visit recorded, the amending notice for what an
    amendment added. Such findings are frozen, and from then on the unit sees them."""
    original = ConclusionNotice.objects.filter(
        plan=OuterRef(f"{prefix}visit__plan"),
        agency=OuterRef(f"{prefix}visit__agency"),
        amends__isnull=True,
        status=NoticeStatus.ISSUED,
    )
    return (Q(**{f"{prefix}amendment__isnull": True}) & Q(Exists(original))) | Q(
        **{f"{prefix}amendment__status": NoticeStatus.ISSUED}
    )


class RestsOnNotice(models.Model):
    """A record an issued conclusion notice rests on (minutes, finding, recommendation): once the
    notice is issued it is neither changed, added to nor deleted, by anyone (services, admin,
    shell). `clean()` says so to a form; `save()` and `delete()` refuse as a last net.
    `MUTABLE_AFTER_ISSUE` names the fields that are not part of the notice (remediation state)."""

    MUTABLE_AFTER_ISSUE: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def _changes_record(self, update_fields) -> bool:
        """Whether saving would add the record or change what the notice rests on (a save
        that only touches remediation state or bookkeeping is harmless)."""
        if self._state.adding or self.pk is None:
            return True
        names = [
            f.attname
            for f in self._meta.concrete_fields
            if not f.primary_key
            and f.name not in self.MUTABLE_AFTER_ISSUE
            and f.name != "version"
            and not getattr(f, "auto_now", False)
            and (update_fields is None or f.name in update_fields)
        ]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in names)

    def delete(self, *args, **kwargs):
        require_unfrozen(self.frozen_by())
        return super().delete(*args, **kwargs)

    def frozen_by(self) -> ConclusionNotice | None:
        raise NotImplementedError

    @property
    def is_frozen(self) -> bool:
        """An issued conclusion notice carries the record."""
        return self.frozen_by() is not None

    def clean(self) -> None:
        super().clean()
        self._refuse_if_frozen(None)

    def _refuse_if_frozen(self, update_fields) -> None:
        if update_fields and set(update_fields) <= self.MUTABLE_AFTER_ISSUE:
            return
        notice = self.frozen_by()
        if notice is not None and self._changes_record(update_fields):
            require_unfrozen(notice)


class Minutes(RestsOnNotice, Versioned):
    """The minutes of a visit (biên bản kiểm tra): who attended, what was checked, conclusions."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("cuộc kiểm tra")
    )
    team_attendees = LimitedTextField(_("thành phần Đoàn kiểm tra"), max_length=NOTE)
    unit_attendees = LimitedTextField(_("thành phần đơn vị"), max_length=NOTE)
    checked = LimitedTextField(
        _("nội dung đã kiểm tra"),
        help_text=_("Báo cáo, hồ sơ, bộ phận một cửa, hồ sơ trễ hạn…"),
        max_length=PROSE,
    )
    conclusions = LimitedTextField(_("kết luận tại buổi kiểm tra"), blank=True, max_length=PROSE)
    unit_opinion = LimitedTextField(_("ý kiến của đơn vị"), blank=True, max_length=PROSE)
    unit_signer_name = models.CharField(_("người ký thay mặt đơn vị"), max_length=100, blank=True)
    unit_signer_title = models.CharField(
        _("chức vụ người ký thay mặt đơn vị"), max_length=200, blank=True
    )
    # Numbered in the register of the committee that formed the team, dated the visit's day.
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="BB-ĐKT")
    number = models.PositiveIntegerField(_("số"), null=True, editable=False)
    issued_on = models.DateField(_("ngày ban hành"), null=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))
    history = RecordedHistory()

    class Meta:
        verbose_name = _("biên bản kiểm tra")
        verbose_name_plural = _("biên bản kiểm tra")

    def __str__(self) -> str:
        return f"Biên bản — {self.visit}"

    def frozen_by(self) -> ConclusionNotice | None:
        return self.visit.frozen_by() if self.visit_id else None

    @property
    def is_issued(self) -> bool:
        return self.number is not None


class FindingQuerySet(models.QuerySet):
    def frozen(self):
        """Findings an issued conclusion notice (original or amending) carries."""
        return self.filter(carried_by_issued_notice())

    def visible_to(self, user_or_scope):
        """The Department's people: every finding of their provinces. A unit: the findings of
        its own visits, once the conclusion notice that carries them is issued."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.role in PROVINCE_ROLES:
            return self.filter(visit__plan__province_id__in=scope.province_ids)
        if scope.is_reporter:
            return self.frozen().filter(visit__agency_id=scope.agency_id)
        return self.none()


class Finding(RestsOnNotice):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("cuộc kiểm tra")
    )
    # Set for a finding added after the unit's notice was issued, by the amending notice that
    # carries it (thông báo kết luận điều chỉnh, bổ sung); empty for what the visit recorded.
    amendment = models.ForeignKey(
        "inspections.ConclusionNotice",
        verbose_name=_("bổ sung theo thông báo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="added_findings",
    )
    content_area = models.ForeignKey(
        "inspections.ContentArea",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=15, choices=FindingKind.choices)
    description = LimitedTextField(_("nội dung"), max_length=PROSE)
    severity = models.CharField(
        _("mức độ"), max_length=10, choices=Severity.choices, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))

    objects = FindingQuerySet.as_manager()
    history = RecordedHistory()

    class Meta:
        ordering = ["visit", "content_area__number", "pk"]
        verbose_name = _("kết quả kiểm tra")
        verbose_name_plural = _("kết quả kiểm tra")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="shortcoming") | ~Q(severity=""),
                name="inspections_shortcoming_has_severity",
                violation_error_message=_("Tồn tại, hạn chế cần ghi mức độ."),
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def frozen_by(self) -> ConclusionNotice | None:
        if self.amendment_id:
            amendment = self.amendment
            return amendment if amendment.status == NoticeStatus.ISSUED else None
        return self.visit.frozen_by() if self.visit_id else None


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    DAYS = "days", _("Số ngày")
    WORKING_DAYS = "working_days", _("Số ngày làm việc")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Đang khắc phục")
    DONE = "done", _("Đã khắc phục")
    NOT_DONE = "not_done", _("Chưa khắc phục (đã xác minh)")


UNRESOLVED = (RecommendationStatus.OPEN, RecommendationStatus.NOT_DONE)


class RecommendationQuerySet(models.QuerySet):
    def unresolved(self):
        """Not yet verified as remedied: open, or judged not remedied."""
        return self.filter(status__in=UNRESOLVED)

    def overdue(self, today):
        return self.unresolved().filter(due_date__lt=today)

    def issued(self):
        """Carried by an issued conclusion notice (the unit's notice, or the amending notice
        that added it): from then on the unit sees it and reports on it."""
        return self.filter(carried_by_issued_notice("finding__"))

    def visible_to(self, user_or_scope):
        """The Department's people: every recommendation of their provinces. A unit: those
        addressed to it, once issued (`issued`)."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.role in PROVINCE_ROLES:
            return self.filter(finding__visit__plan__province_id__in=scope.province_ids)
        if scope.is_reporter:
            return self.issued().filter(responsible_id=scope.agency_id)
        return self.none()


class Recommendation(RestsOnNotice):
    """A recommendation (kiến nghị) of a finding, addressed to a unit, due by a date.

    The deadline is kept as given (a date, N days or N working days after the visit) and the due
    date is computed once, skipping weekends and the recorded holidays for working days.
    """

    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("kết quả kiểm tra"),
    )
    responsible = models.ForeignKey(
        Agency, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    text = LimitedTextField(_("kiến nghị"), max_length=PROSE)
    deadline_kind = models.CharField(
        _("thời hạn theo"), max_length=15, choices=DeadlineKind.choices
    )
    deadline_date = models.DateField(_("đến ngày"), null=True, blank=True)
    deadline_count = models.PositiveSmallIntegerField(_("số ngày"), null=True, blank=True)
    due_date = models.DateField(_("hạn khắc phục"), editable=False)
    status = models.CharField(
        _("tình trạng khắc phục"),
        max_length=10,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )

    # The reminders of its due date already sent (`inspections/reminders.py`).
    reminders = GenericRelation("inspections.SentReminder")

    objects = RecommendationQuerySet.as_manager()
    history = RecordedHistory()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        constraints = [
            models.CheckConstraint(
                condition=(Q(deadline_kind="date") & Q(deadline_date__isnull=False))
                | (~Q(deadline_kind="date") & Q(deadline_count__gt=0)),
                name="inspections_recommendation_deadline_given",
                violation_error_message=_(
                    "Ghi thời hạn: một ngày cụ thể, hoặc số ngày (lớn hơn 0)."
                ),
            )
        ]

    # Remediation goes on after the notice: verification records the outcome here.
    MUTABLE_AFTER_ISSUE = frozenset({"status"})

    def __str__(self) -> str:
        return self.text[:80]

    def frozen_by(self) -> ConclusionNotice | None:
        return self.finding.frozen_by() if self.finding_id else None

    def is_overdue(self, today) -> bool:
        return self.status in UNRESOLVED and self.due_date < today


# Conclusion notices ---------------------------------------------------------------------------


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    ISSUED = "issued", _("Đã ban hành")


class ApprovedDocument(Versioned):
    """A document of the round after the plan that a leader approves and that is then issued
    with the next number of its issuer's register (`services.approval` moves it along)."""

    symbol = models.CharField(_("ký hiệu"), max_length=40)
    number = models.PositiveIntegerField(_("số"), null=True, editable=False)
    issued_on = models.DateField(_("ngày ban hành"), null=True, editable=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=NoticeStatus.choices,
        default=NoticeStatus.DRAFT,
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), null=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    # Why the leader sent it back to draft: shown to the author until it is submitted again.
    return_reason = LimitedTextField(
        _("lý do trả lại"), blank=True, max_length=NOTE, editable=False
    )

    class Meta:
        abstract = True

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}/{self.symbol}" if self.number else ""


class ConclusionNoticeQuerySet(models.QuerySet):
    def visible_to(self, user_or_scope):
        """The Department's people: every notice of their provinces; a unit: its issued
        notices."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.is_reporter:
            return self.filter(agency_id=scope.agency_id, status=NoticeStatus.ISSUED)
        if scope.role in PROVINCE_ROLES:
            return self.filter(plan__province_id__in=scope.province_ids)
        return self.none()


class ConclusionNotice(ApprovedDocument):
    """The conclusion notice (thông báo kết luận kiểm tra) to one unit: its findings and
    recommendations, approved by a leader and issued with a number; only then the unit sees it.

    Once issued it is never changed: a correction is a new notice that `amends` it (thông báo
    kết luận điều chỉnh, bổ sung), numbered and approved the same way, with what it corrects
    (`corrections`) and the findings and recommendations it adds (`Finding.amendment`)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="conclusions", verbose_name=_("kế hoạch")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("điều chỉnh, bổ sung thông báo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    summary = LimitedTextField(_("nhận xét chung"), blank=True, max_length=PROSE)
    corrections = LimitedTextField(
        _("nội dung điều chỉnh"),
        blank=True,
        max_length=PROSE,
        help_text=_("Điều chỉnh nội dung của thông báo đã ban hành; mỗi dòng một nội dung"),
    )
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="TB-UBND")
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    history = RecordedHistory()

    objects = ConclusionNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "agency__name", "pk"]
        verbose_name = _("thông báo kết luận kiểm tra")
        verbose_name_plural = _("thông báo kết luận kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency"],
                condition=Q(amends__isnull=True),
                name="inspections_notice_unique",
            )
        ]

    def __str__(self) -> str:
        if self.amends_id:
            return f"Kết luận điều chỉnh, bổ sung — {self.agency}"
        return f"Kết luận — {self.agency}"

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None

    @property
    def kind_label(self) -> str:
        if self.is_amendment:
            return str(_("Thông báo kết luận điều chỉnh, bổ sung"))
        return str(_("Thông báo kết luận"))

    def findings(self):
        """What the notice carries: the visits' findings for the original, the added ones for
        an amendment."""
        if self.amends_id:
            return Finding.objects.filter(amendment=self)
        return Finding.objects.filter(
            visit__plan=self.plan, visit__agency=self.agency, amendment__isnull=True
        )
