"""Forms that think ahead: a team member from an account alone, the only team preselected, a
recommendation's body chosen from a list with the visited body first and no two equal entries,
the communes of a district limited to the plan's quota."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.forms import RecommendationForm, TeamMemberForm, VisitForm
from inspections.models import Finding, Recommendation, TeamMember
from inspections.tests.factories import DAY, target, user
from inspections.tests.test_remediation import issue_notice, recommend
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


# Findings and recommendations: changed or removed until their notice is issued -----------------


def _visit_url(name, visit, *more):
    return reverse(f"inspections:{name}", args=[visit.pk, *more])


def test_a_team_member_corrects_a_finding_and_its_recommendation(visit):
    recommendation = recommend(visit)
    finding = recommendation.finding
    member = client_for("doanvien")
    page = member.get(_visit_url("visit-detail", visit))
    assert _visit_url("finding-edit", visit, finding.pk) in page.text
    assert _visit_url("recommendation-delete", visit, recommendation.pk) in page.text
    response = member.post(
        _visit_url("finding-edit", visit, finding.pk),
        {"kind": "shortcoming", "severity": "minor", "description": "Tồn tại: đã sửa lời văn."},
        follow=True,
    )
    assert "Đã sửa kết quả kiểm tra." in response.text
    finding.refresh_from_db()
    assert (finding.description, finding.severity) == ("Tồn tại: đã sửa lời văn.", "minor")
    response = member.post(
        _visit_url("recommendation-edit", visit, recommendation.pk),
        {"finding": finding.pk, "responsible": visit.agency_id, "text": "Công khai xin lỗi.",
         "deadline_kind": "days", "deadline_count": 10},
        follow=True,
    )  # fmt: skip
    assert "Đã sửa kiến nghị." in response.text
    recommendation.refresh_from_db()
    assert recommendation.text == "Công khai xin lỗi."
    assert recommendation.due_date == visit.date + datetime.timedelta(days=10)


def test_removing_a_finding_asks_first_and_names_what_goes_with_it(visit):
    recommendation = recommend(visit)
    finding = recommendation.finding
    member = client_for("doanvien")
    confirm = member.get(_visit_url("finding-delete", visit, finding.pk))
    assert confirm.status_code == 200
    assert "1 kiến nghị của kết quả này" in confirm.text
    assert Finding.objects.filter(pk=finding.pk).exists()  # asking removes nothing
    response = member.post(_visit_url("finding-delete", visit, finding.pk), follow=True)
    assert "Đã xoá." in response.text
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert not Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_bad_input_changes_nothing(visit):
    recommendation = recommend(visit)
    response = client_for("doanvien").post(
        _visit_url("recommendation-edit", visit, recommendation.pk),
        {"finding": recommendation.finding_id, "responsible": visit.agency_id, "text": "Mới",
         "deadline_kind": "date", "deadline_date": "01/01/2020"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Hạn khắc phục trước ngày kiểm tra" in response.text
    recommendation.refresh_from_db()
    assert recommendation.text == "Xin lỗi người dân."


@pytest.mark.usefixtures("private_files")
def test_once_the_notice_is_issued_nothing_is_changed_or_removed(visit):
    recommendation = recommend(visit)
    finding = recommendation.finding
    issue_notice(visit.plan, visit.agency)
    member = client_for("doanvien")
    page = member.get(_visit_url("visit-detail", visit))
    assert _visit_url("finding-edit", visit, finding.pk) not in page.text
    for name, pk in (
        ("finding-edit", finding.pk),
        ("finding-delete", finding.pk),
        ("recommendation-edit", recommendation.pk),
        ("recommendation-delete", recommendation.pk),
    ):
        response = member.post(_visit_url(name, visit, pk), {"description": "x"}, follow=True)
        assert "đã ban hành ngày" in response.text, name
    finding.refresh_from_db()
    assert finding.description == "Tồn tại: Xin lỗi người dân."
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_another_team_and_a_leader_may_not_change_a_finding(visit):
    finding = recommend(visit).finding
    url = _visit_url("finding-edit", visit, finding.pk)
    assert client_for("lanhdao").post(url, {"description": "x"}).status_code == 403
    assert client_for("truongdoan").post(url, {"description": "x"}).status_code == 404
    assert client_for("anbien").get(url).status_code == 404
    finding.refresh_from_db()
    assert finding.description == "Tồn tại: Xin lỗi người dân."


def test_removing_a_section_or_a_target_of_a_draft_plan_asks_first(team):
    plan, _notes = services.plan_copy(
        source=team.plan, year=2024, document_date=datetime.date(2024, 8, 1), by=user("noivu")
    )
    page = client_for("noivu").get(reverse("inspections:plan-detail", args=[plan.pk]))
    assert "data-confirm=" in page.text
    assert "mục con của nó?" in page.text
    assert "khỏi danh sách đối tượng kiểm tra?" in page.text
