"""The plan's wording: what the plan says that follows from its data — the placeholders that
state its rules, the lists of targets and re-inspected units, the numbering and filled text of
its body — in one place, read by the plan's page (a preview) and by its official document
(`reports/plan_document.py`, which only lays the wording out, `plan_wording` once).

Staff write the plan's prose; where it states a rule they write a placeholder such as
`[tỷ lệ tự kiểm tra]`, so changing the rule changes every sentence that states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from inspections.models import Plan, PlanItem, TargetKind, point_label
from inspections.text import percent, short_date
from units.models import Agency, Level


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


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text, each a paragraph."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class ItemWording:
    """One point of the plan's body as printed: its label ("I.", "1.", "a)", "-"), heading and
    paragraphs with placeholders filled, and the lists the point generates from the data."""

    item: PlanItem
    depth: int
    label: str
    heading: str
    paragraphs: list[str]
    target_lines: list[tuple[str, str]] = field(default_factory=list)
    children: list[ItemWording] = field(default_factory=list)


@dataclass
class PlanWording:
    preamble: list[str]
    items: list[ItemWording]
    closing: list[str]


def plan_wording(plan: Plan, targets: Iterable | None = None) -> PlanWording:
    """Everything the plan's document says from its data. `targets`: those printed (by default
    `plan.targets.all()`, which the document prefetches with the announced ones only); the body
    is `plan.items.all()` in its order."""
    targets = list(plan.targets.all() if targets is None else targets)
    inspected = [t for t in targets if t.kind == TargetKind.INSPECTION]
    reinspected = [t for t in targets if t.kind == TargetKind.REINSPECTION]
    children: dict[int | None, list[PlanItem]] = {}
    for item in plan.items.all():
        children.setdefault(item.parent_id, []).append(item)

    def point(item: PlanItem, depth: int, position: int) -> ItemWording:
        said = paragraphs(fill(item.text, plan))
        lines = []
        if item.generated == PlanItem.Generated.REINSPECTIONS:
            phrase = reinspection_phrase(reinspected)
            if said:
                said[-1] = f"{said[-1]} {phrase}".strip()
            else:
                said = [phrase]
        if item.generated == PlanItem.Generated.TARGETS:
            lines = target_lines(plan, inspected)
        return ItemWording(
            item=item,
            depth=depth,
            label=point_label(depth, position),
            heading=fill(item.heading, plan),
            paragraphs=said,
            target_lines=lines,
            children=[
                point(child, depth + 1, i) for i, child in enumerate(children.get(item.pk, []))
            ],
        )

    return PlanWording(
        preamble=paragraphs(fill(plan.preamble, plan)),
        items=[point(item, 0, i) for i, item in enumerate(children.get(None, []))],
        closing=paragraphs(fill(plan.closing, plan)),
    )
