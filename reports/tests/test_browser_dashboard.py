"""In a real Chromium, on the demo round of 2023: the leader opens the dashboard (no serious or
critical accessibility violation), follows a figure to the list behind it, and downloads the
issued results report."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from conftest import BROWSER_TEST, sign_in
from inspections.models import Finding, Plan

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("private_files")]


def test_leader_dashboard_figure_and_results_report(browser: Browser, site: str):
    call_command("load_demo_round", stdout=io.StringIO())
    plan = Plan.objects.get(year=2023, number=23)
    page = browser.new_context().new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, site, "lanhdao")

    page.get_by_role("link", name="Tổng hợp", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng hợp kết quả kiểm tra năm 2023")
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()

    # The findings figure leads to the findings list, which holds exactly that many rows.
    findings = page.get_by_role("region", name="Kết quả kiểm tra")
    total = Finding.objects.filter(visit__plan=plan).count()
    findings.get_by_role("link", name=str(total), exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết quả kiểm tra")
    expect(page.get_by_text(f"{total} kết quả.", exact=True)).to_be_visible()
    assert "year=2023" in page.url

    # The issued results report of the round, as PDF.
    page.goto(f"{site}/plans/{plan.pk}/")
    page.get_by_role("link", name="Báo cáo kết quả").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo kết quả kiểm tra")
    expect(page.get_by_text("Đã ban hành").first).to_be_visible()
    href = page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    response = page.context.request.get(f"{site}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Số: 01/BC-SNV" in text and "Phụ lục IV" in text
    assert problems == []
