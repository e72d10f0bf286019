"""A synthetic province: the province, its communes (no districts: the two-tier model of July
2025), its People's Committees and departments, its people, and the documents its plans cite."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from devtools.synthetic.base import Params, Writer, at, province_code
from devtools.synthetic.words import (
    DEPARTMENTS,
    PLACE_FIRST,
    PLACE_SECOND,
    REPORTING_DEPARTMENTS,
)
from inspections.models import LegalDocument
from units.models import AdministrativeUnit, Agency, Level, Membership, Role
from units.text import fold


@dataclass
class Province:
    """What the rounds of a province draw on."""

    unit: AdministrativeUnit
    committee: Agency
    departments: dict[str, Agency]
    commune_committees: list[Agency]
    staff: object
    leader: object
    team_user: object
    reporters: dict[int, object]  # agency pk → its reporter's account
    programme: LegalDocument | None = None
    year_plans: dict[int, LegalDocument] = field(default_factory=dict)


def province_build(writer: Writer, number: int, params: Params) -> Province:
    unit, communes = _units(writer, number, params)
    committee, departments, commune_committees = _agencies(writer, unit, communes)
    province = Province(unit, committee, departments, commune_committees, *_people(
        writer, unit, committee, departments, commune_committees, params
    ))  # fmt: skip
    _legal_documents(writer, province, params)
    return province


def committee_of(unit: AdministrativeUnit, province: AdministrativeUnit) -> Agency:
    """The unit's People's Committee, named as `units.services.unit_committee_ensure` names it."""
    label = str(AdministrativeUnit.Kind(unit.kind).label).lower()
    name = f"Ủy ban nhân dân {label} {unit.short_name}"
    return Agency(
        code="UBND",
        name=name,
        short_name=unit.short_name,
        abbreviation="UBND",
        kind=Agency.Kind.COMMITTEE,
        unit=unit,
        province=province,
        search_name=fold(name),
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )


def _units(writer: Writer, number: int, params: Params):
    rng = writer.rng
    name = f"Tỉnh Thử nghiệm {number:02d}"
    province = AdministrativeUnit(
        code=province_code(number),
        name=name,
        short_name=name.removeprefix("Tỉnh "),
        level=Level.PROVINCE,
        kind=AdministrativeUnit.Kind.TINH,
        note=params.note(),
        search_name=fold(name),
    )
    writer.bulk([province])
    places = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(places)
    communes = []
    for i in range(writer.scaled(92, 108)):
        short = places[i % len(places)]
        if i >= len(places):
            short += f" {i // len(places) + 1}"
        kind = AdministrativeUnit.Kind.PHUONG if rng.random() < 0.2 else AdministrativeUnit.Kind.XA
        full = f"{AdministrativeUnit.Kind(kind).label} {short}"
        communes.append(
            AdministrativeUnit(
                code=f"{province.code}X{i + 1:04d}",
                name=full,
                short_name=short,
                level=Level.COMMUNE,
                kind=kind,
                parent=province,
                province=province,
                search_name=fold(full),
            )
        )
    writer.bulk(communes)
    return province, communes


def _agencies(writer: Writer, province, communes):
    committee = committee_of(province, province)
    departments = {
        code: Agency(
            code=code,
            name=name,
            short_name=short,
            abbreviation=code,
            kind=kind,
            unit=province,
            province=province,
            search_name=fold(name),
        )
        for code, name, short, kind, _parent in DEPARTMENTS
    }
    writer.bulk([committee, *departments.values()])
    children = []
    for code, *_rest, parent in DEPARTMENTS:
        if parent:
            departments[code].parent = departments[parent]
            children.append(departments[code])
    Agency.objects.bulk_update(children, ["parent"])
    commune_committees = writer.bulk([committee_of(unit, province) for unit in communes])
    return committee, departments, commune_committees


def _people(writer: Writer, province, committee, departments, commune_committees, params):
    """A staff member, a leader and a team member of the province, and reporters of a few
    departments and communes. Passwords are unusable: the benchmark signs in with
    `force_login`, and nobody signs in as an invented person."""
    User = get_user_model()
    prefix = province.code.lower()
    joined = at(datetime.date(params.first_year, 1, 2))
    roles = [
        ("noivu", Role.STAFF, departments["SNV"], "Chuyên viên Phòng Cải cách hành chính"),
        ("lanhdao", Role.LEADER, committee, "Phó Chủ tịch Ủy ban nhân dân tỉnh"),
        ("doan", Role.TEAM, departments["SNV"], "Phó Giám đốc Sở Nội vụ"),
    ]
    for code in REPORTING_DEPARTMENTS:
        roles.append(
            (f"bc-{code.lower()}", Role.REPORTER, departments[code], "Chuyên viên văn phòng")
        )
    step = max(1, len(commune_committees) // max(1, round(5 * writer.scale)))
    for agency in commune_committees[::step]:
        suffix = f"bc-{agency.unit.code.removeprefix(province.code).lower()}"
        roles.append((suffix, Role.REPORTER, agency, "Công chức Văn phòng - Thống kê"))
    users, memberships = [], []
    for suffix, role, agency, title in roles:
        last, first = writer.person()
        user = User(
            username=f"{prefix}-{suffix}",
            first_name=first,
            last_name=last,
            password=make_password(None),
            date_joined=joined,
        )
        users.append(user)
        memberships.append(
            Membership(user=user, role=role, province=province, agency=agency, title=title)
        )
    writer.bulk(users)
    writer.bulk(memberships)
    reporters = {m.agency.pk: m.user for m in memberships if m.role == Role.REPORTER}
    return users[0], users[1], users[2], reporters


def _legal_documents(writer: Writer, province: Province, params: Params) -> None:
    """The programme of NQ 76/NQ-CP and each year's provincial CCHC plan, cited as bases."""
    rng = writer.rng
    province.programme = LegalDocument(
        province=province.unit,
        kind=LegalDocument.Kind.RESOLUTION,
        number="76",
        symbol="NQ-CP",
        issued_on=datetime.date(2021, 7, 15),
        issuer_name="Chính phủ",
        title="ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 – 2030",
    )
    for year in range(params.first_year, params.first_year + params.years):
        province.year_plans[year] = LegalDocument(
            province=province.unit,
            kind=LegalDocument.Kind.PLAN,
            number=str(rng.randint(250, 330)),
            symbol="KH-UBND",
            issued_on=writer.workday(datetime.date(year - 1, 12, rng.randint(10, 22))),
            issuer_name="Ủy ban nhân dân tỉnh",
            title=f"về công tác cải cách hành chính (CCHC) năm {year}",
        )
    writer.bulk([province.programme, *province.year_plans.values()])
