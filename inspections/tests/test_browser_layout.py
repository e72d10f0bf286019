"""In a real Chromium: the menu on one line at 1366 px with the legal-documents library in it; at
390 px (a phone) no main page is wider than the screen, the visit page's upload button is
reachable, and axe finds no serious or critical violation on the main pages for each role."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, sign_in
from inspections import services
from inspections.models import TeamRole
from inspections.tests.factories import DAY, schedule, seed, target, user
from units.services import agency_by_ref

pytestmark = BROWSER_TEST
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _files_in_tmp(private_files):
    """Uploaded and kept files go to a temporary folder (see conftest)."""


@pytest.fixture
def visit(site):
    """An Biên visited by Đoàn kiểm tra số 1 (doanvien leads it), with a finding and its
    recommendation, nothing issued: the visit page offers its uploads."""
    team = services.team_create(plan=seed(), name="Đoàn kiểm tra số 1", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target("908/UBND")])
    visit = schedule(team, "908/UBND", datetime.date(2023, 9, 12))
    finding = services.finding_add(
        visit=visit, by=user("doanvien"), kind="shortcoming", severity="moderate",
        description="Tồn tại: chậm trả kết quả hồ sơ.",
    )  # fmt: skip
    services.recommendation_add(
        finding=finding, responsible=visit.agency, text="Khắc phục hồ sơ trễ hạn.",
        deadline_kind="working_days", deadline_count=15,
    )  # fmt: skip
    return visit


MAIN_PAGES = ["/", "/plans/", "/requests/", "/plans/visits/", "/plans/conclusions/",
              "/plans/findings/", "/plans/recommendations/", "/dashboard/"]  # fmt: skip


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_menu_on_one_line_at_1366_px_with_the_library(browser: Browser, site: str):
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, site, "noivu")
    entries = page.locator("#nav > ul.me-auto > li")
    assert entries.count() <= 7
    tops = {round(box["y"]) for box in (e.bounding_box() for e in entries.all())}
    assert len(tops) == 1, "the menu wraps at 1366 px"
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("link", name="Thư viện văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thư viện văn bản tham chiếu")
    # …and from the plan form, where the legal bases are chosen.
    page.goto(f"{site}/plans/new/")
    expect(page.get_by_role("link", name="Mở thư viện văn bản (thêm văn bản mới) trong thẻ mới"))


@pytest.mark.parametrize("persona", ["noivu", "lanhdao", "doanvien", "anbien"])
def test_main_pages_at_390_px(browser: Browser, site: str, visit, persona: str):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, site, persona)
    problems: list[str] = []
    pages = [*MAIN_PAGES, f"/plans/{visit.plan_id}/"]
    if persona != "anbien":
        pages.append(f"/plans/visits/{visit.pk}/")
    for path in pages:
        page.goto(f"{site}{path}")
        if (extra := overflow(page)) > 0:
            problems.append(f"{path}: {extra} px wider than the screen")
        problems += serious_violations(page)
    assert problems == []


def test_visit_upload_reachable_at_390_px(browser: Browser, site: str, visit):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, site, "doanvien")
    page.goto(f"{site}/plans/visits/{visit.pk}/")
    upload = page.get_by_role("button", name="Tải lên").first
    upload.scroll_into_view_if_needed()
    expect(upload).to_be_in_viewport()
    box = upload.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert overflow(page) <= 0
