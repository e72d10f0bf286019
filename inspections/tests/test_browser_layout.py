"""In a real Chromium: the menu on one line at 1366 px with the legal-documents library in it; at
390 px (a phone) no main page is wider than the screen, the visit page's upload button is
reachable, and axe finds no serious or critical violation on the main pages for each role."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, sign_in
from inspections.tests.factories import schedule
from inspections.tests.test_remediation import recommend

pytestmark = BROWSER_TEST
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _files_in_tmp(private_files):
    """Uploaded and kept files go to a temporary folder (see conftest)."""


@pytest.fixture
def visit(site, team):
    """An Biên visited by Đoàn kiểm tra số 1 (doanvien leads it, `team`), with a finding and its
    recommendation, nothing issued: the visit page offers its uploads. `site` first: it loads
    the data the team is made of."""
    visit = schedule(team, "908/UBND", datetime.date(2023, 9, 12))
    recommend(visit)
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
