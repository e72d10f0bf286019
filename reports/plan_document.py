"""The inspection plan as an official document (Decree 30 layout, content from the plan's data)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, prefetch_related_objects

from inspections.models import Plan, PlanBasis, PlanItem, PlanStatus, PlanTarget
from inspections.plan_wording import ItemWording, paragraphs, plan_wording
from reports.documents import (
    Appendix,
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    doc_date,
    nd30_date,
    number_symbol,
)
from units.models import Agency


def prefetch_for_document(plan: Plan) -> Plan:
    """Everything the document reads beyond the plan's row and its issuer, standing agency and
    their units (which the access helper's query already joins), fetched onto the plan in a
    fixed number of queries: the plan is loaded once on the way from the URL to the file."""
    prefetch_related_objects(
        [plan],
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
        Prefetch("bases", queryset=PlanBasis.objects.select_related("document")),
    )
    return plan


def plan_for_document(pk: int) -> Plan:
    """The plan `pk` with everything the document reads, in a fixed number of queries."""
    plan = Plan.objects.select_related("issuer__unit", "standing_agency").get(pk=pk)
    return prefetch_for_document(plan)


def issuer_header(issuer: Agency) -> tuple[str, list[str]]:
    """(parent body line, issuer lines) of the header's left column.

    A People's Committee issues in its own name ("ỦY BAN NHÂN DÂN" / "TỈNH KIÊN GIANG"); an agency
    under it shows the committee above ("UBND TỈNH KIÊN GIANG" / "SỞ NỘI VỤ").
    """
    place = f"{issuer.unit.get_kind_display()} {issuer.unit.short_name}".upper()
    if issuer.kind == Agency.Kind.COMMITTEE:
        return "", ["ỦY BAN NHÂN DÂN", place]
    return f"UBND {place}", [issuer.name.upper()]


def _item_blocks(point: ItemWording) -> list[Block]:
    """A point of the body laid out: sections in capitals, items and sub-items with their labels,
    points below as bullets, then its paragraphs, its target lines and its own points."""
    heading, said = point.heading, list(point.paragraphs)
    blocks: list[Block] = []
    if point.depth == 0:
        blocks.append(Block(BlockStyle.SECTION, (heading or "").upper(), point.label))
    elif point.depth == 1 and heading:
        blocks.append(Block(BlockStyle.ITEM, heading, point.label))
    elif point.depth >= 3:
        blocks.append(Block(BlockStyle.BULLET, heading or (said.pop(0) if said else "")))
    else:
        first = heading or (said.pop(0) if said else "")
        blocks.append(Block(BlockStyle.SUBITEM, first, point.label))
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in said]
    blocks += [
        Block(BlockStyle.BULLET, f"{level}: {text}", "-") for level, text in point.target_lines
    ]
    for child in point.children:
        blocks += _item_blocks(child)
    return blocks


def plan_document(plan: Plan) -> OfficialDocument:
    """The plan in the official format; pass a plan from `plan_for_document` or
    `prefetch_for_document`."""
    wording = plan_wording(plan)
    blocks: list[Block] = []
    for point in wording.items:
        blocks += _item_blocks(point)
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in wording.closing]

    parent_body, issuer_lines = issuer_header(plan.issuer)
    issued = plan.status == PlanStatus.ISSUED
    authority = [
        line
        for line in (plan.signing_authority, plan.signing_capacity, plan.signer_title)
        if line.strip()
    ]
    if issued_by_decision(plan):
        return plan_decision(plan, wording.preamble, blocks)
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(plan.number, plan.symbol),
        place_date=nd30_date(plan.place, plan.document_date if issued else None),
        type_name="KẾ HOẠCH",
        summary=plan.summary,
        preamble=wording.preamble,
        blocks=blocks,
        signature=Signature(
            authority_lines=[a.upper() for a in authority], signer_name=plan.signer_name
        ),
        recipients=[*paragraphs(plan.recipients), plan.archive_line],
        draft=not issued,
        title=f"KH-{plan.number or 'du-thao'}-{plan.symbol.split('-')[-1]}-{plan.year}",
    )


# A plan issued by a decision ------------------------------------------------------------------

# Legal bases of the chairman's decisions, each law with its date (Decree 30, appendix III).
LOCAL_GOVERNMENT_LAWS_2015 = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
    "quyền địa phương ngày 22 tháng 11 năm 2019;",
]
LOCAL_GOVERNMENT_LAW_2025 = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"]
LAW_2025_IN_FORCE = datetime.date(2025, 7, 1)


def local_government_bases(day: datetime.date | None) -> list[str]:
    """The law in force on the decision's date: the 2025 law replaced the 2015 one on 01/07/2025."""
    if day is not None and day >= LAW_2025_IN_FORCE:
        return list(LOCAL_GOVERNMENT_LAW_2025)
    return list(LOCAL_GOVERNMENT_LAWS_2015)


def chief_of(agency: Agency | None) -> str:
    """The head of an agency as named in "Theo đề nghị của …": "Giám đốc Sở Nội vụ"."""
    if agency is None:
        return "Giám đốc Sở Nội vụ"
    heads = {"committee": "Chủ tịch", "office": "Chánh", "inspectorate": "Chánh"}
    return f"{heads.get(agency.kind, 'Giám đốc')} {agency.name}"


def decider(issuer: Agency, issuer_lines: list[str]) -> str:
    """The authority line of an individual decision: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"."""
    if issuer.kind == Agency.Kind.COMMITTEE:
        return f"CHỦ TỊCH ỦY BAN NHÂN DÂN {issuer_lines[-1]}"
    return chief_of(issuer).upper()


def cited(document) -> str:
    """A legal document as a basis cites it: "Kế hoạch số 272/KH-UBND ngày 23/12/2022 của Ủy ban
    nhân dân tỉnh về công tác cải cách hành chính (CCHC) năm 2023"."""
    title = f" {document.title.strip()}" if document.title.strip() else ""
    return (
        f"{document.get_kind_display()} số {document.number}/{document.symbol} ngày "
        f"{doc_date(document.issued_on)} của {document.issuer_name}{title}"
    )


def issued_by_decision(plan: Plan) -> bool:
    """A plan whose symbol is a decision's ("QĐ-UBND") is issued by a decision of the chairman:
    its number is the decision's, taken from the decisions' register, and the plan itself is
    the decision's attachment."""
    return plan.symbol.upper().startswith("QĐ-")


def plan_reference(plan: Plan) -> str:
    """How other documents cite the plan: "Kế hoạch số 23/KH-UBND ngày 06/08/2023 của Ủy ban
    nhân dân tỉnh Kiên Giang", or for a plan issued by decision "Kế hoạch ban hành kèm theo
    Quyết định số 23/QĐ-UBND ngày 06/08/2023 của Chủ tịch Ủy ban nhân dân tỉnh Kiên Giang"."""
    if issued_by_decision(plan):
        return (
            f"Kế hoạch ban hành kèm theo Quyết định số {plan.number_display} ngày "
            f"{doc_date(plan.document_date)} của Chủ tịch {plan.issuer.name}"
        )
    return (
        f"Kế hoạch số {plan.number_display} ngày {doc_date(plan.document_date)} "
        f"của {plan.issuer.name}"
    )


def plan_decision(plan: Plan, preamble: list[str], plan_blocks: list[Block]) -> OfficialDocument:
    """The decision issuing the plan, with the plan attached after it in the same file:
    "KẾ HOẠCH", its summary and "(Ban hành kèm theo Quyết định số … ngày … của …)", then its
    text. The decision is signed; the attached plan carries no signature of its own."""
    parent_body, issuer_lines = issuer_header(plan.issuer)
    issued = plan.status == PlanStatus.ISSUED
    subject = f"{plan.summary[:1].lower()}{plan.summary[1:]}"
    standing = plan.standing_agency
    bases = local_government_bases(plan.document_date)
    bases += [f"Căn cứ {cited(basis.document)};" for basis in plan.bases.all()]
    bases.append(f"Theo đề nghị của {chief_of(standing)}.")
    blocks = [
        Block(BlockStyle.CENTRED, "QUYẾT ĐỊNH:"),
        Block(
            BlockStyle.ARTICLE,
            f"Ban hành kèm theo Quyết định này Kế hoạch {subject}.",
            "Điều 1.",
        ),
        Block(BlockStyle.ARTICLE, "Quyết định này có hiệu lực kể từ ngày ký.", "Điều 2."),
        Block(
            BlockStyle.ARTICLE,
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, "
            f"{chief_of(standing)}, Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch Ủy ban nhân dân "
            "các huyện, thành phố và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
            "Quyết định này./.",
            "Điều 3.",
        ),
    ]
    number = number_symbol(plan.number, plan.symbol).removeprefix("Số: ").strip()
    date = nd30_date(plan.place, plan.document_date if issued else None).rpartition(", ")[2]
    attached = Appendix(
        "KẾ HOẠCH",
        plan.summary,
        [],
        [],
        landscape=False,
        blocks=[Block(BlockStyle.PARAGRAPH, p) for p in preamble] + plan_blocks,
        reference=f"(Ban hành kèm theo Quyết định số {number} {date} của Chủ tịch "
        f"{plan.issuer.name})",
        title_upper=False,
    )
    capacity = [line for line in (plan.signing_capacity, plan.signer_title) if line.strip()]
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(plan.number, plan.symbol),
        place_date=nd30_date(plan.place, plan.document_date if issued else None),
        type_name="QUYẾT ĐỊNH",
        summary=f"Về việc ban hành Kế hoạch {subject}",
        authority=decider(plan.issuer, issuer_lines),
        bases=bases,
        blocks=blocks,
        signature=Signature(
            authority_lines=[line.upper() for line in capacity or ["CHỦ TỊCH"]],
            signer_name=plan.signer_name,
        ),
        recipients=["Như Điều 3;", *paragraphs(plan.recipients), plan.archive_line],
        draft=not issued,
        title=f"QD-{plan.number or 'du-thao'}-ban-hanh-ke-hoach-{plan.year}",
        appendices=[attached],
    )
