"""The amendment of an issued plan as an official document: a plan that amends the plan
(KẾ HOẠCH điều chỉnh, bổ sung) or, when the province chooses, a chairman's decision. It says
only what changes; the rest of the plan stands.

Unannounced (đột xuất) targets it adds are never printed: the document is sent to units, and
those targets are recorded in the system only (see `PlanTarget.objects.visible_to`)."""

from __future__ import annotations

from inspections.models import AmendmentForm, AmendmentTarget, PlanAmendment, TargetKind
from reports.documents import (
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    archive_line,
    doc_date,
    nd30_date,
    number_symbol,
)
from reports.plan_document import (
    chief_of,
    decider,
    issuer_header,
    local_government_bases,
    plan_reference,
)
from reports.visit_documents import drafting_unit, list_items


def amendment_for_document(pk: int) -> PlanAmendment:
    """The amendment with what its document reads, in a fixed number of queries."""
    return (
        PlanAmendment.objects.select_related(
            "plan__issuer__unit", "plan__issuer__parent__unit", "plan__standing_agency"
        )
        .prefetch_related("team")
        .get(pk=pk)
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _target_line(change: AmendmentTarget) -> str:
    kind = " (phúc tra)" if change.kind == TargetKind.REINSPECTION else ""
    reason = f": {change.reason.strip()}" if change.reason.strip() else ""
    return f"{change.agency.name}{kind}{reason}"


def change_blocks(amendment: PlanAmendment) -> list[Block]:
    """The numbered changes: targets added (announced ones only) and removed, the period, the
    self-report deadline, the team's agencies."""
    changes = [
        c
        for c in amendment.target_changes.select_related("agency").order_by("pk")
        if c.action == AmendmentTarget.Action.REMOVE or c.announced
    ]
    sections: list[tuple[str, list[str]]] = []
    added = [_target_line(c) for c in changes if c.action == AmendmentTarget.Action.ADD]
    removed = [c.agency.name for c in changes if c.action == AmendmentTarget.Action.REMOVE]
    if added:
        sections.append(("Bổ sung đối tượng kiểm tra", added))
    if removed:
        sections.append(("Đưa ra khỏi danh sách đối tượng kiểm tra", removed))
    if amendment.period_text or amendment.period_start or amendment.period_end:
        period = amendment.period_text
        if amendment.period_start and amendment.period_end:
            days = f"từ ngày {doc_date(amendment.period_start)} đến ngày "
            days += doc_date(amendment.period_end)
            period = f"{period} ({days})" if period else days
        elif amendment.period_start:
            period = f"{period} (từ ngày {doc_date(amendment.period_start)})".strip()
        sections.append(("Thời gian kiểm tra", [f"Điều chỉnh thời gian kiểm tra: {period}"]))
    if amendment.self_report_deadline:
        sections.append(
            (
                "Thời hạn gửi báo cáo tự kiểm tra",
                [
                    "Các cơ quan, đơn vị gửi báo cáo kết quả tự kiểm tra trước ngày "
                    f"{doc_date(amendment.self_report_deadline)}"
                ],
            )
        )
    if amendment.changes_team:
        names = [a.name for a in amendment.team.all()]
        sections.append(
            ("Thành phần Đoàn kiểm tra", [f"Đoàn kiểm tra gồm đại diện: {', '.join(names)}"])
        )
    blocks: list[Block] = []
    for number, (title, lines) in enumerate(sections, start=1):
        blocks.append(Block(BlockStyle.ITEM, title, f"{number}."))
        blocks += list_items(lines)
    return blocks


def amendment_document(amendment: PlanAmendment) -> OfficialDocument:
    """Pass an amendment from `amendment_for_document`."""
    plan = amendment.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    issued = amendment.is_issued
    reference = plan_reference(plan)
    subject = f"{plan.summary[:1].lower()}{plan.summary[1:]}"
    content = [Block(BlockStyle.PARAGRAPH, p) for p in _paragraphs(amendment.content)]
    kept = f"Các nội dung khác của {reference} giữ nguyên."
    common = {
        "parent_body": parent_body,
        "issuer_lines": issuer_lines,
        "number_symbol": number_symbol(amendment.number, amendment.symbol),
        "place_date": nd30_date(plan.place, amendment.issued_on if issued else None),
        "draft": not issued,
        "title": f"{'QD' if amendment.form == AmendmentForm.DECISION else 'KH'}-dieu-chinh-"
        f"{amendment.number or 'du-thao'}-{plan.year}",
    }
    archive = archive_line(drafting_unit(plan), plan.archive_copies)
    if amendment.form == AmendmentForm.DECISION:
        standing = plan.standing_agency
        capacity = [line for line in (plan.signing_capacity, plan.signer_title) if line.strip()]
        blocks = [
            Block(BlockStyle.CENTRED, "QUYẾT ĐỊNH:"),
            Block(BlockStyle.ARTICLE, f"Điều chỉnh, bổ sung {reference} như sau:", "Điều 1."),
            *content,
            *change_blocks(amendment),
            Block(
                BlockStyle.ARTICLE,
                f"{kept} Quyết định này có hiệu lực kể từ ngày ký.",
                "Điều 2.",
            ),
            Block(
                BlockStyle.ARTICLE,
                f"Chánh Văn phòng Ủy ban nhân dân tỉnh, {chief_of(standing)}, Thủ trưởng các "
                "cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
                "Điều 3.",
            ),
        ]
        return OfficialDocument(
            **common,
            type_name="QUYẾT ĐỊNH",
            summary=f"Về việc điều chỉnh, bổ sung Kế hoạch {subject}",
            authority=decider(plan.issuer, issuer_lines),
            bases=[
                *local_government_bases(amendment.issued_on),
                f"Căn cứ {reference};",
                f"Theo đề nghị của {chief_of(standing)}.",
            ],
            blocks=blocks,
            signature=Signature(
                [line.upper() for line in capacity or ["CHỦ TỊCH"]], amendment.signer_name
            ),
            recipients=["Như Điều 3;", *_paragraphs(plan.recipients), archive],
        )
    authority = [
        line
        for line in (plan.signing_authority, plan.signing_capacity, plan.signer_title)
        if line.strip()
    ]
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"{plan.issuer.name} điều chỉnh, bổ sung {reference} về {subject} như sau:",
        ),
        *content,
        *change_blocks(amendment),
        # The text of a document ends with "./." (Decree 30).
        Block(BlockStyle.PARAGRAPH, f"{kept[:-1]}./."),
    ]
    return OfficialDocument(
        **common,
        type_name="KẾ HOẠCH",
        summary=f"Điều chỉnh, bổ sung Kế hoạch {subject}",
        blocks=blocks,
        signature=Signature([a.upper() for a in authority], amendment.signer_name),
        recipients=[*_paragraphs(plan.recipients), archive],
    )
