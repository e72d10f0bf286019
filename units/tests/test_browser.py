"""In a real Chromium: Home Affairs staff sign in, search the registry as of 2023, open a unit."""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import load_reference_and_demo_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.environ.get("CI"),
        reason="Chromium is not installed (apt-get install chromium); CI always runs this test",
    ),
]


@pytest.fixture
def site(live_server):
    # Transactional tests start from whatever the previous one left: load the data (idempotent).
    load_reference_and_demo_data()
    return live_server.url


def _sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("cchc-demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_staff_search_a_unit_and_open_it(page: Page, site: str):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    _sign_in(page, site, "noivu")
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
