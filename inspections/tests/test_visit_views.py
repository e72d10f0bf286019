"""Team, commune and schedule pages: permission matrix, actions, pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import Visit
from inspections.tests.factories import DAY, schedule, target
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db


def urls(team):
    plan = team.plan
    return {
        "teams": reverse("inspections:teams", args=[plan.pk]),
        "team": reverse("inspections:team-detail", args=[plan.pk, team.pk]),
        "communes": reverse("inspections:communes", args=[plan.pk, target("908/UBND").pk]),
        "schedule": reverse("inspections:schedule", args=[plan.pk]),
    }


@pytest.mark.parametrize("page", ["teams", "team", "communes", "schedule"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("anbien", 403), ("tuphap", 403), ("camau", 404)],
)  # fmt: skip
def test_permission_matrix_of_pages(team, page, persona, status):
    assert client_for(persona).get(urls(team)[page]).status_code == status


@pytest.mark.parametrize("page", ["teams", "team", "communes", "schedule"])
def test_anonymous_goes_to_login(team, page):
    assert client_for(None).get(urls(team)[page]).status_code == 302


def test_schedule_form_on_demand(team):
    url = reverse("inspections:schedule", args=[team.plan.pk])
    staff = client_for("noivu")
    page = staff.get(url).text
    # The form names every target and commune of the teams: offered, not built.
    assert 'id="visit-form"' in page and 'id="id_where"' not in page and "?add=1" in page
    form = {"HX-Request": "true", "HX-Target": "visit-form"}
    alone = staff.get(url, {"add": "1"}, headers=form).text
    assert alone.startswith('<div id="visit-form">') and "<html" not in alone
    assert 'id="id_where"' in alone and "Lên lịch" in alone
    whole = staff.get(url, {"add": "1"}).text  # the link without script
    assert "<html" in whole and 'id="id_where"' in whole


@pytest.mark.parametrize(
    ("persona", "status"),
    [("noivu", 200), ("lanhdao", 403), ("truongdoan", 403), ("doanvien", 403),
     ("anbien", 403), ("tuphap", 403), ("camau", 404), (None, 302)],
)  # fmt: skip
def test_schedule_form_permission_matrix(team, persona, status):
    url = reverse("inspections:schedule", args=[team.plan.pk])
    headers = {"HX-Request": "true", "HX-Target": "visit-form"}
    assert client_for(persona).get(url, {"add": "1"}, headers=headers).status_code == status
    assert client_for(persona).get(url, {"add": "1"}).status_code == status
    if persona in ("lanhdao", "doanvien"):  # they read the schedule, without the offer
        assert "?add=1" not in client_for(persona).get(url).text


@pytest.mark.parametrize("name", ["team-member-add", "team-targets", "team-issue", "team-edit"])
@pytest.mark.parametrize(
    ("persona", "status"), [("lanhdao", 403), ("doanvien", 403), ("anbien", 403), ("camau", 404)]
)
def test_only_staff_change_a_team(team, name, persona, status):
    url = reverse(f"inspections:{name}", args=[team.plan.pk, team.pk])
    assert client_for(persona).post(url, {}).status_code == status
    assert client_for("noivu").get(url).status_code == 405


def test_staff_build_a_team_choose_communes_andschedule(team):
    staff = client_for("noivu")
    plan = team.plan
    response = staff.post(
        reverse("inspections:team-member-add", args=[plan.pk, team.pk]),
        {"role": "member", "full_name": "Võ Văn Ba", "title": "Chuyên viên",
         "agency": agency_by_ref("91/STP", DAY).pk},
        follow=True,
    )  # fmt: skip
    assert "Đã thêm Võ Văn Ba" in response.text
    district = target("908/UBND")
    thu_ba = agency_by_ref("30985/UBND", DAY)
    staff.post(
        reverse("inspections:communes-choose", args=[plan.pk, district.pk]),
        {"agencies": [thu_ba.pk]},
    )
    drawn = staff.post(
        reverse("inspections:communes-draw", args=[plan.pk, district.pk]), follow=True
    )
    assert "Đã bốc thăm 1 xã" in drawn.text
    assert district.communes.count() == 2
    response = staff.post(
        reverse("inspections:schedule", args=[plan.pk]),
        {"team": team.pk, "where": f"{district.pk}:{thu_ba.pk}", "date": "2023-09-05",
         "start_time": "08:00", "end_time": "11:00", "place": "UBND thị trấn Thứ Ba",
         "mode": "on_site", "announced": "on"},
        follow=True,
    )  # fmt: skip
    assert "Đã lên lịch kiểm tra Ủy ban nhân dân thị trấn Thứ Ba" in response.text
    clash = staff.post(
        reverse("inspections:schedule", args=[plan.pk]),
        {"team": team.pk, "where": f"{target('91/STP').pk}:{target('91/STP').agency_id}",
         "date": "2023-09-05", "start_time": "10:00", "end_time": "12:00", "place": "Sở Tư pháp",
         "mode": "on_site", "announced": "on"},
        follow=True,
    )  # fmt: skip
    assert "Đoàn đã có lịch" in clash.text
    assert Visit.objects.count() == 2


def test_bad_visit_input_changes_nothing(team):
    response = client_for("noivu").post(
        reverse("inspections:schedule", args=[team.plan.pk]),
        {"team": team.pk, "where": f"{target('91/STP').pk}:{target('91/STP').agency_id}",
         "date": "2023-09-05", "start_time": "12:00", "end_time": "08:00", "place": "x",
         "mode": "on_site"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.text
    assert not Visit.objects.exists()


def test_issue_the_decision_through_the_page(team):
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    response = client_for("noivu").post(
        reverse("inspections:team-issue", args=[team.plan.pk, team.pk]),
        {"document_date": "25/08/2023"},
        follow=True,
    )
    assert "Đã ban hành Quyết định số 01/QĐ-UBND" in response.text


@pytest.mark.parametrize(
    ("persona", "count"), [("doanvien", 1), ("anbien", 1), ("tuphap", 0), ("camau", 0)]
)
def test_my_visits(team, persona, count):
    services.visit_schedule(
        team=team, target=target("908/UBND"), agency=target("908/UBND").agency,
        date=datetime.date(2099, 9, 5), start_time=datetime.time(8), end_time=datetime.time(11),
        place="Hội trường",
    )  # fmt: skip
    response = client_for(persona).get(reverse("inspections:my-visits"))
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("extra", [0, 12])
def test_schedule_query_count(team, extra, settings):
    settings.PAGE_SIZE = 5  # the larger schedule spans pages
    services.communes_draw(
        target=target("908/UBND"), by=get_user_model().objects.get(username="noivu"), seed=7
    )
    for i in range(extra + 1):
        services.visit_schedule(
            team=team, target=target("91/STP"), agency=target("91/STP").agency,
            date=datetime.date(2023, 9, 1) + datetime.timedelta(days=i),
            start_time=datetime.time(8), end_time=datetime.time(11), place="Sở Tư pháp",
        )  # fmt: skip
    client = client_for("noivu")
    url = reverse("inspections:schedule", args=[team.plan.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # session, user, membership, lineage, plan; the visits' section: the plan's teams, the count
    # of each (with their total), the page's keys, the page, the team filter's choices; the form
    # to schedule a visit is loaded on demand (test_schedule_form_on_demand); session refresh (3)
    assert len(queries) == 10 + 3


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_team_decision_document(team):
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    services.team_decision_issue(team=team, day=datetime.date(2023, 8, 15))
    url = reverse("reports:team-decision", args=[team.plan.pk, team.pk, "pdf"])
    text = _pdf_text(client_for("noivu").get(url))
    for expected in ("QUYẾT ĐỊNH", "Số: 01/QĐ-UBND", "Điều 1.", "Phạm Minh Tâm", "Trưởng đoàn",
                     "Kiên Giang, ngày 15 tháng 8 năm 2023", "Nguyễn Thanh Nhân"):  # fmt: skip
        assert expected in text
    docx = client_for("truongdoan").get(
        reverse("reports:team-decision", args=[team.plan.pk, team.pk, "docx"])
    )
    assert docx.status_code == 200
    assert client_for("anbien").get(url).status_code == 403
    assert client_for("camau").get(url).status_code == 404


def test_schedule_notice_lists_announced_visits_only(team):
    common = {"date": datetime.date(2023, 9, 5), "place": "Hội trường"}
    services.visit_schedule(
        team=team, target=target("908/UBND"), agency=target("908/UBND").agency,
        start_time=datetime.time(8), end_time=datetime.time(11), **common,
    )  # fmt: skip
    services.visit_schedule(
        team=team, target=target("91/STP"), agency=target("91/STP").agency,
        start_time=datetime.time(14), end_time=datetime.time(16), announced=False, **common,
    )  # fmt: skip
    url = reverse("reports:schedule-notice", args=[team.plan.pk, team.pk, "pdf"])
    text = _pdf_text(client_for("noivu").get(url))
    assert "THÔNG BÁO" in text and "Ủy ban nhân dân huyện An Biên" in text
    assert "08 giờ, ngày 05/09/2023" in text
    assert "Sở Tư pháp" not in text


def test_month_and_week_calendars(team):
    schedule(team, "908/UBND", datetime.date(2023, 9, 5))
    client = client_for("doanvien")
    month = client.get(reverse("inspections:my-visits"), {"date": "2023-09-01"})
    days = {day: items for week in month.context["weeks"] for day, items in week}
    assert [v.agency.name for v in days[datetime.date(2023, 9, 5)]] == [
        "Ủy ban nhân dân huyện An Biên"
    ]
    week = client.get(reverse("inspections:my-visits"), {"view": "week", "date": "2023-09-07"})
    assert week.context["weeks"][0][0][0] == datetime.date(2023, 9, 4)
    assert "Ủy ban nhân dân huyện An Biên" in week.text


def test_icalendar_feed_and_reset(team):
    schedule(team, "908/UBND", datetime.date(2099, 9, 5))
    schedule(team, "91/STP", datetime.date(2099, 9, 6), announced=False)
    from inspections.models import CalendarFeed

    client_for("anbien").post(reverse("inspections:calendar-feed"))
    token = CalendarFeed.objects.get(user__username="anbien").token
    feed = client_for(None).get(reverse("reports:visits-calendar", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and "huyện An Biên" in body.replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 1  # the unannounced visit stays hidden
    client_for("anbien").post(reverse("inspections:calendar-feed"))
    assert client_for(None).get(reverse("reports:visits-calendar", args=[token])).status_code == 404
    assert (
        client_for(None).get(reverse("reports:visits-calendar", args=["x" * 43])).status_code == 404
    )
    team_feed = services.calendar_feed_for(get_user_model().objects.get(username="doanvien"))
    body = client_for(None).get(reverse("reports:visits-calendar", args=[team_feed.token])).content
    assert body.decode().count("BEGIN:VEVENT") == 2


@pytest.mark.parametrize("extra", [0, 10])
def test_my_visits_query_count(team, extra):
    for i in range(extra + 1):
        schedule(team, "91/STP", datetime.date(2023, 9, 1) + datetime.timedelta(days=i))
    client = client_for("doanvien")
    url = reverse("inspections:my-visits")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"date": "2023-09-01"})
    # session, user, membership, lineage, month's visits, feed, count, counts per status, page,
    # the filter's plans and teams; session refresh (3)
    assert len(queries) == 11 + 3


@pytest.mark.parametrize(
    ("persona", "status"),
    [("noivu", 200), ("lanhdao", 200), ("doanvien", 200), ("truongdoan", 404),
     ("anbien", 404), ("tuphap", 404), ("camau", 404)],
)  # fmt: skip
def test_visit_page_permission_matrix(visit, persona, status):
    # truongdoan is not a member of this team; units see findings only in issued conclusions.
    url = reverse("inspections:visit-detail", args=[visit.pk])
    assert client_for(persona).get(url).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("lanhdao", 403), ("anbien", 404), ("camau", 404)])
@pytest.mark.parametrize("name", ["minutes-save", "finding-add"])
def test_only_the_team_and_staff_record(visit, name, persona, status):
    url = reverse(f"inspections:{name}", args=[visit.pk])
    assert client_for(persona).post(url, {}).status_code == status


def test_team_member_records_minutes_findings_and_recommendations(visit):
    member = client_for("doanvien")
    member.post(
        reverse("inspections:minutes-save", args=[visit.pk]),
        {"team_attendees": "Phạm Minh Tâm", "unit_attendees": "Chủ tịch UBND huyện",
         "checked": "Bộ phận một cửa; 12 hồ sơ trễ hạn"},
    )  # fmt: skip
    visit.refresh_from_db()
    assert visit.status == "done"
    refused = member.post(
        reverse("inspections:finding-add", args=[visit.pk]),
        {"kind": "shortcoming", "description": "Còn 12 hồ sơ trễ hạn chưa xin lỗi."},
        follow=True,
    )
    assert "cần ghi mức độ" in refused.text and not visit.findings.exists()
    member.post(
        reverse("inspections:finding-add", args=[visit.pk]),
        {"kind": "shortcoming", "severity": "moderate",
         "description": "Còn 12 hồ sơ trễ hạn chưa xin lỗi."},
    )  # fmt: skip
    finding = visit.findings.get()
    response = member.post(
        reverse("inspections:recommendation-add", args=[visit.pk]),
        {"finding": finding.pk, "responsible": visit.agency_id,
         "text": "Xin lỗi người dân, rà soát quy trình.",
         "deadline_kind": "working_days", "deadline_count": 15},
        follow=True,
    )  # fmt: skip
    # 15 working days from Monday 5/2/2024 skip Tết (8–14/2) and weekends: 4/3/2024.
    assert "hạn khắc phục 04/03/2024" in response.text
    missing = member.post(
        reverse("inspections:recommendation-add", args=[visit.pk]),
        {
            "finding": finding.pk,
            "responsible": visit.agency_id,
            "text": "x",
            "deadline_kind": "days",
        },
        follow=True,
    )
    assert "Ghi số ngày" in missing.text
    assert finding.recommendations.count() == 1


def test_recommendation_deadlines_in_days_and_dates(visit):
    finding = services.finding_add(
        visit=visit, by=get_user_model().objects.get(username="doanvien"),
        kind="shortcoming", severity="minor", description="x",
    )  # fmt: skip
    days = services.recommendation_add(
        finding=finding, responsible=visit.agency, text="a", deadline_kind="days", deadline_count=30
    )
    assert days.due_date == datetime.date(2024, 3, 6)
    with pytest.raises(Exception, match="trước ngày kiểm tra"):
        services.recommendation_add(
            finding=finding, responsible=visit.agency, text="b", deadline_kind="date",
            deadline_date=datetime.date(2024, 1, 1),
        )  # fmt: skip
    assert days.is_overdue(datetime.date(2024, 3, 7)) and not days.is_overdue(
        datetime.date(2024, 3, 6)
    )


@pytest.mark.parametrize("extra", [1, 8])
def test_visit_page_query_count(visit, extra):
    member = get_user_model().objects.get(username="doanvien")
    for i in range(extra):
        finding = services.finding_add(
            visit=visit, by=member, kind="shortcoming", severity="minor", description=f"Tồn tại {i}"
        )
        services.recommendation_add(
            finding=finding, responsible=visit.agency, text="Khắc phục", deadline_kind="days",
            deadline_count=10,
        )  # fmt: skip
    client = client_for("doanvien")
    url = reverse("inspections:visit-detail", args=[visit.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # session, user, membership, lineage, visit, minutes, team membership, the issued notice
    # that would freeze the visit, findings, recommendations, evidence; the finding form's
    # content areas; the recommendation form's findings and agencies; earlier recommendations
    # to verify (province, lineage, recommendations, targets); session refresh (3)
    assert len(queries) == 18 + 3


@pytest.fixture
def notice(visit):
    finding = services.finding_add(
        visit=visit, by=get_user_model().objects.get(username="doanvien"), kind="shortcoming",
        severity="moderate", description="Còn 12 hồ sơ trễ hạn chưa xin lỗi.",
    )  # fmt: skip
    services.recommendation_add(
        finding=finding, responsible=visit.agency, text="Xin lỗi người dân.",
        deadline_kind="working_days", deadline_count=15,
    )  # fmt: skip
    response = client_for("noivu").post(
        reverse("inspections:conclusion-create", args=[visit.plan.pk]), {"agency": visit.agency_id}
    )
    assert response.status_code == 302
    from inspections.models import ConclusionNotice

    return ConclusionNotice.objects.get(plan=visit.plan, agency=visit.agency)


def test_conclusion_workflow_and_unit_visibility(notice):
    url = reverse("inspections:conclusion-detail", args=[notice.pk])
    assert client_for("anbien").get(url).status_code == 404  # not issued yet
    staff, leader = client_for("noivu"), client_for("lanhdao")
    assert (
        leader.post(reverse("inspections:conclusion-submit", args=[notice.pk])).status_code == 403
    )
    staff.post(
        reverse("inspections:conclusion-submit", args=[notice.pk]),
        {
            "summary": "Đơn vị cơ bản thực hiện tốt.",
            "signer_name": "Nguyễn Thanh Nhân",
            "version": notice.version,
        },
    )
    assert (
        staff.post(reverse("inspections:conclusion-approve", args=[notice.pk])).status_code == 403
    )
    leader.post(reverse("inspections:conclusion-approve", args=[notice.pk]))
    response = staff.post(
        reverse("inspections:conclusion-issue", args=[notice.pk]),
        {"document_date": "01/03/2024"},
        follow=True,
    )
    assert "Đã ban hành" in response.text
    notice.refresh_from_db()
    assert notice.status == "issued" and notice.number == 1
    unit = client_for("anbien").get(url)
    assert unit.status_code == 200 and "Xin lỗi người dân." in unit.text
    assert client_for("tuphap").get(url).status_code == 404
    assert client_for("camau").get(url).status_code == 404
    pdf = client_for("anbien").get(reverse("reports:conclusion-document", args=[notice.pk, "pdf"]))
    text = _pdf_text(pdf)
    assert "THÔNG BÁO" in text and "Số: 01/TB-UBND" in text and "Tồn tại, hạn chế" in text
    listed = client_for("anbien").get(reverse("inspections:conclusion-list")).context["page"]
    assert [n.pk for n in listed] == [notice.pk]


def test_a_conclusion_needs_findings(visit):
    response = client_for("noivu").post(
        reverse("inspections:conclusion-create", args=[visit.plan.pk]),
        {"agency": target("91/STP").agency_id},
        follow=True,
    )
    assert "chưa có kết quả kiểm tra" in response.text


def test_steps_out_of_order_are_refused(notice):
    response = client_for("noivu").post(
        reverse("inspections:conclusion-issue", args=[notice.pk]), follow=True
    )
    assert "đã được lãnh đạo duyệt" in response.text


def test_submitting_a_notice_twice_changes_nothing(notice):
    staff = client_for("noivu")
    url = reverse("inspections:conclusion-submit", args=[notice.pk])
    staff.post(url, {"summary": "Bản gửi duyệt.", "signer_name": "A", "version": notice.version})
    notice.refresh_from_db()
    again = {"summary": "Sửa sau khi gửi.", "signer_name": "B", "version": notice.version}
    refused = staff.post(url, again, follow=True)
    assert "Chỉ gửi duyệt được bản dự thảo" in refused.text
    notice.refresh_from_db()
    assert (notice.summary, notice.signer_name) == ("Bản gửi duyệt.", "A")
