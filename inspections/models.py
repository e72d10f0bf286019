"""The inspection round: reference content areas, the referenced-documents library, and the plan.

A plan is the province's own rulebook for the round: every rule the seed states (30 % coverage,
two communes per district, the 30/6 deadline) is a field of the plan, never a constant in code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.text import short_date
from units.models import AdministrativeUnit, Agency, Level

VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"


class ContentFramework(models.Model):
    """A versioned set of content areas (criteria sets change every few years)."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ lĩnh vực CCHC")
        verbose_name_plural = _("bộ lĩnh vực CCHC")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class ContentArea(models.Model):
    framework = models.ForeignKey(
        ContentFramework,
        verbose_name=_("bộ lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="areas",
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực CCHC")
        verbose_name_plural = _("lĩnh vực CCHC")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="inspections_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class LegalDocument(models.Model):
    """A document cited by plans (legal basis, referenced plan), entered once per province."""

    class Kind(models.TextChoices):
        LAW = "luat", _("Luật")
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        DECREE = "nghi_dinh", _("Nghị định")
        DECISION = "quyet_dinh", _("Quyết định")
        CIRCULAR = "thong_tu", _("Thông tư")
        DIRECTIVE = "chi_thi", _("Chỉ thị")
        PLAN = "ke_hoach", _("Kế hoạch")
        NOTICE = "thong_bao", _("Thông báo")
        REPORT = "bao_cao", _("Báo cáo")
        LETTER = "cong_van", _("Công văn")
        OTHER = "khac", _("Văn bản")

    province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại văn bản"), max_length=15, choices=Kind.choices)
    number = models.CharField(_("số"), max_length=20, help_text=_("Ví dụ: 272"))
    symbol = models.CharField(_("ký hiệu"), max_length=40, help_text=_("Ví dụ: KH-UBND"))
    issued_on = models.DateField(_("ngày ban hành"))
    issuer_name = models.CharField(
        _("cơ quan ban hành"), max_length=200, help_text=_("Ví dụ: Ủy ban nhân dân tỉnh")
    )
    title = models.CharField(
        _("trích yếu"),
        max_length=500,
        help_text=_("Ví dụ: về công tác cải cách hành chính (CCHC) năm 2023"),
    )

    class Meta:
        verbose_name = _("văn bản tham chiếu")
        verbose_name_plural = _("văn bản tham chiếu")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number", "symbol", "issued_on"],
                name="inspections_legaldoc_unique",
                violation_error_message=_("Văn bản này đã có trong thư viện."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.symbol} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        """ "Kế hoạch số 272/KH-UBND ngày 23/12/2022" as cited in a body."""
        day = short_date(self.issued_on)
        return f"{self.get_kind_display()} số {self.number}/{self.symbol} ngày {day}"

    @property
    def citation(self) -> str:
        return f"{self.reference} của {self.issuer_name} {self.title}".strip()


class NumberRegister(models.Model):
    """The issuer's register of numbers for one year and symbol: numbers run from 01 each year."""

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    symbol = models.CharField(max_length=40)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "symbol"], name="inspections_register_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year} {self.symbol}: {self.last_number}"


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


class Plan(models.Model):
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
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    closing = models.TextField(_("phần kết"), blank=True)
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
    budget_note = models.TextField(_("kinh phí"), blank=True)

    # Signature and recipients.
    signing_authority = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, default="TM. ỦY BAN NHÂN DÂN"
    )
    signing_capacity = models.CharField(
        _("hình thức ký"), max_length=100, blank=True, help_text=_("Ví dụ: KT. CHỦ TỊCH")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận, không ghi dòng “Lưu”")
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
    order = models.PositiveSmallIntegerField(default=0)

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
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")
        constraints = [
            models.UniqueConstraint(fields=["plan", "document"], name="inspections_basis_unique")
        ]

    def __str__(self) -> str:
        return str(self.document)


class PlanItem(models.Model):
    """A numbered point of the plan's body: I. → 1. → a) → -. Numbers follow from the position.

    Text may use placeholders for the plan's rules (see `inspections.text.PLACEHOLDERS`), so the
    document always says what the settings say.
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
    text = models.TextField(_("nội dung"), blank=True)
    generated = models.CharField(
        _("danh sách tự sinh"), max_length=20, choices=Generated.choices, blank=True, default=""
    )
    content_areas = models.ManyToManyField(
        ContentArea, verbose_name=_("lĩnh vực"), blank=True, related_name="+"
    )
    references = models.ManyToManyField(
        LegalDocument, verbose_name=_("văn bản liên quan"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = _("mục của kế hoạch")

    def __str__(self) -> str:
        return self.heading or self.text[:60]


class TargetKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    REINSPECTION = "reinspection", _("Phúc tra")


class TargetMode(models.TextChoices):
    ON_SITE = "on_site", _("Trực tiếp tại đơn vị")
    BY_REPORT = "by_report", _("Qua báo cáo")


class PlanTarget(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
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
    content_areas = models.ManyToManyField(
        ContentArea,
        verbose_name=_("kiểm tra chuyên đề (lĩnh vực)"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: kiểm tra mọi lĩnh vực"),
    )
    reason = models.TextField(_("lý do chọn"), blank=True)
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
    order = models.PositiveSmallIntegerField(default=0)

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

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=PlanStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

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


# Self-inspection: outline, requests to units, submissions ------------------------------------


class FieldKind(models.TextChoices):
    NUMBER = "number", _("Số")
    BOOLEAN = "boolean", _("Có / Không")
    TEXT = "text", _("Chữ")


class FieldRole(models.TextChoices):
    NONE = "", _("Không")
    COVERAGE_TOTAL = (
        "coverage_total",
        _("Tổng số phòng, ban, đơn vị (mẫu số của tỷ lệ tự kiểm tra)"),
    )
    COVERAGE_DONE = "coverage_done", _("Số đã tự kiểm tra (tử số của tỷ lệ tự kiểm tra)")


class Outline(models.Model):
    """The report outline (đề cương báo cáo) the team sends with the plan."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="outline")
    guidance = models.TextField(_("hướng dẫn chung"), blank=True)
    target_deadline = models.DateField(
        _("hạn nộp của đơn vị được kiểm tra"),
        help_text=_("Đơn vị không thuộc đối tượng kiểm tra nộp theo hạn ghi trong kế hoạch"),
    )
    include_non_targets = models.BooleanField(
        _("gửi cả đơn vị không thuộc đối tượng kiểm tra"), default=True
    )
    wants_unit_plan = models.BooleanField(
        _("yêu cầu nộp kế hoạch tự kiểm tra của đơn vị"), default=True
    )
    letter_symbol = models.CharField(
        _("ký hiệu công văn gửi đề cương"), max_length=40, default="SNV-CCHC"
    )
    letter_number = models.PositiveIntegerField(
        _("số công văn"), null=True, blank=True, editable=False
    )
    letter_date = models.DateField(_("ngày công văn"), null=True, blank=True, editable=False)
    signer_capacity = models.CharField(
        _("hình thức ký"), max_length=100, blank=True, default="KT. GIÁM ĐỐC"
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=100, blank=True, default="PHÓ GIÁM ĐỐC"
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("đề cương báo cáo")
        verbose_name_plural = _("đề cương báo cáo")

    def __str__(self) -> str:
        return f"Đề cương — {self.plan}"


class OutlineSection(models.Model):
    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề"), max_length=300)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    content_area = models.ForeignKey(
        ContentArea,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phần của đề cương")
        verbose_name_plural = _("các phần của đề cương")

    def __str__(self) -> str:
        return self.title


class OutlineField(models.Model):
    """A typed figure every unit reports (number, yes/no or short text)."""

    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    kind = models.CharField(_("kiểu"), max_length=10, choices=FieldKind.choices)
    role = models.CharField(
        _("dùng để tính"), max_length=20, choices=FieldRole.choices, blank=True, default=""
    )
    required = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = _("các chỉ tiêu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["outline", "role"],
                condition=~Q(role=""),
                name="inspections_outline_field_role_unique",
                violation_error_message=_("Mỗi đề cương chỉ có một chỉ tiêu cho mỗi vai trò."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class Deliverable(models.TextChoices):
    REPORT = "report", _("Báo cáo kết quả tự kiểm tra")
    UNIT_PLAN = "unit_plan", _("Kế hoạch tự kiểm tra của đơn vị")


class ReportRequestQuerySet(models.QuerySet):
    def visible_to(self, scope) -> ReportRequestQuerySet:
        """Staff, leaders and team see their provinces' requests; a reporter only their unit's."""
        if scope.is_admin:
            return self
        if scope.role == "reporter":
            return self.filter(agency_id=scope.agency_id)
        if scope.role in ("staff", "leader", "team"):
            return self.filter(plan__province_id__in=scope.province_ids)
        return self.none()


class ReportRequest(models.Model):
    """One unit asked to report on one plan, by a deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    is_target = models.BooleanField(_("đối tượng kiểm tra"), default=False)
    deadline = models.DateField(_("hạn nộp"))
    wants_unit_plan = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-is_target", "agency__unit__level", "agency__name"]
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspections_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.plan.number_display}"


def submission_path(instance: Submission, filename: str) -> str:
    """self-inspection/<plan>/<agency>/<deliverable>-v<version>-<name>: one folder per unit."""
    request = instance.request
    name = f"{instance.deliverable}-v{instance.version}-{filename}"
    return f"self-inspection/{request.plan_id}/{request.agency_id}/{name}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ xem xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Submission(models.Model):
    """One version of a deliverable. A new upload adds a version; nothing is overwritten."""

    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="submissions")
    deliverable = models.CharField(_("loại"), max_length=10, choices=Deliverable.choices)
    version = models.PositiveSmallIntegerField(_("lần nộp"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"), auto_now_add=True)
    late = models.BooleanField(_("nộp trễ"), default=False)
    values = models.JSONField(_("số liệu"), default=dict, blank=True)
    coverage = models.DecimalField(
        _("tỷ lệ tự kiểm tra (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    below_threshold = models.BooleanField(_("dưới tỷ lệ quy định"), default=False)
    explanation = models.TextField(_("giải trình"), blank=True)
    file = models.FileField(_("tệp"), upload_to=submission_path, storage=private_storage)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    file_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["request", "deliverable", "-version"]
        verbose_name = _("bản nộp")
        verbose_name_plural = _("các bản nộp")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "deliverable", "version"], name="inspections_submission_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_deliverable_display()} lần {self.version} — {self.request.agency}"


def attachment_path(instance: SubmissionAttachment, filename: str) -> str:
    submission = instance.submission
    return submission_path(submission, f"dinh-kem-{filename}")


class SubmissionAttachment(models.Model):
    """An optional file sent with a submission (tables, evidence); kept with its version."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, storage=private_storage)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    file_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.file_name


class RequestMessage(models.Model):
    """A difficulty or question (phản ánh, kiến nghị) of a unit about a plan, and the answers.

    One thread per request: the unit writes, Sở Nội vụ answers; a thread whose last message is the
    unit's is unanswered.
    """

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_unit = models.BooleanField()
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return self.body[:60]


class Reminder(models.Model):
    """A reminder already sent, so that running the command again sends nothing twice."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=30)  # "before-7", "before-1", "overdue"
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lời nhắc đã gửi")
        verbose_name_plural = _("lời nhắc đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="inspections_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} — {self.key}"
