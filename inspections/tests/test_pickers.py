"""Pickers offer only the bodies valid on the document's date: a 2024 plan recorded in 2026
chooses among Kiên Giang's bodies, a 2026 plan among An Giang's (`forms.provincial_bodies`)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cchc.test import AG_2026, client_for
from inspections import services
from inspections.models import Plan, PlanStatus
from inspections.tests.factories import seed, user
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db

KG_2024 = datetime.date(2024, 2, 20)


def draft(day: datetime.date) -> Plan:
    return services.plan_create(
        by=user("noivu"),
        issuer=agency_by_ref("91/UBND", day),
        year=day.year,
        place="Rạch Giá" if day < AG_2026 else "An Giang",
        document_date=day,
        summary=f"Kiểm tra công tác cải cách hành chính năm {day.year}",
    )


def offered(form, field: str) -> list[str]:
    """The labels of the choices the page shows ("Sở Tư pháp — Tỉnh Kiên Giang (đến …)")."""
    return [str(label) for value, label in form.fields[field].choices if value != ""]


def provinces(labels: list[str]) -> set[str]:
    return {name for name in ("Kiên Giang", "An Giang") if any(name in lab for lab in labels)}


@pytest.mark.parametrize(
    ("day", "province"), [(KG_2024, "Kiên Giang"), (datetime.date(2026, 3, 2), "An Giang")]
)
def test_the_plan_s_pickers_offer_the_bodies_of_its_date(day, province):
    plan = draft(day)
    page = client_for("noivu").get(reverse("inspections:plan-edit", args=[plan.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    for field in ("issuer", "standing_agency", "team"):
        labels = offered(form, field)
        assert labels, field
        assert provinces(labels) == {province}, (field, labels[:3])
    ubnd = "Ủy ban nhân dân tỉnh " + province
    other = "Ủy ban nhân dân tỉnh " + ({"Kiên Giang", "An Giang"} - {province}).pop()
    issuer_labels = offered(form, "issuer")
    assert any(label.startswith(ubnd) for label in issuer_labels)
    assert not any(label.startswith(other) for label in issuer_labels)


def test_a_new_plan_offers_every_era_labelled_and_a_date_sent_back_its_own():
    client = client_for("noivu")
    # No date chosen yet: the bodies of both eras, each with its period.
    blank = offered(client.get(reverse("inspections:plan-create")).context["form"], "issuer")
    assert provinces(blank) == {"Kiên Giang", "An Giang"}
    assert any("(từ 01/07/2025)" in label for label in blank)
    assert any("(đến 30/06/2025)" in label for label in blank)
    # A 2024 date sent with today's An Giang committee: refused, naming it; the form shown
    # again offers the bodies of 20/02/2024.
    response = client.post(
        reverse("inspections:plan-create"),
        {
            "issuer": agency_by_ref("91/UBND", AG_2026).pk,
            "year": 2024,
            "symbol": "KH-UBND",
            "place": "Rạch Giá",
            "document_date": KG_2024.isoformat(),
            "summary": "Kiểm tra công tác cải cách hành chính năm 2024",
            "self_inspection_threshold": "50",
            "archive_copies": 1,
        },
    )
    assert response.status_code == 200
    assert "không còn hiệu lực ngày 20/02/2024" in response.text
    assert not Plan.objects.filter(year=2024, summary__endswith="năm 2024").exists()
    # Both provinces An Giang's staff keep, as they were then: nothing of the merged province.
    shown = offered(response.context["form"], "issuer")
    assert provinces(shown) == {"Kiên Giang", "An Giang"}
    assert all("(đến " in label for label in shown), shown[:3]


def test_the_team_s_member_agencies_are_those_of_the_plan_s_date():
    plan = draft(KG_2024)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED, number=5)  # teams: issued
    plan.refresh_from_db()
    team = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=user("noivu"))
    page = client_for("noivu").get(reverse("inspections:team-detail", args=[plan.pk, team.pk]))
    labels = [str(label) for value, label in page.context["member_form"].fields["agency"].choices]
    assert provinces([label for label in labels if label != "---------"]) == {"Kiên Giang"}


def test_the_seed_plan_s_amendment_offers_2023_team_agencies():
    amendment = services.amendment_start(plan=seed(), by=user("noivu"))
    page = client_for("noivu").get(reverse("inspections:amendment-detail", args=[amendment.pk]))
    assert provinces(offered(page.context["form"], "team")) == {"Kiên Giang"}
