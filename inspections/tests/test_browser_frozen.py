"""In a real Chromium: a conclusion notice is issued while a team member has the visit page open;
the member's finding is refused with a Vietnamese message naming the notice, and nothing is
added; staff start an amended and supplementary notice, the member records the added finding on
it, the leader approves it and staff issue it; An Biên's reporter then sees both notices."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import BROWSER_TEST, signed_in
from inspections import services
from inspections.models import ConclusionNotice, Finding, NoticeStatus, TeamRole
from inspections.tests.factories import DAY, schedule, seed, target, user
from inspections.tests.test_remediation import recommend
from units.services import agency_by_ref

pytestmark = BROWSER_TEST

AN_BIEN = "Ủy ban nhân dân huyện An Biên"
LATE = "Ghi sau khi ban hành: còn 3 hồ sơ trễ hạn."
ADDED = "Bổ sung: chưa công khai số điện thoại đường dây nóng."
REFUSED = "không thể sửa biên bản, phát hiện, kiến nghị. Muốn đính chính, hãy lập thông báo kết luận điều chỉnh, bổ sung."  # noqa: E501


@pytest.fixture(autouse=True)
def _files_in_tmp(private_files):
    """Uploaded and kept files go to a temporary folder (see conftest)."""


@pytest.fixture
def approved(site):
    """An Biên visited by Đoàn kiểm tra số 1 (doanvien a member): minutes, a finding with its
    recommendation, and the notice approved by the leader, ready to be issued."""
    team = services.team_create(plan=seed(), name="Đoàn kiểm tra số 1", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target("908/UBND")])
    visit = schedule(team, "908/UBND", datetime.date(2023, 9, 12))
    services.minutes_save(visit=visit, by=user("doanvien"), team_attendees="Đoàn",
                          unit_attendees="UBND huyện", checked="Hồ sơ một cửa")  # fmt: skip
    recommend(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="Cơ bản đầy đủ.", signer_name="Nguyễn Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    return visit, notice


def flash(page: Page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_a_finding_after_issue_is_refused_and_corrected_by_an_amended_notice(
    browser: Browser, site: str, approved
):
    visit, notice = approved
    visit_url = f"{site}/plans/visits/{visit.pk}/"
    notice_url = f"{site}/plans/conclusions/{notice.pk}/"

    # 1. The team member opens the visit page while the notice is still only approved.
    member = signed_in(browser, site, "doanvien")
    member.goto(visit_url)
    expect(member.get_by_role("button", name="Ghi kết quả", exact=True)).to_be_visible()

    # 2. Staff issue the notice.
    staff = signed_in(browser, site, "noivu")
    staff.goto(notice_url)
    # Dated in 2023: Kiên Giang's committee, the issuer, no longer exists today.
    staff.get_by_label("Ngày ban hành").fill("25/09/2023")
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    flash(staff, "Đã ban hành; đơn vị đã xem được thông báo.")
    notice.refresh_from_db()
    number = notice.number_display

    # 3. The member's finding, typed on the page loaded before, is refused; nothing is added.
    count = Finding.objects.count()
    member.locator("#id_kind").select_option(label="Tồn tại, hạn chế")
    member.locator("#id_severity").select_option(label="Nhẹ")
    member.locator("#id_description").fill(LATE)
    member.get_by_role("button", name="Ghi kết quả", exact=True).click()
    flash(member, f"Thông báo kết luận số {number} đã ban hành ngày")
    flash(member, REFUSED)
    assert Finding.objects.count() == count
    expect(member.get_by_role("button", name="Ghi kết quả", exact=True)).to_have_count(0)
    expect(member.get_by_role("button", name="Lưu biên bản")).to_have_count(0)
    expect(member.locator("#frozen")).to_contain_text(REFUSED)

    # 4. Staff start the amended and supplementary notice from the issued one.
    staff.get_by_role("button", name="Lập thông báo điều chỉnh, bổ sung").click()
    flash(staff, "Dự thảo thông báo điều chỉnh, bổ sung")
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        f"Kết luận kiểm tra điều chỉnh, bổ sung: {AN_BIEN}"
    )
    expect(staff.get_by_text(f"Thông báo số {number}")).to_be_visible()
    amendment_url = staff.url

    # 5. The member records the added finding; it goes to the amendment.
    member.goto(visit_url)
    member.locator("#id_kind").select_option(label="Tồn tại, hạn chế")
    member.locator("#id_severity").select_option(label="Nhẹ")
    member.locator("#id_description").fill(ADDED)
    member.get_by_role("button", name="Ghi kết quả bổ sung").click()
    flash(member, "Đã ghi kết quả bổ sung vào thông báo kết luận điều chỉnh, bổ sung.")
    amendment = ConclusionNotice.objects.get(amends=notice)
    assert Finding.objects.get(description=ADDED).amendment == amendment

    # 6. Staff write the correction and send it; the leader approves; staff issue it.
    staff.goto(amendment_url)
    expect(staff.get_by_text(ADDED)).to_be_visible()
    staff.get_by_label("Nội dung điều chỉnh (mỗi dòng một nội dung)").fill(
        "Mục 2: thay “12 hồ sơ” bằng “21 hồ sơ”."
    )
    staff.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    flash(staff, "Đã gửi lãnh đạo duyệt.")
    leader = signed_in(browser, site, "lanhdao")
    leader.goto(amendment_url)
    leader.get_by_role("button", name="Duyệt").click()
    flash(leader, "Đã duyệt.")
    staff.goto(amendment_url)
    staff.get_by_label("Ngày ban hành").fill("10/10/2023")
    staff.get_by_role("button", name="Cấp số và ban hành").click()
    flash(staff, "Đã ban hành; đơn vị đã xem được thông báo.")
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.ISSUED and amendment.number == notice.number + 1

    # 7. An Biên's reporter sees both: the original, which points to its amendment, and the
    # amendment with the added finding.
    unit = signed_in(browser, site, "anbien")
    unit.get_by_role("link", name="Kết luận", exact=True).click()
    rows = unit.get_by_role("row").filter(has_text=AN_BIEN)
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="điều chỉnh, bổ sung")).to_have_count(1)
    rows.filter(has_not_text="điều chỉnh, bổ sung").get_by_role("link").click()
    expect(unit.get_by_text("Thông báo này đã được điều chỉnh, bổ sung")).to_be_visible()
    unit.get_by_role("link", name=f"Thông báo số {amendment.number_display}").click()
    expect(unit.get_by_role("heading", level=1)).to_contain_text("điều chỉnh, bổ sung")
    expect(unit.get_by_text(ADDED)).to_be_visible()
    expect(unit.get_by_text("21 hồ sơ")).to_be_visible()
