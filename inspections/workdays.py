"""Working days ("ngày làm việc") for deadlines such as "trong 15 ngày làm việc".

Recommendations after an inspection are often due within N working days. A working day is one on
which agencies are open: Monday to Friday, except public holidays (Tết Dương lịch, Tết Nguyên Đán,
Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh) and the days the Government adds to them; a Saturday or
Sunday that the Government declares a working day ("ngày làm bù") counts as one. None of this can
be derived from a rule: Tết follows the lunar calendar and the exact days off are announced each
year, so the caller passes a `Calendar` built from the announced days (`load_csv` reads
`fixtures/holidays.csv`) and these functions stay pure, testable and free of database access.

A date outside the years that the calendar covers is treated by the weekday rule alone, so a
deadline that runs past the last year of the data may come out a few days early.

`fixtures/holidays.csv` holds the days for civil servants (cán bộ, công chức, viên chức) as
announced for 2023–2026: Công văn 8056/VPCP-KGVX (2023), 2450/VPCP-KGVX (30/4/2024), 8726/VPCP-KGVX
(2025), Thông báo 9441/TB-BNV and Công văn 12729/VPCP-KGVX (2026). Rows named "(dự kiến)" (2027)
are computed from Bộ luật Lao động 2019 art. 111–112 and the lunar calendar, following the 2020
and 2024 blocks whose Tết also fell on a Saturday; replace them when the 2027 schedule is
announced. Ngày Văn hóa Việt Nam (24/11), chosen as a day off by Nghị quyết 80-NQ/TW, is not in
the data until the Labour Code is amended to make it one.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO

HOLIDAY = "holiday"
WORKDAY = "workday"
HEADER = ["date", "name", "kind"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONE_DAY = timedelta(days=1)


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5  # Saturday, Sunday


@dataclass(frozen=True)
class Calendar:
    """The announced days off and make-up working days for the years the caller knows about.

    `holidays` may contain weekend days (the announced blocks include them): they change nothing,
    and keeping them lets the data be checked against the announcement as published.
    """

    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        # A day cannot be both off and a make-up working day: which one wins would be a guess.
        clash = self.holidays & self.workdays
        if clash:
            listed = ", ".join(sorted(day.isoformat() for day in clash))
            raise ValueError(f"days both holiday and workday: {listed}")

    def is_working_day(self, day: date) -> bool:
        """True when agencies work on `day`: a make-up day, or a weekday that is not a day off."""
        if day in self.workdays:
            return True
        return not _is_weekend(day) and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`, which itself is not counted (a deadline of 15
        working days from a letter dated `start`).

        For n == 0 this is `start` when it is a working day, otherwise the next working day: the
        earliest day on which something "due at once" can be done.
        """
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += _ONE_DAY
            return day
        counted = 0
        while counted < n:
            day += _ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall in (start, end]: counted the same way as
        `add_working_days`, so `working_days_between(s, add_working_days(s, n)) == n` for n >= 1.
        An empty interval (end on or before start) has none.
        """
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count


def load_csv(path_or_file: str | os.PathLike[str] | IO[str] | IO[bytes]) -> Calendar:
    """Read a calendar in the format of `fixtures/holidays.csv`: a `date,name,kind` header, then
    one row per day with an ISO date, a Vietnamese name and `holiday` or `workday`.

    Blank lines are skipped. Any other bad row raises ValueError naming its line, because a wrong
    row silently shifts every deadline computed from it; the same goes for a date listed twice and
    for a `workday` that is not a Saturday or Sunday (a weekday needs no make-up entry, so such a
    row is a typo).
    """
    content: str | bytes
    if isinstance(path_or_file, str | os.PathLike):
        content = Path(path_or_file).read_bytes()
    else:
        content = path_or_file.read()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"the calendar is not UTF-8 text: {exc}") from exc
    content = content.removeprefix("\ufeff")

    holidays: set[date] = set()
    workdays: set[date] = set()
    seen: dict[date, int] = {}
    header_seen = False
    reader = csv.reader(io.StringIO(content, newline=""))
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if not header_seen:
            if cells != HEADER:
                raise ValueError(f"line {line}: expected the header {','.join(HEADER)}")
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            raise ValueError(f"line {line}: expected 3 columns (date,name,kind), got {len(cells)}")
        raw_date, name, kind = cells
        day = _parse_date(raw_date, line)
        if not name:
            raise ValueError(f"line {line}: the name is empty")
        if day in seen:
            raise ValueError(f"line {line}: {raw_date} is already listed on line {seen[day]}")
        seen[day] = line
        if kind == HOLIDAY:
            holidays.add(day)
        elif kind == WORKDAY:
            if not _is_weekend(day):
                raise ValueError(
                    f"line {line}: {raw_date} is a weekday; a workday row must be a Saturday or "
                    "Sunday"
                )
            workdays.add(day)
        else:
            raise ValueError(f"line {line}: kind must be {HOLIDAY} or {WORKDAY}, not {kind!r}")
    if not header_seen:
        raise ValueError(f"the calendar is empty: expected the header {','.join(HEADER)}")
    return Calendar(holidays=frozenset(holidays), workdays=frozenset(workdays))


def _parse_date(raw: str, line: int) -> date:
    # Only YYYY-MM-DD: fromisoformat also takes forms like 20240101, which in a hand-edited file
    # are more likely a slip than intended.
    if not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"line {line}: {raw!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"line {line}: {raw!r} is not a valid date ({exc})") from exc
