"""The shipped registry: counts, validity, successors and scoping across the 2025 reform."""

from __future__ import annotations

import datetime

import pytest

from cchc.test import AG_2026, KG_2023, unit
from units.models import AdministrativeUnit, Agency, Level, Membership

pytestmark = pytest.mark.django_db


def _in_province(province, day):
    return AdministrativeUnit.objects.valid_on(day).filter(province=province)


def test_kien_giang_2023_has_15_districts_and_144_communes():
    kien_giang = unit("91", KG_2023)
    assert kien_giang.name == "Tỉnh Kiên Giang"
    assert _in_province(kien_giang, KG_2023).filter(level=Level.DISTRICT).count() == 15
    assert _in_province(kien_giang, KG_2023).filter(level=Level.COMMUNE).count() == 144
    kinds = dict(
        _in_province(kien_giang, KG_2023).filter(level=Level.DISTRICT).values_list("code", "kind")
    )
    assert kinds["899"] == kinds["900"] == kinds["911"] == "thanh_pho"
    assert kinds["908"] == "huyen"


def test_new_an_giang_has_102_communes_and_no_districts():
    an_giang = unit("91", AG_2026)
    assert an_giang.name == "Tỉnh An Giang"
    units = _in_province(an_giang, AG_2026)
    assert units.filter(level=Level.COMMUNE).count() == 102
    assert not units.filter(level=Level.DISTRICT).exists()
    by_kind = {k: units.filter(kind=k).count() for k in ("xa", "phuong", "dac_khu")}
    assert by_kind == {"xa": 85, "phuong": 14, "dac_khu": 3}


def test_province_code_91_means_two_provinces():
    assert unit("91", KG_2023).name == "Tỉnh Kiên Giang"
    assert unit("91", AG_2026).name == "Tỉnh An Giang"
    assert not AdministrativeUnit.objects.valid_on(datetime.date(2025, 7, 1)).filter(
        code="91", valid_to__isnull=False
    )


def test_ward_code_30742_meant_three_wards():
    names = [unit("30742", day).name for day in (KG_2023, datetime.date(2025, 1, 4), AG_2026)]
    assert names == ["Phường Vĩnh Bảo", "Phường Vĩnh Thanh Vân", "Phường Rạch Giá"]


# The seed's districts and their successors (shared domain notes, seed-district-successors).
SEED_DISTRICT_SUCCESSORS = {
    "913": {"31012", "31027"},
    "910": {"31051", "31064", "31069"},
    "908": {"30985", "30988", "31006"},
    "914": {"30793", "30796"},
    "902": {"30766", "30787", "30790", "30811", "30814"},
    "899": {"30742", "30760"},
    "911": {"31078", "31105"},
}


@pytest.mark.parametrize(("district", "successors"), SEED_DISTRICT_SUCCESSORS.items())
def test_seed_district_successors(district, successors):
    found = unit(district, KG_2023).successors.all()
    assert {u.code for u in found} == successors
    assert all(u.valid_from == datetime.date(2025, 7, 1) for u in found)


def test_every_former_kien_giang_unit_has_a_successor():
    kien_giang = unit("91", KG_2023)
    former = AdministrativeUnit.objects.filter(
        province=kien_giang, valid_to=datetime.date(2025, 6, 30)
    )
    assert former.count() == 15 + 142 + 1  # two 2023 wards ended in 2024, replaced by one
    assert not former.filter(successors__isnull=True).exists()
    assert unit("91", KG_2023).successors.get() == unit("91", AG_2026)


def test_thi_tran_thu_ba_went_to_xa_an_bien():
    thu_ba = unit("30985", KG_2023)
    assert thu_ba.name == "Thị trấn Thứ Ba"
    assert thu_ba.parent.name == "Huyện An Biên"
    assert [u.name for u in thu_ba.successors.all()] == ["Xã An Biên"]
    assert set(unit("30985", AG_2026).predecessors.values_list("name", flat=True)) == {
        "Thị trấn Thứ Ba",
        "Xã Hưng Yên",
        "Xã Đông Yên",
        "Huyện An Biên",
    }


def test_search_is_accent_insensitive_and_dated():
    assert list(AdministrativeUnit.objects.search("an bien").valid_on(KG_2023)) == [
        unit("908", KG_2023)
    ]
    assert list(AdministrativeUnit.objects.search("AN BIÊN").valid_on(AG_2026)) == [
        unit("30985", AG_2026)
    ]
    assert AdministrativeUnit.objects.search("dong thai").valid_on(AG_2026).get().code == "31006"


def test_every_unit_has_its_peoples_committee():
    assert Agency.objects.filter(kind=Agency.Kind.COMMITTEE).count() == (
        AdministrativeUnit.objects.count()
    )
    committee = Agency.objects.get(kind=Agency.Kind.COMMITTEE, unit=unit("908", KG_2023))
    assert committee.name == "Ủy ban nhân dân huyện An Biên"
    assert committee.valid_to == datetime.date(2025, 6, 30)


def test_kien_giang_agencies_and_their_mergers():
    kg = Agency.objects.filter(province=unit("91", KG_2023)).exclude(kind=Agency.Kind.COMMITTEE)
    assert kg.valid_on(KG_2023).filter(parent__isnull=True).count() == 20
    assert kg.valid_on(datetime.date(2025, 4, 1)).filter(parent__isnull=True).count() == 14
    planning = kg.get(abbreviation="SKHĐT")
    assert planning.merged_into.name == "Sở Tài chính"
    assert planning.merged_into.merged_into.province == unit("91", AG_2026)
    merged = kg.get(abbreviation="STNMT").merged_into
    assert merged.name == "Sở Nông nghiệp và Môi trường"
    assert set(merged.absorbed.values_list("abbreviation", flat=True)) == {"STNMT", "SNNPTNT"}
    assert kg.get(abbreviation="TTPVHCC").parent.abbreviation == "VPUBND"


def test_lineage_of_new_an_giang_includes_kien_giang():
    lineage = AdministrativeUnit.objects.lineage_ids(unit("91", AG_2026))
    assert unit("91", KG_2023).pk in lineage
    assert unit("89", KG_2023).pk in lineage
    assert AdministrativeUnit.objects.lineage_ids(unit("91", KG_2023)) == {unit("91", KG_2023).pk}


def test_an_agency_carries_on_what_was_merged_into_it_and_the_communes_it_was_formed_from():
    """`Agency.objects.lineage`: departments through every merger, a commune's committee through
    the communes (not the district) its unit succeeded, the province through the provinces."""
    committee = Agency.Kind.COMMITTEE
    planning = Agency.objects.get(province=unit("91", KG_2023), abbreviation="SKHĐT")
    finance = planning.merged_into.merged_into
    xa_an_bien = Agency.objects.get(kind=committee, unit=unit("30985", AG_2026))
    province = Agency.objects.get(kind=committee, unit=unit("91", AG_2026))
    ids = [finance.pk, xa_an_bien.pk, province.pk]
    lineage = Agency.objects.lineage(ids, ended_before=AG_2026)
    assert {planning.pk, planning.merged_into.pk} <= lineage.of(finance.pk)
    communes = Agency.objects.filter(
        kind=committee, unit__in=unit("30985", AG_2026).predecessors.filter(level=Level.COMMUNE)
    )
    assert lineage.of(xa_an_bien.pk) == {xa_an_bien.pk, *communes.values_list("pk", flat=True)}
    assert {lineage.names[pk] for pk in lineage.predecessors[xa_an_bien.pk]} == {
        "Ủy ban nhân dân thị trấn Thứ Ba", "Ủy ban nhân dân xã Hưng Yên",
        "Ủy ban nhân dân xã Đông Yên",
    }  # fmt: skip
    before_reform = [unit("91", KG_2023), unit("89", KG_2023)]
    old_provinces = Agency.objects.filter(kind=committee, unit__in=before_reform)
    assert set(old_provinces.values_list("pk", flat=True)) <= lineage.of(province.pk)
    # A predecessor named as the agency is (Kiên Giang's Sở Tài chính) is named with its province.
    assert lineage.names[planning.merged_into.pk] == "Sở Tài chính (Tỉnh Kiên Giang)"
    # Before the mergers nothing had ended: each agency is its own lineage.
    early = Agency.objects.lineage(ids, ended_before=datetime.date(2025, 1, 1))
    assert all(early.of(pk) == {pk} for pk in ids)


def test_demo_memberships():
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "noivu": "staff",
        "lanhdao": "leader",
        "truongdoan": "team",
        "doanvien": "team",
        "tuphap": "reporter",
        "anbien": "reporter",
        "thuba": "reporter",
        "camau": "staff",
    }
    assert Membership.objects.get(user__username="anbien").agency.name == (
        "Ủy ban nhân dân huyện An Biên"
    )
    assert Membership.objects.get(user__username="thuba").agency.unit.name == "Thị trấn Thứ Ba"
    assert Membership.objects.get(user__username="tuphap").agency.valid_to == datetime.date(
        2025, 6, 30
    )
