"""In a real Chromium: Home Affairs staff sign in, search the registry as of 2023, open a unit."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import BROWSER_TEST, sign_in

pytestmark = BROWSER_TEST


def test_staff_search_a_unit_and_open_it(page: Page, site: str):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    sign_in(page, site, "noivu")
    page.get_by_role("button", name="Tra cứu").click()  # the menu groups the directories
    page.get_by_role("link", name="Đơn vị hành chính", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị hành chính")

    page.get_by_label("Tìm theo tên hoặc mã").fill("an bien")
    page.get_by_label("Hiệu lực ngày").fill("2023-06-01")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Huyện An Biên")

    page.get_by_role("link", name="Huyện An Biên").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huyện An Biên")
    successors = page.locator("section", has=page.get_by_role("heading", name="Đơn vị kế thừa"))
    for name in ("Xã An Biên", "Xã Tây Yên", "Xã Đông Thái"):
        expect(successors.get_by_role("link", name=name)).to_be_visible()

    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
    assert problems == []  # no script error, no resource blocked by the CSP
