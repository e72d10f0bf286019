"""The inspection plan as an official document (Decree 30 layout, content from the plan's data)."""

from __future__ import annotations

from django.db.models import Prefetch

from inspections.models import Plan, PlanItem, PlanStatus, PlanTarget, TargetKind, point_label
from inspections.text import fill, reinspection_phrase, target_lines
from reports.documents import (
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    nd30_date,
    number_symbol,
)
from units.models import Agency


def plan_for_document(pk: int) -> Plan:
    """The plan with everything the document reads, in a fixed number of queries."""
    return (
        Plan.objects.select_related("issuer__unit", "issuer__parent__unit", "standing_agency")
        .prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.order_by("order", "pk")),
            # Announced targets only: the plan is sent to units, and an unannounced (đột xuất)
            # target is never printed in it (see `PlanTarget.objects.visible_to`).
            Prefetch(
                "targets",
                queryset=PlanTarget.objects.announced()
                .select_related("agency__unit", "agency__parent")
                .order_by("order", "pk"),
            ),
            "team_agencies__agency",
        )
        .get(pk=pk)
    )


def issuer_header(issuer: Agency) -> tuple[str, list[str]]:
    """(parent body line, issuer lines) of the header's left column.

    A People's Committee issues in its own name ("ỦY BAN NHÂN DÂN" / "TỈNH KIÊN GIANG"); an agency
    under it shows the committee above ("UBND TỈNH KIÊN GIANG" / "SỞ NỘI VỤ").
    """
    place = f"{issuer.unit.get_kind_display()} {issuer.unit.short_name}".upper()
    if issuer.kind == Agency.Kind.COMMITTEE:
        return "", ["ỦY BAN NHÂN DÂN", place]
    return f"UBND {place}", [issuer.name.upper()]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _item_blocks(plan: Plan, item: PlanItem, depth: int, position: int, children) -> list[Block]:
    label = point_label(depth, position)
    heading = fill(item.heading, plan)
    paragraphs = _paragraphs(fill(item.text, plan))
    targets = plan.targets.all()
    if item.generated == PlanItem.Generated.REINSPECTIONS:
        phrase = reinspection_phrase(t for t in targets if t.kind == TargetKind.REINSPECTION)
        if paragraphs:
            paragraphs[-1] = f"{paragraphs[-1]} {phrase}".strip()
        else:
            paragraphs = [phrase]
    blocks: list[Block] = []
    if depth == 0:
        blocks.append(Block(BlockStyle.SECTION, (heading or "").upper(), label))
    elif depth == 1 and heading:
        blocks.append(Block(BlockStyle.ITEM, heading, label))
    elif depth >= 3:
        blocks.append(
            Block(BlockStyle.BULLET, heading or (paragraphs.pop(0) if paragraphs else ""))
        )
    else:
        first = heading or (paragraphs.pop(0) if paragraphs else "")
        blocks.append(Block(BlockStyle.SUBITEM, first, label))
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in paragraphs]
    if item.generated == PlanItem.Generated.TARGETS:
        inspected = [t for t in targets if t.kind == TargetKind.INSPECTION]
        blocks += [
            Block(BlockStyle.BULLET, f"{level}: {text}", "-")
            for level, text in target_lines(plan, inspected)
        ]
    for i, child in enumerate(children.get(item.pk, [])):
        blocks += _item_blocks(plan, child, depth + 1, i, children)
    return blocks


def plan_document(plan: Plan) -> OfficialDocument:
    """The plan in the official format; pass a plan from `plan_for_document`."""
    children: dict[int | None, list[PlanItem]] = {}
    for item in plan.items.all():
        children.setdefault(item.parent_id, []).append(item)
    blocks: list[Block] = []
    for i, item in enumerate(children.get(None, [])):
        blocks += _item_blocks(plan, item, 0, i, children)
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in _paragraphs(fill(plan.closing, plan))]

    parent_body, issuer_lines = issuer_header(plan.issuer)
    issued = plan.status == PlanStatus.ISSUED
    authority = [
        line
        for line in (plan.signing_authority, plan.signing_capacity, plan.signer_title)
        if line.strip()
    ]
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(plan.number, plan.symbol),
        place_date=nd30_date(plan.place, plan.document_date if issued else None),
        type_name="KẾ HOẠCH",
        summary=plan.summary,
        preamble=_paragraphs(fill(plan.preamble, plan)),
        blocks=blocks,
        signature=Signature(
            authority_lines=[a.upper() for a in authority], signer_name=plan.signer_name
        ),
        recipients=[*_paragraphs(plan.recipients), plan.archive_line],
        draft=not issued,
        title=f"KH-{plan.number or 'du-thao'}-{plan.symbol.split('-')[-1]}-{plan.year}",
    )
