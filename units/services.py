"""Workflows of the registry: importing unit and agency lists, keeping committees in step.

An import reads every row, resolves every reference, and writes only when no row is bad: the
caller gets either the counts of what changed or the full list of bad rows with line numbers.
References between rows go by code *as of a date*, because codes were reused in 2025:
- a unit's parent is the unit with that code valid on the row's reference day (its first day, or
  its last day when it has no first day);
- a unit's predecessors are the units with those codes valid the day before it began;
- an agency names its unit by code (as of its reference day), its parent agency and the agency it
  was merged into as `unit code/agency code` (the latter as of the day after it ended).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from units.models import AdministrativeUnit, Agency, Level, today
from units.text import fold

ONE_DAY = datetime.timedelta(days=1)

UNIT_COLUMNS = ("code", "name", "short_name", "level", "kind", "parent_code", "valid_from",
                "valid_to", "predecessor_codes", "note")  # fmt: skip
AGENCY_COLUMNS = ("unit_code", "code", "name", "short_name", "abbreviation", "kind", "parent",
                  "valid_from", "valid_to", "merged_into", "note")  # fmt: skip
REQUIRED_UNIT_COLUMNS = ("code", "name", "level", "kind")
REQUIRED_AGENCY_COLUMNS = ("unit_code", "code", "name", "abbreviation", "kind")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Dòng %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class ImportRejected(Exception):
    """The file has bad rows; nothing was changed."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _(
            "%(created)d dòng mới, %(updated)d dòng cập nhật, %(unchanged)d dòng không đổi"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# Reading files ------------------------------------------------------------------------------


def read_table(file: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a CSV (UTF-8) or Excel (.xlsx) file as (line number, {column: value}).

    The limits (IMPORT_MAX_BYTES, IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_ROWS,
    IMPORT_MAX_COLUMNS) are checked before a sheet is parsed where the file declares its size
    (the ZIP directory, the sheet's dimension), and while rows are streamed otherwise: reading
    stops at the first row past the limit, so a small file that unpacks to a million rows costs
    no more than the limit.
    """
    limits = _Limits.from_settings()
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportRejected(
            [RowError(0, _("Chỉ nhận tệp .csv hoặc .xlsx; tệp đã chọn là “%s”.") % filename)]
        )
    raw = file.read(limits.bytes + 1)
    if len(raw) > limits.bytes:
        raise _too_big(_("lớn hơn giới hạn %(limit)s MB"), limits.bytes)
    table = _csv_rows(raw, limits) if suffix == ".csv" else _xlsx_rows(raw, limits)
    try:
        header_row = next(table, None)
        if header_row is None:
            raise ImportRejected([RowError(0, _("Tệp trống: dòng đầu phải là tên các cột."))])
        header = [str(h or "").strip().lower() for h in header_row]
        rows = []
        for number, values in enumerate(table, start=2):
            if number - 1 > limits.rows:
                raise _too_many_rows(limits.rows)
            if all(v in (None, "") for v in values):
                continue
            rows.append((number, dict(zip(header, values, strict=False))))
    finally:
        table.close()  # stops the reading of the sheet, and closes the workbook
    return rows


@dataclass(frozen=True)
class _Limits:
    bytes: int
    uncompressed: int
    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> _Limits:
        return cls(
            bytes=settings.IMPORT_MAX_BYTES,
            uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
        )


def _csv_rows(raw: bytes, limits: _Limits) -> Iterator[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [RowError(0, _("Tệp CSV không ở mã UTF-8: hãy lưu lại tệp với mã hóa UTF-8."))]
        ) from None
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if len(row) > limits.columns:
                raise _too_many_columns(limits.columns)
            yield row
    except csv.Error:
        raise ImportRejected(
            [
                RowError(
                    reader.line_num,
                    _(
                        "tệp CSV sai định dạng (dấu ngoặc kép không đóng hoặc một ô quá dài): "
                        "hãy mở tệp bằng Excel, kiểm tra dòng này rồi lưu lại dạng CSV UTF-8."
                    ),
                )
            ]
        ) from None


# A worksheet's declared extent, e.g. <dimension ref="A1:K250"/>, near the start of its XML.
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)
_DIMENSION_SCAN = 64 * 1024


def _xlsx_rows(raw: bytes, limits: _Limits) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    unreadable = ImportRejected(
        [RowError(0, _("Không đọc được tệp Excel: hãy kiểm tra tệp có phải .xlsx không."))]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _check_xlsx_package(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise unreadable from None
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise unreadable from None
    try:
        for row in workbook.active.iter_rows(values_only=True):
            if len(row) > limits.columns:
                raise _too_many_columns(limits.columns)
            yield row
    except ImportRejected:
        raise
    except Exception:  # a broken sheet surfaces while rows are streamed
        raise unreadable from None
    finally:
        workbook.close()


def _check_xlsx_package(archive: zipfile.ZipFile, limits: _Limits) -> None:
    """Refuse from the ZIP directory, each sheet's declared dimension and a count of its row and
    cell tags, before openpyxl parses anything (openpyxl reads a sheet without a dimension in
    full just to size it)."""
    members = archive.infolist()
    if sum(member.file_size for member in members) > limits.uncompressed:
        raise _too_big(_("khi giải nén lớn hơn %(limit)s MB"), limits.uncompressed)
    for member in members:
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
            continue
        with archive.open(member) as stream:
            match = _DIMENSION.search(stream.read(_DIMENSION_SCAN))
        if match:
            first_column, first_row, last_column, last_row = (
                group.decode("ascii") if group else None for group in match.groups()
            )
            if last_row is not None:
                if int(last_row) - int(first_row or 1) > limits.rows:  # the header is one more
                    raise _too_many_rows(limits.rows)
                width = _column_number(last_column) - _column_number(first_column or "A") + 1
                if width > limits.columns:
                    raise _too_many_columns(limits.columns)
        rows, cells = _count_tags(archive, member, limits)
        if rows > limits.rows + 1:
            raise _too_many_rows(limits.rows)
        if cells > (limits.rows + 1) * limits.columns:
            raise _too_many_columns(limits.columns)


# Every row and cell element of a sheet begins so (any namespace prefix); a string value cannot
# contain a raw "<", so counting these is an upper bound of what openpyxl would read.
_ROW_TAG = re.compile(rb"<(?:\w{1,32}:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w{1,32}:)?c[\s>/]")


def _count_tags(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: _Limits
) -> tuple[int, int]:
    """Row and cell elements in a worksheet, counted on the unpacked bytes in chunks; counting
    stops once either is past its limit."""
    rows = cells = 0
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1024 * 1024):
            data = carry + chunk
            # Up to the last "<": every tag before it is whole (a tag cannot contain "<").
            cut = data.rfind(b"<")
            cut = len(data) if cut < 0 else cut
            rows += len(_ROW_TAG.findall(data, 0, cut))
            cells += len(_CELL_TAG.findall(data, 0, cut))
            if rows > limits.rows + 1 or cells > (limits.rows + 1) * limits.columns:
                break
            carry = data[cut:]
        else:
            rows += len(_ROW_TAG.findall(carry))
            cells += len(_CELL_TAG.findall(carry))
    return rows, cells


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _vietnamese_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _too_big(what: str, limit: int) -> ImportRejected:
    size = f"{limit / (1024 * 1024):.3f}".rstrip("0").rstrip(".").replace(".", ",")
    return ImportRejected(
        [
            RowError(
                0,
                _("Tệp %(what)s: hãy chia danh mục thành nhiều tệp nhỏ rồi nhập lần lượt.")
                % {"what": what % {"limit": size}},
            )
        ]
    )


def _too_many_rows(limit: int) -> ImportRejected:
    return ImportRejected(
        [
            RowError(
                0,
                _(
                    "Tệp có nhiều hơn %(limit)s dòng dữ liệu (giới hạn mỗi lần nhập): hãy xóa các "
                    "dòng thừa ở cuối bảng (kể cả dòng trống đã định dạng) hoặc chia danh mục "
                    "thành nhiều tệp rồi nhập lần lượt."
                )
                % {"limit": _vietnamese_number(limit)},
            )
        ]
    )


def _too_many_columns(limit: int) -> ImportRejected:
    return ImportRejected(
        [
            RowError(
                0,
                _(
                    "Tệp có nhiều hơn %(limit)s cột (giới hạn mỗi lần nhập): hãy chỉ giữ các cột "
                    "của danh mục, xóa các cột thừa bên phải (kể cả cột trống đã định dạng) rồi "
                    "nhập lại."
                )
                % {"limit": _vietnamese_number(limit)},
            )
        ]
    )


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _date(row: dict[str, Any], column: str, errors: list[str]) -> datetime.date | None:
    value = row.get(column)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    errors.append(
        _("cột %(column)s: “%(value)s” không phải ngày; viết dd/mm/yyyy, ví dụ 01/07/2025.")
        % {"column": column, "value": text}
    )
    return None


def _period(row: dict[str, Any], errors: list[str]):
    valid_from = _date(row, "valid_from", errors)
    valid_to = _date(row, "valid_to", errors)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(_("ngày hết hiệu lực trước ngày bắt đầu hiệu lực."))
    return valid_from, valid_to


def _choice(value: str, choices: type, column: str, errors: list[str]) -> str:
    """Accept a choice by value (`huyen`) or Vietnamese label (`Huyện`, `Cấp tỉnh`, `tỉnh`)."""
    wanted = fold(value)
    for choice in choices:
        label = fold(str(choice.label))
        if wanted in (choice.value, label, label.removeprefix("cap ")):
            return choice.value
    allowed = ", ".join(str(c.label) for c in choices)
    errors.append(
        _("cột %(column)s: “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
        % {"column": column, "value": value, "allowed": allowed}
    )
    return ""


def _check_columns(rows, required: Iterable[str]) -> None:
    if not rows:
        raise ImportRejected([RowError(0, _("Tệp không có dòng dữ liệu nào."))])
    missing = [c for c in required if c not in rows[0][1]]
    if missing:
        raise ImportRejected(
            [RowError(1, _("thiếu cột: %s. Dòng đầu phải có tên các cột.") % ", ".join(missing))]
        )


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()]


# Resolving references by code and date ------------------------------------------------------


@dataclass
class _Dated:
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class _Index:
    """Records (saved or described by a row) by key, to find the one valid on a day."""

    def __init__(self) -> None:
        self._entries: dict[Any, list[tuple[_Dated, Any]]] = defaultdict(list)

    def add(self, key, period: _Dated, target) -> None:
        self._entries[key].append((period, target))

    def replace(self, key, row: _Dated) -> bool:
        """Put `row` in place of the saved record of `key` that starts the same day, if any."""
        entries = self._entries[key]
        for i, (period, _old) in enumerate(entries):
            if period.valid_from == row.valid_from:
                entries[i] = (row, row)
                return True
        return False

    def resolve(self, key, day: datetime.date, what: str) -> tuple[Any, str | None]:
        found = [t for p, t in self._entries.get(key, []) if p.covers(day)]
        when = day.strftime("%d/%m/%Y")
        if not found:
            return None, _("không có %(what)s mã %(key)s còn hiệu lực ngày %(day)s.") % {
                "what": what,
                "key": key if isinstance(key, str) else "/".join(key),
                "day": when,
            }
        if len(found) > 1:
            return None, _("có nhiều %(what)s mã %(key)s cùng hiệu lực ngày %(day)s.") % {
                "what": what,
                "key": key if isinstance(key, str) else "/".join(key),
                "day": when,
            }
        return found[0], None


def _reference_day(valid_from, valid_to) -> datetime.date:
    return valid_from or valid_to or today()


# Units --------------------------------------------------------------------------------------


@dataclass
class _UnitRow(_Dated):
    line: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    parent_code: str = ""
    predecessor_codes: list[str] = field(default_factory=list)
    instance: AdministrativeUnit | None = None
    parent: Any = None
    predecessors: list[Any] = field(default_factory=list)


def _unit_rows(rows) -> tuple[list[_UnitRow], list[RowError]]:
    parsed, errors = [], []
    for line, row in rows:
        problems: list[str] = []
        code, name = _text(row, "code"), _text(row, "name")
        if not code:
            problems.append(_("cột code trống: ghi mã đơn vị theo danh mục."))
        if not name:
            problems.append(_("cột name trống: ghi tên đơn vị, ví dụ “Huyện An Biên”."))
        level = _choice(_text(row, "level"), Level, "level", problems)
        kind = _choice(_text(row, "kind"), AdministrativeUnit.Kind, "kind", problems)
        if level and kind and kind not in AdministrativeUnit.KINDS_BY_LEVEL[level]:
            problems.append(
                _("loại “%(kind)s” không thuộc %(level)s.")
                % {
                    "kind": AdministrativeUnit.Kind(kind).label,
                    "level": str(Level(level).label).lower(),
                }
            )
        valid_from, valid_to = _period(row, problems)
        parent_code = _text(row, "parent_code")
        if level == Level.PROVINCE and parent_code:
            problems.append(_("đơn vị cấp tỉnh không có đơn vị cấp trên: để trống parent_code."))
        if level and level != Level.PROVINCE and not parent_code:
            problems.append(_("thiếu parent_code: ghi mã đơn vị cấp trên."))
        short_name = _text(row, "short_name") or _strip_kind(name, kind)
        errors += [RowError(line, p) for p in problems]
        parsed.append(
            _UnitRow(
                valid_from=valid_from,
                valid_to=valid_to,
                line=line,
                fields={
                    "code": code,
                    "name": name,
                    "short_name": short_name,
                    "level": level,
                    "kind": kind,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "note": _text(row, "note"),
                },
                parent_code=parent_code,
                predecessor_codes=_codes(_text(row, "predecessor_codes")),
            )
        )
    return parsed, errors


def _strip_kind(name: str, kind: str) -> str:
    """ "Huyện An Biên" → "An Biên"."""
    if kind:
        label = str(AdministrativeUnit.Kind(kind).label)
        if fold(name).startswith(fold(label) + " "):
            return name[len(label) + 1 :].strip()
    return name


def units_import(*, rows: list[tuple[int, dict[str, Any]]]) -> ImportResult:
    """Create or update units from table rows; raise ImportRejected listing every bad row.

    A row updates the unit with the same code and first day of validity, else creates one.
    Each unit gets its People's Committee (see `unit_committee_ensure`).
    """
    _check_columns(rows, REQUIRED_UNIT_COLUMNS)
    parsed, errors = _unit_rows(rows)

    index = _Index()
    saved = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    for unit in saved.values():
        index.add(unit.code, _Dated(unit.valid_from, unit.valid_to), unit)
    seen: dict[tuple[str, Any], int] = {}
    for row in parsed:
        key = (row.fields["code"], row.valid_from)
        if key in seen:
            errors.append(
                RowError(row.line, _("trùng với dòng %d (cùng mã, cùng ngày bắt đầu).") % seen[key])
            )
            continue
        seen[key] = row.line
        row.instance = saved.get(key)
        # From now on the row, not the saved unit, answers for this code and period.
        if row.instance is None or not index.replace(row.fields["code"], row):
            index.add(row.fields["code"], row, row)

    for row in parsed:
        if row.parent_code:
            day = _reference_day(row.valid_from, row.valid_to)
            row.parent, problem = index.resolve(row.parent_code, day, _("đơn vị cấp trên"))
            if problem:
                errors.append(RowError(row.line, problem))
        if row.predecessor_codes:
            if row.valid_from is None:
                errors.append(
                    RowError(row.line, _("có đơn vị trước thì phải có ngày bắt đầu hiệu lực."))
                )
                continue
            for code in row.predecessor_codes:
                pred, problem = index.resolve(code, row.valid_from - ONE_DAY, _("đơn vị trước"))
                if problem:
                    errors.append(RowError(row.line, problem))
                else:
                    row.predecessors.append(pred)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))

    result = ImportResult()
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    with transaction.atomic():
        for row in sorted(parsed, key=lambda r: order[r.fields["level"]]):
            parent = row.parent.instance if isinstance(row.parent, _UnitRow) else row.parent
            values = {**row.fields, "parent": parent}
            row.instance = _save(AdministrativeUnit, row.instance, values, result)
        for row in parsed:
            wanted = {p.instance.pk if isinstance(p, _UnitRow) else p.pk for p in row.predecessors}
            current = dict(row.instance.predecessors.values_list("pk", "source"))
            # Links to units of the national registry are the national load's: a file written
            # without them (the shipped fixtures) does not remove them.
            wanted |= {pk for pk, source in current.items() if source}
            if wanted != set(current):
                row.instance.predecessors.set(wanted)
            unit_committee_ensure(unit=row.instance)
    return result


def _save(model, instance, values: dict[str, Any], result: ImportResult):
    if instance is None:
        instance = model(**values)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        result.created += 1
        return instance
    changed = [k for k, v in values.items() if getattr(instance, k) != v]
    if changed:
        for k in changed:
            setattr(instance, k, values[k])
        instance.save()
        result.updated += 1
    else:
        result.unchanged += 1
    return instance


def committee_name(kind: str, short_name: str) -> str:
    """ "Ủy ban nhân dân huyện An Biên"; a centrally governed city is a “thành phố”."""
    if kind == AdministrativeUnit.Kind.THANH_PHO_TW:
        kind = AdministrativeUnit.Kind.THANH_PHO
    return f"Ủy ban nhân dân {str(AdministrativeUnit.Kind(kind).label).lower()} {short_name}"


def unit_committee_ensure(*, unit: AdministrativeUnit) -> Agency:
    """Every administrative unit has its People's Committee, valid for the same period."""
    values = {
        "name": committee_name(unit.kind, unit.short_name),
        "short_name": unit.short_name,
        "abbreviation": "UBND",
        "kind": Agency.Kind.COMMITTEE,
        "valid_to": unit.valid_to,
    }
    committee, created = Agency.objects.get_or_create(
        unit=unit, code="UBND", valid_from=unit.valid_from, defaults=values
    )
    if not created and any(getattr(committee, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(committee, k, v)
        committee.save()
    return committee


# Agencies -----------------------------------------------------------------------------------


@dataclass
class _AgencyRow(_Dated):
    line: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    unit_code: str = ""
    parent_ref: str = ""
    merged_ref: str = ""
    instance: Agency | None = None
    unit: AdministrativeUnit | None = None
    parent: Any = None
    merged_into: Any = None


def _agency_ref(ref: str) -> tuple[str, str] | None:
    unit_code, sep, code = ref.partition("/")
    return (unit_code.strip(), code.strip()) if sep and unit_code.strip() and code.strip() else None


def agencies_import(*, rows: list[tuple[int, dict[str, Any]]]) -> ImportResult:
    """Create or update agencies from table rows; raise ImportRejected listing every bad row."""
    _check_columns(rows, REQUIRED_AGENCY_COLUMNS)
    errors: list[RowError] = []
    parsed: list[_AgencyRow] = []
    for line, row in rows:
        problems: list[str] = []
        for column in REQUIRED_AGENCY_COLUMNS:
            if column != "kind" and not _text(row, column):
                problems.append(_("cột %s trống.") % column)
        kind = _choice(_text(row, "kind"), Agency.Kind, "kind", problems)
        valid_from, valid_to = _period(row, problems)
        parent_ref, merged_ref = _text(row, "parent"), _text(row, "merged_into")
        for column, ref in (("parent", parent_ref), ("merged_into", merged_ref)):
            if ref and _agency_ref(ref) is None:
                problems.append(_("cột %s: ghi “mã đơn vị/mã cơ quan”, ví dụ 91/VPUBND.") % column)
        if merged_ref and valid_to is None:
            problems.append(_("cơ quan đã sáp nhập phải có ngày hết hiệu lực (valid_to)."))
        errors += [RowError(line, p) for p in problems]
        parsed.append(
            _AgencyRow(
                valid_from=valid_from,
                valid_to=valid_to,
                line=line,
                fields={
                    "code": _text(row, "code"),
                    "name": _text(row, "name"),
                    "short_name": _text(row, "short_name") or _text(row, "name"),
                    "abbreviation": _text(row, "abbreviation"),
                    "kind": kind,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "note": _text(row, "note"),
                },
                unit_code=_text(row, "unit_code"),
                parent_ref=parent_ref,
                merged_ref=merged_ref,
            )
        )

    units = _Index()
    for unit in AdministrativeUnit.objects.all():
        units.add(unit.code, _Dated(unit.valid_from, unit.valid_to), unit)
    agencies = _Index()
    saved = {(a.unit_id, a.code, a.valid_from): a for a in Agency.objects.select_related("unit")}
    for agency in saved.values():
        agencies.add(
            (agency.unit.code, agency.code), _Dated(agency.valid_from, agency.valid_to), agency
        )

    seen: dict[tuple, int] = {}
    for row in parsed:
        if not row.unit_code:
            continue
        day = _reference_day(row.valid_from, row.valid_to)
        row.unit, problem = units.resolve(row.unit_code, day, _("đơn vị hành chính"))
        if problem:
            errors.append(RowError(row.line, problem))
            continue
        key = (row.unit.pk, row.fields["code"], row.valid_from)
        if key in seen:
            errors.append(RowError(row.line, _("trùng với dòng %d.") % seen[key]))
            continue
        seen[key] = row.line
        row.instance = saved.get(key)
        ref_key = (row.unit_code, row.fields["code"])
        if row.instance is None or not agencies.replace(ref_key, row):
            agencies.add(ref_key, row, row)

    for row in parsed:
        if row.parent_ref and (ref := _agency_ref(row.parent_ref)):
            day = _reference_day(row.valid_from, row.valid_to)
            row.parent, problem = agencies.resolve(ref, day, _("cơ quan chủ quản"))
            if problem:
                errors.append(RowError(row.line, problem))
        if row.merged_ref and row.valid_to and (ref := _agency_ref(row.merged_ref)):
            row.merged_into, problem = agencies.resolve(
                ref, row.valid_to + ONE_DAY, _("cơ quan tiếp nhận")
            )
            if problem:
                errors.append(RowError(row.line, problem))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))

    result = ImportResult()
    with transaction.atomic():
        # Agencies that others point to (parent, merged into) are saved first.
        pending = list(parsed)
        while pending:
            ready = [r for r in pending if not _unsaved(r.parent) and not _unsaved(r.merged_into)]
            if not ready:
                raise ImportRejected(
                    [RowError(r.line, _("tham chiếu vòng giữa các cơ quan.")) for r in pending]
                )
            for row in ready:
                values = {
                    **row.fields,
                    "unit": row.unit,
                    "parent": _saved(row.parent),
                    "merged_into": _saved(row.merged_into),
                }
                row.instance = _save(Agency, row.instance, values, result)
            pending = [r for r in pending if r not in ready]
    return result


def _unsaved(target) -> bool:
    return isinstance(target, _AgencyRow) and (
        target.instance is None or target.instance.pk is None
    )


def _saved(target):
    return target.instance if isinstance(target, _AgencyRow) else target


# Successors ---------------------------------------------------------------------------------


def agency_successors_on(agency: Agency, day: datetime.date) -> list[Agency]:
    """The agencies that carry on `agency`'s work on `day`: itself if still valid; else where it
    was merged (following the chain); for a People's Committee, the committees of the units that
    took over its unit's territory."""
    return agencies_successors_on([agency], day)[agency.pk]


def agencies_successors_on(
    agencies: Iterable[Agency], day: datetime.date
) -> dict[int, list[Agency]]:
    """`agency_successors_on` for many agencies at once, keyed by agency id.

    The reorganisations are walked one generation at a time (two queries per generation), so the
    cost grows with the number of reorganisations, not with the number of agencies.
    """
    agencies = list(agencies)
    known: dict[int, Agency] = {a.pk: a for a in agencies}
    following: dict[int, list[int]] = {}  # agency id → the agencies that took over from it
    todo = list(known.values())
    while todo:
        merged = [a for a in todo if not a.is_valid_on(day) and a.merged_into_id]
        abolished = [
            a
            for a in todo
            if not a.is_valid_on(day) and not a.merged_into_id and a.kind == Agency.Kind.COMMITTEE
        ]
        for a in todo:
            following.setdefault(a.pk, [])
        found: list[Agency] = []
        if merged:
            targets = Agency.objects.select_related("unit").in_bulk(
                [a.merged_into_id for a in merged]
            )
            for a in merged:
                following[a.pk].append(a.merged_into_id)
            found += targets.values()
        if abolished:
            by_unit: dict[int, list[int]] = {}
            for a in abolished:
                by_unit.setdefault(a.unit_id, []).append(a.pk)
            committees = (
                Agency.objects.select_related("unit")
                .filter(
                    kind=Agency.Kind.COMMITTEE, unit__predecessor_links__predecessor__in=by_unit
                )
                .annotate(from_unit=F("unit__predecessor_links__predecessor"))
            )
            for committee in committees.order_by("unit__code", "pk"):
                for pk in by_unit[committee.from_unit]:
                    following[pk].append(committee.pk)
                found.append(committee)
        todo = []
        for a in found:
            if a.pk not in known:
                known[a.pk] = a
                todo.append(a)

    def resolve(pk: int, seen: frozenset[int]) -> list[Agency]:
        agency = known[pk]
        if agency.is_valid_on(day):
            return [agency]
        result: list[Agency] = []
        for nxt in following.get(pk, []):
            if nxt in seen:
                continue
            for successor in resolve(nxt, seen | {nxt}):
                if successor not in result:
                    result.append(successor)
        return result

    return {a.pk: resolve(a.pk, frozenset({a.pk})) for a in agencies}


def agency_by_ref(ref: str, day: datetime.date) -> Agency:
    """The agency named “unit code/agency code” (e.g. 908/UBND) valid on `day`."""
    unit_code, _sep, code = ref.partition("/")
    return Agency.objects.select_related("unit", "province").get(
        code=code,
        unit__code=unit_code,
        unit__in=AdministrativeUnit.objects.valid_on(day),
        pk__in=Agency.objects.valid_on(day),
    )
