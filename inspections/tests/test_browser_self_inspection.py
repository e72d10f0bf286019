"""In a real Chromium: staff send the seed plan's outline; An Biên fills it and uploads a PDF;
Sở Tư pháp cannot open it; staff return it with a comment; An Biên resubmits; staff accept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import BROWSER_TEST, signed_in
from inspections.models import Plan, Submission
from inspections.tests.test_uploads import pdf_bytes

pytestmark = BROWSER_TEST

PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed


@pytest.fixture(autouse=True)
def _uploads_in_tmp(private_files):
    """Uploaded files go to a temporary folder (see conftest)."""


def submit(page: Page, done: str) -> None:
    page.get_by_label("Tổng số phòng, ban, đơn vị").fill("10")
    page.get_by_label("Số đã tự kiểm tra").fill(done)
    page.get_by_label("Tệp đã ký").set_input_files(
        {"name": "bao-cao-an-bien.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Nộp", exact=True).click()


def test_outline_submission_return_and_accept(browser: Browser, site: str):
    plan = Plan.objects.get(year=2023, number=23)
    staff = signed_in(browser, site, "noivu")
    staff.goto(f"{site}/plans/{plan.pk}/")
    staff.get_by_role("link", name="Đề cương báo cáo").click()
    staff.locator("#id_outline-target_deadline").fill("2099-07-15")
    staff.locator("#id_sections-0-title").fill("Công tác chỉ đạo, điều hành CCHC")
    staff.locator("#id_fields-0-label").fill("Tổng số phòng, ban, đơn vị")
    staff.locator("#id_fields-0-kind").select_option("number")
    staff.locator("#id_fields-0-role").select_option("coverage_total")
    staff.locator("#id_fields-1-label").fill("Số đã tự kiểm tra")
    staff.locator("#id_fields-1-kind").select_option("number")
    staff.locator("#id_fields-1-role").select_option("coverage_done")
    staff.get_by_role("button", name="Lưu đề cương").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã lưu đề cương")
    staff.get_by_label("Ngày ban hành").fill("10/08/2023")  # the letter of the 2023 round
    staff.get_by_role("button", name="Gửi đề cương cho các đơn vị").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã gửi đề cương")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Tiến độ báo cáo tự kiểm tra")

    unit = signed_in(browser, site, "anbien")
    # The unit's to-do leads to its request: the list filtered to the reports it has not sent.
    unit.get_by_role("link", name="Báo cáo tự kiểm tra chưa nộp").click()
    unit.get_by_role("link", name="Ủy ban nhân dân huyện An Biên").click()
    submit(unit, "4")
    expect(unit.get_by_role("alert").first).to_contain_text("Đã nộp lần 1")
    request_url = unit.url

    other = signed_in(browser, site, "tuphap")
    assert other.goto(request_url).status == 404

    staff.goto(request_url)
    staff.get_by_label("Ý kiến").fill("Bổ sung số liệu các phòng chuyên môn.")
    staff.get_by_role("button", name="Trả lại").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã trả lại")

    unit.reload()
    expect(unit.get_by_text("Bổ sung số liệu các phòng chuyên môn.")).to_be_visible()
    submit(unit, "5")
    expect(unit.get_by_role("alert").first).to_contain_text("Đã nộp lần 2")

    staff.goto(request_url)
    staff.get_by_role("button", name="Chấp nhận").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã chấp nhận")
    assert [s.status for s in Submission.objects.order_by("version")] == ["returned", "accepted"]
