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


def _signature(team: Team) -> Signature:
    """The chairman decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" is the authority line), so the
    decision is signed by the chairman or for him ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), not on behalf
    of the committee as a body."""
    lines = [team.signing_capacity, team.signer_title] if team.signing_capacity else ["CHỦ TỊCH"]
    return Signature([line.upper() for line in lines if line], team.signer_name)


ROLE_RANK = {role: rank for rank, role in enumerate(TeamRole)}


def members_in_order(team: Team) -> list:
    """The members as a decision lists them: the lead, the deputies, the members, the secretary,
    each group in the order they were added."""
    members = list(team.members.select_related("agency"))
    return sorted(members, key=lambda m: (ROLE_RANK.get(m.role, len(ROLE_RANK)), m.order, m.pk))


def team_title(team: Team) -> str:
    """ "Đoàn kiểm tra số 1 công tác cải cách hành chính năm 2023"; a team whose name already
    says what it inspects keeps it as it is, so that nothing repeats."""
    name = " ".join(team.name.split())
    if "cải cách hành chính" in name.lower():
        return name
    return f"{name} công tác cải cách hành chính năm {team.plan.year}"


def drafting_unit(plan: Plan) -> str:
    """The drafting unit in a committee document's "Lưu:" line: the plan's, else the standing
    agency's abbreviation (the department that prepares the round's documents)."""
    if plan.archive_initials:
        return plan.archive_initials
    return plan.standing_agency.abbreviation if plan.standing_agency else ""


def team_decision(team: Team) -> OfficialDocument:
    plan = team.plan
    parent_body, issuer_lines = issuer_header(plan.issuer)
    members = members_in_order(team)
    issued = team.is_issued
    title = team_title(team)
    blocks = [
        Block(BlockStyle.CENTRED, "QUYẾT ĐỊNH:"),
        Block(
            BlockStyle.ARTICLE,
            f"Thành lập {title} theo {plan_reference(plan)}, gồm các ông (bà) có tên sau:",
            "Điều 1.",
        ),
    ]
    for i, member in enumerate(members, start=1):
        parts = [f"Ông/Bà {member.full_name}"]
        if member.title:
            parts.append(member.title)
        parts.append(member.agency.name)
        end = "." if i == len(members) else ";"
        blocks.append(
            Block(
                BlockStyle.PARAGRAPH,
                f"{i}. {', '.join(parts)} — {TeamRole(member.role).label}{end}",
            )
        )
    tasks = [p.strip() for p in team.tasks.splitlines() if p.strip()]
    blocks.append(Block(BlockStyle.ARTICLE, tasks[0] if tasks else "", "Điều 2."))
    blocks += [Block(BlockStyle.PARAGRAPH, p) for p in tasks[1:]]
    standing = plan.standing_agency
    blocks.append(
        Block(
            BlockStyle.ARTICLE,
            "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
            f"{chief_of(standing)}, Thủ trưởng các cơ quan, đơn vị có liên quan và các ông (bà) "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            "Điều 3.",
        )
    )
    authority = decider(plan.issuer, issuer_lines)
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(team.decision_number, team.decision_symbol),
        place_date=nd30_date(plan.place, team.decision_date if issued else None),
        type_name="QUYẾT ĐỊNH",
        summary=f"Về việc thành lập {title}",
        authority=authority,
        bases=[
            *local_government_bases(team.decision_date),
            f"Căn cứ {plan_reference(plan)} về {plan.summary[:1].lower()}{plan.summary[1:]};",
            f"Theo đề nghị của {chief_of(standing)}.",
        ],
        blocks=blocks,
        signature=_signature(team),
        recipients=[
            "Như Điều 3;",
            "CT, các PCT UBND tỉnh;",
            archive_line(drafting_unit(plan), plan.archive_copies),
        ],
        draft=not issued,
        title=f"QD-{team.decision_number or 'du-thao'}-{plan.year}",
    )


def _team_slug(team: Team) -> str:
    """The team in a file name: "doan-1" for "Đoàn kiểm tra số 1", else its id."""
    digits = "".join(ch for ch in team.name if ch.isdigit())
    return f"doan-{digits or team.pk}"


def schedule_notice(team: Team) -> OfficialDocument:
    """Announced visits only: an unannounced visit, or any visit of an unannounced target, never
    appears in a document units receive.

    The team issues its notice itself, under the committee that formed it: header, symbol
    (TB-ĐKT) and signature ("TM. ĐOÀN KIỂM TRA" / "TRƯỞNG ĐOÀN") are the team's. Its number and
    date are those it was issued with (`lifecycle`, the register of the committee that formed
    the team); until then it is a draft: blank number and date, "DỰ THẢO".
    """
    plan = team.plan
    parent_body, issuer_lines = _team_header(plan, team)
    visits = (
        Visit.objects.filter(team=team)
        .exclude(pk__in=Visit.objects.secret())
        .exclude(status="cancelled")
        .select_related("agency")
        .order_by("date", "start_time")
    )
    blocks = [
        Block(
            BlockStyle.PARAGRAPH,
            f"Thực hiện {plan_reference(plan)} về {plan.summary[:1].lower()}{plan.summary[1:]}"
            + (
                f" và Quyết định số {team.decision_number:02d}/{team.decision_symbol} ngày "
                f"{doc_date(team.decision_date)} của Chủ tịch {plan.issuer.name} về việc thành "
                f"lập {team_title(team)}"
                if team.is_issued
                else ""
            )
            + f", {team.name} thông báo lịch kiểm tra như sau:",
        )
    ]
    for i, visit in enumerate(visits, start=1):
        when = f"{_clock(visit.start_time)}, ngày {doc_date(visit.date)}"
        blocks.append(Block(BlockStyle.ITEM, visit.agency.name, f"{i}."))
        blocks.append(Block(BlockStyle.BULLET, f"Thời gian: {when}.", "-"))
        blocks.append(Block(BlockStyle.BULLET, f"Địa điểm: {visit.place.rstrip('.')}.", "-"))
        if visit.attendees:
            blocks.append(
                Block(BlockStyle.BULLET, f"Thành phần: {_sentence(visit.attendees)}", "-")
            )
        if visit.prepare:
            blocks.append(Block(BlockStyle.BULLET, f"Chuẩn bị: {_sentence(visit.prepare)}", "-"))
    blocks.append(
        Block(
            BlockStyle.PARAGRAPH,
            f"Đề nghị các cơ quan, đơn vị có tên trên chuẩn bị nội dung và bố trí thành phần "
            f"làm việc với {team.name} theo lịch trên./.",
        )
    )
    lead = team.members.filter(role=TeamRole.LEAD).first()
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(team.schedule_number, team.schedule_symbol),
        place_date=nd30_date(plan.place, team.schedule_date if team.schedule_issued else None),
        type_name="THÔNG BÁO",
        summary=f"Lịch kiểm tra công tác cải cách hành chính năm {plan.year} của {team.name}",
        blocks=blocks,
        signature=Signature(["TM. ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN"], lead.full_name if lead else ""),
        recipients=[
            "Các cơ quan, đơn vị có tên trên;",
            "Thành viên Đoàn kiểm tra;",
            archive_line("ĐKT", plan.archive_copies),
        ],
        draft=not team.schedule_issued,
        title=f"TB-lich-kiem-tra-{_team_slug(team)}-{plan.year}",
    )


def _sentence(text: str) -> str:
    """A generated list item ends with exactly one full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _amended(notice) -> str:
    """ "Thông báo số 05/TB-UBND ngày 12/09/2023": the notice an amendment corrects."""
    original = notice.amends
    return f"Thông báo số {original.number_display} ngày {doc_date(original.issued_on)}"


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
                f"Ngày {doc_date(notice.amends.issued_on)}, {plan.issuer.name} đã ban hành "
                f"{cited} kết luận kiểm tra công tác cải cách hành chính tại "
                f"{notice.agency.name}. {plan.issuer.name} điều chỉnh, bổ sung {cited} như sau:",
            )
        ]
        blocks += [
            Block(BlockStyle.PARAGRAPH, _introduces_list(p.strip()))
            for p in notice.summary.splitlines()
            if p.strip()
        ]
        corrections = _lines(notice.corrections)
        if corrections:
            number += 1
            blocks.append(Block(BlockStyle.ITEM, "Nội dung điều chỉnh", f"{number}."))
            blocks += list_items([_clause(line) for line in corrections])
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
                f"Thực hiện {plan_reference(plan)}, Đoàn kiểm tra đã kiểm tra công tác cải cách "
                f"hành chính tại {notice.agency.name}. {plan.issuer.name} thông báo kết luận "
                "như sau:",
            )
        ]
        blocks += [
            Block(BlockStyle.PARAGRAPH, _introduces_list(p.strip()))
            for p in notice.summary.splitlines()
            if p.strip()
        ]
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
        blocks += list_items([f.description for f in chosen])
    recommendations = [r for f in findings for r in f.recommendations.all()]
    if recommendations:
        number += 1
        blocks.append(Block(BlockStyle.ITEM, f"Yêu cầu khắc phục{added}", f"{number}."))
        blocks += list_items(
            [
                f"{_clause(r.text)} ({r.responsible.name}; thời hạn: {doc_date(r.due_date)})"
                for r in recommendations
            ]
        )
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
        recipients=[
            f"{notice.agency.name};",
            "Sở Nội vụ;",
            archive_line(drafting_unit(plan), plan.archive_copies),
        ],
        draft=not issued,
        title=f"TB-ket-luan-{'dcbs-' if notice.amends_id else ''}"
        f"{notice.number or 'du-thao'}-{plan.year}",
    )


def _clause(text: str) -> str:
    """A typed sentence used as a list item or before a parenthesis: no closing punctuation."""
    return " ".join(text.split()).rstrip(" .;,")


def _introduces_list(text: str) -> str:
    """A paragraph that announces what follows ends with a colon: "… như sau:"."""
    stripped = text.rstrip(" .")
    return f"{stripped}:" if stripped.endswith(("như sau", "sau đây", "gồm")) else text


def list_items(texts: list[str], label: str = "-") -> list[Block]:
    """A generated list as Vietnamese documents punctuate it: each item ends with a semicolon,
    the last with a full stop; the first letter as typed."""
    texts = [_clause(t) for t in texts if t.strip()]
    return [
        Block(BlockStyle.BULLET, f"{text}{'.' if i == len(texts) - 1 else ';'}", label)
        for i, text in enumerate(texts)
    ]


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
                    f"{r.responsible.name}; thời hạn: {doc_date(r.due_date)}).",
                    "-",
                )
                for r in finding.recommendations.all()
            ]
    return blocks


def _names_in(text: str, members: list) -> list:
    folded = " ".join(text.split()).casefold()
    return [m for m in members if m.full_name and m.full_name.casefold() in folded]


def _member_line(member) -> str:
    """ "Ông/Bà Lê Văn Hùng, Phó Giám đốc Sở Nội vụ — Trưởng đoàn"."""
    parts = [f"Ông/Bà {member.full_name}"]
    if member.title:
        title = member.title.strip()
        agency = member.agency.name
        parts.append(title if agency.casefold() in title.casefold() else f"{title} {agency}")
    else:
        parts.append(member.agency.name)
    return f"{', '.join(parts)} — {TeamRole(member.role).label}"


def team_present(minutes: Minutes, members: list) -> list[str]:
    """The team's side of "Thành phần", one line a person with title and agency.

    The lines typed in the minutes that name a member of the team are replaced by that member as
    the decision lists them; only the named members were present. When no line names a member
    (e.g. "Các thành viên Đoàn kiểm tra theo Quyết định …"), every member was, and only the
    typed lines that name someone else ("Ông …", "Bà …": an invited officer) are kept."""
    typed = _lines(minutes.team_attendees)
    named = _names_in(minutes.team_attendees, members)
    present = named or members
    lines = [_member_line(m) for m in members if m in present]
    for line in typed:
        if _names_in(line, members):
            continue
        if named or line.casefold().startswith(("ông", "bà")):
            lines.append(line)
    return lines


def unit_present(minutes: Minutes) -> list[str]:
    """The unit's side of "Thành phần" as typed, one line a person; the unit's signer is named
    first when the typed lines do not name him or her."""
    lines = _lines(minutes.unit_attendees)
    signer = minutes.unit_signer_name.strip()
    if signer and signer.casefold() not in minutes.unit_attendees.casefold():
        title = minutes.unit_signer_title.strip()
        lines.insert(0, f"Ông/Bà {signer}{f', {title}' if title else ''}")
    return lines


def minutes_document(minutes: Minutes) -> OfficialDocument:
    """The minutes of a visit (biên bản kiểm tra), signed by both sides.

    Header: the team, under the People's Committee that formed it (see `_team_header`); the number
    is the one the minutes were issued with (dated the visit's day), blank with "DỰ THẢO" before.
    As in the decree's model, the header has no place-and-date line: the time and place open the
    text. "Thành phần" names each person present of both sides; the closing has no recipients:
    the unit's representative signs on the left, the team lead on the right, both named.

    Queries: the minutes' visit, plan, issuer and team as loaded by the caller (select them),
    then the team's members and the findings (three queries), whatever their number.
    """
    visit = minutes.visit
    plan, team, agency = visit.plan, visit.team, visit.agency
    parent_body, issuer_lines = _team_header(plan, team)
    members = members_in_order(team)
    basis = f"Thực hiện {plan_reference(plan)} về {plan.summary[:1].lower()}{plan.summary[1:]}"
    if team.is_issued:
        basis += (
            f"; Quyết định số {team.decision_number:02d}/{team.decision_symbol} ngày "
            f"{doc_date(team.decision_date)} của Chủ tịch {plan.issuer.name} về việc thành lập "
            f"{team_title(team)}"
        )
    preamble = [
        f"{basis}.",
        f"Hôm nay, vào lúc {_clock(visit.start_time)}, ngày {doc_date(visit.date)}, tại "
        f"{visit.place.rstrip('.')}, {team.name} đã tiến hành kiểm tra công tác cải cách hành "
        f"chính năm {plan.year} tại {agency.name}, cụ thể như sau:",
    ]

    sections: list[tuple[str, list[Block]]] = [
        (
            "THÀNH PHẦN",
            [
                Block(BlockStyle.ITEM, "Đoàn kiểm tra", "1."),
                *list_items(team_present(minutes, members)),
                Block(BlockStyle.ITEM, f"Đơn vị được kiểm tra: {agency.name}", "2."),
                *list_items(unit_present(minutes)),
            ],
        ),
        ("NỘI DUNG KIỂM TRA", list_items(_lines(minutes.checked))),
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

    lead = next((m for m in members if m.role == TeamRole.LEAD), None)
    unit_side = ["ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA"]
    if minutes.unit_signer_title.strip():
        unit_side.append(minutes.unit_signer_title.strip().upper())
    return OfficialDocument(
        parent_body=parent_body,
        issuer_lines=issuer_lines,
        number_symbol=number_symbol(minutes.number, minutes.symbol),
        place_date=nd30_date(agency.unit.short_name, visit.date),
        draft=not minutes.is_issued,
        dated=False,
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
