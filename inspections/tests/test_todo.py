"""The to-do list of each role's home page (`inspections/todo.py`): every step that waits for
someone is counted on the home page of whoever must take it, and its link opens the list of
exactly those rows; the home page's queries do not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cchc.test import client_for
from inspections import services, todo
from inspections.models import ConclusionNotice, Recommendation
from inspections.tests.factories import DAY, schedule, user
from inspections.tests.test_remediation import issue_notice, recommend
from reports.exports import FIRST_DATA_ROW
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


# The selection survives the filter form and the downloads -------------------------------------

NO_MINUTES = "Cuộc kiểm tra đã diễn ra, chưa có biên bản"


def filter_form_values(html: str) -> dict[str, str]:
    """What the browser sends when the list's filter form is submitted as it is."""
    document = lxml.html.document_fromstring(html)
    (form,) = document.xpath("//form[@role='search']")
    return dict(form.form_values())


def download_links(html: str) -> list[str]:
    document = lxml.html.document_fromstring(html)
    return [a.get("href") for a in document.xpath("//a") if a.text in ("Tải Excel", "CSV")]


def test_the_filter_form_the_counts_and_the_downloads_keep_the_to_do_selection(team, visit):
    recorded_visit = schedule(team, "91/STP", datetime.date(2024, 2, 6))
    services.minutes_save(
        visit=recorded_visit, by=user("doanvien"), team_attendees="Đoàn",
        unit_attendees="Sở Tư pháp", checked="Hồ sơ",
    )  # fmt: skip
    client = client_for("doanvien")
    everything = client.get(reverse("inspections:my-visits")).context["page"]
    assert {v.pk for v in everything} == {visit.pk, recorded_visit.pk}
    count, url = todos("doanvien")[NO_MINUTES]
    page = client.get(url)
    assert count == 1 and list(page.context["page"]) == [visit]
    # The counts per status above the list are those of the selection.
    assert {c.value: c.count for c in page.context["counts"]} == {"scheduled": 1, "done": 0}

    # The filter form carries the selection: sent as it is, or with another filter, it keeps it.
    sent = filter_form_values(page.text)
    assert sent["todo"] == "minutes"
    again = client.get(reverse("inspections:my-visits"), sent)
    assert list(again.context["page"]) == [visit] and NO_MINUTES in again.text
    assert list(client.get(url, {**sent, "year": "2023"}).context["page"]) == [visit]
    assert list(client.get(url, {**sent, "year": "2030"}).context["page"]) == []
    # …and it is shown as a filter that can be cleared, keeping the others.
    document = lxml.html.document_fromstring(again.text)
    (clear,) = document.xpath("//a[text()='Bỏ lọc việc cần làm']")
    cleared = client.get(reverse("inspections:my-visits") + clear.get("href"))
    assert {v.pk for v in cleared.context["page"]} == {visit.pk, recorded_visit.pk}
    assert "todo" not in cleared.context["request"].GET

    # The downloads of the page hold exactly the selection's rows, named in the title.
    xlsx, csv_link = download_links(page.text)
    sheet = load_workbook(io.BytesIO(client.get(xlsx).content)).active
    assert sheet["A1"].value == f"Lịch kiểm tra (Việc cần làm: {NO_MINUTES})"
    rows = list(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert [r[3] for r in rows] == [visit.agency.name]
    table = list(csv.reader(io.StringIO(client.get(csv_link).content.decode("utf-8-sig"))))
    assert [r[3] for r in table[1:]] == [visit.agency.name]
    # Without the selection the download holds both visits.
    plain = client.get(reverse("reports:visit-export", args=["csv"]))
    assert len(list(csv.reader(io.StringIO(plain.content.decode("utf-8-sig"))))) == 1 + 2


@pytest.mark.parametrize(
    ("listing", "export"),
    [("inspections:plan-list", "reports:plan-list-export"),
     ("inspections:conclusion-list", "reports:conclusion-export"),
     ("requests:request-list", "reports:request-export"),
     ("inspections:recommendation-list", "reports:recommendation-export"),
     ("inspections:my-visits", "reports:visit-export")],
)  # fmt: skip
def test_every_list_with_a_selection_exports_the_selection(visit, listing, export):
    """Each selection of each list: its download has as many rows as its page (an empty
    selection exports no row)."""
    client = client_for("admin")
    names = [name for name, _title in todo.selection_choices(listing_key(listing))]
    assert names
    for name in names:
        page = client.get(reverse(listing), {"todo": name})
        table = client.get(reverse(export, args=["csv"]), {"todo": name})
        rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
        assert len(rows) - 1 == page.context["page"].paginator.count, name


def listing_key(url_name: str) -> str:
    return {v: k for k, v in todo.LIST_URLS.items()}[url_name]


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
