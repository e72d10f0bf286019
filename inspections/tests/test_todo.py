"""The to-do list of each role's home page (`inspections/todo.py`): every step that waits for
someone is counted on the home page of whoever must take it, and its link opens the list of
exactly those rows; the home page's queries do not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import ConclusionNotice, Recommendation
from inspections.tests.factories import DAY, schedule, user
from inspections.tests.test_remediation import issue_notice, recommend
from units.services import agency_by_ref

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def todos(username: str) -> dict[str, tuple[int, str]]:
    """The user's to-do as {text: (count, url)}."""
    response = client_for(username).get(reverse("home"))
    assert response.status_code == 200
    return {t.text: (t.count, t.url) for t in response.context["todos"]}


def listed(username: str, url: str) -> list:
    response = client_for(username).get(url)
    assert response.status_code == 200
    return list(response.context["page"])


def recorded(visit) -> None:
    """The visit's minutes, and one finding with its recommendation."""
    services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND huyện",
        checked="Hồ sơ một cửa",
    )  # fmt: skip
    recommend(visit)


def submitted_notice(visit) -> ConclusionNotice:
    """The visit recorded and its unit's conclusion notice sent to the leader."""
    recorded(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="Cơ bản đầy đủ.", signer_name="Nguyễn Nhân")
    return notice


# Leaders and staff ------------------------------------------------------------------------------

WAITING_NOTICE = "Thông báo kết luận chờ lãnh đạo duyệt"
NOTICE_TO_ISSUE = "Thông báo kết luận đã duyệt, chờ cấp số ban hành"


def test_the_leader_sees_a_notice_waiting_and_its_link_lists_exactly_it(visit):
    assert WAITING_NOTICE not in todos("lanhdao")
    notice = submitted_notice(visit)
    count, url = todos("lanhdao")[WAITING_NOTICE]
    assert (count, url) == (1, reverse("inspections:conclusion-list") + "?todo=approve")
    assert listed("lanhdao", url) == [notice]
    # Not the staff's step, and not a team member's.
    assert WAITING_NOTICE not in todos("noivu") and WAITING_NOTICE not in todos("doanvien")


def test_once_approved_the_notice_moves_to_the_staff_to_issue(visit):
    notice = submitted_notice(visit)
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    assert WAITING_NOTICE not in todos("lanhdao")
    count, url = todos("noivu")[NOTICE_TO_ISSUE]
    assert count == 1 and listed("noivu", url) == [notice]
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    assert NOTICE_TO_ISSUE not in todos("noivu")


def test_the_leader_sees_a_plan_waiting_and_the_list_is_filtered(visit):
    plan = visit.plan
    plan.status = "submitted"
    plan.save(update_fields=["status"])
    count, url = todos("lanhdao")["Kế hoạch chờ lãnh đạo duyệt"]
    assert count == 1 and listed("lanhdao", url) == [plan]
    # The same list unfiltered, or with a name it does not know, shows every plan.
    assert listed("lanhdao", reverse("inspections:plan-list") + "?todo=nonsense") == listed(
        "lanhdao", reverse("inspections:plan-list")
    )


def test_staff_see_remediation_to_verify_and_deadlines_of_the_week(visit):
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    services.remediation_report(recommendation=recommendation, by=user("anbien"), text="Đã làm")
    count, url = todos("noivu")["Báo cáo khắc phục chờ xác minh"]
    assert count == 1 and listed("noivu", url) == [recommendation]
    services.remediation_verify(
        recommendation=recommendation, by=user("noivu"), done=False, note="Chưa đủ"
    )
    assert "Báo cáo khắc phục chờ xác minh" not in todos("noivu")
    # Judged not remedied: back with the unit.
    count, url = todos("anbien")["Kiến nghị cần báo cáo kết quả khắc phục"]
    assert count == 1 and listed("anbien", url) == [recommendation]
    # (The recommendation is frozen with its notice: its due date moved as a clock would.)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        due_date=datetime.date.today() + datetime.timedelta(days=3)
    )
    count, url = todos("noivu")["Kiến nghị đến hạn khắc phục trong 7 ngày tới"]
    assert count == 1 and listed("noivu", url) == [recommendation]


# Team members -----------------------------------------------------------------------------------


def test_a_team_member_is_led_from_the_visit_to_the_minutes_findings_and_notice(visit):
    count, url = todos("doanvien")["Cuộc kiểm tra đã diễn ra, chưa có biên bản"]
    assert count == 1 and listed("doanvien", url) == [visit]
    services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND huyện",
        checked="Hồ sơ một cửa",
    )  # fmt: skip
    found = todos("doanvien")
    assert "Cuộc kiểm tra đã diễn ra, chưa có biên bản" not in found
    count, url = found["Biên bản chưa ghi kết quả kiểm tra"]
    assert count == 1 and listed("doanvien", url) == [visit]
    recommend(visit)
    count, url = todos("doanvien")["Cuộc kiểm tra chờ dự thảo thông báo kết luận"]
    assert count == 1 and listed("doanvien", url) == [visit]
    services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    assert todos("doanvien") == {}


# Units ------------------------------------------------------------------------------------------


def test_a_unit_sees_its_report_due_then_returned(sent, private_files):
    count, url = todos("anbien")["Báo cáo tự kiểm tra chưa nộp"]
    rows = listed("anbien", url)
    assert count == 1 and [r.agency.name for r in rows] == ["Ủy ban nhân dân huyện An Biên"]
    # Staff see every unit's request due within the week only if the deadline is near (2099).
    assert "Báo cáo tự kiểm tra đến hạn trong 7 ngày tới" not in todos("noivu")


# Query counts -----------------------------------------------------------------------------------


def _home_queries(username: str) -> int:
    client = client_for(username)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def _more_of_everything(team, n: int) -> None:
    """n more visits, each recorded with a finding and its recommendation, the notice waiting."""
    for i, ref in enumerate(["91/STP", "908/UBND"][:n]):
        visit = schedule(team, ref, datetime.date(2024, 3, 4 + i))
        for username in ("doanvien",):
            services.minutes_save(
                visit=visit, by=user(username), team_attendees="Đoàn", unit_attendees="Đơn vị",
                checked="Hồ sơ",
            )  # fmt: skip
        recommend(visit, responsible=agency_by_ref(ref, DAY))


# session, user, membership (scope), lineage, membership with agency, then the page's own
# queries (registry counts, recent plans, the dashboard's figures) and one COUNT per to-do entry:
# leader 3, staff 9, team 5, unit 3.
HOME_QUERIES = {"lanhdao": 18, "noivu": 24, "doanvien": 20, "anbien": 17}


@pytest.mark.parametrize("username", sorted(HOME_QUERIES))
def test_home_query_count_does_not_grow_with_the_data(username, team, sent):
    schedule(team, "908/UBND", datetime.date(2024, 2, 5))
    small = _home_queries(username)
    _more_of_everything(team, 2)
    assert _home_queries(username) == small == HOME_QUERIES[username]
