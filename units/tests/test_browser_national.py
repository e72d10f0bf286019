"""In a real Chromium, on the national registry: Hà Nội's first staff account, created with
`create_province_staff`, finds Quận Ba Đình as of 01/06/2023 and Phường Ba Đình as of 01/01/2026,
whose page lists the wards it was formed from."""

from __future__ import annotations

from django.core.management import call_command
from playwright.sync_api import Page, expect

from conftest import BROWSER_TEST
from units.national import national_registry_load

pytestmark = BROWSER_TEST

PASSWORD = "Ha-Noi-ba-dinh-2026"  # nosec B105 - a test account in a throw-away database


def _search(page: Page, text: str, day: str):
    page.get_by_label("Tìm theo tên hoặc mã").fill(text)
    page.get_by_label("Hiệu lực ngày").fill(day)
    page.get_by_role("button", name="Lọc").click()


def test_hanoi_staff_find_ba_dinh_before_and_after_the_reform(page: Page, site: str, monkeypatch):
    national_registry_load()
    monkeypatch.setenv("CCHC_STAFF_PASSWORD", PASSWORD)
    call_command("create_province_staff", "noivu-hanoi", province="01", noinput=True)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("noivu-hanoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Tra cứu").click()  # the menu groups the directories
    page.get_by_role("link", name="Đơn vị hành chính", exact=True).first.click()

    _search(page, "Ba Đình", "2023-06-01")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Quận Ba Đình")).to_have_count(1)
    expect(rows.filter(has_text="Quận Ba Đình")).to_contain_text("Thành phố Hà Nội")
    expect(rows.filter(has_text="Phường Ba Đình")).to_have_count(0)

    _search(page, "Ba Đình", "2026-01-01")
    expect(rows.filter(has_text="Quận Ba Đình")).to_have_count(0)
    page.get_by_role("link", name="Phường Ba Đình", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Ba Đình")
    formed_from = page.locator("section", has=page.get_by_role("heading", name="Hình thành từ"))
    for name in ("Phường Trúc Bạch", "Phường Quán Thánh", "Quận Ba Đình"):
        expect(formed_from.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert problems == []
