"""The whole country in both eras, from the field's data library `vietnam-provinces`.

The library ships the 34 provinces and 3,321 communes in force since 1 July 2025, the 63
provinces, 696 districts and 10,051 communes before (`vietnam_provinces.legacy`), and the official
old → new commune conversion table. `registry_from_library` turns them into plain `UnitSpec`s and
successor links; `national_registry_load` writes them in bulk next to what the product already
holds, keyed by official code and era:

- the library carries no dates: units before the reform are valid until 30/06/2025, those after
  from 01/07/2025 (the Feb–Mar 2025 department mergers on 01/03/2025);
- a code the product already holds in an era (a hand-made fixture, an import, a unit typed in the
  admin) is kept as it is, and listed when it differs from the library;
- every record the load writes carries the release (`source`) and a checksum of what it wrote
  (`source_digest`); a generated record whose values no longer match was corrected by an
  administrator and is left alone, listed as a conflict with its code;
- a second run with the same release changes nothing; a newer release records what changed
  (added, renamed, ended) from a date (`changes_from`, by default the release's data date) —
  the old record ends the day before and the new one begins, linked as its successor — and never
  rewrites the history before the reform: changes to the legacy lists are listed, not applied;
- successor links from the conversion table are added with the records they join, never
  removed: a commune's successors are the new communes it went to (several when it was partly
  merged), a district's are the new communes its communes went to, a province's the new province;
- every generated unit has its People's Committee, and every province the departments of the
  standard list of its era (`BEFORE_DEPARTMENTS`, `AFTER_DEPARTMENTS`), except those it already
  holds (a province with separate culture-and-sports and tourism departments is not given the
  combined one).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from units.models import AdministrativeUnit, Agency, Level, UnitSuccession
from units.services import committee_name
from units.text import fold

LIBRARY = "vietnam-provinces"
REFORM_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE = datetime.date(2025, 6, 30)
DEPARTMENT_MERGERS = datetime.date(2025, 3, 1)
ONE_DAY = datetime.timedelta(days=1)

BEFORE, AFTER = "before", "after"

Kind = AdministrativeUnit.Kind
# The library's division types (their string values) → our kinds.
KINDS = {
    "tỉnh": Kind.TINH,
    "thành phố trung ương": Kind.THANH_PHO_TW,
    "huyện": Kind.HUYEN,
    "quận": Kind.QUAN,
    "thành phố": Kind.THANH_PHO,
    "thị xã": Kind.THI_XA,
    "xã": Kind.XA,
    "phường": Kind.PHUONG,
    "thị trấn": Kind.THI_TRAN,
    "đặc khu": Kind.DAC_KHU,
}
# The word a name starts with, by kind ("Thành phố Hà Nội" → "Hà Nội").
NAME_PREFIXES = {
    Kind.TINH: "Tỉnh",
    Kind.THANH_PHO_TW: "Thành phố",
    Kind.THANH_PHO: "Thành phố",
    Kind.THI_XA: "Thị xã",
    Kind.HUYEN: "Huyện",
    Kind.QUAN: "Quận",
    Kind.XA: "Xã",
    Kind.PHUONG: "Phường",
    Kind.THI_TRAN: "Thị trấn",
    Kind.DAC_KHU: "Đặc khu",
}
CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


@dataclass(frozen=True)
class Department:
    """One line of a standard list: `ends` and `merged_into` (a code of the same province on the
    day after, or of the successor province after the reform) for those the 2025 reforms ended."""

    code: str
    name: str
    short_name: str
    kind: str
    parent: str = ""
    starts: datetime.date | None = None
    ends: datetime.date | None = None
    merged_into: str = ""


D = Agency.Kind
_BEFORE_MERGERS = DEPARTMENT_MERGERS - ONE_DAY


def _lasted(code: str, name: str, short: str, kind: str = D.DEPARTMENT, parent: str = ""):
    """A department that lasted until the reform and went on in the new province."""
    return Department(code, name, short, kind, parent, ends=LAST_DAY_BEFORE, merged_into=code)


def _merged(code: str, name: str, short: str, into: str):
    """A department the February–March 2025 mergers ended."""
    return Department(code, name, short, D.DEPARTMENT, ends=_BEFORE_MERGERS, merged_into=into)


# The departments of every province before the February–March 2025 mergers (Decrees 24/2014 and
# 107/2020), the one created by the mergers, and where each went (Decree 45/2025); the provinces'
# own extras (Ban Dân tộc, Sở Ngoại vụ, separate tourism departments) come through the import.
BEFORE_DEPARTMENTS = (
    _lasted("SNV", "Sở Nội vụ", "Nội vụ"),
    _lasted("STP", "Sở Tư pháp", "Tư pháp"),
    _lasted("STC", "Sở Tài chính", "Tài chính"),
    _merged("SKHĐT", "Sở Kế hoạch và Đầu tư", "Kế hoạch và Đầu tư", into="STC"),
    _merged("SLĐTBXH", "Sở Lao động - Thương binh và Xã hội", "Lao động - Thương binh và Xã hội",
            into="SNV"),
    _merged("SGTVT", "Sở Giao thông vận tải", "Giao thông vận tải", into="SXD"),
    _merged("STNMT", "Sở Tài nguyên và Môi trường", "Tài nguyên và Môi trường", into="SNNMT"),
    _merged("STTTT", "Sở Thông tin và Truyền thông", "Thông tin và Truyền thông", into="SKHCN"),
    _merged("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn",
            "Nông nghiệp và Phát triển nông thôn", into="SNNMT"),
    _lasted("SKHCN", "Sở Khoa học và Công nghệ", "Khoa học và Công nghệ"),
    _lasted("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Văn hóa, Thể thao và Du lịch"),
    _lasted("SGDĐT", "Sở Giáo dục và Đào tạo", "Giáo dục và Đào tạo"),
    _lasted("SYT", "Sở Y tế", "Y tế"),
    _lasted("SCT", "Sở Công Thương", "Công Thương"),
    _lasted("SXD", "Sở Xây dựng", "Xây dựng"),
    _lasted("TTr", "Thanh tra {tỉnh}", "Thanh tra {tỉnh}", D.INSPECTORATE),
    _lasted("VPUBND", "Văn phòng Ủy ban nhân dân {tỉnh}", "Văn phòng UBND {tỉnh}", D.OFFICE),
    _lasted("TTPVHCC", "Trung tâm Phục vụ hành chính công {tỉnh}",
            "Trung tâm Phục vụ hành chính công", D.CENTRE, parent="VPUBND"),
    Department("SNNMT", "Sở Nông nghiệp và Môi trường", "Nông nghiệp và Môi trường",
               D.DEPARTMENT, starts=DEPARTMENT_MERGERS, ends=LAST_DAY_BEFORE, merged_into="SNNMT"),
)  # fmt: skip
# The departments of every province from 1 July 2025 (Decree 45/2025).
AFTER_DEPARTMENTS = tuple(
    Department(d.code, d.name, d.short_name, d.kind, d.parent)
    for d in BEFORE_DEPARTMENTS
    if d.ends == LAST_DAY_BEFORE
)
# A province that holds one of these codes already has the department under another shape.
COVERED_BY = {"SVHTTDL": ("SVHTT", "SDL")}


# Reading the library --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    """A unit as the library describes it, in one era."""

    era: str
    code: str
    name: str
    level: str
    kind: str
    parent_code: str = ""

    @property
    def short_name(self) -> str:
        prefix = NAME_PREFIXES[self.kind] + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name

    @property
    def valid_from(self) -> datetime.date | None:
        return REFORM_DAY if self.era == AFTER else None

    @property
    def valid_to(self) -> datetime.date | None:
        return LAST_DAY_BEFORE if self.era == BEFORE else None


@dataclass
class Registry:
    """The library's data as plain values: units by (era, code), successors by former code."""

    release: str
    data_date: datetime.date
    units: dict[tuple[str, str], UnitSpec]
    successors: dict[str, set[str]]  # code before the reform → codes after it
    gaps: list[str] = field(default_factory=list)

    def count(self, era: str, level: str) -> int:
        return sum(1 for u in self.units.values() if u.era == era and u.level == level)


def _code(level: str, number: int) -> str:
    return f"{int(number):0{CODE_WIDTH[level]}d}"


def registry_from_library() -> Registry:
    """Read the pinned `vietnam-provinces` into a `Registry` (about 0.3 s)."""
    import vietnam_provinces as vp
    from vietnam_provinces import legacy

    units: dict[tuple[str, str], UnitSpec] = {}
    # (era, the library's list, level, the code's kind, the parent's kind and attribute)
    sources = (
        (BEFORE, legacy.Province, Level.PROVINCE, "province", None),
        (BEFORE, legacy.District, Level.DISTRICT, "district", ("province", "province_code")),
        (BEFORE, legacy.Ward, Level.COMMUNE, "commune", ("district", "district_code")),
        (AFTER, vp.Province, Level.PROVINCE, "province", None),
        (AFTER, vp.Ward, Level.COMMUNE, "commune", ("province", "province_code")),
    )
    for era, source, level, kind, parent in sources:
        for row in source.iter_all():
            code = _code(kind, row.code.value)
            parent_code = _code(parent[0], getattr(row, parent[1]).value) if parent else ""
            units[(era, code)] = UnitSpec(
                era, code, row.name, level, KINDS[row.division_type.value], parent_code
            )

    successors: dict[str, set[str]] = defaultdict(set)
    gaps: list[str] = []
    for p in legacy.Province.iter_all():
        for found in vp.Province.search_from_legacy(code=p.code.value):
            successors[_code("province", p.code.value)].add(
                _code("province", found.province.code.value)
            )
    without = []
    for w in legacy.Ward.iter_all():
        found = vp.Ward.search_from_legacy(code=w.code.value)
        if not found:
            without.append(_code("commune", w.code.value))
        for f in found:
            new = _code("commune", f.ward.code.value)
            successors[_code("commune", w.code.value)].add(new)
            successors[_code("district", w.district_code.value)].add(new)
    if without:
        gaps.append(
            f"{len(without)} xã trong danh mục cũ không có dòng trong bảng chuyển đổi (đã sắp "
            f"xếp trước 01/07/2025, thư viện không ghi ngày): {', '.join(without)}"
        )
    # Island districts without communes became special zones of the same name.
    for d in legacy.District.iter_all():
        code = _code("district", d.code.value)
        if code in successors:
            continue
        spec = units[(BEFORE, code)]
        provinces = successors.get(_code("province", d.province_code.value), set())
        zones = [
            u.code
            for u in units.values()
            if u.era == AFTER
            and u.kind == Kind.DAC_KHU
            and u.parent_code in provinces
            and fold(u.short_name) == fold(spec.short_name)
        ]
        if zones:
            successors[code].update(zones)
        else:
            gaps.append(f"Huyện {code} ({spec.name}) không có đơn vị kế thừa trong thư viện.")
    try:  # the conversion table itself, to list its rows about codes the legacy list lacks
        from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW
    except ImportError:  # pragma: no cover - a later release may move it
        OLD_TO_NEW = {}
    extra = sorted(
        _code("commune", c) for c in OLD_TO_NEW if (BEFORE, _code("commune", c)) not in units
    )
    if extra:
        gaps.append(
            f"{len(extra)} mã xã cũ trong bảng chuyển đổi không có trong danh mục cũ (hình thành "
            f"2024–2025, chưa nạp): {', '.join(extra)}"
        )
    return Registry(
        release=f"{LIBRARY} {vp.__version__}",
        data_date=datetime.date.fromisoformat(vp.__data_version__),
        units=units,
        successors=dict(successors),
        gaps=gaps,
    )


# Loading ------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    release: str
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: int = 0
    kept: int = 0
    links_added: int = 0
    agencies_created: int = 0
    agencies_updated: int = 0
    differs: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    changes_from: datetime.date | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values())
            or self.links_added
            or self.agencies_created
            or self.agencies_updated
            or self.renamed
            or self.ended
        )

    def lines(self, verbose: bool = False) -> list[str]:
        created = (
            ", ".join(f"{n} {str(Level(level).label).lower()}" for level, n in self.created.items())
            or "0"
        )
        out = [
            f"Danh mục quốc gia ({self.release}) nạp trong {self.seconds:.1f} giây: "
            f"{created} đơn vị mới, {self.unchanged} không đổi, {self.kept} giữ nguyên bản đã có "
            f"trong sản phẩm; {self.links_added} quan hệ kế thừa mới; {self.agencies_created} cơ "
            f"quan mới, {self.agencies_updated} cơ quan cập nhật."
        ]
        day = self.changes_from.strftime("%d/%m/%Y") if self.changes_from else ""
        for title, items in (
            (f"Đơn vị mới trong bản thư viện này (hiệu lực từ {day})", self.added),
            (f"Đổi tên hoặc thay đổi (bản cũ hết hiệu lực trước {day})", self.renamed),
            (f"Không còn trong thư viện (hết hiệu lực trước {day})", self.ended),
            (
                "Thư viện sửa danh mục trước 01/07/2025 — không áp dụng, kiểm tra rồi nhập bằng "
                "import_registry nếu đúng",
                self.history,
            ),
            ("Xung đột — bản ghi do quản trị viên sửa, giữ nguyên", self.conflicts),
        ):
            if items:
                out.append(f"{title}: {len(items)}")
                out += [f"  {item}" for item in items]
        if self.differs:
            out.append(f"Bản ghi có sẵn khác thư viện, giữ nguyên: {len(self.differs)}")
            out += [f"  {item}" for item in self.differs]
        if verbose:
            out += [f"Ghi chú: {gap}" for gap in self.gaps]
        return out


def _digest(*values: Any) -> str:
    text = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


UNIT_FIELDS = ("name", "short_name", "level", "kind", "parent_id", "valid_from", "valid_to")
AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "abbreviation",
    "kind",
    "unit_id",
    "parent_id",
    "valid_from",
    "valid_to",
    "merged_into_id",
)


def unit_digest(values: dict[str, Any]) -> str:
    return _digest(*(values[f] for f in UNIT_FIELDS))


def agency_digest(values: dict[str, Any]) -> str:
    return _digest(*(values[f] for f in AGENCY_FIELDS))


def _era(valid_from: datetime.date | None) -> str:
    return AFTER if valid_from is not None and valid_from >= REFORM_DAY else BEFORE


def _covers(row: dict[str, Any], day: datetime.date) -> bool:
    return (row["valid_from"] is None or row["valid_from"] <= day) and (
        row["valid_to"] is None or day <= row["valid_to"]
    )


class _Units:
    """The units the product holds, as value rows by (era, code)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self.by_pk: dict[int, dict[str, Any]] = {}
        self.created: set[int] = set()  # written by this run
        for row in AdministrativeUnit.objects.values(
            "pk", "code", "province_id", "source", "source_digest", *UNIT_FIELDS
        ):
            self.add(row)

    def add(self, row: dict[str, Any]) -> None:
        self.by_key[(_era(row["valid_from"]), row["code"])].append(row)
        self.by_pk[row["pk"]] = row

    def current(self, era: str, code: str, day: datetime.date | None = None) -> dict | None:
        """The record of `code` in `era` that answers for it: valid on `day` (the era's
        boundary by default), else the latest."""
        rows = self.by_key.get((era, code))
        if not rows:
            return None
        day = day or (LAST_DAY_BEFORE if era == BEFORE else REFORM_DAY)
        valid = [r for r in rows if _covers(r, day)]
        return valid[0] if valid else max(rows, key=lambda r: r["valid_from"] or datetime.date.min)

    def code(self, pk: int | None) -> str:
        return self.by_pk[pk]["code"] if pk else ""


def national_registry_load(
    *, registry: Registry | None = None, changes_from: datetime.date | None = None
) -> LoadReport:
    """Load the whole country in both eras (see the module docstring); one transaction."""
    started = time.monotonic()
    registry = registry or registry_from_library()
    report = LoadReport(release=registry.release, gaps=list(registry.gaps))
    with transaction.atomic():
        units = _Units()
        upgrade = any(r["source"] and r["source"] != registry.release for r in units.by_pk.values())
        day = changes_from or registry.data_date
        report.changes_from = day if upgrade else None
        new_links: list[tuple[int, int]] = []
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            specs = [s for s in registry.units.values() if s.level == level]
            _load_level(specs, units, registry, report, upgrade, day, new_links)
        _end_missing(registry, units, report, upgrade, day)
        _load_links(registry, units, report, new_links)
        _load_committees(registry.release, report)
        _load_departments(registry, units, report)
    report.seconds = time.monotonic() - started
    return report


def _spec_values(spec: UnitSpec, units: _Units, on: datetime.date | None) -> dict[str, Any]:
    parent = units.current(spec.era, spec.parent_code, on) if spec.parent_code else None
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "level": spec.level,
        "kind": spec.kind,
        "parent_id": parent["pk"] if parent else None,
        "province_id": (parent["province_id"] or parent["pk"]) if parent else None,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
    }


def _same(spec: UnitSpec, row: dict[str, Any], units: _Units) -> bool:
    return (row["name"], row["short_name"], row["level"], row["kind"]) == (
        spec.name,
        spec.short_name,
        spec.level,
        spec.kind,
    ) and units.code(row["parent_id"]) == spec.parent_code


def _describe(spec: UnitSpec) -> str:
    era = "sau 01/07/2025" if spec.era == AFTER else "trước 01/07/2025"
    return f"{spec.code} {spec.name} ({era})"


def _load_level(specs, units, registry, report, upgrade, day, new_links) -> None:
    to_create: list[tuple[AdministrativeUnit, UnitSpec]] = []
    to_update: list[AdministrativeUnit] = []
    successor_of: dict[int, UnitSpec] = {}  # old record → spec of the record replacing it
    for spec in specs:
        rows = units.by_key.get((spec.era, spec.code), [])
        if not rows:
            values = _spec_values(spec, units, None)
            if upgrade and spec.era == AFTER:
                values["valid_from"] = day
                report.added.append(_describe(spec))
            to_create.append((_new_unit(values, registry.release), spec))
            continue
        if any(not r["source"] for r in rows):
            report.kept += 1
            held = units.current(spec.era, spec.code)
            if not _same(spec, held, units):
                report.differs.append(f"{_describe(spec)}: trong sản phẩm là “{held['name']}”")
            continue
        row = max(rows, key=lambda r: r["valid_from"] or datetime.date.min)
        if unit_digest(row) != row["source_digest"]:
            if _same(spec, row, units):  # corrected to what the library now says
                to_update.append(_unit_update(row, {}, registry.release))
                report.unchanged += 1
            else:
                report.conflicts.append(
                    f"{_describe(spec)}: quản trị viên đã sửa thành “{row['name']}”"
                )
            continue
        if _same(spec, row, units):
            report.unchanged += 1
            continue
        change = f"{row['code']} “{row['name']}” → “{spec.name}”"
        if spec.era == BEFORE or row["valid_to"] is not None:
            report.history.append(change)
        elif row["valid_from"] == day:
            values = _spec_values(spec, units, day)
            to_update.append(_unit_update(row, values, registry.release))
            report.renamed.append(change)
        else:
            to_update.append(_unit_update(row, {"valid_to": day - ONE_DAY}, registry.release))
            values = {**_spec_values(spec, units, day), "valid_from": day}
            unit = _new_unit(values, registry.release)
            to_create.append((unit, spec))
            successor_of[row["pk"]] = spec
            report.renamed.append(change)
    if to_update:
        AdministrativeUnit.objects.bulk_update(
            to_update,
            [
                "name",
                "short_name",
                "search_name",
                "parent",
                "province",
                "kind",
                "valid_from",
                "valid_to",
                "source",
                "source_digest",
            ],
            batch_size=500,
        )
        for unit in to_update:
            units.by_pk[unit.pk].update(_unit_row(unit))
    if to_create:
        created = AdministrativeUnit.objects.bulk_create([u for u, _s in to_create], batch_size=500)
        for unit in created:
            units.add(_unit_row(unit))
            units.created.add(unit.pk)
            report.created[unit.level] += 1
        by_spec = {(s.era, s.code, u.valid_from): u for u, s in to_create}
        for old_pk, spec in successor_of.items():
            new = by_spec[(spec.era, spec.code, day)]
            new_links.append((old_pk, new.pk))


def _new_unit(values: dict[str, Any], release: str) -> AdministrativeUnit:
    unit = AdministrativeUnit(**values)
    _stamp(unit, release)
    return unit


def _stamp(unit: AdministrativeUnit, release: str) -> None:
    unit.search_name = fold(unit.name)
    unit.source = release
    unit.source_digest = unit_digest(_unit_row(unit))


def _unit_update(row: dict[str, Any], values: dict[str, Any], release: str) -> AdministrativeUnit:
    unit = AdministrativeUnit(
        pk=row["pk"],
        code=row["code"],
        province_id=row["province_id"],
        **{f: row[f] for f in UNIT_FIELDS},
    )
    for name, value in values.items():
        setattr(unit, name, value)
    _stamp(unit, release)
    return unit


def _unit_row(unit: AdministrativeUnit) -> dict[str, Any]:
    return {
        "pk": unit.pk,
        "code": unit.code,
        "province_id": unit.province_id,
        "source": unit.source,
        "source_digest": unit.source_digest,
        **{f: getattr(unit, f) for f in UNIT_FIELDS},
    }


def _end_missing(registry, units, report, upgrade, day) -> None:
    """Generated units the library no longer has: those after the reform end the day before
    `day`; those before it are only listed (history is not rewritten)."""
    if not upgrade:
        return
    to_end = []
    for (era, code), rows in units.by_key.items():
        if (era, code) in registry.units:
            continue
        for row in rows:
            if not row["source"] or (row["valid_to"] is not None and era == AFTER):
                continue
            if unit_digest(row) != row["source_digest"]:
                report.conflicts.append(f"{code} {row['name']}: quản trị viên đã sửa, giữ nguyên")
            elif era == BEFORE:
                report.history.append(f"{code} “{row['name']}” không còn trong danh mục cũ")
            else:
                to_end.append(_unit_update(row, {"valid_to": day - ONE_DAY}, registry.release))
                report.ended.append(f"{code} {row['name']}")
    if to_end:
        AdministrativeUnit.objects.bulk_update(to_end, ["valid_to", "source", "source_digest"])
        for unit in to_end:
            units.by_pk[unit.pk].update(_unit_row(unit))


def _load_links(registry, units, report, new_links) -> None:
    """The table's links with at least one end written by this run: a link between records the
    product already held is theirs to keep or remove (a link removed by hand stays removed)."""
    existing = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    wanted = list(new_links)
    for old_code, new_codes in registry.successors.items():
        old = units.current(BEFORE, old_code)
        if old is None:
            continue
        for new_code in sorted(new_codes):
            new = units.current(AFTER, new_code)
            if new is not None and (old["pk"] in units.created or new["pk"] in units.created):
                wanted.append((old["pk"], new["pk"]))
    links = []
    for pair in wanted:
        if pair not in existing:
            existing.add(pair)
            links.append(UnitSuccession(predecessor_id=pair[0], successor_id=pair[1]))
    UnitSuccession.objects.bulk_create(links, batch_size=1000)
    report.links_added = len(links)


# Agencies -----------------------------------------------------------------------------------


AGENCY_WRITE_FIELDS = (
    "name",
    "short_name",
    "search_name",
    "abbreviation",
    "kind",
    "parent_id",
    "valid_from",
    "valid_to",
    "merged_into_id",
    "source",
    "source_digest",
)


def _write_agencies(wanted: Iterable[dict], existing: dict, release: str, report) -> list[dict]:
    """Create what is missing, update generated agencies nobody corrected; return the rows
    (value dicts with their pk) that now answer for each wanted key."""
    to_create, to_update, out = [], [], []
    for values in wanted:
        values = {**values, "source": release, "source_digest": agency_digest(values)}
        values["search_name"] = fold(values["name"])
        key = (values["unit_id"], values["code"], values["valid_from"])
        held = existing.get(key)
        if held is None:
            to_create.append(values)
            continue
        if (
            not held["source"]  # hand-made
            or agency_digest(held) != held["source_digest"]  # corrected by an administrator
            or held["source_digest"] == values["source_digest"]  # nothing to do
        ):
            out.append(held)
            continue
        values["pk"] = held["pk"]
        to_update.append(values)
    if to_create:
        created = Agency.objects.bulk_create([Agency(**row) for row in to_create], batch_size=500)
        for row, agency in zip(to_create, created, strict=True):
            row["pk"] = agency.pk
        report.agencies_created += len(to_create)
    if to_update:
        Agency.objects.bulk_update(
            [Agency(**row) for row in to_update], AGENCY_WRITE_FIELDS, batch_size=500
        )
        report.agencies_updated += len(to_update)
    for row in (*to_create, *to_update):
        existing[(row["unit_id"], row["code"], row["valid_from"])] = row
        out.append(row)
    return out


def _existing_agencies() -> dict[tuple, dict[str, Any]]:
    return {
        (a["unit_id"], a["code"], a["valid_from"]): a
        for a in Agency.objects.values("pk", "source", "source_digest", *AGENCY_FIELDS)
    }


def _load_committees(release: str, report: LoadReport) -> None:
    """The People's Committee of every generated unit, valid for the same period."""
    names = {kind: committee_name(kind, "{}") for kind in Kind.values}
    generated = AdministrativeUnit.objects.exclude(source="").values_list(
        "pk", "province_id", "kind", "short_name", "valid_from", "valid_to"
    )
    wanted = [
        {
            "unit_id": pk,
            "province_id": province_id or pk,
            "code": "UBND",
            "name": names[kind].replace("{}", short_name),
            "short_name": short_name,
            "abbreviation": "UBND",
            "kind": Agency.Kind.COMMITTEE,
            "parent_id": None,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "merged_into_id": None,
        }
        for pk, province_id, kind, short_name, valid_from, valid_to in generated
    ]
    _write_agencies(wanted, _existing_agencies(), release, report)


def _load_departments(registry: Registry, units: _Units, report: LoadReport) -> None:
    existing = _existing_agencies()
    held_codes: dict[int, set[str]] = defaultdict(set)  # province record → hand-made codes
    for (unit_id, code, _from), agency in existing.items():
        if not agency["source"] and agency["kind"] != Agency.Kind.COMMITTEE:
            held_codes[unit_id].add(code)

    provinces = {
        era: [
            units.current(era, s.code)
            for s in registry.units.values()
            if s.era == era and s.level == Level.PROVINCE
        ]
        for era in (AFTER, BEFORE)
    }
    successor_province = {}
    for old_code, new_codes in registry.successors.items():
        if len(old_code) == CODE_WIDTH[Level.PROVINCE] and new_codes:
            old, new = units.current(BEFORE, old_code), units.current(AFTER, min(new_codes))
            if old and new:
                successor_province[old["pk"]] = new["pk"]
    # After the reform first, then the departments created by the March 2025 mergers, those that
    # lasted until the reform, and those the mergers ended: each wave's `merged_into` and
    # `parent` point at the waves before it.
    waves = [
        (AFTER, [d for d in AFTER_DEPARTMENTS if not d.parent]),
        (AFTER, [d for d in AFTER_DEPARTMENTS if d.parent]),
        (BEFORE, [d for d in BEFORE_DEPARTMENTS if d.starts]),
        (
            BEFORE,
            [
                d
                for d in BEFORE_DEPARTMENTS
                if d.ends == LAST_DAY_BEFORE and not d.starts and not d.parent
            ],
        ),
        (BEFORE, [d for d in BEFORE_DEPARTMENTS if d.parent]),
        (BEFORE, [d for d in BEFORE_DEPARTMENTS if d.ends == _BEFORE_MERGERS]),
    ]
    # Index the agencies of the province records only, for the lookups below.
    province_pks = {p["pk"] for rows in provinces.values() for p in rows if p}
    existing_by_unit: dict[int, list[dict]] = defaultdict(list)
    for agency in existing.values():
        if agency["unit_id"] in province_pks:
            existing_by_unit[agency["unit_id"]].append(agency)

    def find(unit_id: int | None, code: str, day: datetime.date | None) -> int | None:
        for agency in existing_by_unit.get(unit_id, ()):
            if agency["code"] == code and day and _covers(agency, day):
                return agency["pk"]
        return None

    for era, departments in waves:
        wanted = []
        for province in provinces[era]:
            if province is None:
                continue
            held = held_codes.get(province["pk"], set())
            city = province["kind"] == Kind.THANH_PHO_TW
            for d in departments:
                if d.code in held or any(c in held for c in COVERED_BY.get(d.code, ())):
                    continue
                valid_from = d.starts if era == BEFORE else REFORM_DAY
                merged_into = None
                if d.merged_into and d.ends:
                    target_unit = (
                        successor_province.get(province["pk"])
                        if d.ends == LAST_DAY_BEFORE
                        else province["pk"]
                    )
                    merged_into = find(target_unit, d.merged_into, d.ends + ONE_DAY)
                parent = find(province["pk"], d.parent, valid_from or d.ends) if d.parent else None
                place = "thành phố" if city else "tỉnh"
                wanted.append(
                    {
                        "unit_id": province["pk"],
                        "province_id": province["pk"],
                        "code": d.code,
                        "name": d.name.replace("{tỉnh}", place),
                        "short_name": d.short_name.replace("{tỉnh}", place),
                        "abbreviation": d.code,
                        "kind": d.kind,
                        "parent_id": parent,
                        "valid_from": valid_from,
                        "valid_to": d.ends if era == BEFORE else None,
                        "merged_into_id": merged_into,
                    }
                )
        for agency in _write_agencies(wanted, existing, registry.release, report):
            rows = existing_by_unit[agency["unit_id"]]
            if not any(r["pk"] == agency["pk"] for r in rows):
                rows.append(agency)
