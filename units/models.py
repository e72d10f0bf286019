"""Who and where: administrative units and agencies through time, and the product's users.

Units and agencies carry validity dates because the 2025 reform abolished districts, merged
provinces and departments, and reused codes with new meanings: a code is never a key on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.limits import NOTE, LimitedTextField
from units.text import fold


def today() -> datetime.date:
    """Today in Vietnam (`TIME_ZONE`), never the server's or UTC's date."""
    return timezone.localdate()


def local_day(value: datetime.date | datetime.datetime) -> datetime.date:
    """The date in Vietnam of a date, or of a date-time (stored in UTC: a submission at 23:34
    UTC on 29/11 was made on 30/11). Every date a page or document prints goes through here."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


class DatedQuerySet(models.QuerySet):
    """Queries shared by everything that is valid for a period."""

    def valid_on(self, day: datetime.date) -> DatedQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def search(self, query: str) -> DatedQuerySet:
        """Accent-insensitive search: every word of `query` must occur in the name or the code."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(Q(search_name__contains=word) | Q(code=word))
        return qs


class Dated(models.Model):
    """A record that exists from `valid_from` to `valid_to`, both inclusive; empty means open."""

    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # The name folded to lower case without diacritics, kept in the row so that search works the
    # same on SQLite and PostgreSQL without database extensions.
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_period",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(today())


class Generated(models.Model):
    """Whether a record was written by the national registry load (`units/national.py`).

    `source` names the library release that wrote it (empty: typed in, imported or shipped as a
    hand-made fixture); `source_digest` is a checksum of the values it wrote. A generated record
    whose values no longer match its checksum was corrected by an administrator, and the load
    leaves it alone.
    """

    source = models.CharField(_("nguồn"), max_length=60, blank=True, editable=False)
    source_digest = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_generated(self) -> bool:
        return bool(self.source)


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitQuerySet(DatedQuerySet):
    def in_scope(self, province_ids: frozenset[int] | None) -> UnitQuerySet:
        """Units of the given provinces (None: every province, for administrators)."""
        if province_ids is None:
            return self
        return self.filter(Q(province_id__in=province_ids) | Q(pk__in=province_ids))

    def provinces(self) -> UnitQuerySet:
        return self.filter(level=Level.PROVINCE)

    def lineage_ids(self, province: AdministrativeUnit) -> frozenset[int]:
        """The province and every province it succeeded, directly or not (one query).

        New An Giang (2025) keeps the records of Kiên Giang and of the former An Giang.
        """
        return _province_closure(province.pk, backwards=True)

    def heir_ids(self, province_id: int) -> frozenset[int]:
        """The province and every province that succeeded it, directly or not (one query): whose
        people now act for it (Kiên Giang's documents are approved by new An Giang's leaders)."""
        return _province_closure(province_id, backwards=False)


def _province_closure(start: int, *, backwards: bool) -> frozenset[int]:
    """`start` and the provinces reached through succession links, towards predecessors
    (`backwards`) or successors."""
    edges: dict[int, list[int]] = {}
    for pred, succ in UnitSuccession.objects.filter(
        successor__level=Level.PROVINCE, predecessor__level=Level.PROVINCE
    ).values_list("predecessor_id", "successor_id"):
        if backwards:
            edges.setdefault(succ, []).append(pred)
        else:
            edges.setdefault(pred, []).append(succ)
    seen = {start}
    todo = [start]
    while todo:
        for other in edges.get(todo.pop(), []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return frozenset(seen)


class AdministrativeUnit(Generated, Dated):
    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
        THANH_PHO = "thanh_pho", _("Thành phố")
        THI_XA = "thi_xa", _("Thị xã")
        HUYEN = "huyen", _("Huyện")
        QUAN = "quan", _("Quận")
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        THI_TRAN = "thi_tran", _("Thị trấn")
        DAC_KHU = "dac_khu", _("Đặc khu")

    KINDS_BY_LEVEL = {
        Level.PROVINCE: (Kind.TINH, Kind.THANH_PHO_TW),
        Level.DISTRICT: (Kind.THANH_PHO, Kind.THI_XA, Kind.HUYEN, Kind.QUAN),
        Level.COMMUNE: (Kind.XA, Kind.PHUONG, Kind.THI_TRAN, Kind.DAC_KHU),
    }

    code = models.CharField(_("mã"), max_length=10, db_index=True)
    name = models.CharField(_("tên"), max_length=200, help_text=_("Ví dụ: Huyện An Biên"))
    short_name = models.CharField(
        _("tên ngắn"), max_length=200, help_text=_("Tên không kèm loại, ví dụ: An Biên")
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The province-level ancestor, kept in the row so that scoping a query is one condition.
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )
    note = LimitedTextField(_("ghi chú"), blank=True, max_length=NOTE)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            *Dated.Meta.constraints,
            # A code may be reused, but never twice from the same day.
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="units_unit_code_from_unique",
                violation_error_message=_("Đã có đơn vị cùng mã, cùng ngày bắt đầu hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="units_unit_code_unique_without_start",
                violation_error_message=_("Đã có đơn vị cùng mã không có ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, kind__in=["tinh", "thanh_pho_tw"])
                | Q(level=Level.DISTRICT, kind__in=["thanh_pho", "thi_xa", "huyen", "quan"])
                | Q(level=Level.COMMUNE, kind__in=["xa", "phuong", "thi_tran", "dac_khu"]),
                name="units_unit_kind_matches_level",
                violation_error_message=_("Loại đơn vị không thuộc cấp đã chọn."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.level == Level.PROVINCE:
            self.province = None
        elif self.parent is not None:
            self.province = (
                self.parent if self.parent.level == Level.PROVINCE else self.parent.province
            )
        super().save(*args, **kwargs)

    @property
    def province_root(self) -> AdministrativeUnit:
        return self if self.level == Level.PROVINCE else self.province


class UnitSuccession(models.Model):
    """`successor` took over all or part of `predecessor` (many-to-many both ways)."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị trước"),
        on_delete=models.CASCADE,
        related_name="succession_links",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )

    class Meta:
        verbose_name = _("quan hệ kế thừa đơn vị")
        verbose_name_plural = _("quan hệ kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="units_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="units_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class AgencyQuerySet(DatedQuerySet):
    def in_scope(self, province_ids: frozenset[int] | None) -> AgencyQuerySet:
        if province_ids is None:
            return self
        return self.filter(province_id__in=province_ids)

    def lineage(self, agency_ids: Iterable[int], *, ended_before: datetime.date) -> Lineage:
        """For each agency, the agencies whose work it carries on, directly or not, that had
        ended before `ended_before`: those merged into it and, for a People's Committee, the
        committees of the same level of the units its unit succeeded (a commune of 2025 carries
        on the communes it was formed from, not their abolished district; new An Giang carries on
        Kiên Giang). Agencies that still existed on that day are units of their own, never
        folded in. One query, whatever the number of agencies and of reorganisations."""
        return _agency_lineage(list(dict.fromkeys(agency_ids)), ended_before)


@dataclass(frozen=True)
class Lineage:
    """`AgencyQuerySet.lineage`: each agency's predecessors (ids) and their names (with their
    province when named as the agency is)."""

    predecessors: dict[int, frozenset[int]]
    names: dict[int, str]

    def of(self, agency_id: int) -> frozenset[int]:
        """The agency itself and its predecessors."""
        return frozenset({agency_id}) | self.predecessors.get(agency_id, frozenset())


def _agency_lineage(agency_ids: list[int], ended_before: datetime.date) -> Lineage:
    """One recursive query (SQLite and PostgreSQL alike): the direct links (merged into; a
    committee of a predecessor unit of the same level), then their closure from each agency."""
    if not agency_ids:
        return Lineage({}, {})
    agency = connection.ops.quote_name(Agency._meta.db_table)
    unit = connection.ops.quote_name(AdministrativeUnit._meta.db_table)
    succession = connection.ops.quote_name(UnitSuccession._meta.db_table)
    roots = ", ".join(["%s"] * len(agency_ids))
    # Only the models' table names are formatted in; every value is a parameter.
    sql = f"""
        WITH RECURSIVE link(heir, pred) AS (
            SELECT a.merged_into_id, a.id FROM {agency} a
            WHERE a.merged_into_id IS NOT NULL AND a.valid_to < %s
            UNION ALL
            SELECT h.id, p.id FROM {agency} h
            JOIN {unit} hu ON hu.id = h.unit_id
            JOIN {succession} s ON s.successor_id = h.unit_id
            JOIN {unit} pu ON pu.id = s.predecessor_id AND pu.level = hu.level
            JOIN {agency} p ON p.unit_id = s.predecessor_id AND p.kind = %s
            WHERE h.kind = %s AND p.valid_to < %s
        ),
        lineage(root, pred) AS (
            SELECT heir, pred FROM link WHERE heir IN ({roots})
            UNION
            SELECT lineage.root, link.pred FROM lineage JOIN link ON link.heir = lineage.pred
        )
        SELECT lineage.root, lineage.pred, a.name, a.name = r.name, pu.name
        FROM lineage
        JOIN {agency} a ON a.id = lineage.pred
        JOIN {agency} r ON r.id = lineage.root
        JOIN {unit} pu ON pu.id = a.province_id
    """  # nosec B608
    committee = Agency.Kind.COMMITTEE.value
    with connection.cursor() as cursor:
        cursor.execute(sql, [ended_before, committee, committee, ended_before, *agency_ids])
        rows = cursor.fetchall()
    predecessors: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for root, pred, name, same_name, province in rows:
        if pred != root:
            predecessors.setdefault(root, set()).add(pred)
            # "Sở Tư pháp" of Kiên Giang, carried on by An Giang's, is named with its province.
            names[pred] = f"{name} ({province})" if same_name else name
    return Lineage({pk: frozenset(found) for pk, found in predecessors.items()}, names)


class Agency(Generated, Dated):
    """An organisation: a People's Committee, a department (sở), the inspectorate, a centre…

    Agencies are what issues documents, is inspected and reports; administrative units are places.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở")
        OFFICE = "office", _("Văn phòng")
        INSPECTORATE = "inspectorate", _("Thanh tra")
        BOARD = "board", _("Ban")
        CENTRE = "centre", _("Trung tâm, đơn vị trực thuộc")

    code = models.CharField(
        _("mã cơ quan"),
        max_length=30,
        help_text=_("Mã định danh hoặc mã riêng của tỉnh, duy nhất trong đơn vị hành chính"),
    )
    name = models.CharField(_("tên"), max_length=255, help_text=_("Ví dụ: Sở Tư pháp"))
    short_name = models.CharField(
        _("tên ngắn"), max_length=200, help_text=_("Tên dùng trong danh sách, ví dụ: Tư pháp")
    )
    abbreviation = models.CharField(
        _("chữ viết tắt"),
        max_length=20,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ: STP trong 12/BC-STP"),
    )
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Nơi cơ quan đóng trụ sở; với Ủy ban nhân dân là đơn vị nó quản lý"),
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan chủ quản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
    )
    note = LimitedTextField(_("ghi chú"), blank=True, max_length=NOTE)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["province", "kind", "name"]
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "code", "valid_from"],
                name="units_agency_code_from_unique",
                violation_error_message=_("Đã có cơ quan cùng mã, cùng ngày bắt đầu hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=Q(valid_from__isnull=True),
                name="units_agency_code_unique_without_start",
                violation_error_message=_("Đã có cơ quan cùng mã không có ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.province = self.unit.province_root
        super().save(*args, **kwargs)

    @property
    def level(self) -> str:
        return self.unit.level


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên Sở Nội vụ")
    TEAM = "team", _("Thành viên đoàn kiểm tra")
    REPORTER = "reporter", _("Người báo cáo của đơn vị")
    LEADER = "leader", _("Lãnh đạo")


class Membership(models.Model):
    """What a user is in the product: a role in one province, and for reporters one agency."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.PROVINCE},
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    receives_reminders = models.BooleanField(
        _("nhận thư nhắc hạn"),
        default=True,
        help_text=_("Mỗi ngày tối đa một thư tổng hợp các hạn sắp đến và đã quá."),
    )

    class Meta:
        verbose_name = _("vai trò người dùng")
        verbose_name_plural = _("vai trò người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.REPORTER) | Q(agency__isnull=False),
                name="units_membership_reporter_has_agency",
                violation_error_message=_(
                    "Người báo cáo phải gắn với một cơ quan: chọn cơ quan của họ."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self):
        if self.agency_id and self.province_id:
            lineage = AdministrativeUnit.objects.lineage_ids(self.province)
            if self.agency.province_id not in lineage:
                raise ValidationError(
                    {"agency": _("Cơ quan này không thuộc tỉnh đã chọn: chọn cơ quan của tỉnh.")}
                )


class PasswordResetRequestQuerySet(models.QuerySet):
    def recent(self, window: datetime.timedelta) -> PasswordResetRequestQuerySet:
        return self.filter(requested_at__gt=timezone.now() - window)


class PasswordResetRequest(models.Model):
    """One use of the forgotten-password form (`user` empty), or one mail it sent (`user` set).

    Kept only for the limits' window (`PASSWORD_RESET_WINDOW`): counted per address and per
    account so that the form cannot be used to flood a mailbox or the mail server.
    """

    requested_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(_("địa chỉ"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = PasswordResetRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu đặt lại mật khẩu")
        verbose_name_plural = _("yêu cầu đặt lại mật khẩu")

    def __str__(self) -> str:
        return f"{self.address} {self.requested_at:%Y-%m-%d %H:%M}"
