"""In a real Chromium: a plan's targets, a section and a page at a time — a section's link and the
next page replace the table alone (htmx, the address kept in the history), and the search finds
a target of another page; the history section loads its entries when it is opened."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, signed_in
from inspections.models import Plan

pytestmark = BROWSER_TEST


def test_sections_and_pages_replace_the_table_alone(browser: Browser, site: str, settings):
    settings.PAGE_SIZE = 5
    plan = Plan.objects.get(year=2023, number=23)
    staff = signed_in(browser, site, "noivu")
    staff.goto(f"{site}/plans/{plan.pk}/")
    section = staff.locator("#targets-section")
    expect(section.locator("tbody tr")).to_have_count(5)
    staff.evaluate("window.notReloaded = true")

    section.get_by_role("link", name=re.compile(r"^Cấp tỉnh \d+$")).click()
    expect(staff).to_have_url(re.compile(r"section=province"))
    expect(section.get_by_role("heading", name="Cấp tỉnh", exact=True)).to_be_visible()
    expect(section.get_by_role("heading", name="Cấp huyện", exact=True)).to_have_count(0)
    section.get_by_role("link", name="Trang sau").click()
    expect(staff).to_have_url(re.compile(r"page=2"))
    expect(section.get_by_text("Trang 2/")).to_be_visible()
    assert staff.evaluate("window.notReloaded") is True  # the table alone was replaced

    # From page 2, the search (the section kept) finds a target of page 1.
    first = plan.targets.filter(kind="inspection", agency__unit__level="province")
    last = first.order_by("order", "pk").select_related("agency").first().agency.name
    section.get_by_label("Tìm theo tên đơn vị").fill(last)
    section.get_by_role("button", name="Lọc").click()
    expect(section.locator("tbody tr")).to_have_count(1)
    expect(section.locator("tbody")).to_contain_text(last)


def test_the_history_is_loaded_when_its_section_is_opened(browser: Browser, site: str):
    plan = Plan.objects.get(year=2023, number=23)
    staff = signed_in(browser, site, "noivu")
    staff.goto(f"{site}/plans/{plan.pk}/")
    entries = staff.locator("#history-entries")
    expect(entries.locator("li")).to_have_count(0)  # not computed with the page
    staff.get_by_role("heading", name="Lịch sử thay đổi").click()  # opens the section
    expect(entries).to_contain_text("thay đổi, mới nhất trước")
    expect(entries.locator("ol > li").first).to_be_visible()
    assert "history" not in staff.url  # loaded in place
