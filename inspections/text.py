"""How inspections writes figures, dates and names in Vietnamese prose, and how a plan's text is
carried to another year. The plan's own wording (placeholders, target lists) is
`inspections/plan_wording.py`."""

from __future__ import annotations

import re

from django.utils.formats import number_format

from units.models import Agency, local_day


def short_date(day) -> str:
    """ "30/6/2023": the short form used inside Vietnamese administrative prose; a date-time
    prints its date in Vietnam."""
    if not day:
        return "…"
    day = local_day(day)
    return f"{day.day}/{day.month}/{day.year}"


def number(value: float | int | None, decimals: int = 0) -> str:
    """A figure as Vietnamese write it: 1.234 and 66,7; "—" when there is none."""
    if value is None:
        return "—"
    # number_format cuts extra decimals off; round first.
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def percent(value, decimals: int | None = None) -> str:
    """A rate as Vietnamese write it. As given ("30%", "12,5%": a rule of the plan, a unit's
    figure; "…" while not set), or computed, rounded to `decimals` places ("66,7%"; "—" when
    there is nothing to divide)."""
    if decimals is not None:
        return "—" if value is None else f"{number(value, decimals)}%"
    return f"{value.normalize():f}%".replace(".", ",") if value is not None else "…"


# Copying a plan to another year ---------------------------------------------------------------

# A citation of another document, from its kind and number to the end of the clause: its own
# dates and the year in its title ("Kế hoạch số 272/KH-UBND ngày 23 tháng 12 năm 2022 … về công
# tác cải cách hành chính năm 2023") belong to that document and are never shifted.
_CITATION = re.compile(
    r"\b(?:Hiến pháp|Bộ luật|Luật|Nghị quyết|Nghị định|Quyết định|Thông tư liên tịch|Thông tư|"
    r"Chỉ thị|Kế hoạch|Công văn|Thông báo kết luận|Thông báo|Báo cáo|Văn bản|Hướng dẫn|"
    r"Chương trình|Đề án)\s+(?:số\s+)?\d[^,;]*",
    re.IGNORECASE,
)
# A document number with its year ("30/2020/NĐ-CP"), wherever it stands.
_NUMBER = re.compile(r"\b\d+/\d{4}/\S+")
# What a year of the plan looks like in its prose: "năm 2023", "30/6/2023", "tháng 8/2023".
# A span of years ("năm 2021-2025") is a programme's period, not the plan's year: left alone.
_YEAR = re.compile(r"(?:\b[Nn]ăm\s+|\b\d{1,2}/(?:\d{1,2}/)?)(\d{4})\b(?!/|\s?[-–]\s?\d)")


def shift_years(text: str, old: int, new: int) -> tuple[str, list[str]]:
    """The text with the years of the plan moved from `old` to `new` (the previous and next
    years by as much), and the passages that still name `old` or the year before it.

    Only years written as the plan's own are moved — "năm 2023", "quý III năm 2023", a date
    "30/6/2023" or "30 tháng 6 năm 2023", "tháng 8/2023" — never a cited document's number or
    date, nor the year in its title, nor a span of years ("giai đoạn 2021-2030").
    """
    shift = new - old
    protected = [m.span() for m in _CITATION.finditer(text)]
    protected += [m.span() for m in _NUMBER.finditer(text)]

    def inside(position: int) -> bool:
        return any(start <= position < end for start, end in protected)

    out, last, moved = [], 0, set()
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if shift and year in (old - 1, old, old + 1) and not inside(match.start(1)):
            out += [text[last : match.start(1)], str(year + shift)]
            last = match.end(1)
            moved.add(match.start(1))
    out.append(text[last:])
    kept = []
    if shift:
        for match in re.finditer(rf"(?<!\d)(?:{old}|{old - 1})(?!\d)", text):
            if match.start() not in moved:
                kept.append(passage(text, match.start()))
    return "".join(out), kept


def passage(text: str, position: int, before: int = 8, after: int = 4) -> str:
    """The words around the word at `position`, with an ellipsis where the text goes on."""
    words = list(re.finditer(r"\S+", text))
    index = next(i for i, w in enumerate(words) if w.end() > position)
    first, last = max(0, index - before), min(len(words), index + after + 1)
    shown = " ".join(w.group() for w in words[first:last])
    return ("…" if first else "") + shown + ("…" if last < len(words) else "")


def province_named(agency: Agency) -> str:
    """ "Sở Nội vụ tỉnh Kiên Giang": an agency's name with its province, so that a replacement
    across provinces reads unambiguously ("Ủy ban nhân dân tỉnh An Giang" already names it)."""
    province = agency.province
    if province.short_name in agency.name:
        return agency.name
    kind = province.get_kind_display().lower()
    if agency.name.endswith(f" {kind}"):  # "Trung tâm Phục vụ hành chính công tỉnh"
        return f"{agency.name} {province.short_name}"
    return f"{agency.name} {kind} {province.short_name}"
