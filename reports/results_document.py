"""The results report (báo cáo kết quả kiểm tra) to the provincial People's Committee, in the
official format: the prose Home Affairs wrote, the figures and lists of the round, and four
appendix tables in landscape (targets, self-inspection, findings by area and level,
recommendations and their remediation)."""

from __future__ import annotations

from inspections.models import FindingKind, ResultsReport
from inspections.services.results import LEVELS, RoundResults
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
from reports.outline_document import DRAFTING_DIVISION
from reports.plan_document import issuer_header, plan_reference
from units.models import Level

YES = "x"
TARGET_COLUMNS = ["STT", "Cơ quan, đơn vị", "Cấp", "Hình thức", "Ngày kiểm tra", "Tình trạng",
                  "Ưu điểm", "Tồn tại", "Thông báo kết luận"]  # fmt: skip
PROGRESS_COLUMNS = ["STT", "Cơ quan, đơn vị", "Đối tượng kiểm tra", "Hạn gửi", "Ngày gửi",
                    "Trễ hạn", "Tỷ lệ tự kiểm tra", "Dưới mức quy định", "Tình trạng"]  # fmt: skip


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _notice(result) -> str:
    notice = result.notice
    if notice is None:
        return ""
    return f"{notice.number:02d}/{notice.symbol} ngày {doc_date(notice.issued_on)}"


def _overview(report: ResultsReport, data: RoundResults) -> list[Block]:
    by_level = {level: 0 for level in LEVELS}
    for result in data.targets:
        if result.visited:
            by_level[result.target.agency.unit.level] += 1
    levels = ", ".join(
        f"{Level(level).label.lower()} {count}" for level, count in by_level.items() if count
    )
    dates = sorted(v.date for result in data.targets for v in result.visits)
    period = f"Từ ngày {doc_date(dates[0])} đến ngày {doc_date(dates[-1])}, " if dates else ""
    figures = (
        f"{period}{'đ' if period else 'Đ'}oàn kiểm tra đã kiểm tra {data.visited}/"
        f"{len(data.targets)} đối tượng theo Kế hoạch"
        f"{f' ({levels})' if levels else ''}; đã ban hành {data.concluded} thông báo kết luận "
        f"kiểm tra."
    )
    self_inspection = (
        f"Có {len(data.submitted)}/{len(data.progress)} cơ quan, đơn vị, địa phương gửi báo cáo "
        f"kết quả tự kiểm tra (trễ hạn {len(data.late)}); {len(data.below_threshold)} đơn vị có "
        f"tỷ lệ tự kiểm tra dưới mức {percent(data.plan.self_inspection_threshold)} theo Kế hoạch."
    )
    return [
        Block(BlockStyle.SECTION, "KHÁI QUÁT VIỆC TỔ CHỨC KIỂM TRA", "I."),
        *[Block(BlockStyle.PARAGRAPH, p) for p in _lines(report.summary)],
        Block(BlockStyle.PARAGRAPH, figures),
        Block(BlockStyle.PARAGRAPH, self_inspection),
    ]


def _results(data: RoundResults) -> list[Block]:
    blocks = [
        Block(BlockStyle.SECTION, "KẾT QUẢ KIỂM TRA", "II."),
        Block(BlockStyle.ITEM, "Kết quả theo đối tượng kiểm tra", "1."),
    ]
    for level, results in data.targets_by_level():
        parts = []
        for result in results:
            strengths = result.findings.get(FindingKind.STRENGTH, 0)
            shortcomings = result.findings.get(FindingKind.SHORTCOMING, 0)
            notice = _notice(result)
            detail = f"{result.state.lower()}, {strengths} ưu điểm, {shortcomings} tồn tại"
            parts.append(
                f"{result.target.agency.name} ({detail}"
                f"{f'; Thông báo kết luận số {notice}' if notice else ''})"
            )
        blocks.append(Block(BlockStyle.BULLET, f"{level}: {'; '.join(parts)}.", "-"))
    blocks.append(Block(BlockStyle.ITEM, "Mô hình hay, cách làm mới cần nhân rộng", "2."))
    models = data.of_kind(FindingKind.GOOD_MODEL)
    blocks += [
        Block(BlockStyle.BULLET, f"{f.visit.agency.name}: {f.description}", "-") for f in models
    ] or [Block(BlockStyle.PARAGRAPH, "Chưa ghi nhận mô hình mới.")]
    blocks.append(Block(BlockStyle.ITEM, "Tồn tại, hạn chế theo lĩnh vực", "3."))
    areas = data.shortcomings_by_area()
    for i, (area, findings) in enumerate(areas):
        blocks.append(Block(BlockStyle.SUBITEM, area, f"{chr(ord('a') + i)})"))
        blocks += [
            Block(BlockStyle.BULLET, f"{f.visit.agency.name}: {f.description}", "-")
            for f in findings
        ]
    if not areas:
        blocks.append(Block(BlockStyle.PARAGRAPH, "Chưa ghi nhận tồn tại, hạn chế."))
    blocks.append(
        Block(BlockStyle.ITEM, "Việc khắc phục kiến nghị của các kỳ kiểm tra trước", "4.")
    )
    remedied = [u.agency.name for u in data.earlier if not u.unresolved]
    pending = [
        f"{u.agency.name} ({len(u.unresolved)} kiến nghị)" for u in data.earlier if u.unresolved
    ]
    if not data.earlier:
        blocks.append(
            Block(BlockStyle.PARAGRAPH, "Không có kiến nghị của kỳ kiểm tra trước trong hệ thống.")
        )
    if remedied:
        blocks.append(Block(BlockStyle.BULLET, f"Đã khắc phục xong: {'; '.join(remedied)}.", "-"))
    if pending:
        blocks.append(Block(BlockStyle.BULLET, f"Chưa khắc phục xong: {'; '.join(pending)}.", "-"))
    return blocks


def _appendices(data: RoundResults) -> list[Appendix]:
    targets = Appendix(
        "Phụ lục I",
        "ĐỐI TƯỢNG KIỂM TRA VÀ TÌNH TRẠNG KIỂM TRA",
        TARGET_COLUMNS,
        [
            [
                str(i),
                r.target.agency.name,
                str(Level(r.target.agency.unit.level).label),
                r.target.get_kind_display(),
                "; ".join(doc_date(v.date) for v in r.visits),
                r.state,
                str(r.findings.get(FindingKind.STRENGTH, 0)),
                str(r.findings.get(FindingKind.SHORTCOMING, 0)),
                _notice(r),
            ]
            for i, r in enumerate(data.targets, start=1)
        ],
        widths=[0.5, 4, 1.3, 1.2, 1.8, 1.5, 0.9, 0.9, 2.2],
    )
    progress = Appendix(
        "Phụ lục II",
        "TÌNH HÌNH GỬI BÁO CÁO KẾT QUẢ TỰ KIỂM TRA",
        PROGRESS_COLUMNS,
        [
            [
                str(i),
                row.request.agency.name,
                YES if row.request.is_target else "",
                doc_date(row.request.deadline),
                doc_date(row.latest.submitted_at) if row.latest else "",
                YES if row.latest and row.latest.late else "",
                percent(row.latest.coverage)
                if row.latest and row.latest.coverage is not None
                else "",
                YES if row.latest and row.latest.below_threshold else "",
                row.state_label,
            ]
            for i, row in enumerate(data.progress, start=1)
        ],
        widths=[0.5, 4, 1, 1.2, 1.2, 0.8, 1.2, 1, 1.8],
        note=f"Tỷ lệ tự kiểm tra theo Kế hoạch: {percent(data.plan.self_inspection_threshold)}.",
    )
    table = data.findings_table()
    totals = {level: sum(c.get(level, 0) for _n, c, _t in table) for level in LEVELS}
    findings = Appendix(
        "Phụ lục III",
        "KẾT QUẢ KIỂM TRA THEO LĨNH VỰC VÀ CẤP",
        ["Lĩnh vực", *[str(Level(level).label) for level in LEVELS], "Tổng"],
        [
            [name, *[str(counts.get(level, 0)) for level in LEVELS], str(total)]
            for name, counts, total in table
        ]
        + [["Tổng cộng", *[str(totals[level]) for level in LEVELS], str(sum(totals.values()))]],
        widths=[5, 1, 1, 1, 1],
        landscape=False,
        note="Số kết quả kiểm tra (ưu điểm, tồn tại, mô hình hay) ghi nhận tại các đơn vị.",
    )
    recommendations = Appendix(
        "Phụ lục IV",
        "KIẾN NGHỊ SAU KIỂM TRA VÀ TÌNH HÌNH KHẮC PHỤC",
        ["STT", "Đơn vị thực hiện", "Kiến nghị", "Hạn khắc phục", "Số lần báo cáo", "Tình trạng"],
        [
            [
                str(i),
                r.responsible.name,
                r.text,
                doc_date(r.due_date),
                str(r.report_count),
                r.get_status_display(),
            ]
            for i, r in enumerate(data.recommendations, start=1)
        ],
        widths=[0.5, 3, 6, 1.3, 1, 1.8],
    )
    return [targets, progress, findings, recommendations]


def results_document(report: ResultsReport, data: RoundResults) -> OfficialDocument:
    plan = data.plan
    parent_body, issuer_lines = issuer_header(report.issuer)
    issued = report.number is not None
    blocks = [
        *_overview(report, data),
        *_results(data),
        Block(BlockStyle.SECTION, "ĐÁNH GIÁ CHUNG", "III."),
        *[Block(BlockStyle.PARAGRAPH, p) for p in _lines(report.assessment)],
        Block(BlockStyle.SECTION, "KIẾN NGHỊ", "IV."),
        Block(
            BlockStyle.PARAGRAPH,
            f"Trên cơ sở kết quả kiểm tra, {report.issuer.name} kính đề nghị Ủy ban nhân dân "
            f"tỉnh xem xét:",
        ),
        *[Block(BlockStyle.BULLET, line, "-") for line in _lines(report.proposals)],
    ]
    authority = [a.upper() for a in (report.signing_capacity, report.signer_title) if a.strip()]
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(report.number, report.symbol),
        place_date=nd30_date(plan.place, report.issued_on if issued else None),
        type_name="BÁO CÁO",
        summary=f"Kết quả kiểm tra công tác cải cách hành chính năm {plan.year}",
        preamble=[
            f"Thực hiện {plan_reference(plan)} về {plan.summary[:1].lower()}{plan.summary[1:]}, "
            f"{report.issuer.name} báo cáo kết quả như sau:"
        ],
        blocks=blocks,
        signature=Signature(authority_lines=authority, signer_name=report.signer_name),
        recipients=[
            *_lines(report.recipients),
            archive_line(DRAFTING_DIVISION, plan.archive_copies),
        ],
        draft=not issued,
        title=f"BC-{report.number or 'du-thao'}-ket-qua-kiem-tra-{plan.year}",
        issuer_name=report.issuer.name,
        appendices=_appendices(data),
    )
