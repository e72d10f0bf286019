"""Plans of any province on the national registry: a Nghệ An staff member builds a 2026 plan through
the pages; a 2024 plan of Lâm Đồng, or of Đắk Nông (merged into Lâm Đồng), copied to 2026 has its
districts replaced by the communes that succeeded them, in the new province."""

from __future__ import annotations

import datetime

import pytest
import vietnam_provinces as vp
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.test import client_for, unit
from inspections import services
from inspections.models import Plan
from units.models import Agency, Level, Membership, Role

pytestmark = pytest.mark.django_db

Y2024, Y2026 = datetime.date(2024, 3, 1), datetime.date(2026, 2, 1)


def _staff(username: str, province_code: str):
    province = unit(province_code, Y2026)
    user = get_user_model().objects.create_user(username)
    Membership.objects.create(
        user=user,
        role=Role.STAFF,
        province=province,
        agency=Agency.objects.get(unit=province, code="SNV"),
    )
    return user


def _agency(unit_code: str, code: str, day: datetime.date) -> Agency:
    return Agency.objects.valid_on(day).get(unit=unit(unit_code, day), code=code)


def test_a_nghe_an_staff_member_builds_a_2026_plan(national_registry):
    _staff("nghean-noivu", "40")
    client = client_for("nghean-noivu")
    issuer = _agency("40", "UBND", Y2026)
    form = client.get(reverse("inspections:plan-create"))
    assert "Ủy ban nhân dân tỉnh Nghệ An" in form.text
    assert "Ủy ban nhân dân tỉnh An Giang" not in form.text
    data = {
        "issuer": issuer.pk,
        "year": 2026,
        "symbol": "KH-UBND",
        "place": "Nghệ An",
        "document_date": Y2026.isoformat(),
        "summary": "Kiểm tra công tác cải cách hành chính năm 2026",
        "self_inspection_threshold": "50",
        "archive_copies": 1,
        "team": [_agency("40", "SNV", Y2026).pk, _agency("40", "STP", Y2026).pk],
    }
    assert client.post(reverse("inspections:plan-create"), data).status_code == 302
    plan = Plan.objects.get(issuer=issuer)
    assert plan.province == unit("40", Y2026) and not plan.three_tier

    url = reverse("inspections:targets-add", args=[plan.pk])
    departments = client.get(url, {"q": "tu phap"})
    assert "Sở Tư pháp" in departments.text
    commune = (
        unit("40", Y2026)
        .agencies.model.objects.filter(
            kind=Agency.Kind.COMMITTEE, unit__level=Level.COMMUNE, province=unit("40", Y2026)
        )
        .order_by("unit__code")
        .first()
    )
    listing = client.get(url, {"q": commune.unit.short_name, "level": "commune"})
    assert commune.name in listing.text
    assert "An Biên" not in client.get(url, {"q": "an bien"}).text
    added = client.post(
        url,
        {
            "agencies": [_agency("40", "STP", Y2026).pk, commune.pk],
            "kind": "inspection",
            "mode": "on_site",
            "announced": "on",
        },
    )
    assert added.status_code == 302
    assert {t.agency for t in plan.targets.all()} == {_agency("40", "STP", Y2026), commune}


def _plan_2024(province_code: str, by, districts: list[str]) -> Plan:
    plan = services.plan_create(
        by=by,
        issuer=_agency(province_code, "UBND", Y2024),
        year=2024,
        place="Đà Lạt",
        document_date=Y2024,
        summary="Kiểm tra công tác cải cách hành chính năm 2024",
        signer_name="Nguyễn Văn A",
    )
    services.plan_targets_add(
        plan=plan,
        agencies=[
            _agency(province_code, "SKHĐT", Y2024),
            *(_agency(code, "UBND", Y2024) for code in districts),
        ],
    )
    return plan


def _library_successors(district: str) -> set[str]:
    found = vp.Ward.search_from_legacy_district(code=int(district))
    return {f"Ủy ban nhân dân {w.ward.name[0].lower()}{w.ward.name[1:]}" for w in found}


@pytest.mark.parametrize(
    ("province", "district"),
    [("68", "672"), ("67", "660")],  # Thành phố Đà Lạt; Thành phố Gia Nghĩa (Đắk Nông)
)
def test_copying_a_2024_plan_to_2026_replaces_districts_by_their_successors(
    national_registry, province, district
):
    staff = _staff(f"lamdong-noivu-{province}", "68")
    source = _plan_2024(province, staff, [district])
    assert unit(district, Y2024).province == unit(province, Y2024)
    plan, notes = services.plan_copy(source=source, year=2026, document_date=Y2026, by=staff)
    lam_dong = unit("68", Y2026)
    assert plan.issuer == _agency("68", "UBND", Y2026) and plan.province == lam_dong
    names = {t.agency.name for t in plan.targets.select_related("agency")}
    communes = _library_successors(district)
    assert len(communes) > 1
    assert names == communes | {"Sở Tài chính"}
    assert all(
        t.agency.province == lam_dong and t.agency.is_valid_on(Y2026)
        for t in plan.targets.select_related("agency__province")
    )
    district_name = unit(district, Y2024).agencies.get(code="UBND").name
    (note,) = [n for n in notes if n.startswith(district_name)]
    # The successors are named with their (new) province.
    assert "tỉnh Lâm Đồng" in note.split("→", 1)[1]
