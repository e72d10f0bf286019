"""In a real Chromium: staff download the issued plan with its empty signature field, upload it
signed with the person's test certificate, the office adds the body's signature, and the plan's
page shows both signatures as valid."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.files.base import ContentFile
from playwright.sync_api import Browser, expect

from conftest import BROWSER_TEST, signed_in
from inspections.tests.factories import seed
from reports.issued import rendition_store
from signing import certificates, services
from signing.models import SigningBody
from signing.tests.conftest import Pki, person_sign

pytestmark = BROWSER_TEST


def test_staff_sign_the_plan_person_then_body(
    browser: Browser, site: str, private_files, cert_dir: Path, tmp_path: Path
):
    plan = seed()
    rendition_store(plan)  # loaded as data: kept at its first download, here now
    pki = Pki(cert_dir)
    pki.trust()
    person = pki.pkcs12("Nguyễn Thanh Nhân (THỬ NGHIỆM)", "person.p12")
    pki.pkcs12("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG (THỬ NGHIỆM)", "body.p12")
    body = SigningBody(agency=plan.issuer, pkcs12_file="body.p12")
    body.seal.save("seal.png", ContentFile(certificates.seal_png()), save=False)
    body.save()

    page = signed_in(browser, site, "noivu")
    page.goto(f"{site}/plans/{plan.pk}/")
    expect(page.get_by_text("Văn bản chưa được ký số.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF có ô ký để người có thẩm quyền ký số").click()
    offered = Path(download.value.path()).read_bytes()
    assert services.PERSON_FIELD.encode() in offered

    signed = tmp_path / "ke-hoach-da-ky.pdf"
    # pyHanko runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        signed.write_bytes(pool.submit(person_sign, offered, person).result())
    page.get_by_label("Tệp PDF đã ký số của người có thẩm quyền").set_input_files(signed)
    page.get_by_role("button", name="Tải lên bản đã ký").click()
    expect(page.get_by_role("alert").filter(has_text="Đã ghi nhận chữ ký")).to_be_visible()

    page.get_by_role("button", name="Ký số của cơ quan (đóng dấu)").click()
    expect(page.get_by_role("alert").filter(has_text="Đã ký số bằng chứng thư")).to_be_visible()
    rows = page.locator("tr.signature-valid")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Nguyễn Thanh Nhân (THỬ NGHIỆM)")
    expect(rows.nth(1)).to_contain_text("+07:00")
