"""The national registry from `vietnam-provinces`: counts of both eras, successor links against the
library's conversion table, what the product already holds, corrections and newer releases.

Runs on SQLite and on PostgreSQL (`DATABASE_URL=postgres:///… pytest units/tests/test_national.py`).
"""

from __future__ import annotations

import copy
import datetime
import io

import pytest
import vietnam_provinces as vp
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import KG_2023, client_for, unit
from units.models import AdministrativeUnit, Agency, Level, UnitSuccession
from units.national import (
    AFTER,
    AFTER_DEPARTMENTS,
    BEFORE,
    BEFORE_DEPARTMENTS,
    UnitSpec,
    national_registry_load,
    registry_from_library,
)
from units.tests.test_views import SESSION_OVERHEAD

pytestmark = pytest.mark.django_db

BEFORE_DAY = datetime.date(2025, 6, 30)
AFTER_DAY = datetime.date(2026, 1, 1)


def _valid(day, level):
    return AdministrativeUnit.objects.valid_on(day).filter(level=level)


def _codes(units) -> set[str]:
    return {u.code for u in units}


def test_counts_of_both_eras(national_registry):
    assert _valid(AFTER_DAY, Level.PROVINCE).count() == 34
    assert _valid(AFTER_DAY, Level.COMMUNE).count() == 3321
    assert not _valid(AFTER_DAY, Level.DISTRICT).exists()
    assert _valid(BEFORE_DAY, Level.PROVINCE).count() == 63
    assert _valid(BEFORE_DAY, Level.DISTRICT).count() == 696
    assert _valid(BEFORE_DAY, Level.COMMUNE).count() == 10051
    # Every unit, hand-made or generated, has its People's Committee.
    assert Agency.objects.filter(kind=Agency.Kind.COMMITTEE).count() == (
        AdministrativeUnit.objects.count()
    )


def test_province_91_and_kien_giang(national_registry):
    an_giang = unit("91", AFTER_DAY)
    assert _valid(AFTER_DAY, Level.COMMUNE).filter(province=an_giang).count() == 102
    kien_giang = unit("91", BEFORE_DAY)
    assert _valid(BEFORE_DAY, Level.DISTRICT).filter(province=kien_giang).count() == 15
    assert _valid(BEFORE_DAY, Level.COMMUNE).filter(province=kien_giang).count() == 143
    # The hand-made records are the ones in use; the load added none beside them.
    assert not AdministrativeUnit.objects.filter(province=kien_giang).exclude(source="").exists()


def test_ba_dinh_district_went_to_eight_wards(national_registry):
    ba_dinh = unit("001", KG_2023)
    assert (ba_dinh.name, ba_dinh.parent.name) == ("Quận Ba Đình", "Thành phố Hà Nội")
    names = {u.name for u in ba_dinh.successors.all()}
    assert {"Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"} <= names
    assert len(names) == 8
    library = {w.ward.name for w in vp.Ward.search_from_legacy_district(code=1)}
    assert names == library


SAMPLE = (4, 16, 19, 157, 3898, 26734, 30985, 32245)


@pytest.mark.parametrize("old", SAMPLE)
def test_commune_successors_follow_the_conversion_table(national_registry, old):
    """A partly merged commune has several successors (16: Ba Đình and Ngọc Hà; 19: four)."""
    table = {f"{w.ward.code.value:05d}" for w in vp.Ward.search_from_legacy(code=old)}
    assert _codes(unit(f"{old:05d}", BEFORE_DAY).successors.all()) == table


def test_island_districts_became_special_zones(national_registry):
    con_dao = AdministrativeUnit.objects.get(code="755", valid_to=BEFORE_DAY)
    assert [u.name for u in con_dao.successors.all()] == ["Đặc khu Côn Đảo"]


def test_merged_provinces_are_the_lineage_of_the_new_one(national_registry):
    lam_dong = unit("68", AFTER_DAY)
    assert {u.name for u in lam_dong.predecessors.all()} == {
        "Tỉnh Lâm Đồng",
        "Tỉnh Đắk Nông",
        "Tỉnh Bình Thuận",
    }
    lineage = AdministrativeUnit.objects.lineage_ids(lam_dong)
    assert unit("67", BEFORE_DAY).pk in lineage and unit("60", BEFORE_DAY).pk in lineage
    # Cà Mau, shipped alone, now has its predecessors too (Cà Mau and Bạc Liêu).
    assert _codes(unit("96", AFTER_DAY).predecessors.all()) == {"96", "95"}


def test_a_second_run_changes_nothing(national_registry):
    snapshot = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        UnitSuccession.objects.count(),
    )
    report = national_registry_load()
    assert not report.changed
    assert report.conflicts == report.differs == report.history == []
    assert snapshot == (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        UnitSuccession.objects.count(),
    )


def test_reloading_the_fixtures_keeps_the_national_links(national_registry):
    """`make run` loads the fixtures again before the national registry: the links the load
    added to hand-made units (former An Giang's communes, former Cà Mau and Bạc Liêu) stay."""
    links = UnitSuccession.objects.count()
    call_command("load_reference_data", stdout=io.StringIO())
    assert UnitSuccession.objects.count() == links
    assert _codes(unit("96", AFTER_DAY).predecessors.all()) == {"96", "95"}
    assert not national_registry_load().changed


def test_the_product_records_the_library_lacks_are_kept(national_registry):
    names = [unit("30742", day).name for day in (KG_2023, datetime.date(2025, 1, 4), AFTER_DAY)]
    assert names == ["Phường Vĩnh Bảo", "Phường Vĩnh Thanh Vân", "Phường Rạch Giá"]
    assert national_registry.differs == []
    assert national_registry.kept == 264  # the hand-made fixtures' codes


def test_corrections_are_left_alone_and_listed(national_registry, capsys):
    """A unit renamed, a department changed and a successor link removed by an administrator
    stay as they are; the unit is listed as a conflict with its code."""
    commune = unit("00004", AFTER_DAY)
    assert commune.is_generated
    commune.name = "Phường Ba Đình (đã sửa)"
    commune.save()
    office = Agency.objects.get(unit=unit("40", AFTER_DAY), code="VPUBND")
    office.short_name = "Văn phòng"
    office.save()
    link = UnitSuccession.objects.filter(successor=unit("00008", AFTER_DAY))
    removed = link.first()
    removed.delete()
    call_command("load_national_registry")
    out = capsys.readouterr().out
    assert "Xung đột" in out and "00004 Phường Ba Đình" in out
    assert "0 cơ quan cập nhật" in out and "0 quan hệ kế thừa mới" in out
    assert unit("00004", AFTER_DAY).name == "Phường Ba Đình (đã sửa)"
    office.refresh_from_db()
    assert office.short_name == "Văn phòng"
    assert not UnitSuccession.objects.filter(
        predecessor=removed.predecessor_id, successor=removed.successor_id
    ).exists()


def _newer_release():
    """The current library as a later release would describe it: a renamed commune, one gone,
    one new, and a correction of the legacy list."""
    registry = copy.deepcopy(registry_from_library())
    registry.release = "vietnam-provinces 2027.1.0"
    registry.data_date = datetime.date(2027, 1, 15)
    units = registry.units
    renamed = units[(AFTER, "00004")]
    units[(AFTER, "00004")] = UnitSpec(**{**renamed.__dict__, "name": "Phường Ba Đình Mới"})
    del units[(AFTER, "00008")]
    units[(AFTER, "99999")] = UnitSpec(AFTER, "99999", "Xã Thử Nghiệm", Level.COMMUNE, "xa", "01")
    old = units[(BEFORE, "00001")]
    units[(BEFORE, "00001")] = UnitSpec(**{**old.__dict__, "name": "Phường Phúc Xá Mới"})
    return registry


def test_a_newer_release_records_what_changed_from_a_date(national_registry):
    day = datetime.date(2027, 1, 1)
    report = national_registry_load(registry=_newer_release(), changes_from=day)
    assert report.renamed == ["00004 “Phường Ba Đình” → “Phường Ba Đình Mới”"]
    assert report.ended == ["00008 Phường Ngọc Hà"]
    assert report.added == ["99999 Xã Thử Nghiệm (sau 01/07/2025)"]
    assert report.history == ["00001 “Phường Phúc Xá” → “Phường Phúc Xá Mới”"]
    before, after = day - datetime.timedelta(days=1), day
    assert unit("00004", before).name == "Phường Ba Đình"
    assert unit("00004", after).name == "Phường Ba Đình Mới"
    assert unit("00004", after).predecessors.get() == unit("00004", before)
    assert unit("00004", after).agencies.get().name == "Ủy ban nhân dân phường Ba Đình Mới"
    assert unit("00004", before).agencies.get().valid_to == before
    assert unit("00008", before).valid_to == before
    assert not AdministrativeUnit.objects.valid_on(after).filter(code="00008").exists()
    assert unit("99999", after).valid_from == day
    assert unit("00001", KG_2023).name == "Phường Phúc Xá"  # history is not rewritten
    # The same release again changes nothing more.
    assert not national_registry_load(registry=_newer_release(), changes_from=day).changed


def _departments(province) -> dict[str, Agency]:
    return {
        a.code: a for a in Agency.objects.filter(unit=province).exclude(kind=Agency.Kind.COMMITTEE)
    }


def test_every_province_has_the_standard_departments(national_registry):
    nghe_an = _departments(unit("40", AFTER_DAY))
    assert set(nghe_an) == {d.code for d in AFTER_DEPARTMENTS}
    assert all(a.is_generated for a in nghe_an.values())
    assert nghe_an["TTPVHCC"].parent == nghe_an["VPUBND"]
    former = _departments(unit("40", BEFORE_DAY))
    assert set(former) == {d.code for d in BEFORE_DEPARTMENTS}
    assert former["SKHĐT"].valid_to == datetime.date(2025, 2, 28)
    assert former["SKHĐT"].merged_into == former["STC"]
    assert former["STNMT"].merged_into == former["SNNMT"]
    assert former["SNV"].merged_into == nghe_an["SNV"]
    hanoi = _departments(unit("01", AFTER_DAY))
    assert hanoi["TTr"].name == "Thanh tra thành phố"
    assert unit("01", AFTER_DAY).agencies.get(code="UBND").name == (
        "Ủy ban nhân dân thành phố Hà Nội"
    )


def test_merged_provinces_departments_go_to_the_new_province(national_registry):
    dak_nong = _departments(unit("67", BEFORE_DAY))
    lam_dong = _departments(unit("68", AFTER_DAY))
    assert dak_nong["SNV"].merged_into == lam_dong["SNV"]
    # Former An Giang's departments go to new An Giang's hand-made list.
    an_giang = _departments(unit("89", BEFORE_DAY))
    assert an_giang["SNV"].merged_into.province == unit("91", AFTER_DAY)
    assert not an_giang["SNV"].merged_into.is_generated


def test_hand_made_department_lists_are_kept(national_registry):
    """Kiên Giang and new An Giang keep their checked lists (see fixtures/README.md); Cà Mau,
    shipped with its Sở Nội vụ only, gets the rest of the standard list."""
    kien_giang = _departments(unit("91", KG_2023))
    assert not any(a.is_generated for a in kien_giang.values())
    assert "SVHTTDL" not in kien_giang  # it had Sở Văn hóa và Thể thao and Sở Du lịch
    standard = {d.code for d in BEFORE_DEPARTMENTS}
    assert standard - set(kien_giang) == {"SVHTTDL"}
    assert set(kien_giang) - standard == {"SVHTT", "SDL", "SNgV", "BDT", "SDTTG"}
    an_giang = _departments(unit("91", AFTER_DAY))
    assert not any(a.is_generated for a in an_giang.values())
    assert set(an_giang) - {d.code for d in AFTER_DEPARTMENTS} == {"SDTTG"}
    ca_mau = _departments(unit("96", AFTER_DAY))
    assert set(ca_mau) == {d.code for d in AFTER_DEPARTMENTS}
    assert not ca_mau["SNV"].is_generated and ca_mau["STP"].is_generated


def test_pages_keep_their_query_counts_at_national_scale(national_registry):
    """The directory's pinned query counts (test_views.py) hold with the whole country loaded,
    and the admin's lists stay small (their province filter lists the provinces in use only)."""
    client = client_for("noivu")
    for name in ("units:unit-list", "units:agency-list"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), {"on": "2023-06-01"}).status_code == 200
        assert len(queries) == 6 + SESSION_OVERHEAD
    admin = client_for("admin")
    for url in ("/admin/units/administrativeunit/", "/admin/units/agency/"):
        response = admin.get(url)
        assert response.status_code == 200 and len(response.content) < 500_000
