"""Documents of the inspection itself: the decision forming a team (QĐ) and the schedule notice
(TB) that tells units when the team comes and what to prepare."""

from __future__ import annotations

from inspections.models import Team, TeamRole, Visit
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


def _signature(team: Team) -> Signature:
    lines = ["TM. ỦY BAN NHÂN DÂN", team.signing_capacity, team.signer_title]
    return Signature([line.upper() for line in lines if line], team.signer_name)


def team_decision(team: Team) -> OfficialDocument:
    plan = team.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    members = list(team.members.select_related("agency"))
    blocks = [
        Block(BlockStyle.PARAGRAPH, f"Thành lập {team.name} công tác cải cách hành chính năm "
              f"{plan.year} theo Kế hoạch số {plan.number_display} ngày "
              f"{short_date(plan.document_date)} của {plan.issuer.name}, gồm các thành viên:",
              "Điều 1."),
    ]  # fmt: skip
    for i, member in enumerate(members, start=1):
        title = f", {member.title}" if member.title else ""
        blocks.append(
            Block(
                BlockStyle.PARAGRAPH,
                f"{i}. {member.full_name}{title}, {member.agency.name} — "
                f"{TeamRole(member.role).label}.",
            )
        )
    tasks = [p.strip() for p in team.tasks.splitlines() if p.strip()]
    blocks.append(Block(BlockStyle.PARAGRAPH, tasks[0] if tasks else "", "Điều 2."))
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in tasks[1:]]
    blocks.append(
        Block(
            BlockStyle.PARAGRAPH,
            "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
            "Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan và các thành viên "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            "Điều 3.",
        )
    )
    issued = team.is_issued
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(team.decision_number, team.decision_symbol),
        place_date=nd30_date(plan.place, team.decision_date if issued else None),
        type_name="QUYẾT ĐỊNH",
        summary=f"Về việc thành lập {team.name} công tác cải cách hành chính năm {plan.year}",
        bases=[
            "Căn cứ Luật Tổ chức chính quyền địa phương;",
            f"Căn cứ Kế hoạch số {plan.number_display} ngày {short_date(plan.document_date)} "
            f"của {plan.issuer.name} về {plan.summary[0].lower()}{plan.summary[1:]};",
            "Theo đề nghị của Giám đốc Sở Nội vụ.",
        ],
        blocks=blocks,
        signature=_signature(team),
        recipients=["Như Điều 3;", "CT, các PCT UBND tỉnh;", "Lưu: VT, NC."],
        draft=not issued,
        title=f"QD-{team.decision_number or 'du-thao'}-{plan.year}",
    )


def schedule_notice(team: Team) -> OfficialDocument:
    """Announced visits only: an unannounced visit never appears in a document units receive."""
    plan = team.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    visits = (
        Visit.objects.filter(team=team, announced=True)
        .exclude(status="cancelled")
        .select_related("agency")
        .order_by("date", "start_time")
    )
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"Thực hiện Kế hoạch số {plan.number_display} ngày {short_date(plan.document_date)}"
            f" của {plan.issuer.name}, {team.name} thông báo lịch kiểm tra như sau:",
        )
    ]
    for i, visit in enumerate(visits, start=1):
        when = (
            f"{visit.start_time:%H giờ %M}, ngày {short_date(visit.date)}"
            if visit.start_time.minute
            else f"{visit.start_time:%H} giờ, ngày {short_date(visit.date)}"
        )
        blocks.append(Block(BlockStyle.ITEM, visit.agency.name, f"{i}."))
        blocks.append(Block(BlockStyle.BULLET, f"Thời gian: {when}.", "-"))
        blocks.append(Block(BlockStyle.BULLET, f"Địa điểm: {visit.place}.", "-"))
        if visit.attendees:
            blocks.append(Block(BlockStyle.BULLET, f"Thành phần: {visit.attendees}", "-"))
        if visit.prepare:
            blocks.append(Block(BlockStyle.BULLET, f"Chuẩn bị: {visit.prepare}", "-"))
    lead = team.members.filter(role=TeamRole.LEAD).first()
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(None, "TB-ĐKT"),
        place_date=nd30_date(plan.place, None),
        type_name="THÔNG BÁO",
        summary=f"Lịch kiểm tra công tác cải cách hành chính năm {plan.year}",
        blocks=blocks,
        signature=Signature(["TRƯỞNG ĐOÀN"], lead.full_name if lead else ""),
        recipients=["Các cơ quan, đơn vị có tên trên;", "Thành viên Đoàn kiểm tra;", "Lưu: VT."],
        draft=False,
        title=f"TB-lich-kiem-tra-{plan.year}",
    )


def conclusion_document(notice) -> OfficialDocument:
    """The conclusion notice to one unit: its strengths, shortcomings and what it must fix."""
    plan = notice.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    findings = list(
        notice.findings()
        .select_related("content_area")
        .prefetch_related("recommendations__responsible")
    )
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"Thực hiện Kế hoạch số {plan.number_display} ngày {short_date(plan.document_date)} "
            f"của {plan.issuer.name}, Đoàn kiểm tra đã kiểm tra công tác cải cách hành chính tại "
            f"{notice.agency.name}. {plan.issuer.name} thông báo kết luận như sau:",
        )
    ]
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in notice.summary.splitlines() if p.strip()]
    sections = (
        ("strength", "Ưu điểm"),
        ("good_model", "Mô hình hay, cách làm mới"),
        ("shortcoming", "Tồn tại, hạn chế"),
    )
    number = 0
    for kind, title in sections:
        chosen = [f for f in findings if f.kind == kind]
        if not chosen:
            continue
        number += 1
        blocks.append(Block(BlockStyle.ITEM, title, f"{number}."))
        blocks += [Block(BlockStyle.BULLET, f.description, "-") for f in chosen]
    recommendations = [r for f in findings for r in f.recommendations.all()]
    if recommendations:
        number += 1
        blocks.append(Block(BlockStyle.ITEM, "Yêu cầu khắc phục", f"{number}."))
        blocks += [
            Block(
                BlockStyle.BULLET,
                f"{r.text} ({r.responsible.name}; thời hạn: {short_date(r.due_date)}).",
                "-",
            )
            for r in recommendations
        ]
    issued = notice.status == "issued"
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(notice.number, notice.symbol),
        place_date=nd30_date(plan.place, notice.issued_on if issued else None),
        type_name="THÔNG BÁO",
        summary=f"Kết luận kiểm tra công tác cải cách hành chính năm {plan.year} "
        f"tại {notice.agency.name}",
        blocks=blocks,
        signature=Signature(
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], notice.signer_name
        ),
        recipients=[f"{notice.agency.name};", "Sở Nội vụ;", "Lưu: VT, NC."],
        draft=not issued,
        title=f"TB-ket-luan-{notice.number or 'du-thao'}-{plan.year}",
    )
