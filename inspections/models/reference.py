"""Reference data of inspections: content areas (versioned), the referenced-documents library,
and the issuers' number registers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.text import short_date
from units.access import PROVINCE_ROLES, as_scope
from units.models import AdministrativeUnit, Agency


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


class LegalDocumentQuerySet(models.QuerySet):
    def visible_to(self, user_or_scope) -> LegalDocumentQuerySet:
        """The Department's people read their provinces' library; units none of it."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.role in PROVINCE_ROLES:
            return self.filter(province_id__in=scope.province_ids)
        return self.none()


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

    objects = LegalDocumentQuerySet.as_manager()

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

    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    last_number = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0)

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


class IssuedNumber(models.Model):
    """A number the register gave to a document. The database holds each number of a register
    once, so no two documents of one issuer, year and symbol can ever carry the same number,
    whatever the documents' models, and a rolled-back issue leaves no row behind."""

    register = models.ForeignKey(NumberRegister, on_delete=models.CASCADE, related_name="issued")
    number = models.PositiveIntegerField()
    # The document's date and name ("Thông báo kết luận số 05/TB-UBND"), for the check that
    # numbers follow dates; empty for numbers recorded before the register kept them.
    day = models.DateField(_("ngày văn bản"), null=True, blank=True)
    document = models.CharField(_("văn bản"), max_length=300, blank=True)
    # What was confirmed at issue against the checks (a date out of the chain's order).
    warning = models.TextField(_("cảnh báo đã xác nhận"), blank=True)

    class Meta:
        verbose_name = _("số đã cấp")
        verbose_name_plural = _("số đã cấp")
        ordering = ["register", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="inspections_issued_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.register.symbol} ({self.register.year})"


class HolidayQuerySet(models.QuerySet):
    def calendar(self):
        """The working-day calendar of every recorded day off and làm bù day (one query)."""
        from inspections.workdays import HOLIDAY, Calendar

        holidays, workdays = set(), set()
        for day, kind in self.values_list("date", "kind"):
            (holidays if kind == HOLIDAY else workdays).add(day)
        return Calendar(holidays=frozenset(holidays), workdays=frozenset(workdays))


class Holiday(models.Model):
    """A public day off, or a weekend day made a working day (làm bù). Data an admin extends
    each year when the Government announces the schedule; loaded from fixtures/holidays.csv."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ")
        WORKDAY = "workday", _("Ngày làm bù")

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ lễ, làm bù")
        verbose_name_plural = _("ngày nghỉ lễ, làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"
