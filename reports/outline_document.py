"""The covering letter (công văn) that sends a plan's report outline to the units."""

from __future__ import annotations

from django.utils import timezone

from inspections.models import Outline, point_label
from inspections.services import outline_sender
from inspections.text import short_date
from reports.documents import (
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    nd30_date,
    number_symbol,
)
from reports.plan_document import issuer_header


def outline_document(outline: Outline) -> OfficialDocument:
    plan = outline.plan
    day = outline.letter_date or timezone.localdate()
    sender = outline_sender(outline, day)
    parent_body, issuer_lines = issuer_header(sender)
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"Thực hiện Kế hoạch số {plan.number_display} ngày {short_date(plan.document_date)} "
            f"của {plan.issuer.name} về {plan.summary[0].lower()}{plan.summary[1:]}, "
            f"{sender.name} đề nghị các cơ quan, đơn vị, địa phương tổ chức tự kiểm tra và báo cáo "
            "kết quả theo đề cương kèm theo Công văn này, cụ thể như sau:",
        ),
        Block(
            BlockStyle.BULLET,
            "Cơ quan, đơn vị, địa phương thuộc đối tượng kiểm tra gửi báo cáo trước ngày "
            f"{short_date(outline.target_deadline)}.",
            "-",
        ),
    ]
    if outline.include_non_targets and plan.self_report_deadline:
        blocks.append(
            Block(
                BlockStyle.BULLET,
                "Cơ quan, đơn vị, địa phương không thuộc đối tượng kiểm tra gửi báo cáo trước ngày "
                f"{short_date(plan.self_report_deadline)}.",
                "-",
            )
        )
    blocks.append(
        Block(
            BlockStyle.PARAGRAPH,
            "Báo cáo có chữ ký, đóng dấu, gửi qua Phần mềm kiểm tra công tác cải cách hành chính "
            "(mục Báo cáo tự kiểm tra); khó khăn, vướng mắc phản ánh tại cùng mục.",
        )
    )
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in outline.guidance.splitlines() if p.strip()]
    blocks.append(Block(BlockStyle.ITEM, "ĐỀ CƯƠNG BÁO CÁO KẾT QUẢ TỰ KIỂM TRA"))
    for i, section in enumerate(outline.sections.all()):
        blocks.append(Block(BlockStyle.SECTION, section.title.upper(), point_label(0, i)))
        blocks += [
            Block(BlockStyle.PARAGRAPH, p) for p in section.guidance.splitlines() if p.strip()
        ]
    fields = list(outline.fields.all())
    if fields:
        blocks.append(Block(BlockStyle.ITEM, "Số liệu báo cáo"))
        blocks += [
            Block(BlockStyle.BULLET, f"{f.label} ({f.get_kind_display().lower()})", "-")
            for f in fields
        ]
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(outline.letter_number, outline.letter_symbol),
        place_date=nd30_date(
            sender.province.short_name, outline.letter_date if outline.letter_number else None
        ),
        type_name="",
        summary=f"V/v gửi đề cương báo cáo tự kiểm tra {plan.summary[0].lower()}{plan.summary[1:]}",
        preamble=["Kính gửi: Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh."],
        blocks=blocks,
        signature=Signature(
            authority_lines=[
                line.upper() for line in (outline.signer_capacity, outline.signer_title) if line
            ],
            signer_name=outline.signer_name,
        ),
        recipients=["Như trên;", "UBND tỉnh (để b/c);", "Lưu: VT, CCHC."],
        draft=outline.letter_number is None,
        title=f"CV-{outline.letter_number or 'du-thao'}-{outline.letter_symbol}",
    )
