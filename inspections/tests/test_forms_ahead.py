"""Forms that think ahead: a team member from an account alone, the only team preselected, a
recommendation's body chosen from a list with the visited body first and no two equal entries,
the communes of a district limited to the plan's quota."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.forms import RecommendationForm, TeamMemberForm, VisitForm
from inspections.models import TeamMember
from inspections.tests.factories import DAY, target, user
from units.access import scope_for
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db


def test_an_account_alone_gives_name_title_and_agency(team):
    response = client_for("noivu").post(
        reverse("inspections:team-member-add", args=[team.plan.pk, team.pk]),
        {"role": "member", "user": user("truongdoan").pk},
        follow=True,
    )
    assert "Đã thêm Lê Văn Hùng" in response.text
    member = TeamMember.objects.get(team=team, user=user("truongdoan"))
    assert member.full_name == "Lê Văn Hùng"
    assert member.title == "Phó Giám đốc Sở Nội vụ, Trưởng đoàn kiểm tra"
    # The account belongs to today's Sở Nội vụ; the 2023 plan gets the one valid then.
    assert member.agency == agency_by_ref("91/SNV", DAY)


def test_typed_values_win_over_the_account(team):
    form = TeamMemberForm(
        {"role": "member", "user": user("truongdoan").pk, "full_name": "Lê Văn Hùng",
         "title": "Giám đốc", "agency": agency_by_ref("91/STP", DAY).pk},
        province_ids=scope_for(user("noivu")).province_ids,
        day=team.plan.document_date,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Giám đốc"
    assert form.cleaned_data["agency"] == agency_by_ref("91/STP", DAY)


def test_without_account_name_and_agency_are_asked_for_in_vietnamese(team):
    response = client_for("noivu").post(
        reverse("inspections:team-member-add", args=[team.plan.pk, team.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "Ghi họ và tên, hoặc chọn một tài khoản." in response.text
    assert "Chọn cơ quan, hoặc chọn một tài khoản có cơ quan." in response.text
    assert team.members.count() == 1


def test_accounts_are_offered_by_name_and_title(team):
    page = client_for("noivu").get(reverse("inspections:team-detail", args=[team.plan.pk, team.pk]))
    assert "Lê Văn Hùng — Phó Giám đốc Sở Nội vụ, Trưởng đoàn kiểm tra" in page.text
    assert ">truongdoan<" not in page.text


def test_the_only_team_is_preselected(team):
    assert VisitForm(plan=team.plan)["team"].value() == team.pk
    services.team_create(plan=team.plan, name="Đoàn kiểm tra số 2", by=user("noivu"))
    assert VisitForm(plan=team.plan)["team"].value() is None


def test_recommendation_bodies_visited_first_and_never_twice_the_same_label(visit):
    field = RecommendationForm(visit=visit)["responsible"]
    options = [(str(value), label) for value, label in field.field.choices if value != ""]
    assert options[0] == (str(visit.agency_id), visit.agency.name)
    labels = [label for _value, label in options]
    assert len(labels) == len(set(labels))
    assert 'data-searchable="Gõ để tìm đơn vị…"' in str(field)


def test_communes_page_states_the_quota_and_marks_communes_already_in_the_plan(team):
    district = target("908/UBND")
    page = client_for("noivu").get(
        reverse("inspections:communes", args=[team.plan.pk, district.pk])
    )
    quota = team.plan.communes_per_district
    assert f'data-quota="{quota}"' in page.text
    assert f"Còn chọn được {quota} xã." in page.text
    thu_ba = agency_by_ref("30985/UBND", DAY)
    client_for("noivu").post(
        reverse("inspections:communes-choose", args=[team.plan.pk, district.pk]),
        {"agencies": [thu_ba.pk]},
    )
    page = client_for("noivu").get(
        reverse("inspections:communes", args=[team.plan.pk, district.pk])
    )
    assert f"Còn chọn được {quota - 1} xã." in page.text
