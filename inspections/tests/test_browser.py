"""In a real Chromium: staff build a plan with targets at three levels and submit it; the leader
approves; staff issue it and download the PDF."""

from __future__ import annotations

import io

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from conftest import BROWSER_TEST, signed_in
from inspections.forms import agency_label
from units.services import agency_by_ref

pytestmark = BROWSER_TEST


def add_target(page: Page, query: str, name: str) -> None:
    page.get_by_role("link", name="Thêm đối tượng").click()
    page.get_by_label("Tìm đơn vị").fill(query)
    page.get_by_role("button", name="Tìm").click()
    page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Thêm các đơn vị đã chọn").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã thêm 1 đối tượng")


def test_build_approve_issue_and_download(browser: Browser, site: str):
    import datetime

    issuer = agency_by_ref("91/UBND", datetime.date(2023, 10, 2))

    staff = signed_in(browser, site, "noivu")
    staff.get_by_role("link", name="Kế hoạch kiểm tra").first.click()
    staff.get_by_role("link", name="Tạo kế hoạch mới").click()
    staff.get_by_label("Cơ quan ban hành").select_option(label=agency_label(issuer))
    staff.get_by_label("Năm kiểm tra").fill("2023")
    staff.get_by_label("Địa danh").fill("Kiên Giang")
    staff.locator("#id_document_date").fill("2023-10-02")
    staff.locator("#id_summary").fill(
        "Kiểm tra đột xuất công tác cải cách hành chính quý IV năm 2023"
    )
    staff.locator("#id_signer_name").fill("Nguyễn Thanh Nhân")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã tạo dự thảo")

    staff.get_by_role("link", name="Thêm mục lớn").click()
    staff.get_by_label("Tiêu đề").fill("MỤC ĐÍCH, YÊU CẦU")
    staff.get_by_label("Nội dung").fill("Đánh giá việc thực hiện nhiệm vụ CCHC năm [năm].")
    staff.get_by_role("button", name="Lưu").click()

    add_target(staff, "y te", "Sở Y tế")
    add_target(staff, "go quao", "Ủy ban nhân dân huyện Gò Quao")
    add_target(staff, "dinh an", "Ủy ban nhân dân xã Định An")
    for level in ("Cấp tỉnh", "Cấp huyện", "Cấp xã"):
        expect(staff.get_by_role("heading", name=level, exact=True)).to_be_visible()

    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    expect(staff.locator(".badge").first).to_have_text("Chờ duyệt")
    plan_url = staff.url

    leader = signed_in(browser, site, "lanhdao")
    leader.goto(plan_url)
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.locator(".badge").first).to_have_text("Đã duyệt")

    staff.reload()
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã ban hành kế hoạch số 24/KH-UBND")

    href = staff.get_by_role("link", name="Tải PDF", exact=True).get_attribute("href")
    response = staff.request.get(f"{site}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Số: 24/KH-UBND" in text
    assert "Kiên Giang, ngày 02 tháng 10 năm 2023" in text
