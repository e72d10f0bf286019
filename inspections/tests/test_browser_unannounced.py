"""In a real Chromium: staff issue a plan with an unannounced (đột xuất) commune, thị trấn Thứ Ba;
its reporter sees nothing of it — plan page, plan document, calendar — before the visit day, and
sees the visit and the target on the day (Vietnam's date)."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from conftest import BROWSER_TEST, signed_in
from inspections import services
from inspections.forms import agency_label
from inspections.models import Plan, TeamRole, Visit
from units.models import Agency
from units.services import agency_by_ref

pytestmark = BROWSER_TEST

THU_BA = "Ủy ban nhân dân thị trấn Thứ Ba"
DAY = datetime.date(2023, 10, 2)


def add_target(page: Page, query: str, name: str, *, announced: bool = True) -> None:
    page.get_by_role("link", name="Thêm đối tượng").click()
    page.get_by_label("Tìm đơn vị").fill(query)
    page.get_by_role("button", name="Tìm").click()
    page.get_by_label(name, exact=True).check()
    if not announced:
        page.locator("#id_announced").uncheck()
    page.get_by_role("button", name="Thêm các đơn vị đã chọn").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã thêm 1 đối tượng")


def pdf_text(page: Page, site: str, url: str) -> str:
    response = page.request.get(f"{site}{url}")
    assert response.status == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_the_commune_learns_of_it_on_the_day(browser: Browser, site: str):
    staff = signed_in(browser, site, "noivu")
    staff.get_by_role("link", name="Kế hoạch kiểm tra").first.click()
    staff.get_by_role("link", name="Tạo kế hoạch mới").click()
    staff.get_by_label("Cơ quan ban hành").select_option(
        label=agency_label(agency_by_ref("91/UBND", DAY))
    )
    staff.get_by_label("Năm kiểm tra").fill("2023")
    staff.get_by_label("Địa danh").fill("Kiên Giang")
    staff.locator("#id_document_date").fill(DAY.isoformat())
    staff.locator("#id_summary").fill("Kiểm tra công tác cải cách hành chính quý IV năm 2023")
    staff.locator("#id_signer_name").fill("Nguyễn Thanh Nhân")
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã tạo dự thảo")
    staff.get_by_role("link", name="Thêm mục lớn").click()
    staff.get_by_label("Tiêu đề").fill("NỘI DUNG, ĐỐI TƯỢNG")
    staff.get_by_label("Nội dung").fill("Kiểm tra việc thực hiện nhiệm vụ CCHC năm [năm].")
    staff.locator("#id_generated").select_option("targets")
    staff.get_by_role("button", name="Lưu").click()
    add_target(staff, "y te", "Sở Y tế")
    add_target(staff, "thu ba", THU_BA, announced=False)
    targets = staff.locator("section[aria-labelledby=doi-tuong]")
    expect(targets).to_contain_text(THU_BA)
    expect(targets).to_contain_text("Đột xuất")
    expect(targets).to_contain_text("1 đối tượng kiểm tra đột xuất không in trong văn bản")
    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    plan_url = staff.url
    leader = signed_in(browser, site, "lanhdao")
    leader.goto(plan_url)
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.locator(".badge").first).to_have_text("Đã duyệt")
    staff.reload()
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Đã ban hành kế hoạch số")

    # The team is formed and the visit scheduled for tomorrow (Vietnam's date).
    plan = Plan.objects.get(summary__startswith="Kiểm tra công tác cải cách hành chính quý IV")
    thu_ba = plan.targets.get(agency__name=THU_BA)
    tomorrow = visit_tomorrow(thu_ba)

    unit = signed_in(browser, site, "thuba")
    unit.goto(plan_url)
    expect(unit.get_by_role("heading", level=1)).to_be_visible()
    unit_targets = unit.locator("section[aria-labelledby=doi-tuong]")
    expect(unit_targets).to_contain_text("Sở Y tế")
    expect(unit_targets).not_to_contain_text(THU_BA)
    expect(unit.locator("main")).not_to_contain_text("đột xuất")
    pdf_url = unit.get_by_role("link", name="Tải PDF").get_attribute("href")
    document = pdf_text(unit, site, pdf_url)
    assert "Y tế" in document and "Thứ Ba" not in document
    unit.goto(f"{site}/plans/visits/?date={tomorrow.isoformat()}")
    expect(unit.get_by_role("heading", level=1)).to_have_text("Lịch kiểm tra của tôi")
    calendar = unit.locator("table.calendar")
    expect(calendar).not_to_contain_text(THU_BA)
    expect(unit.get_by_text("Không có cuộc kiểm tra nào.")).to_be_visible()
    # The team member sees it in advance.
    member = signed_in(browser, site, "doanvien")
    member.goto(f"{site}/plans/visits/?date={tomorrow.isoformat()}")
    expect(member.locator("table.calendar")).to_contain_text(THU_BA)

    # The visit day comes.
    Visit.objects.filter(target=thu_ba).update(date=timezone.localdate())
    unit.goto(f"{site}/plans/visits/")
    expect(unit.locator("table.calendar")).to_contain_text(THU_BA)
    expect(unit.get_by_role("cell", name=THU_BA, exact=True)).to_be_visible()
    unit.goto(plan_url)
    expect(unit.locator("section[aria-labelledby=doi-tuong]")).to_contain_text(THU_BA)
    # The issued document stays as it was sent.
    assert "Thứ Ba" not in pdf_text(unit, site, pdf_url)


def visit_tomorrow(target) -> datetime.date:
    """A team led by doanvien is given `target` and visits it tomorrow (Vietnam's date)."""
    team = services.team_create(plan=target.plan, name="Đoàn kiểm tra 1", by=staff_user())
    services.team_member_add(
        team=team, user=staff_user("doanvien"), full_name="Phạm Minh Tâm",
        agency=Agency.objects.get(pk=agency_by_ref("91/STC", DAY).pk), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.visit_schedule(
        team=team, target=target, agency=target.agency, date=tomorrow,
        start_time=datetime.time(8), end_time=datetime.time(11), place="Trụ sở UBND thị trấn",
    )  # fmt: skip
    return tomorrow


def staff_user(name: str = "noivu"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)
