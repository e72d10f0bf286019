"""In a real Chromium: staff amend the issued seed plan 23/KH-UBND with a numbered amendment that
adds an unannounced (đột xuất) commune, thị trấn Thứ Ba; a leader returns it with a reason, then
approves it; staff issue it. Thứ Ba's reporter learns nothing of it before the visit day — no
request, no plan target, nothing in the amendment's page or document, no visit — and sees the
visit and the target on the day (Vietnam's date)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, signed_in
from inspections import services
from inspections.forms import agency_label
from inspections.models import Outline, OutlineSection, PlanAmendment, Visit
from inspections.tests.factories import DAY, seed, user
from inspections.tests.test_browser_unannounced import pdf_text, visit_tomorrow
from units.services import agency_by_ref

pytestmark = BROWSER_TEST

THU_BA = "Ủy ban nhân dân thị trấn Thứ Ba"


def test_an_unannounced_commune_added_by_amendment_stays_secret_until_its_day(
    browser: Browser, site: str
):
    plan = seed()
    plan_url = f"{site}/plans/{plan.pk}/"
    staff = signed_in(browser, site, "noivu")
    staff.goto(plan_url)
    staff.get_by_label("Hình thức văn bản").select_option(label="Kế hoạch điều chỉnh, bổ sung")
    staff.get_by_role("button", name="Lập văn bản điều chỉnh").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Kế hoạch điều chỉnh, bổ sung")
    staff.locator("#id_content").fill("Bổ sung kiểm tra đột xuất theo chỉ đạo của Chủ tịch.")
    staff.get_by_role("button", name="Lưu dự thảo").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã lưu")
    staff.get_by_label("Đơn vị bổ sung").select_option(
        label=agency_label(agency_by_ref("30985/UBND", DAY))
    )
    staff.locator("#id_announced").uncheck()
    staff.get_by_role("button", name="Đề xuất bổ sung").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã đề xuất bổ sung")
    changes = staff.locator("section[aria-labelledby=doi-tuong]")
    expect(changes).to_contain_text(THU_BA)
    expect(changes).to_contain_text("đột xuất (không in trong văn bản)")
    assert not plan.targets.filter(agency__name=THU_BA).exists()  # a proposal until issued
    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    amendment_url = staff.url

    leader = signed_in(browser, site, "lanhdao")
    leader.goto(amendment_url)
    leader.get_by_label("Lý do trả lại").fill("Ghi rõ căn cứ chỉ đạo.")
    leader.get_by_role("button", name="Trả lại").click()
    staff.reload()
    expect(staff.get_by_role("alert").first).to_contain_text("Ghi rõ căn cứ chỉ đạo.")
    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    leader.reload()
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.locator(".badge").first).to_have_text("Đã duyệt")
    staff.reload()
    staff.get_by_label("Ngày ban hành").fill("01/09/2023")  # the 2023 plan's amendment
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã ban hành")
    amendment = PlanAmendment.objects.get()
    assert amendment.number is not None
    staff.goto(plan_url)
    targets = staff.locator("section[aria-labelledby=doi-tuong]")
    expect(targets).to_contain_text(THU_BA)
    expect(targets).to_contain_text(f"Bổ sung theo {amendment.number_display}")

    # The outline is sent after the amendment: the unannounced commune is asked nothing.
    outline = Outline.objects.create(plan=plan, target_deadline=datetime.date(2099, 7, 15))
    OutlineSection.objects.create(outline=outline, order=1, title="Công tác chỉ đạo, điều hành")
    services.outline_send(outline=outline, by=user("noivu"), day=datetime.date(2023, 9, 5))
    # Its visit is tomorrow (Vietnam's date).
    thu_ba = plan.targets.get(agency__name=THU_BA)
    tomorrow = visit_tomorrow(thu_ba)

    unit = signed_in(browser, site, "thuba")
    unit.goto(plan_url)
    expect(unit.get_by_role("heading", level=1)).to_be_visible()
    expect(unit.locator("section[aria-labelledby=doi-tuong]")).not_to_contain_text(THU_BA)
    expect(unit.locator("main")).not_to_contain_text("đột xuất")
    # The amendment is public once issued; it says nothing of the commune.
    unit.get_by_role(
        "link", name=f"Kế hoạch điều chỉnh, bổ sung số {amendment.number_display}"
    ).click()
    expect(unit.get_by_role("heading", level=1)).to_contain_text("Kế hoạch điều chỉnh, bổ sung")
    expect(unit.locator("main")).not_to_contain_text("Thứ Ba")
    pdf_url = unit.get_by_role("link", name="Tải PDF").get_attribute("href")
    assert "Thứ Ba" not in pdf_text(unit, site, pdf_url)
    unit.goto(f"{site}/requests/")  # asked nothing (the plan filter still names the plan)
    expect(unit.get_by_text("Không có yêu cầu báo cáo nào")).to_be_visible()
    unit.goto(f"{site}/plans/visits/?date={tomorrow.isoformat()}")
    expect(unit.locator("table.calendar")).not_to_contain_text(THU_BA)
    expect(unit.get_by_text("Không có cuộc kiểm tra nào.")).to_be_visible()

    # The visit day comes.
    Visit.objects.filter(target=thu_ba).update(date=timezone.localdate())
    unit.goto(f"{site}/plans/visits/")
    expect(unit.locator("table.calendar")).to_contain_text(THU_BA)
    unit.goto(plan_url)
    expect(unit.locator("section[aria-labelledby=doi-tuong]")).to_contain_text(THU_BA)
    # The documents stay as issued.
    assert "Thứ Ba" not in pdf_text(unit, site, pdf_url)
