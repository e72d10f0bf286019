"""Words of the plan that follow from its data: placeholders for rules, and target lists.

Staff write the plan's prose; where it states a rule they write a placeholder such as
`[tỷ lệ tự kiểm tra]`, so changing the rule changes every sentence that states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from units.models import Agency, Level, local_day


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


def _team(plan) -> str:
    """ "Nội vụ, Tư pháp, …, Văn phòng Ủy ban nhân dân tỉnh": after "các Sở, ngành:" a department
    is named by its field, any other agency by its full name."""
    return ", ".join(
        t.agency.short_name if t.agency.kind == Agency.Kind.DEPARTMENT else t.agency.name
        for t in plan.team_agencies.all()
    )


PLACEHOLDERS: dict[str, Callable] = {
    "năm": lambda plan: str(plan.year),
    "năm trước": lambda plan: str(plan.year - 1),
    "tỷ lệ tự kiểm tra": lambda plan: percent(plan.self_inspection_threshold),
    "hạn báo cáo tự kiểm tra": lambda plan: short_date(plan.self_report_deadline),
    "số xã mỗi huyện": lambda plan: f"{plan.communes_per_district or 0:02d}",
    "thời gian kiểm tra": lambda plan: plan.period_text or "…",
    "cơ quan thường trực": lambda plan: plan.standing_agency.name if plan.standing_agency else "…",
    "thành phần đoàn": _team,
}
_PATTERN = re.compile(r"\[([^\[\]]+)\]")


def fill(text: str, plan) -> str:
    """Replace every known placeholder by the plan's value; unknown ones stay as written."""

    def value(match: re.Match) -> str:
        key = match.group(1).strip().lower()
        return PLACEHOLDERS[key](plan) if key in PLACEHOLDERS else match.group(0)

    return _PATTERN.sub(value, text)


def unknown_placeholders(text: str) -> list[str]:
    return [m for m in _PATTERN.findall(text) if m.strip().lower() not in PLACEHOLDERS]


def agency_phrase(agency: Agency) -> str:
    """How a target is named in a list: "Tư pháp", "thành phố Rạch Giá", or
    "Trung tâm Phục vụ hành chính công, Văn phòng UBND tỉnh" for a unit under an agency."""
    if agency.kind == Agency.Kind.COMMITTEE:
        return f"{agency.unit.get_kind_display().lower()} {agency.unit.short_name}"
    if agency.parent_id:
        return f"{agency.short_name}, {agency.parent.short_name}"
    return agency.short_name


def join_and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def target_lines(plan, targets: Iterable) -> list[tuple[str, str]]:
    """(level label, text) lines of the inspection list, as in section II.2.a of the seed."""
    by_level: dict[str, list] = {Level.PROVINCE: [], Level.DISTRICT: [], Level.COMMUNE: []}
    for target in targets:
        by_level[target.agency.unit.level].append(target.agency)
    lines = []
    if by_level[Level.PROVINCE]:
        names = ", ".join(agency_phrase(a) for a in by_level[Level.PROVINCE])
        lines.append((_("Cấp tỉnh"), _("Các Sở, ngành: %s.") % names))
    districts = by_level[Level.DISTRICT]
    if districts:
        kinds = {a.unit.kind for a in districts}
        if kinds == {"huyen"}:
            names = ", ".join(a.unit.short_name for a in districts)
            text = _("Ủy ban nhân dân các huyện: %s.") % names
        else:
            text = _("Ủy ban nhân dân các huyện, thị xã, thành phố: %s.") % ", ".join(
                agency_phrase(a) for a in districts
            )
        lines.append((_("Cấp huyện"), text))
    communes = by_level[Level.COMMUNE]
    if communes:
        lines.append(
            (_("Cấp xã"), _("Ủy ban nhân dân %s.") % ", ".join(agency_phrase(a) for a in communes))
        )
    if districts and plan.communes_per_district:
        lines.append(
            (
                _("Cấp xã"),
                _(
                    "Đoàn Kiểm tra chọn %(n)02d đơn vị hành chính cấp xã thuộc Ủy ban nhân dân "
                    "cấp huyện được kiểm tra."
                )
                % {"n": plan.communes_per_district},
            )
        )
    return lines


def reinspection_phrase(targets: Iterable) -> str:
    """ "Tài nguyên và Môi trường; Tài chính; …; thành phố Rạch Giá và thành phố Phú Quốc." """
    agencies, committees = [], []
    for target in targets:
        if target.agency.kind == Agency.Kind.COMMITTEE:
            committees.append(agency_phrase(target.agency))
        else:
            agencies.append(agency_phrase(target.agency))
    parts = agencies + ([join_and(committees)] if committees else [])
    return "; ".join(parts) + "." if parts else ""


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
