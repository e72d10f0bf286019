"""Working-day arithmetic for "N ngày làm việc" deadlines, and the shipped holiday calendar.

No database: the calendar is plain data passed in by the caller.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from inspections.workdays import Calendar, load_csv

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "holidays.csv"

# Mùng 1 Tết (1 tháng Giêng âm lịch) of each year the fixture covers.
LUNAR_NEW_YEAR = {
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}

EMPTY = Calendar(holidays=frozenset(), workdays=frozenset())


@pytest.fixture(scope="module")
def shipped() -> Calendar:
    return load_csv(FIXTURE)


def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- arithmetic ----------------------------------------------------------------------------


def test_weekends_are_skipped():
    friday = date(2025, 3, 7)
    assert not EMPTY.is_working_day(date(2025, 3, 8))  # Saturday
    assert not EMPTY.is_working_day(date(2025, 3, 9))  # Sunday
    assert EMPTY.add_working_days(friday, 1) == date(2025, 3, 10)  # Monday
    assert EMPTY.add_working_days(friday, 5) == date(2025, 3, 14)
    assert EMPTY.add_working_days(friday, 6) == date(2025, 3, 17)
    # Starting on a Saturday: Monday is the first working day after it.
    assert EMPTY.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)


def test_fifteen_working_days_from_just_before_tet_2024_land_after_the_block(shipped):
    # Letter dated Monday 5/2/2024; Tết Giáp Thìn block is Thu 8/2 – Wed 14/2/2024.
    # Counting working days after 5/2:
    #   Tue 6/2 = 1, Wed 7/2 = 2, (8/2–14/2 off), Thu 15/2 = 3, Fri 16/2 = 4,
    #   Mon 19/2 – Fri 23/2 = 5..9, Mon 26/2 – Thu 29/2 = 10..13, Fri 1/3 = 14, Mon 4/3 = 15.
    start = date(2024, 2, 5)
    assert shipped.add_working_days(start, 15) == date(2024, 3, 4)
    # Without the holidays the same deadline would be three weeks later to the day.
    assert EMPTY.add_working_days(start, 15) == date(2024, 2, 26)
    for day in (date(2024, 2, 8) + timedelta(days=i) for i in range(7)):
        assert not shipped.is_working_day(day)


def test_a_make_up_saturday_counts_as_working(shipped):
    saturday = date(2024, 5, 4)  # làm bù cho thứ Hai 29/4/2024
    assert saturday.weekday() == 5
    assert shipped.is_working_day(saturday)
    assert not shipped.is_working_day(date(2024, 4, 29))
    # From Fri 26/4/2024: 27–28/4 weekend, 29/4 swapped off, 30/4 and 1/5 holidays;
    # Thu 2/5 = 1, Fri 3/5 = 2, Sat 4/5 (làm bù) = 3, Mon 6/5 = 4.
    start = date(2024, 4, 26)
    assert shipped.add_working_days(start, 3) == saturday
    assert shipped.add_working_days(start, 4) == date(2024, 5, 6)

    calendar = Calendar(holidays=frozenset(), workdays=frozenset({date(2025, 3, 8)}))
    assert calendar.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 8)


def test_add_zero(shipped):
    assert shipped.add_working_days(date(2024, 3, 4), 0) == date(2024, 3, 4)  # a Monday
    assert shipped.add_working_days(date(2024, 3, 2), 0) == date(2024, 3, 4)  # Saturday
    assert shipped.add_working_days(date(2024, 2, 8), 0) == date(2024, 2, 15)  # in Tết
    assert shipped.add_working_days(date(2024, 5, 4), 0) == date(2024, 5, 4)  # làm bù


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        EMPTY.add_working_days(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    "start",
    [
        date(2024, 2, 5),  # before Tết 2024
        date(2024, 2, 10),  # mùng 1 Tết, a Saturday
        date(2024, 4, 26),  # before the 30/4 swap and its làm bù Saturday
        date(2025, 12, 30),  # across the 2026 New Year swap
        date(2026, 8, 20),  # across the 2026 National Day swap
    ],
)
@pytest.mark.parametrize("n", [1, 2, 5, 10, 15, 30, 60])
def test_between_undoes_add(shipped, start, n):
    end = shipped.add_working_days(start, n)
    assert shipped.is_working_day(end)
    assert shipped.working_days_between(start, end) == n
    assert shipped.working_days_between(start, end - timedelta(days=1)) == n - 1


def test_between_of_an_empty_interval_is_zero(shipped):
    day = date(2024, 3, 4)
    assert shipped.working_days_between(day, day) == 0
    assert shipped.working_days_between(day, day - timedelta(days=10)) == 0
    # Across the whole Tết block there is nothing to count.
    assert shipped.working_days_between(date(2024, 2, 7), date(2024, 2, 14)) == 0


def test_a_day_cannot_be_both_off_and_worked():
    day = date(2024, 5, 4)
    with pytest.raises(ValueError, match="2024-05-04"):
        Calendar(holidays=frozenset({day}), workdays=frozenset({day}))


# --- the shipped fixture -------------------------------------------------------------------


def test_fixture_has_no_duplicate_dates():
    dates = [row["date"] for row in fixture_rows()]
    assert dates
    assert len(dates) == len(set(dates))


def test_fixture_dates_are_within_2023_to_2027():
    for row in fixture_rows():
        assert 2023 <= date.fromisoformat(row["date"]).year <= 2027, row


def test_fixture_workdays_are_weekend_days(shipped):
    rows = [row for row in fixture_rows() if row["kind"] == "workday"]
    assert rows
    for row in rows:
        assert date.fromisoformat(row["date"]).weekday() in (5, 6), row
        assert row["name"].startswith("Làm bù cho"), row
    assert shipped.workdays == {date.fromisoformat(row["date"]) for row in rows}


def test_fixture_kinds_and_names():
    for row in fixture_rows():
        assert row["kind"] in ("holiday", "workday"), row
        assert row["name"].strip(), row
    # Only 2027 is computed rather than announced.
    for row in fixture_rows():
        estimated = "(dự kiến)" in row["name"]
        assert estimated == row["date"].startswith("2027"), row


@pytest.mark.parametrize("year", sorted(LUNAR_NEW_YEAR))
def test_fixture_has_a_tet_block_each_year(shipped, year):
    new_year = LUNAR_NEW_YEAR[year]
    window = [new_year + timedelta(days=offset) for offset in range(-3, 8)]
    off = [day for day in window if day in shipped.holidays]
    assert len(off) >= 5, off
    assert new_year in shipped.holidays


@pytest.mark.parametrize("year", sorted(LUNAR_NEW_YEAR))
def test_fixture_has_national_day_each_year(shipped, year):
    assert date(year, 9, 2) in shipped.holidays
    # The second day of Quốc khánh is 1/9 or 3/9 (Bộ luật Lao động 2019 art. 112).
    assert {date(year, 9, 1), date(year, 9, 3)} & shipped.holidays


@pytest.mark.parametrize("year", sorted(LUNAR_NEW_YEAR))
def test_fixture_has_the_fixed_holidays_each_year(shipped, year):
    for month, day in ((1, 1), (4, 30), (5, 1)):
        assert date(year, month, day) in shipped.holidays


def test_fixture_announced_blocks(shipped):
    """Spot checks against the announcements (see the module docstring of workdays.py)."""

    def span(first: date, last: date) -> set[date]:
        return {first + timedelta(days=i) for i in range((last - first).days + 1)}

    assert span(date(2023, 1, 20), date(2023, 1, 26)) <= shipped.holidays
    assert span(date(2025, 1, 25), date(2025, 2, 2)) <= shipped.holidays
    assert span(date(2026, 2, 14), date(2026, 2, 22)) <= shipped.holidays
    assert span(date(2025, 4, 30), date(2025, 5, 4)) <= shipped.holidays
    assert span(date(2026, 8, 29), date(2026, 9, 2)) <= shipped.holidays
    assert shipped.workdays == {
        date(2024, 5, 4),
        date(2025, 4, 26),
        date(2026, 1, 10),
        date(2026, 8, 22),
    }


# --- load_csv errors -----------------------------------------------------------------------


def load_text(text: str) -> Calendar:
    return load_csv(io.StringIO(text))


def test_load_csv_reads_a_file_object_and_skips_blank_lines():
    calendar = load_text(
        "date,name,kind\n\n2024-02-10,Tết Nguyên Đán 2024,holiday\n   \n"
        "2024-05-04,Làm bù cho thứ Hai 29/4/2024,workday\n"
    )
    assert calendar.holidays == {date(2024, 2, 10)}
    assert calendar.workdays == {date(2024, 5, 4)}


def test_load_csv_reads_bytes_with_a_bom():
    data = "\ufeffdate,name,kind\n2024-01-01,Tết Dương lịch 2024,holiday\n".encode()
    assert load_csv(io.BytesIO(data)).holidays == {date(2024, 1, 1)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2024-13-01,Tết,holiday", "line 3: '2024-13-01' is not a valid date"),
        ("01/01/2024,Tết Dương lịch,holiday", "line 3: '01/01/2024' is not a date"),
        ("2024-01-01,Tết Dương lịch", "line 3: expected 3 columns"),
        ("2024-01-01,Tết,holiday,extra", "line 3: expected 3 columns"),
        ("2024-01-01,,holiday", "line 3: the name is empty"),
        ("2024-01-01,Tết Dương lịch,nghỉ", "line 3: kind must be holiday or workday"),
        ("2024-05-06,Làm bù,workday", "line 3: 2024-05-06 is a weekday"),
        ("2024-01-02,Nghỉ,holiday", "line 3: 2024-01-02 is already listed on line 2"),
    ],
)
def test_load_csv_names_the_bad_line(body, message):
    text = f"date,name,kind\n2024-01-02,Nghỉ bù,holiday\n{body}\n"
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        load_text(text)


def test_load_csv_counts_blank_lines_in_the_line_number():
    with pytest.raises(ValueError, match="line 5:"):
        load_text("date,name,kind\n\n2024-01-01,Tết,holiday\n\n2024-01-01,Tết,holiday\n")


def test_load_csv_needs_the_header():
    with pytest.raises(ValueError, match="line 1: expected the header"):
        load_text("2024-01-01,Tết Dương lịch,holiday\n")
    with pytest.raises(ValueError, match="empty"):
        load_text("\n\n")


@pytest.mark.django_db
def test_the_calendar_comes_from_the_holidays_an_admin_keeps():
    from inspections.models import Holiday

    calendar = Holiday.objects.calendar()
    assert calendar.add_working_days(date(2024, 2, 5), 15) == date(2024, 3, 4)
    Holiday.objects.create(date=date(2027, 11, 24), name="Ngày Văn hóa Việt Nam")
    assert not Holiday.objects.calendar().is_working_day(date(2027, 11, 24))
