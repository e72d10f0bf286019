"""Hostile files posted to every upload of the product, end to end through the views.

Each file of the corpus is built here, posted to each upload endpoint as a unit or a team member
would, and must be refused with a Vietnamese message that says what is wrong, leaving no row and
no file behind. The checker itself is tested piece by piece in test_uploads.py.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.test import client_for
from inspections.models import (
    FindingEvidence,
    RemediationFile,
    RemediationReport,
    ReportRequest,
    Submission,
    SubmissionAttachment,
)
from inspections.tests import hostile_files as hostile
from inspections.tests.factories import seed
from inspections.tests.test_remediation import issue_notice, recommend
from inspections.tests.test_uploads import docx_bytes, pdf_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
MAX_BYTES = 64 * 1024  # UPLOAD_MAX_BYTES while these tests run ("0,06 MB" in messages)
STORED = (Submission, SubmissionAttachment, RemediationReport, RemediationFile, FindingEvidence)


# The corpus ---------------------------------------------------------------------------------


def zip_bomb(parts: dict[str, bytes], member: str) -> bytes:
    """An Office-shaped ZIP whose `member` unpacks to 16 MB of zeros from about 16 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open(member, "w") as stream:
            for _i in range(16):
                stream.write(bytes(1024 * 1024))
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/_rels/document.xml.rels": b"<R/>"}
XLSX_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/_rels/workbook.xml.rels": b"<R/>"}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS"
PDF_WITH_SCRIPT = pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert('x')) >>")


@dataclass(frozen=True)
class Bad:
    name: str
    content: Callable[[], bytes]
    says: str  # part of the Vietnamese message that must be shown
    limit: int = MAX_BYTES  # UPLOAD_MAX_BYTES for this file

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content(), content_type="application/pdf")


CORPUS = {
    "pdf named docx": Bad("bao-cao.docx", pdf_bytes, "có đuôi “.docx” nhưng nội dung thực là PDF"),
    "docx named pdf": Bad(
        "bao-cao.pdf", docx_bytes, "có đuôi “.pdf” nhưng nội dung thực là Word (.docx)"
    ),
    "xlsx named docx": Bad(
        "bieu-mau.docx", xlsx_bytes, "có đuôi “.docx” nhưng nội dung thực là Excel (.xlsx)"
    ),
    "text file": Bad("ghi-chu.txt", lambda: "Báo cáo".encode() * 20, "Không nhận ra định dạng"),
    "windows executable named pdf": Bad("bao-cao.pdf", lambda: EXE, "tệp chạy được"),
    "linux executable named pdf": Bad(
        "bao-cao.pdf", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "tệp chạy được"
    ),
    "shell script named xlsx": Bad("bieu.xlsx", lambda: b"#!/bin/sh\nrm -rf /\n", "tệp chạy được"),
    "html with script": Bad(
        "trang.html",
        lambda: b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
        "trang web HTML",
    ),
    "html named pdf": Bad(
        "bao-cao.pdf", lambda: b"<html><script>fetch('/admin/')</script></html>", "trang web HTML"
    ),
    "svg with script": Bad(
        "so-do.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "ảnh SVG",
    ),
    "pdf with javascript": Bad("bao-cao.pdf", lambda: PDF_WITH_SCRIPT, "mã chạy tự động"),
    "oversize pdf": Bad(
        "bao-cao-lon.pdf",
        lambda: pdf_bytes(b"/Padding (" + b"x" * (MAX_BYTES + 1) + b")"),
        "lớn hơn giới hạn 0,06 MB",
    ),
    "zip bomb as docx": Bad(
        "bao-cao.docx", lambda: zip_bomb(DOCX_PARTS, "word/document.xml"), "bom nén"
    ),
    "zip bomb as xlsx": Bad(
        "bieu-mau.xlsx", lambda: zip_bomb(XLSX_PARTS, "xl/workbook.xml"), "bom nén"
    ),
    "path in name": Bad("../../../etc/cron.d/bao-cao.pdf", lambda: EXE, "“bao-cao.pdf”"),
    "windows path in name": Bad(
        "..\\..\\Windows\\System32\\bao-cao.pdf", lambda: EXE, "“bao-cao.pdf”"
    ),
    "control characters in name": Bad(
        "bao\x1b[31mcao\u202efdp.exe\x07.pdf", lambda: EXE, "“bao[31mcaofdp.exe.pdf”"
    ),
    "empty file": Bad("bao-cao.pdf", lambda: b"", "trống (0 byte)"),
    "truncated pdf": Bad(
        "bao-cao.pdf", lambda: pdf_bytes(eof=False)[:-40], "tải lên chưa trọn vẹn"
    ),
    # Issue #14: what a byte search let through, and its relatives. PDFs are parsed (qpdf).
    "pdf with hex-escaped javascript name": Bad(
        "bao-cao.pdf", hostile.pdf_hex_escaped_javascript, "mã chạy tự động"
    ),
    "pdf with javascript after the first megabyte": Bad(
        "bao-cao.pdf", hostile.pdf_javascript_after_first_megabyte, "mã chạy tự động", 2 * MB
    ),
    "pdf with javascript in an object stream": Bad(
        "bao-cao.pdf", hostile.pdf_javascript_in_object_stream, "mã chạy tự động"
    ),
    "pdf with javascript in the names tree": Bad(
        "bao-cao.pdf", hostile.pdf_javascript_in_names_tree, "mã chạy tự động"
    ),
    "pdf with javascript on page open": Bad(
        "bao-cao.pdf", hostile.pdf_javascript_on_page_open, "mã chạy tự động"
    ),
    "pdf with a launch link": Bad("bao-cao.pdf", hostile.pdf_launch_annotation, "mã chạy tự động"),
    "pdf with an embedded file": Bad("bao-cao.pdf", hostile.pdf_embedded_file, "có tệp nhúng"),
    "pdf xfa form": Bad("bao-cao.pdf", hostile.pdf_xfa_form, "biểu mẫu PDF động (XFA)"),
    "rc4-encrypted pdf": Bad(
        "bao-cao.pdf", hostile.pdf_encrypted_rc4_owner_password_only, "đặt mật khẩu hoặc mã hóa"
    ),
    "aes-encrypted pdf": Bad(
        "bao-cao.pdf", hostile.pdf_encrypted_aes_with_password, "đặt mật khẩu hoặc mã hóa"
    ),
    "html behind a pdf header": Bad(
        "bao-cao.pdf", hostile.pdf_html_behind_header, "không đọc được như một tệp PDF"
    ),
    "pdf that needs repair": Bad(
        "bao-cao.pdf", hostile.pdf_broken_cross_reference, "không đọc được như một tệp PDF"
    ),
    "html after the pdf end": Bad(
        "bao-cao.pdf", hostile.pdf_with_html_after_eof, "dữ liệu lạ nằm sau phần kết thúc"
    ),
    "pdf whose object stream unpacks to 500 MB": Bad(
        "bao-cao.pdf", hostile.pdf_object_stream_bomb, "cấu trúc phức tạp bất thường", MB
    ),
    "pdf without pages": Bad("bao-cao.pdf", hostile.pdf_without_pages, "không có trang nào"),
    "docx with a renamed vba part": Bad(
        "bao-cao.docx", hostile.docx_with_renamed_vba, "có chứa macro"
    ),
    "xlsx with a renamed vba part": Bad(
        "bieu-mau.xlsx", hostile.xlsx_with_renamed_vba, "có chứa macro"
    ),
    "docm content type named docx": Bad("bao-cao.docx", hostile.docm_named_docx, "có chứa macro"),
    "xlsm content type named xlsx": Bad("bieu-mau.xlsx", hostile.xlsm_named_xlsx, "có chứa macro"),
    "xlsx with an ole package": Bad(
        "bieu-mau.xlsx", hostile.xlsx_with_ole_package, "có đối tượng nhúng"
    ),
}


# The endpoints ------------------------------------------------------------------------------


def good_pdf(name: str = "bao-cao-that.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@dataclass
class Endpoint:
    """One upload of the product: who posts what where, and how the answer is shown."""

    persona: str
    url: str
    data: Callable[[list[SimpleUploadedFile]], dict]
    redirects: bool  # answers with a redirect and a message, not the form with errors

    def post(self, files: list[SimpleUploadedFile]):
        return client_for(self.persona).post(self.url, self.data(files), follow=self.redirects)


def _submission(request, where: str) -> Endpoint:
    outline = request.getfixturevalue("sent")
    total, done = outline.fields.order_by("order")[:2]
    report_request = ReportRequest.objects.get(
        plan=seed(), agency__members__user__username="anbien"
    )
    figures = {"deliverable": "report", f"f{total.pk}": 10, f"f{done.pk}": 6}

    def data(files):
        if where == "file":
            return {**figures, "file": files[0]}
        return {**figures, "file": good_pdf(), "attachments": files}

    url = reverse("requests:submission-create", args=[report_request.pk])
    return Endpoint("anbien", url, data, redirects=False)


def _remediation(request) -> Endpoint:
    visit = request.getfixturevalue("visit")
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    url = reverse("inspections:remediation-create", args=[recommendation.pk])
    return Endpoint(
        "anbien", url, lambda files: {"text": "Đã khắc phục.", "files": files}, redirects=True
    )


def _evidence(request) -> Endpoint:
    visit = request.getfixturevalue("visit")
    finding = recommend(visit).finding
    url = reverse("inspections:finding-evidence-add", args=[visit.pk, finding.pk])
    return Endpoint("doanvien", url, lambda files: {"files": files}, redirects=True)


ENDPOINTS = {
    "submission file": lambda request: _submission(request, "file"),
    "submission attachments": lambda request: _submission(request, "attachments"),
    "remediation files": _remediation,
    "finding evidence": _evidence,
}
MULTIPLE = ["submission attachments", "remediation files", "finding evidence"]


@pytest.fixture(params=list(ENDPOINTS))
def endpoint(request, private_files, settings) -> Endpoint:
    settings.UPLOAD_MAX_BYTES = MAX_BYTES
    return ENDPOINTS[request.param](request)


def assert_nothing_stored(private_files) -> None:
    assert {model.__name__: model.objects.count() for model in STORED} == dict.fromkeys(
        (model.__name__ for model in STORED), 0
    )
    assert [p for p in private_files.rglob("*") if p.is_file()] == []


def shown(response) -> str:
    return html.unescape(response.content.decode())


# The tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CORPUS))
def test_every_hostile_file_is_refused_everywhere(endpoint, case, private_files, settings):
    bad = CORPUS[case]
    settings.UPLOAD_MAX_BYTES = bad.limit
    response = endpoint.post([bad.upload()])
    assert response.status_code == (200 if endpoint.redirects else 400)
    text = shown(response)
    assert bad.says in text
    assert "hãy" in text.lower()  # says what to do
    assert "cron.d" not in text and "System32" not in text and "\x1b" not in text
    assert_nothing_stored(private_files)


@pytest.mark.parametrize("endpoint", MULTIPLE, indirect=True)
@pytest.mark.parametrize("case", ["windows executable named pdf", "zip bomb as docx"])
def test_one_bad_file_among_good_ones_refuses_them_all(endpoint, case, private_files):
    files = [good_pdf("mot.pdf"), CORPUS[case].upload(), good_pdf("hai.pdf")]
    response = endpoint.post(files)
    assert CORPUS[case].says in shown(response)
    assert_nothing_stored(private_files)


def test_the_limit_is_the_setting(endpoint, private_files, settings):
    """Just under the limit passes, so the oversize refusal above is the limit and not chance."""
    content = pdf_bytes(b"/Padding (" + b"x" * (MAX_BYTES - 400) + b")")
    assert len(content) <= MAX_BYTES
    response = endpoint.post([SimpleUploadedFile("vua-du.pdf", content)])
    assert response.status_code in (200, 302)
    assert any(model.objects.exists() for model in STORED)


def test_a_hostile_name_on_a_genuine_file_is_neutralised_not_used(endpoint, private_files):
    """The name is never a path: Django keeps only its last component without invisible
    characters, the checker then replaces anything but letters, digits and `-_.() `. A genuine
    report from a Windows browser (which may send its full path) is therefore accepted, and
    stored inside private storage under the cleaned name."""
    name = "..\\..\\..\\bao\u202ecao\x07 <script>.pdf"
    response = endpoint.post([good_pdf(name)])
    assert response.status_code in (200, 302)
    stored = [p for p in private_files.rglob("*") if p.is_file()]
    assert stored
    for path in stored:
        assert path.resolve().is_relative_to(private_files.resolve())
        assert "\u202e" not in path.name and "\x07" not in path.name and "<" not in path.name
    names = {
        name
        for model in STORED
        if hasattr(model, "file_name")
        for name in model.objects.values_list("file_name", flat=True)
    }
    assert "baocao _script_.pdf" in names
