"""The inspection plan: the province's own rulebook for the round.

Every rule the seed states (30 % coverage, two communes per district, the 30/6 deadline) is a field
of the plan, never a constant in code.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from inspections.locking import Versioned
from inspections.models.change_history import RecordedHistory
from inspections.models.reference import ContentArea, LegalDocument
from units.access import PROVINCE_ROLES, as_scope
from units.limits import NOTE, PROSE, LimitedTextField
from units.models import AdministrativeUnit, Agency, Level, Role, today

VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")
    ISSUED = "issued", _("Đã ban hành")


EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanQuerySet(models.QuerySet):
    def in_scope(self, province_ids: frozenset[int] | None) -> PlanQuerySet:
        return self if province_ids is None else self.filter(province_id__in=province_ids)

    def issued(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.ISSUED)

    def visible_to(self, user_or_scope) -> PlanQuerySet:
        """The Department's people see their provinces' plans; a unit's reporter the issued
        ones (a draft answers 404 to them as well); anyone else none."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.is_reporter:
            return self.in_scope(scope.province_ids).issued()
        if scope.role in PROVINCE_ROLES:
            return self.in_scope(scope.province_ids)
        return self.none()


class Plan(Versioned):
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm kiểm tra"))
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH-UBND")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True, editable=False)
    place = models.CharField(
        _("địa danh"), max_length=100, help_text=_("Ghi trước ngày tháng, ví dụ: Kiên Giang")
    )
    document_date = models.DateField(
        _("ngày văn bản"),
        help_text=_(
            "Ngày ghi trên văn bản; đơn vị và cơ quan được chọn phải còn hiệu lực ngày này"
        ),
    )
    summary = models.CharField(
        _("trích yếu"),
        max_length=300,
        help_text=_("Ví dụ: Kiểm tra công tác cải cách hành chính năm 2023"),
    )
    preamble = LimitedTextField(_("phần mở đầu"), blank=True, max_length=PROSE)
    closing = LimitedTextField(_("phần kết"), blank=True, max_length=PROSE)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )

    # Rules of the round.
    communes_per_district = models.PositiveSmallIntegerField(
        _("số xã kiểm tra mỗi huyện"),
        null=True,
        blank=True,
        help_text=_(
            "Đoàn chọn N đơn vị cấp xã thuộc mỗi huyện được kiểm tra; để trống nếu không có"
        ),
    )
    self_inspection_threshold = models.DecimalField(
        _("tỷ lệ tự kiểm tra tối thiểu (%)"), max_digits=5, decimal_places=2, default=30
    )
    require_signed_reports = models.BooleanField(
        _("yêu cầu ký số"),
        default=False,
        help_text=_("Báo cáo tự kiểm tra phải là tệp PDF có chữ ký số của đơn vị"),
    )
    self_report_deadline = models.DateField(
        _("hạn gửi báo cáo tự kiểm tra"),
        null=True,
        blank=True,
        help_text=_("Của các đơn vị không thuộc đối tượng kiểm tra"),
    )
    period_text = models.CharField(
        _("thời gian kiểm tra (ghi trong văn bản)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Dự kiến đầu quý III năm 2023"),
    )
    period_start = models.DateField(_("kiểm tra từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("kiểm tra đến ngày"), null=True, blank=True)
    standing_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thường trực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_note = LimitedTextField(_("kinh phí"), blank=True, max_length=PROSE)

    # Signature and recipients.
    signing_authority = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, default="TM. ỦY BAN NHÂN DÂN"
    )
    signing_capacity = models.CharField(
        _("hình thức ký"), max_length=100, blank=True, help_text=_("Ví dụ: KT. CHỦ TỊCH")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    recipients = LimitedTextField(
        _("nơi nhận"),
        blank=True,
        help_text=_("Mỗi dòng một nơi nhận, không ghi dòng “Lưu”"),
        max_length=NOTE,
    )
    archive_initials = models.CharField(
        _("lưu: đơn vị soạn thảo"), max_length=50, blank=True, help_text=_("Ví dụ: bntam")
    )
    archive_copies = models.PositiveSmallIntegerField(_("số bản lưu"), default=1)

    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = RecordedHistory()

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "-document_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "symbol", "number"],
                condition=Q(number__isnull=False),
                name="inspections_plan_number_unique",
                violation_error_message=_("Số này đã cấp cho văn bản khác trong năm."),
            ),
            models.CheckConstraint(
                condition=Q(status="issued", number__isnull=False) | ~Q(status="issued"),
                name="inspections_plan_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(self_inspection_threshold__gte=0, self_inspection_threshold__lte=100),
                name="inspections_plan_threshold_percent",
                violation_error_message=_("Tỷ lệ tự kiểm tra phải từ 0 đến 100%%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_display} — {self.summary}"

    def save(self, *args, **kwargs):
        self.province = self.issuer.province
        super().save(*args, **kwargs)

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}/{self.symbol}" if self.number else f"…/{self.symbol}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def archive_line(self) -> str:
        unit = f", {self.archive_initials}" if self.archive_initials else ""
        return f"Lưu: VT{unit} ({self.archive_copies}b)."

    @property
    def three_tier(self) -> bool:
        """Whether the province had districts on the plan date (before the 2025 reform)."""
        return (
            AdministrativeUnit.objects.valid_on(self.document_date)
            .filter(province_id=self.province_id, level=Level.DISTRICT)
            .exists()
        )


class PlanTeamAgency(models.Model):
    """An agency expected in the inspection team, in the order the plan names them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="team_agencies")
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = RecordedHistory()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cơ quan tham gia đoàn")
        verbose_name_plural = _("cơ quan tham gia đoàn")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency"], name="inspections_team_agency_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)


class PlanBasis(models.Model):
    """A referenced document cited by the plan's preamble or content, in order."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bases")
    document = models.ForeignKey(
        LegalDocument, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = RecordedHistory()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")
        constraints = [
            models.UniqueConstraint(fields=["plan", "document"], name="inspections_basis_unique")
        ]

    def __str__(self) -> str:
        return str(self.document)


class PlanItem(Versioned):
    """A numbered point of the plan's body: I. → 1. → a) → -. Numbers follow from the position.

    Text may use placeholders for the plan's rules (see `inspections.plan_wording.PLACEHOLDERS`),
    so the document always says what the settings say.
    """

    class Generated(models.TextChoices):
        NONE = "", _("Không")
        TARGETS = "targets", _("Danh sách đối tượng kiểm tra theo cấp")
        REINSPECTIONS = "reinspections", _("Danh sách đơn vị phúc tra")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc mục"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    heading = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    text = LimitedTextField(_("nội dung"), blank=True, max_length=PROSE)
    generated = models.CharField(
        _("danh sách tự sinh"), max_length=20, choices=Generated.choices, blank=True, default=""
    )
    content_areas = models.ManyToManyField(
        ContentArea, verbose_name=_("lĩnh vực"), blank=True, related_name="+"
    )
    references = models.ManyToManyField(
        LegalDocument, verbose_name=_("văn bản liên quan"), blank=True, related_name="+"
    )
    history = RecordedHistory()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = _("mục của kế hoạch")

    def __str__(self) -> str:
        return self.heading or self.text[:60]


class TargetKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    REINSPECTION = "reinspection", _("Phúc tra")


class PlanTargetQuerySet(models.QuerySet):
    """Unannounced (đột xuất) targets are secret until the day their visit starts.

    The one rule, used by every page, list, count, export and feed a unit can reach: staff and
    leaders of the province see every target; team members every announced target, and the
    unannounced ones given to their team; anyone else (a unit's reporter) an unannounced target
    only once a visit of it, not cancelled, is dated today or earlier (Vietnam's date).
    Documents sent to units never print an unannounced target at all (`announced()`).
    """

    def announced(self) -> PlanTargetQuerySet:
        return self.filter(announced=True)

    def revealed(self, day: datetime.date | None = None) -> PlanTargetQuerySet:
        """Announced targets, and unannounced ones whose visit has started by `day`."""
        return self.filter(revealed_q(day))

    def visible_to(self, user_or_scope) -> PlanTargetQuerySet:
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        targets = self.filter(plan__province_id__in=scope.province_ids)
        if scope.role in (Role.STAFF, Role.LEADER):
            return targets
        if scope.role == Role.TEAM:
            from inspections.models.visits import TeamMember

            # A subquery, not a join through the team's members (which would repeat the rows).
            own = TeamMember.objects.filter(
                team__assignments__target=OuterRef("pk"), user_id=scope.user_id
            )
            return targets.filter(revealed_q() | Q(Exists(own)))
        if scope.is_reporter:
            return targets.filter(revealed_q())
        return self.none()


def revealed_q(day: datetime.date | None = None) -> Q:
    """The condition "this target is no longer secret on `day`" (default: today in Vietnam)."""
    # Visits are defined in a module that imports this one.
    from inspections.models.visits import Visit, VisitStatus

    started = Visit.objects.filter(target_id=OuterRef("pk"), date__lte=day or today()).exclude(
        status=VisitStatus.CANCELLED
    )
    return Q(announced=True) | Q(Exists(started))


class TargetMode(models.TextChoices):
    ON_SITE = "on_site", _("Trực tiếp tại đơn vị")
    BY_REPORT = "by_report", _("Qua báo cáo")


class TargetTerms(models.Model):
    """How a unit is inspected: on a plan (`PlanTarget`) or proposed by an amendment."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("hình thức"), max_length=15, choices=TargetKind.choices, default=TargetKind.INSPECTION
    )
    mode = models.CharField(
        _("cách kiểm tra"), max_length=15, choices=TargetMode.choices, default=TargetMode.ON_SITE
    )
    announced = models.BooleanField(
        _("báo trước"), default=True, help_text=_("Bỏ chọn với kiểm tra đột xuất")
    )

    class Meta:
        abstract = True


class PlanTarget(TargetTerms, Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    content_areas = models.ManyToManyField(
        ContentArea,
        verbose_name=_("kiểm tra chuyên đề (lĩnh vực)"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: kiểm tra mọi lĩnh vực"),
    )
    reason = LimitedTextField(_("lý do chọn"), blank=True, max_length=NOTE)
    follows_up = models.ForeignKey(
        "self",
        verbose_name=_("phúc tra kết luận của"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_up_by",
    )
    follow_up_reference = models.CharField(
        _("văn bản kết luận được phúc tra"),
        max_length=300,
        blank=True,
        help_text=_("Khi kết luận trước không có trong hệ thống, ghi số, ngày văn bản"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # Set when the target was added after the plan's issue, by the amendment that added it.
    amendment = models.ForeignKey(
        "inspections.PlanAmendment",
        verbose_name=_("bổ sung theo văn bản"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="added_targets",
    )
    history = RecordedHistory()

    objects = PlanTargetQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("đối tượng kiểm tra")
        verbose_name_plural = _("đối tượng kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency"],
                name="inspections_target_unique",
                violation_error_message=_("Đơn vị này đã có trong danh sách đối tượng."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_kind_display()})"

    @property
    def level(self) -> str:
        return self.agency.unit.level


class PlanTransition(models.Model):
    """One step of the workflow: who moved the plan from which status to which, and why."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=10, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=PlanStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = LimitedTextField(_("ghi chú"), blank=True, max_length=NOTE)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def letter(index: int) -> str:
    """The index-th point label in Vietnamese order: a, b, c, d, đ, e, g, h, i, k…"""
    return VIETNAMESE_LETTERS[index % len(VIETNAMESE_LETTERS)]


def point_label(depth: int, index: int) -> str:
    """The label of the index-th point at a depth of a plan's body: I., 1., a), then -."""
    if depth == 0:
        return f"{roman(index + 1)}."
    if depth == 1:
        return f"{index + 1}."
    if depth == 2:
        return f"{letter(index)})"
    return "-"


def roman(n: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, glyph in numerals:
        while n >= value:
            out += glyph
            n -= value
    return out
