"""The covering letter (công văn) that sends a plan's report outline to the units, with the
outline itself (đề cương) as its appendix.

The outline follows the plan's content areas: the outline's own sections (editable by staff per
plan, copied with it) in order, and under a section of results ("Kết quả thực hiện …") one
numbered point per content area the plan covers, each saying what the unit must report and which
figures it must give (staff edit these per plan on the outline page: `Outline.area_guidance`,
else `inspections.outline_guidance.DEFAULT_AREA_GUIDANCE`). The figures the product reads from
the unit's report (the outline's fields, among them the two of the coverage rule) close it as a
table, with the plan's threshold.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from inspections.models import ContentArea, Outline, point_label
from inspections.outline_guidance import area_guidance, plan_areas
from inspections.services import outline_sender
from inspections.text import percent
from reports.documents import (
    Appendix,
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    archive_line,
    doc_date,
    nd30_date,
    number_symbol,
)
from reports.plan_document import issuer_header, plan_reference

# The drafting unit of the standing department's letters: its administrative reform division.
DRAFTING_DIVISION = "CCHC"

RESULTS_SECTION = "kết quả thực hiện"
SELF_ASSESSMENT = (
    "Tự đánh giá ưu điểm, tồn tại, hạn chế và nguyên nhân; tỷ lệ tự kiểm tra đạt được so với "
    "yêu cầu của Kế hoạch; đề xuất, kiến nghị với Ủy ban nhân dân tỉnh và các cơ quan có liên quan."
)


def subject(summary: str) -> str:
    """The plan's summary as the object of "tự kiểm tra": "Kiểm tra công tác cải cách hành chính
    năm 2023" → "công tác cải cách hành chính năm 2023", so nothing reads "tự kiểm tra kiểm tra"."""
    text = " ".join(summary.split())
    lower = text[:1].lower() + text[1:]
    for verb in ("kiểm tra ", "phúc tra "):
        if lower.startswith(verb):
            return lower[len(verb) :]
    return lower


def _area_blocks(outline: Outline, area: ContentArea, position: int, depth: int) -> list[Block]:
    what, figures = area_guidance(outline, area)
    blocks = [Block(BlockStyle.ITEM, area.name, point_label(depth, position))]
    if what:
        blocks.append(Block(BlockStyle.PARAGRAPH, f"Nội dung báo cáo: {what}"))
    blocks += [Block(BlockStyle.BULLET, f"Số liệu: {figure}.", "-") for figure in figures]
    return blocks


def outline_blocks(outline: Outline) -> list[Block]:
    """The outline's numbered sections, with the plan's content areas under them."""
    areas = plan_areas(outline.plan)
    sections = list(outline.sections.all())

    def covers(section, area) -> bool:
        if section.content_area_id:
            return section.content_area_id == area.pk
        title = section.title.casefold()
        name = area.name.casefold()
        return name.startswith(title) or title.startswith(name)

    blocks: list[Block] = []
    for i, section in enumerate(sections):
        blocks.append(Block(BlockStyle.SECTION, section.title.upper(), point_label(0, i)))
        blocks += [
            Block(BlockStyle.PARAGRAPH, p.strip()) for p in section.guidance.splitlines() if p
        ]
        if not section.guidance.strip() and "đánh giá" in section.title.casefold():
            blocks.append(Block(BlockStyle.PARAGRAPH, f"Nội dung báo cáo: {SELF_ASSESSMENT}"))
        own = [a for a in areas if covers(section, a)]
        for area in own:
            what, figures = area_guidance(outline, area)
            if what:
                blocks.append(Block(BlockStyle.PARAGRAPH, f"Nội dung báo cáo: {what}"))
            blocks += [Block(BlockStyle.BULLET, f"Số liệu: {f}.", "-") for f in figures]
        if RESULTS_SECTION in section.title.casefold():
            rest = [a for a in areas if not any(covers(s, a) for s in sections)]
            for j, area in enumerate(rest):
                blocks += _area_blocks(outline, area, j, 1)
    if outline.wants_unit_plan:
        blocks.append(
            Block(
                BlockStyle.PARAGRAPH,
                "Gửi kèm báo cáo: Kế hoạch tự kiểm tra công tác cải cách hành chính của cơ quan, "
                "đơn vị, địa phương.",
            )
        )
    return blocks


def outline_appendix(outline: Outline, topic: str) -> Appendix:
    """The outline as the letter's appendix: its sections, then the figures the product reads
    from each report as a table, with the coverage rate and the plan's threshold under them."""
    plan = outline.plan
    blocks = outline_blocks(outline)
    fields = list(outline.fields.all())
    rows = [
        [str(i), f.label, f.get_kind_display(), "Bắt buộc" if f.required else ""]
        for i, f in enumerate(fields, start=1)
    ]
    roles = {f.role: i for i, f in enumerate(fields, start=1) if f.role}
    if "coverage_total" in roles and "coverage_done" in roles:
        rows.append(
            [
                str(len(fields) + 1),
                f"Tỷ lệ tự kiểm tra = ({roles['coverage_done']}) / ({roles['coverage_total']}) "
                f"× 100%; Kế hoạch yêu cầu đạt từ "
                f"{percent(plan.self_inspection_threshold)} trở lên",
                "%",
                "Bắt buộc",
            ]
        )
    if rows:
        sections = sum(1 for b in blocks if b.style == BlockStyle.SECTION)
        blocks.append(Block(BlockStyle.SECTION, "BIỂU SỐ LIỆU", point_label(0, sections)))
        blocks.append(
            Block(
                BlockStyle.PARAGRAPH,
                "Các chỉ tiêu dưới đây ghi vào mục Báo cáo tự kiểm tra của phần mềm; phần mềm "
                "kiểm tra đủ các chỉ tiêu bắt buộc và tính tỷ lệ tự kiểm tra.",
            )
        )
    return Appendix(
        "ĐỀ CƯƠNG",
        f"Báo cáo kết quả tự kiểm tra {topic}",
        ["STT", "Chỉ tiêu", "Kiểu số liệu", "Ghi chú"] if rows else [],
        rows,
        widths=[0.6, 6, 1.6, 1.4] if rows else [],
        landscape=False,
        blocks=blocks,
    )


def _deadline_blocks(outline: Outline, day: datetime.date) -> list[Block]:
    """Who reports by when. A deadline of the plan already passed on the letter's date is not
    repeated as if it were still ahead: units that missed it report with the targets."""
    plan = outline.plan
    blocks = [
        Block(
            BlockStyle.BULLET,
            "Cơ quan, đơn vị, địa phương thuộc đối tượng kiểm tra gửi báo cáo trước ngày "
            f"{doc_date(outline.target_deadline)}.",
            "-",
        )
    ]
    deadline = plan.self_report_deadline
    if outline.include_non_targets and deadline:
        if deadline >= day:
            text = (
                "Cơ quan, đơn vị, địa phương không thuộc đối tượng kiểm tra gửi báo cáo trước "
                f"ngày {doc_date(deadline)}."
            )
        else:
            text = (
                "Cơ quan, đơn vị, địa phương không thuộc đối tượng kiểm tra chưa gửi báo cáo theo "
                f"thời hạn của Kế hoạch (ngày {doc_date(deadline)}) gửi báo cáo trước ngày "
                f"{doc_date(outline.target_deadline)}."
            )
        blocks.append(Block(BlockStyle.BULLET, text, "-"))
    return blocks


def outline_document(outline: Outline) -> OfficialDocument:
    plan = outline.plan
    day = outline.letter_date or timezone.localdate()
    sender = outline_sender(outline)
    parent_body, issuer_lines = issuer_header(sender)
    topic = subject(plan.summary)
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"Thực hiện {plan_reference(plan)} về {plan.summary[:1].lower()}{plan.summary[1:]}, "
            f"{sender.name} đề nghị các cơ quan, đơn vị, địa phương tổ chức tự kiểm tra và báo cáo "
            "kết quả theo Đề cương kèm theo Công văn này, cụ thể như sau:",
        ),
        *_deadline_blocks(outline, day),
        Block(
            BlockStyle.PARAGRAPH,
            "Báo cáo có chữ ký, đóng dấu, gửi qua Phần mềm kiểm tra công tác cải cách hành chính "
            "(mục Báo cáo tự kiểm tra); khó khăn, vướng mắc phản ánh tại cùng mục.",
        ),
    ]
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in outline.guidance.splitlines() if p.strip()]
    blocks.append(
        Block(
            BlockStyle.PARAGRAPH,
            f"{sender.name} đề nghị các cơ quan, đơn vị, địa phương quan tâm thực hiện./.",
        )
    )
    appendix = outline_appendix(outline, topic)
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(outline.letter_number, outline.letter_symbol),
        place_date=nd30_date(
            sender.province.short_name, outline.letter_date if outline.letter_number else None
        ),
        type_name="",
        summary=f"V/v đề cương báo cáo kết quả tự kiểm tra {topic}",
        preamble=["Kính gửi: Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh."],
        blocks=blocks,
        signature=Signature(
            authority_lines=[
                line.upper() for line in (outline.signer_capacity, outline.signer_title) if line
            ],
            signer_name=outline.signer_name,
        ),
        recipients=[
            "Như trên;",
            "UBND tỉnh (để b/c);",
            archive_line(_drafting(outline), plan.archive_copies),
        ],
        draft=outline.letter_number is None,
        title=f"CV-{outline.letter_number or 'du-thao'}-{outline.letter_symbol}",
        issuer_name=sender.name,
        appendices=[appendix],
    )


def _drafting(outline: Outline) -> str:
    """The drafting unit: the part of the letter's symbol after the issuer ("SNV-CCHC" → "CCHC")."""
    parts = outline.letter_symbol.split("-", 1)
    return parts[1] if len(parts) == 2 and parts[1] else DRAFTING_DIVISION
