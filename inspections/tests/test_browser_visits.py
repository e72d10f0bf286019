"""In a real Chromium, the inspection of the seed plan 23/KH-UBND from team to re-inspection:
staff form a team, give it An Biên district, pick two of its communes and schedule visits; a team
member records the minutes, two shortcomings and their recommendations at the district; the
conclusion notice is approved and issued; An Biên reports remediation of both; the team lead
verifies one; next year's copy of the plan proposes An Biên for re-inspection of the other."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import BROWSER_TEST, signed_in
from inspections.models import (
    ConclusionNotice,
    NoticeStatus,
    Plan,
    Recommendation,
    RecommendationStatus,
    TargetKind,
    VisitStatus,
)
from inspections.tests.test_uploads import pdf_bytes

pytestmark = BROWSER_TEST

PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed
AN_BIEN = "Ủy ban nhân dân huyện An Biên"
THU_BA = "Ủy ban nhân dân thị trấn Thứ Ba"
TAY_YEN = "Ủy ban nhân dân xã Tây Yên"
ONE_STOP = "Bộ phận một cửa chưa niêm yết đầy đủ thủ tục hành chính."
LATE_FILES = "Còn 12 hồ sơ đất đai giải quyết trễ hạn, chưa có văn bản xin lỗi."
REC_ONE_STOP = "Niêm yết đầy đủ, đúng quy định các thủ tục hành chính tại Bộ phận một cửa."
REC_LATE_FILES = "Rà soát hồ sơ trễ hạn, gửi văn bản xin lỗi người dân theo quy định."


@pytest.fixture(autouse=True)
def _uploads_in_tmp(private_files):
    """Uploaded files go to a temporary folder (see conftest)."""


def flash(page: Page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def add_member(page: Page, role: str, user: str, name: str, title: str, agency: str) -> None:
    page.locator("#id_role").select_option(label=role)
    # Accounts are offered by name and title, the login in brackets.
    account = page.locator("#id_user option", has_text=f"({user})")
    page.locator("#id_user").select_option(value=account.get_attribute("value"))
    page.locator("#id_full_name").fill(name)
    page.locator("#id_title").fill(title)
    page.locator("#id_agency").select_option(label=agency)
    page.get_by_role("button", name="Thêm thành viên").click()
    flash(page, f"Đã thêm {name}.")


def schedule_visit(page: Page, where: str, day: str, start: str, end: str, place: str) -> None:
    if not page.locator("#id_where").count():  # the form is loaded on demand
        page.get_by_role("link", name="Mở biểu mẫu lên lịch").click()
    page.locator("#id_team").select_option(label="Đoàn kiểm tra 1 — 23/KH-UBND")
    page.locator("#id_where").select_option(label=where)
    page.locator("#id_date").fill(day)
    page.locator("#id_start_time").fill(start)
    page.locator("#id_end_time").fill(end)
    page.locator("#id_place").fill(place)
    expect(page.locator("#id_announced")).to_be_checked()
    page.get_by_role("button", name="Lên lịch").click()
    flash(page, f"Đã lên lịch kiểm tra {where.removeprefix('— ')}.")


def add_finding(page: Page, area: str, severity: str, description: str) -> None:
    page.locator("#id_content_area").select_option(label=area)
    page.locator("#id_kind").select_option(label="Tồn tại, hạn chế")
    page.locator("#id_severity").select_option(label=severity)
    page.locator("#id_description").fill(description)
    page.get_by_role("button", name="Ghi kết quả", exact=True).click()
    flash(page, "Đã ghi kết quả kiểm tra.")


def add_recommendation(page: Page, finding: str, text: str, kind: str, count: str, due: str):
    page.locator("#id_finding").select_option(label=finding)
    page.locator("#id_responsible").select_option(label=AN_BIEN)
    page.locator("#id_text").fill(text)
    page.locator("#id_deadline_kind").select_option(label=kind)
    page.locator("#id_deadline_count").fill(count)
    page.get_by_role("button", name="Ghi kiến nghị").click()
    flash(page, f"Đã ghi kiến nghị, hạn khắc phục {due}.")


def report_remediation(page: Page, recommendation: str, text: str, file_name: str) -> None:
    page.get_by_role("link", name="Kết luận", exact=True).click()
    page.get_by_role("link", name=AN_BIEN).click()
    page.get_by_role("link", name=recommendation).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiến nghị sau kiểm tra")
    page.get_by_label("Kết quả khắc phục").fill(text)
    page.get_by_label("Minh chứng (không bắt buộc)").set_input_files(
        {"name": file_name, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    flash(page, "Đã gửi báo cáo khắc phục lần 1; Đoàn sẽ xác minh.")
    expect(page.get_by_role("link", name=file_name)).to_be_visible()


def test_team_visits_conclusion_remediation_and_reinspection(browser: Browser, site: str):
    plan = Plan.objects.get(year=2023, number=23)

    # 1. Home Affairs forms the team, gives it An Biên district and issues the decision.
    staff = signed_in(browser, site, "noivu")
    staff.goto(f"{site}/plans/{plan.pk}/")
    staff.get_by_role("link", name="Đoàn và lịch kiểm tra").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Đoàn kiểm tra")
    expect(staff.get_by_text("Chưa lập đoàn nào.")).to_be_visible()
    staff.get_by_role("button", name="Lập đoàn").click()
    flash(staff, "Đã lập Đoàn kiểm tra 1.")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Đoàn kiểm tra 1")
    add_member(staff, "Trưởng đoàn", "truongdoan", "Lê Văn Hùng", "Phó Giám đốc", "Sở Nội vụ")
    add_member(staff, "Thành viên", "doanvien", "Phạm Minh Tâm", "Chuyên viên", "Sở Tài chính")
    members = staff.get_by_role("region", name="Thành phần")
    expect(members.get_by_role("row", name="Lê Văn Hùng")).to_contain_text("Trưởng đoàn")
    expect(members.get_by_role("row", name="Phạm Minh Tâm")).to_contain_text("Thành viên")
    staff.get_by_label(AN_BIEN).check()
    staff.get_by_role("button", name="Giao cho đoàn").click()
    flash(staff, "Đã giao 1 đối tượng cho đoàn.")
    staff.get_by_label("Người ký", exact=True).fill("Nguyễn Thanh Nhân")
    staff.get_by_role("button", name="Lưu", exact=True).click()
    flash(staff, "Đã lưu.")
    staff.locator("#id_decision_document_date").fill("25/08/2023")  # the 2023 round's date
    staff.get_by_role("button", name="Cấp số và ban hành quyết định").click()
    flash(staff, "Đã ban hành Quyết định số")
    expect(staff.get_by_text("Quyết định thành lập số")).to_be_visible()
    expect(staff.get_by_role("button", name="Thêm thành viên")).to_have_count(0)

    # 2. Two communes of An Biên, chosen by hand; visits to them and to the district itself.
    staff.get_by_role("link", name="chọn xã").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Chọn 2 xã thuộc {AN_BIEN}")
    staff.get_by_label(THU_BA, exact=True).check()
    staff.get_by_label(TAY_YEN, exact=True).check()
    staff.get_by_role("button", name="Chọn các xã đã đánh dấu").click()
    flash(staff, "Đã chọn 2 xã.")
    chosen = staff.locator("main ul").first
    expect(chosen).to_contain_text(THU_BA)
    expect(chosen).to_contain_text(TAY_YEN)

    staff.get_by_role("link", name="23/KH-UBND").click()
    staff.get_by_role("link", name="Đoàn và lịch kiểm tra").click()
    staff.locator("main").get_by_role("link", name="Lịch kiểm tra").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Lịch kiểm tra")
    schedule_visit(staff, AN_BIEN, "2023-09-12", "08:00", "11:00", "Hội trường UBND huyện An Biên")
    schedule_visit(staff, f"— {THU_BA}", "2023-09-12", "14:00", "16:30", "Trụ sở UBND thị trấn")
    schedule_visit(staff, f"— {TAY_YEN}", "2023-09-13", "08:00", "11:00", "Trụ sở UBND xã")
    for agency in (AN_BIEN, THU_BA, TAY_YEN):
        expect(staff.get_by_role("row").filter(has_text=agency)).to_contain_text("Đoàn kiểm tra 1")
    assert plan.visits.count() == 3

    # 3. A team member opens the district visit and records minutes, findings, recommendations.
    member = signed_in(browser, site, "doanvien")
    member.get_by_role("link", name="Lịch kiểm tra", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Lịch kiểm tra của tôi")
    for agency in (THU_BA, TAY_YEN):
        expect(member.get_by_role("link", name=agency)).to_be_visible()
    member.get_by_role("link", name=AN_BIEN, exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(f"Kiểm tra {AN_BIEN}")
    member.locator("#id_team_attendees").fill("Lê Văn Hùng, Trưởng đoàn\nPhạm Minh Tâm")
    member.locator("#id_unit_attendees").fill("Phó Chủ tịch UBND huyện; Trưởng phòng Nội vụ")
    member.locator("#id_checked").fill("Báo cáo CCHC; Bộ phận một cửa; hồ sơ trễ hạn")
    member.get_by_role("button", name="Lưu biên bản").click()
    flash(member, "Đã lưu biên bản.")
    minutes = member.get_by_role("region", name="Biên bản kiểm tra")
    expect(minutes).to_contain_text("Báo cáo CCHC; Bộ phận một cửa; hồ sơ trễ hạn")

    add_finding(member, "3. Cải cách thủ tục hành chính", "Trung bình", ONE_STOP)
    add_finding(member, "3. Cải cách thủ tục hành chính", "Nghiêm trọng", LATE_FILES)
    add_recommendation(member, ONE_STOP, REC_ONE_STOP, "Số ngày", "30", "12/10/2023")
    add_recommendation(member, LATE_FILES, REC_LATE_FILES, "Số ngày làm việc", "10", "26/09/2023")
    results = member.get_by_role("region", name="Kết quả kiểm tra và kiến nghị")
    expect(results.get_by_role("link", name=REC_ONE_STOP)).to_be_visible()
    expect(results.get_by_role("link", name=REC_LATE_FILES)).to_be_visible()
    expect(member.get_by_role("button", name="Thông báo kết luận")).to_have_count(0)

    # 4. Staff prepare the conclusion notice; the leader approves; staff issue it.
    staff.get_by_role("link", name=AN_BIEN, exact=True).click()
    expect(staff.locator("main p.text-body-secondary").first).to_contain_text("Đã kiểm tra")
    staff.get_by_role("button", name="Thông báo kết luận").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Kết luận kiểm tra: {AN_BIEN}")
    expect(staff.locator(".badge").first).to_have_text("Dự thảo")
    staff.get_by_label("Nhận xét chung").fill(
        "Huyện An Biên triển khai kế hoạch CCHC cơ bản đầy đủ; còn tồn tại ở Bộ phận một cửa."
    )
    staff.get_by_label("Người ký", exact=True).fill("Nguyễn Thanh Nhân")
    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    flash(staff, "Đã gửi lãnh đạo duyệt.")
    expect(staff.locator(".badge").first).to_have_text("Chờ duyệt")
    notice_url = staff.url

    leader = signed_in(browser, site, "lanhdao")
    leader.get_by_role("link", name="Kết luận", exact=True).click()
    leader.get_by_role("link", name=AN_BIEN).click()
    leader.get_by_role("button", name="Duyệt").click()
    flash(leader, "Đã duyệt.")
    expect(leader.locator(".badge").first).to_have_text("Đã duyệt")

    staff.goto(notice_url)
    staff.get_by_label("Ngày ban hành").fill("20/09/2023")
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    flash(staff, "Đã ban hành; đơn vị đã xem được thông báo.")
    expect(staff.locator(".badge").first).to_have_text("Đã ban hành")
    notice = ConclusionNotice.objects.get(plan=plan)
    assert notice.status == NoticeStatus.ISSUED and notice.agency.name == AN_BIEN
    expect(staff.get_by_text(f"Số {notice.number:02d}/TB-UBND")).to_be_visible()

    # 5. An Biên reads the conclusion and reports remediation of both recommendations.
    unit = signed_in(browser, site, "anbien")
    unit.get_by_role("link", name="Kết luận", exact=True).click()
    expect(unit.get_by_role("row").filter(has_text=AN_BIEN)).to_contain_text(
        f"{notice.number:02d}/TB-UBND"
    )
    report_remediation(
        unit,
        REC_ONE_STOP,
        "Đã niêm yết đầy đủ 245 thủ tục hành chính tại Bộ phận một cửa ngày 05/10/2023.",
        "niem-yet-tthc.pdf",
    )
    report_remediation(
        unit,
        REC_LATE_FILES,
        "Đã gửi văn bản xin lỗi cho 7/12 trường hợp; 5 trường hợp đang rà soát.",
        "xin-loi-ho-so-tre-han.pdf",
    )

    # 6. The team lead verifies the first as remedied and leaves the second open.
    lead = signed_in(browser, site, "truongdoan")
    lead.get_by_role("link", name="Kiến nghị", exact=True).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Kiến nghị sau kiểm tra")
    lead.get_by_role("link", name=REC_ONE_STOP).click()
    expect(lead.get_by_text("niem-yet-tthc.pdf")).to_be_visible()
    lead.get_by_text("Ghi kết quả xác minh").click()
    lead.get_by_label("Đã khắc phục", exact=True).check()
    lead.get_by_label("Nhận xét").fill("Đã kiểm tra thực tế tại Bộ phận một cửa.")
    lead.get_by_role("button", name="Lưu xác minh").click()
    flash(lead, "Đã ghi: đã khắc phục.")
    lead.get_by_role("link", name="Kiến nghị", exact=True).first.click()
    expect(lead.get_by_role("row").filter(has_text=REC_ONE_STOP)).to_contain_text("Đã khắc phục")
    expect(lead.get_by_role("row").filter(has_text=REC_LATE_FILES)).to_contain_text(
        "Đang khắc phục"
    )

    # 7. Next year's copy proposes An Biên for re-inspection of the open recommendation.
    staff.goto(f"{site}/plans/{plan.pk}/")
    staff.get_by_role("link", name="Sao chép sang năm khác").click()
    expect(staff.get_by_label("Năm kiểm tra")).to_have_value("2024")
    staff.get_by_label("Ngày văn bản dự kiến").fill("2024-08-06")
    staff.get_by_role("button", name="Lưu").click()
    flash(staff, "Đã tạo dự thảo từ kế hoạch 23/KH-UBND.")
    draft = Plan.objects.get(year=2024, copied_from=plan)
    expect(staff).to_have_url(f"{site}/plans/{draft.pk}/")

    staff.get_by_role("link", name="Thêm đối tượng").click()
    proposals = staff.get_by_role("region", name="Đề xuất phúc tra")
    proposal = proposals.get_by_role("row").filter(has_text=AN_BIEN)
    expect(proposal).to_contain_text(REC_LATE_FILES)
    expect(proposal).to_contain_text(f"Thông báo kết luận số {notice.number:02d}/TB-UBND")
    expect(proposals).not_to_contain_text(REC_ONE_STOP)
    # The copy kept An Biên as an ordinary target; choosing it turns it into a re-inspection.
    expect(proposal).to_contain_text("chọn để chuyển thành phúc tra")
    proposals.get_by_label(AN_BIEN, exact=True).check()
    staff.get_by_role("button", name="Thêm đơn vị đã chọn để phúc tra").click()
    flash(staff, "Đã đưa 1 đơn vị vào danh sách phúc tra.")
    reinspected = staff.get_by_role("heading", name="Phúc tra", exact=True).locator(
        "xpath=following-sibling::div[1]"
    )
    expect(reinspected.get_by_role("row").filter(has_text=AN_BIEN)).to_contain_text(
        "Còn 1 kiến nghị chưa khắc phục xong từ kỳ kiểm tra trước."
    )

    statuses = dict(Recommendation.objects.values_list("text", "status"))
    assert statuses == {
        REC_ONE_STOP: RecommendationStatus.DONE,
        REC_LATE_FILES: RecommendationStatus.OPEN,
    }
    assert plan.visits.get(agency__name=AN_BIEN).status == VisitStatus.DONE
    target = draft.targets.get(agency__name=AN_BIEN)
    assert target.kind == TargetKind.REINSPECTION
