"""Attachments issued in a separate file: the outline sent with its covering letter kept as a file
of its own, signed by the body without an image at the top right of its first page, with the
letter's number and symbol and the signing time — read back with pyHanko and pdftotext."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections.models import Plan
from inspections.services import outline_sender
from inspections.tests.factories import seed, user
from reports.issued import rendition_store
from signing import attachments, placement, services
from signing.certificates import seal_png
from signing.models import AttachmentFile, SignatureStatus, SigningBody

pytestmark = pytest.mark.django_db


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


@pytest.fixture
def letter(private_files, sent):
    """The covering letter of the seed round's outline, issued and kept: the outline attached."""
    return rendition_store(sent)


@pytest.fixture
def sender_body(pki, letter) -> SigningBody:
    """The letter's sender (the plan's standing body, Sở Nội vụ) set up to sign."""
    pki.pkcs12("SỞ NỘI VỤ TỈNH KIÊN GIANG (THỬ NGHIỆM)", "sender.p12")
    body = SigningBody(agency=outline_sender(letter.document), pkcs12_file="sender.p12")
    body.seal.save("seal.png", ContentFile(seal_png()), save=False)
    body.save()
    return body


def _text(content: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_outline_is_kept_as_a_separate_file_from_its_first_page(letter, tmp_path):
    issued = _read(letter.pdf)
    attachment = attachments.attachment_for(letter)
    assert attachment.exists and attachment.first_page >= 2
    content = _read(attachment.pdf)
    assert attachment.pdf_sha256 == services._sha256(content)
    total = len(PdfReader(io.BytesIO(issued)).pages)
    assert len(PdfReader(io.BytesIO(content)).pages) == total - attachment.first_page + 1
    # Its first page is the outline's, under the line naming the letter; the letter is not in it.
    number = attachment.number_symbol
    assert re.fullmatch(r"\d+/[^\s]+", number), number
    first = " ".join(_text(content, tmp_path, "-f", "1", "-l", "1").split())
    assert "Kèm theo Công văn số " + number in first
    assert "Nơi nhận" not in " ".join(_text(content, tmp_path).split())
    # Kept once: the same row and file at the next call.
    again = attachments.attachment_for(letter)
    assert again.pk == attachment.pk and again.pdf.name == attachment.pdf.name


def test_a_document_without_attachments_has_none(rendition):
    attachment = attachments.attachment_for(rendition)  # the seed plan: no phụ lục
    assert not attachment.exists and not attachment.pdf
    with pytest.raises(ValidationError) as refused:
        attachments.attachment_sign(rendition=rendition, by=user("noivu"))
    assert "không có tệp kèm theo" in refused.value.messages[0]


def test_the_body_signs_it_without_an_image_at_the_top_right_of_the_first_page(
    pki, sender_body, letter, tmp_path
):
    pki.trust()
    signed = attachments.attachment_sign(rendition=letter, by=user("noivu"))
    content = _read(signed.signed_pdf)
    assert content.startswith(_read(signed.pdf))  # incremental on the kept file
    assert signed.signed_sha256 == services._sha256(content)
    assert signed.status == SignatureStatus.VALID and signed.body == sender_body.agency

    # pyHanko reads the signature back: intact, valid, trusted, the body's certificate.
    (check,) = services.pdf_signatures(content)
    assert check.status == SignatureStatus.VALID, check
    assert check.field == attachments.ATTACHMENT_FIELD
    assert check.signer == "SỞ NỘI VỤ TỈNH KIÊN GIANG (THỬ NGHIỆM)"
    assert check.signed_at.endswith("+07:00")

    # The field: page 1, top right, inside the top margin; its appearance has no image.
    page = PdfReader(io.BytesIO(content)).pages[0]
    (widget,) = [a.get_object() for a in page["/Annots"]]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    width, height = (float(v) for v in page["/MediaBox"][2:])
    assert abs(x2 - (width - 15 * placement.MM)) < 1.5
    assert height - 20 * placement.MM < y1 < y2 <= height - 4 * placement.MM
    assert x1 > width / 2
    appearance = widget["/AP"]["/N"].get_object()
    resources = appearance.get("/Resources", {})
    assert "/XObject" not in resources or all(
        xobject.get_object().get("/Subtype") != "/Image"
        for xobject in resources["/XObject"].values()
    )
    # Its text: the letter's number and symbol, then the time in +07:00, at 10 pt in Liberation
    # Serif (Times New Roman's metrics), black, regular.
    stream = appearance.get_object().get_data().decode("latin-1")
    assert re.search(r"/F\w*\s+10(\.0+)?\s+Tf", stream), stream
    assert " rg" not in stream.replace("0 0 0 rg", "")
    (font,) = [f.get_object() for f in resources["/Font"].values()]
    assert "LiberationSerif" in str(font["/BaseFont"]) and "Bold" not in str(font["/BaseFont"])

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    # pdftotext finds the stamp in the top right corner of page 1 (x, y from the top-left).
    crop = ["-f", "1", "-l", "1", "-x", str(int(width / 2)), "-y", "0"]
    crop += ["-W", str(int(width / 2)), "-H", str(int(20 * placement.MM))]
    corner = _text(content, tmp_path, *crop).split()
    assert signed.number_symbol in corner
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", word) for word in corner)


def test_signed_once_and_only_with_the_bodys_credential(pki, letter):
    with pytest.raises(ValidationError) as refused:
        attachments.attachment_sign(rendition=letter, by=user("noivu"))
    assert "Chưa cấu hình chữ ký số" in refused.value.messages[0]
    assert not AttachmentFile.objects.get(rendition=letter).is_signed


def _url(name: str, rendition) -> str:
    return reverse(f"signing:{name}", args=[rendition.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("noivu", 200), ("lanhdao", 200), ("doanvien", 200), ("tuphap", 200),
     ("camau", 404), ("admin", 200)],
)  # fmt: skip
def test_attachment_download_matrix(letter, persona, status):
    response = client_for(persona).get(_url("attachment", letter))
    assert response.status_code == status
    if status == 200:
        assert response.content == _read(attachments.attachment_for(letter).pdf)
    if persona is None:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("lanhdao", 403), ("doanvien", 403), ("tuphap", 403), ("camau", 404)],
)
def test_attachment_sign_refused_to_others(pki, sender_body, letter, persona, status):
    pki.trust()
    assert client_for(persona).post(_url("attachment-sign", letter)).status_code == status
    assert not AttachmentFile.objects.filter(signed_sha256__gt="").exists()


def test_attachment_steps_refuse_the_wrong_method(letter):
    assert client_for("noivu").post(_url("attachment", letter)).status_code == 405
    assert client_for("noivu").get(_url("attachment-sign", letter)).status_code == 405


def test_the_office_signs_the_attachment_from_the_letters_page(pki, sender_body, letter):
    pki.trust()
    page = reverse("inspections:outline-edit", args=[letter.document.plan_id])
    before = client_for("noivu").get(page).text
    assert _url("attachment", letter) in before and "Tệp kèm theo chưa được ký số" in before
    assert _url("attachment-sign", letter) in before
    unsigned = client_for("tuphap").get(_url("attachment", letter)).content

    response = client_for("noivu").post(_url("attachment-sign", letter), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    signed = client_for("tuphap").get(_url("attachment", letter))
    assert signed.content.startswith(unsigned) and len(signed.content) > len(unsigned)
    assert "kem-theo-da-ky.pdf" in signed["Content-Disposition"]

    shown = client_for("noivu").get(page).text
    assert shown.count("attachment-signature signature-valid") == 1
    assert "SỞ NỘI VỤ TỈNH KIÊN GIANG (THỬ NGHIỆM)" in shown and "+07:00" in shown
    assert _url("attachment-sign", letter) not in shown  # signed once
    # A second request (another tab) changes nothing and says why.
    office = client_for("noivu")
    office.post(_url("attachment-sign", letter), {"next": page})
    assert "đã có chữ ký số của cơ quan" in office.get(page).text
    assert AttachmentFile.objects.get().signed_sha256 == services._sha256(signed.content)


def test_the_persons_field_is_on_the_letter_not_on_the_attachment(letter):
    offered = services.field_offer(letter)
    attachment = attachments.attachment_for(letter)
    (annotated,) = [
        number
        for number, page in enumerate(PdfReader(io.BytesIO(offered)).pages)
        if "/Annots" in page
    ]
    assert annotated < attachment.first_page - 1


def test_the_plan_a_decision_issues_is_the_decisions_attachment(private_files, tmp_path):
    plan = seed()
    Plan.objects.filter(pk=plan.pk).update(symbol="QĐ-UBND")
    decision = rendition_store(Plan.objects.get(pk=plan.pk))
    attachment = attachments.attachment_for(decision)
    assert attachment.exists and attachment.number_symbol == "23/QĐ-UBND"
    first = " ".join(_text(_read(attachment.pdf), tmp_path, "-f", "1", "-l", "1").split())
    assert "(Ban hành kèm theo Quyết định số 23/QĐ-UBND" in first
    assert placement.person_box(_read(decision.pdf)).page < attachment.first_page - 1
