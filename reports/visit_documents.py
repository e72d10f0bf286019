"""Documents of the inspection itself: the decision forming a team (QĐ), the schedule notice (TB)
that tells units when the team comes and what to prepare, the minutes of a visit (BB) and the
conclusion notice to a unit (TB)."""

from __future__ import annotations

from django.db.models import Prefetch

from inspections.models import (
    Minutes,
    Plan,
    Recommendation,
    Team,
    TeamRole,
    Visit,
    letter,
    roman,
)
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


def _amended(notice) -> str:
    """ "Thông báo số 05/TB-UBND ngày 12/9/2023": the notice an amendment corrects."""
    original = notice.amends
    return f"Thông báo số {original.number_display} ngày {short_date(original.issued_on)}"


def conclusion_document(notice) -> OfficialDocument:
    """The conclusion notice to one unit: its strengths, shortcomings and what it must fix. An
    amended or supplementary notice cites the notice it corrects, then says what it corrects and
    what it adds; the rest of the original stands."""
    plan = notice.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    findings = list(
        notice.findings()
        .select_related("content_area")
        .prefetch_related("recommendations__responsible")
    )
    number = 0
    if notice.amends_id:
        cited = _amended(notice)
        summary = (
            f"Điều chỉnh, bổ sung {cited} kết luận kiểm tra công tác cải cách hành chính năm "
            f"{plan.year} tại {notice.agency.name}"
        )
        blocks = [
            Block(
                BlockStyle.PARAGRAPH,
                f"Ngày {short_date(notice.amends.issued_on)}, {plan.issuer.name} đã ban hành "
                f"{cited} kết luận kiểm tra công tác cải cách hành chính tại "
                f"{notice.agency.name}. {plan.issuer.name} điều chỉnh, bổ sung {cited} như sau:",
            )
        ]
        blocks += [Block(BlockStyle.PARAGRAPH, p) for p in notice.summary.splitlines() if p.strip()]
        corrections = _lines(notice.corrections)
        if corrections:
            number += 1
            blocks.append(Block(BlockStyle.ITEM, "Nội dung điều chỉnh", f"{number}."))
            blocks += [Block(BlockStyle.BULLET, line, "-") for line in corrections]
        closing = [
            Block(BlockStyle.PARAGRAPH, f"Các nội dung khác của {cited} giữ nguyên hiệu lực.")
        ]
        added = " bổ sung"
    else:
        summary = (
            f"Kết luận kiểm tra công tác cải cách hành chính năm {plan.year} "
            f"tại {notice.agency.name}"
        )
        blocks = [
            Block(
                BlockStyle.PARAGRAPH,
                f"Thực hiện Kế hoạch số {plan.number_display} ngày "
                f"{short_date(plan.document_date)} của {plan.issuer.name}, Đoàn kiểm tra đã kiểm "
                f"tra công tác cải cách hành chính tại {notice.agency.name}. {plan.issuer.name} "
                "thông báo kết luận như sau:",
            )
        ]
        blocks += [Block(BlockStyle.PARAGRAPH, p) for p in notice.summary.splitlines() if p.strip()]
        closing = []
        added = ""
    sections = (
        ("strength", "Ưu điểm"),
        ("good_model", "Mô hình hay, cách làm mới"),
        ("shortcoming", "Tồn tại, hạn chế"),
    )
    for kind, title in sections:
        chosen = [f for f in findings if f.kind == kind]
        if not chosen:
            continue
        number += 1
        blocks.append(Block(BlockStyle.ITEM, f"{title}{added}", f"{number}."))
        blocks += [Block(BlockStyle.BULLET, f.description, "-") for f in chosen]
    recommendations = [r for f in findings for r in f.recommendations.all()]
    if recommendations:
        number += 1
        blocks.append(Block(BlockStyle.ITEM, f"Yêu cầu khắc phục{added}", f"{number}."))
        blocks += [
            Block(
                BlockStyle.BULLET,
                f"{r.text} ({r.responsible.name}; thời hạn: {short_date(r.due_date)}).",
                "-",
            )
            for r in recommendations
        ]
    blocks += closing
    issued = notice.status == "issued"
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(notice.number, notice.symbol),
        place_date=nd30_date(plan.place, notice.issued_on if issued else None),
        type_name="THÔNG BÁO",
        summary=summary,
        blocks=blocks,
        signature=Signature(
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], notice.signer_name
        ),
        recipients=[f"{notice.agency.name};", "Sở Nội vụ;", "Lưu: VT, NC."],
        draft=not issued,
        title=f"TB-ket-luan-{'dcbs-' if notice.amends_id else ''}"
        f"{notice.number or 'du-thao'}-{plan.year}",
    )


# Minutes of a visit -------------------------------------------------------------------------------

OTHER_AREA = "Nội dung khác"
NO_OPINION = "Thống nhất với nội dung biên bản."


def _lines(text: str) -> list[str]:
    """Non-empty lines of a text field, without the "-", "+" or "•" a user may have typed: the
    document adds its own labels."""
    lines = (line.strip().lstrip("-+•*").strip() for line in text.splitlines())
    return [line for line in lines if line]


def _clock(time) -> str:
    """ "08 giờ", "14 giờ 30 phút": the time as Vietnamese minutes write it."""
    return f"{time:%H} giờ" if not time.minute else f"{time:%H} giờ {time:%M} phút"


def _team_header(plan: Plan, team: Team) -> tuple[str, list[str]]:
    """The team issues its minutes itself, under the People's Committee that formed it:
    "UBND TỈNH KIÊN GIANG" above "ĐOÀN KIỂM TRA SỐ 1" (the team's name, in capitals)."""
    parent_body, issuer_lines = issuer_header(plan.issuer)
    # A committee issuer has no parent line; its place is its last line ("TỈNH KIÊN GIANG").
    return parent_body or f"UBND {issuer_lines[-1]}", [team.name.upper()]


def _finding_blocks(visit: Visit) -> list[Block]:
    """The visit's findings grouped by content area (in the areas' order, findings without an area
    last), each with its kind and severity, then its recommendations. Two queries whatever the
    number of findings: findings with their areas, recommendations with their agencies."""
    # What the visit recorded: findings an amending notice added later are not in the minutes.
    findings = (
        visit.findings.filter(amendment__isnull=True)
        .select_related("content_area")
        .prefetch_related(
            Prefetch(
                "recommendations", queryset=Recommendation.objects.select_related("responsible")
            )
        )
    )
    groups: dict[int | None, list] = {}
    for finding in findings:
        groups.setdefault(finding.content_area_id, []).append(finding)
    if not groups:
        return [Block(BlockStyle.PARAGRAPH, "Đoàn kiểm tra chưa ghi nhận kết quả kiểm tra.")]
    order = sorted(
        groups, key=lambda area: (area is None, groups[area][0].content_area.number if area else 0)
    )
    blocks: list[Block] = []
    for number, area in enumerate(order, start=1):
        chosen = groups[area]
        name = chosen[0].content_area.name if area else OTHER_AREA
        blocks.append(Block(BlockStyle.ITEM, name, f"{number}."))
        for i, finding in enumerate(chosen):
            kind = finding.get_kind_display()
            if finding.severity:
                kind = f"{kind} (mức độ: {finding.get_severity_display().lower()})"
            blocks.append(
                Block(BlockStyle.SUBITEM, f"{kind}: {finding.description}", f"{letter(i)})")
            )
            blocks += [
                Block(
                    BlockStyle.BULLET,
                    f"Kiến nghị: {r.text.strip().rstrip('.')} (đơn vị thực hiện: "
                    f"{r.responsible.name}; thời hạn: {r.due_date:%d/%m/%Y}).",
                    "-",
                )
                for r in finding.recommendations.all()
            ]
    return blocks


def minutes_document(minutes: Minutes) -> OfficialDocument:
    """The minutes of a visit (biên bản kiểm tra), signed by both sides.

    Header: the team, under the People's Committee that formed it (see `_team_header`); the number
    is left blank ("Số:      /BB-ĐKT") for the team's register, written by hand. The place before
    the date is the locality of the inspected unit, where the minutes are drawn up (the meeting
    room itself is named in the text), and the date is the visit's. The closing has no
    recipients: the unit's representative signs on the left, the team lead on the right.

    Queries: the minutes' visit, plan, issuer and team as loaded by the caller (select them),
    then the team lead and the findings (three queries), whatever their number.
    """
    visit = minutes.visit
    plan, team, agency = visit.plan, visit.team, visit.agency
    parent_body, issuer_lines = _team_header(plan, team)
    basis = (
        f"Thực hiện Kế hoạch số {plan.number_display} ngày {short_date(plan.document_date)} "
        f"của {plan.issuer.name} về {plan.summary[0].lower()}{plan.summary[1:]}"
    )
    if team.is_issued:
        basis += (
            f"; Quyết định số {team.decision_number:02d}/{team.decision_symbol} ngày "
            f"{short_date(team.decision_date)} của {plan.issuer.name} về việc thành lập "
            f"{team.name} công tác cải cách hành chính năm {plan.year}"
        )
    preamble = [
        f"{basis}.",
        f"Hôm nay, vào lúc {_clock(visit.start_time)} ngày {short_date(visit.date)}, tại "
        f"{visit.place}, {team.name} đã tiến hành kiểm tra công tác cải cách hành chính năm "
        f"{plan.year} tại {agency.name}, cụ thể như sau:",
    ]

    sections: list[tuple[str, list[Block]]] = [
        (
            "THÀNH PHẦN",
            [
                Block(BlockStyle.ITEM, "Đoàn kiểm tra", "1."),
                *(Block(BlockStyle.BULLET, line, "-") for line in _lines(minutes.team_attendees)),
                Block(BlockStyle.ITEM, f"Đơn vị được kiểm tra: {agency.name}", "2."),
                *(Block(BlockStyle.BULLET, line, "-") for line in _lines(minutes.unit_attendees)),
            ],
        ),
        (
            "NỘI DUNG KIỂM TRA",
            [Block(BlockStyle.BULLET, line, "-") for line in _lines(minutes.checked)],
        ),
        ("KẾT QUẢ KIỂM TRA", _finding_blocks(visit)),
    ]
    if conclusions := _lines(minutes.conclusions):
        sections.append(("KẾT LUẬN", [Block(BlockStyle.PARAGRAPH, line) for line in conclusions]))
    opinion = _lines(minutes.unit_opinion) or [NO_OPINION]
    sections.append(
        (
            "Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA",
            [Block(BlockStyle.PARAGRAPH, line) for line in opinion],
        )
    )
    blocks: list[Block] = []
    for number, (heading, content) in enumerate(sections, start=1):
        blocks.append(Block(BlockStyle.SECTION, heading, f"{roman(number)}."))
        blocks += content
    blocks.append(
        Block(
            BlockStyle.PARAGRAPH,
            f"Biên bản kết thúc vào lúc {_clock(visit.end_time)} cùng ngày, được lập thành 02 "
            "bản có giá trị như nhau, mỗi bên giữ 01 bản; đã đọc lại cho các thành viên tham dự "
            "cùng nghe và thống nhất ký tên./.",
        )
    )

    lead = team.members.filter(role=TeamRole.LEAD).first()
    unit_side = ["ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA"]
    if minutes.unit_signer_title.strip():
        unit_side.append(minutes.unit_signer_title.strip().upper())
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(None, "BB-ĐKT"),
        place_date=nd30_date(agency.unit.short_name, visit.date),
        type_name="BIÊN BẢN",
        summary=f"Kiểm tra công tác cải cách hành chính năm {plan.year} tại {agency.name}",
        preamble=preamble,
        blocks=blocks,
        signatures=[
            Signature(unit_side, minutes.unit_signer_name.strip()),
            Signature(["TRƯỞNG ĐOÀN KIỂM TRA"], lead.full_name if lead else ""),
        ],
        title=f"BB-kiem-tra-{visit.date:%Y-%m-%d}-{visit.pk}",
    )
