"""In a real Chromium (whose language is English here): dates are typed dd/mm/yyyy and saved as
typed, the browser's own checks speak Vietnamese, and a file box shows a Vietnamese button and
the chosen file's name."""

from __future__ import annotations

import datetime

from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, signed_in
from inspections.forms import agency_label
from inspections.models import Plan
from units.services import agency_by_ref

pytestmark = BROWSER_TEST


def test_a_date_typed_dd_mm_yyyy_is_saved_as_typed(browser: Browser, site: str):
    issuer = agency_by_ref("91/UBND", datetime.date(2026, 9, 5))
    staff = signed_in(browser, site, "noivu")
    staff.get_by_role("link", name="Kế hoạch kiểm tra").first.click()
    staff.get_by_role("link", name="Tạo kế hoạch mới").click()

    # The browser's own check of an empty required box, in Vietnamese.
    staff.get_by_role("button", name="Lưu").click()
    missing = staff.locator("#id_document_date").evaluate("box => box.validationMessage")
    assert missing == "Chưa điền mục này: hãy điền rồi gửi lại."

    staff.get_by_label("Cơ quan ban hành").select_option(label=agency_label(issuer))
    staff.get_by_label("Năm kiểm tra").fill("2026")
    staff.get_by_label("Địa danh").fill("Kiên Giang")
    document_date = staff.locator("#id_document_date")
    expect(document_date).to_have_attribute("type", "text")
    expect(document_date).to_have_attribute("placeholder", "dd/mm/yyyy")
    document_date.press_sequentially("05/09/2026")  # as typed, slashes and all
    expect(document_date).to_have_value("05/09/2026")
    period_start = staff.locator("#id_period_start")
    period_start.press_sequentially("14092026")  # digits only: the slashes come by themselves
    expect(period_start).to_have_value("14/09/2026")
    staff.locator("#id_summary").fill("Kiểm tra công tác cải cách hành chính năm 2026")
    staff.locator("#id_signer_name").fill("Nguyễn Thanh Nhân")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã tạo dự thảo")

    plan = Plan.objects.get(year=2026, summary="Kiểm tra công tác cải cách hành chính năm 2026")
    assert plan.document_date == datetime.date(2026, 9, 5)
    assert plan.period_start == datetime.date(2026, 9, 14)

    # Shown back the same way when the plan is edited.
    staff.goto(f"{site}/plans/{plan.pk}/edit/")
    expect(staff.locator("#id_document_date")).to_have_value("05/09/2026")
    # A day that does not exist is refused with a message that says how to write it.
    staff.locator("#id_document_date").fill("31/09/2026")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.locator("#id_document_date").locator("xpath=..")).to_contain_text(
        "Ngày không hợp lệ: hãy viết ngày/tháng/năm, ví dụ 05/09/2026."
    )
    plan.refresh_from_db()
    assert plan.document_date == datetime.date(2026, 9, 5)


def test_a_file_box_is_in_vietnamese_and_shows_the_chosen_name(browser: Browser, site: str):
    admin = signed_in(browser, site, "admin")
    admin.goto(f"{site}/admin/units/agency/import/")
    box = admin.locator("input[type=file]")
    label = admin.locator(f"label[for='{box.get_attribute('id')}']", has_text="Chọn tệp…")
    expect(label).to_be_visible()
    expect(admin.locator(".file-picker-name")).to_have_text("Chưa chọn tệp")
    admin.get_by_role("button", name="Nhập").click()  # no file: the browser's check, in Vietnamese
    missing = box.evaluate("box => box.validationMessage")
    assert missing == "Chưa chọn tệp: hãy chọn tệp cần tải lên."
    box.set_input_files({"name": "co-quan.csv", "mimeType": "text/csv", "buffer": b"ma,ten\n"})
    expect(admin.locator(".file-picker-name")).to_have_text("co-quan.csv")
