"""In a real Chromium: a conclusion notice sent for approval appears in the leader's to-do; the
entry opens the list of exactly that notice, the leader opens it and approves; the approved
notice then appears in the staff's to-do, which leads to it, and staff issue it. A team member's
to-do opens exactly the visits waiting for minutes among others, which stay selected when the
list is filtered and are exactly what its download holds."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import BROWSER_TEST, signed_in
from inspections import services
from inspections.models import NoticeStatus
from inspections.tests.factories import schedule, user
from inspections.tests.test_todo import submitted_notice

pytestmark = BROWSER_TEST

AN_BIEN = "Ủy ban nhân dân huyện An Biên"


@pytest.fixture(autouse=True)
def _files_in_tmp(private_files):
    """Uploaded and kept files go to a temporary folder (see conftest)."""


@pytest.fixture
def submitted(site, request):
    """An Biên visited by the first team (conftest's `team`, once the live server's data is
    loaded), recorded, and its conclusion notice sent to the leader."""
    team = request.getfixturevalue("team")
    return submitted_notice(schedule(team, "908/UBND", datetime.date(2023, 9, 12)))


def todo_entry(page: Page, text: str):
    return page.locator(".todo-list li").filter(has_text=text)


def test_leader_approves_from_the_todo_and_staff_issue_from_theirs(
    browser: Browser, site: str, submitted
):
    notice = submitted
    leader = signed_in(browser, site, "lanhdao")
    entry = todo_entry(leader, "Thông báo kết luận chờ lãnh đạo duyệt")
    expect(entry.locator(".badge")).to_have_text("1")
    entry.get_by_role("link").click()
    expect(leader.get_by_role("status")).to_contain_text("Thông báo kết luận chờ lãnh đạo duyệt")
    rows = leader.locator("table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").first.click()
    expect(leader).to_have_url(f"{site}/plans/conclusions/{notice.pk}/")
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.get_by_role("alert").filter(has_text="Đã duyệt.")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED
    leader.goto(f"{site}/")
    expect(todo_entry(leader, "Thông báo kết luận chờ lãnh đạo duyệt")).to_have_count(0)

    staff = signed_in(browser, site, "noivu")
    entry = todo_entry(staff, "Thông báo kết luận đã duyệt, chờ cấp số ban hành")
    expect(entry.locator(".badge")).to_have_text("1")
    entry.get_by_role("link").click()
    rows = staff.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AN_BIEN)
    rows.first.get_by_role("link").first.click()
    staff.get_by_label("Ngày ban hành").fill("20/09/2023")  # a 2023 round: issued on its date
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    expect(
        staff.get_by_role("alert").filter(has_text="Đã ban hành; đơn vị đã xem được thông báo.")
    ).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED
    staff.goto(f"{site}/")
    expect(todo_entry(staff, "Thông báo kết luận đã duyệt, chờ cấp số ban hành")).to_have_count(0)


def test_a_to_do_list_holds_exactly_its_rows_when_filtered_and_downloaded(
    browser: Browser, site: str, request
):
    team = request.getfixturevalue("team")
    schedule(team, "908/UBND", datetime.date(2023, 9, 12))  # waits for its minutes
    recorded = schedule(team, "91/STP", datetime.date(2023, 9, 13))
    services.minutes_save(
        visit=recorded, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="Sở Tư pháp",
        checked="Hồ sơ",
    )  # fmt: skip
    page = signed_in(browser, site, "doanvien")
    entry = todo_entry(page, "Cuộc kiểm tra đã diễn ra, chưa có biên bản")
    expect(entry.locator(".badge")).to_have_text("1")
    entry.get_by_role("link").click()
    rows = page.locator("table:not(.calendar) tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AN_BIEN)
    # Filtering the list keeps the selection.
    page.get_by_label("Năm").fill("2023")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("status")).to_contain_text("Cuộc kiểm tra đã diễn ra, chưa có biên bản")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AN_BIEN)
    # The download holds the same row.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and AN_BIEN in lines[1]
    # Cleared, the list shows both visits of the year.
    page.get_by_role("link", name="Bỏ lọc việc cần làm").click()
    expect(rows).to_have_count(2)
