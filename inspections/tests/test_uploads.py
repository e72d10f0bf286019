"""Checks on uploaded reports and attachments: real files pass, disguised or damaged ones are
refused with a Vietnamese message that names the file and says what to do."""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from docx import Document
from openpyxl import Workbook

from inspections.uploads import CONTENT_TYPES, CheckedUpload, UploadField, check_upload, safe_name

# --- files built by hand -------------------------------------------------------------------


def pdf_bytes(extra: bytes = b"", *, eof: bool = True) -> bytes:
    """A minimal but well-formed one-page PDF with a correct cross-reference table; `extra` is
    added to the catalog dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    if eof:
        out += b"%%EOF\n"
    return bytes(out)


@functools.cache
def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Báo cáo tự kiểm tra công tác cải cách hành chính năm 2023")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Tiêu chí", "Điểm tự chấm"])
    workbook.active.append(["Công tác chỉ đạo, điều hành", 9])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], *, encrypted: tuple[str, ...] = ()) -> bytes:
    """A ZIP with the given members; those in `encrypted` get the encryption flag in the central
    directory (zipfile cannot encrypt, and only the central directory is checked)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name in encrypted:
            archive.getinfo(name).flag_bits |= 0x1
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@functools.cache
def zip_bomb_bytes() -> bytes:
    """DOCX-shaped, with a member of 300 MB of zeros written in chunks (about 300 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in DOCX_PARTS.items():
            archive.writestr(name, data)
        zeros = bytes(4 * 1024 * 1024)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(75):
                member.write(zeros)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name: str, content: bytes, **options) -> ValidationError:
    """The error check_upload raises; every message names the file and is in Vietnamese."""
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content), **options)
    error = caught.value
    assert len(error.messages) == 1
    assert f"“{name}”" in error.messages[0]
    assert "hãy" in error.messages[0].lower()  # and says what to do
    return error


# --- accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Báo cáo tự kiểm tra 2023.PDF", pdf_bytes(), "pdf"),
        ("C:\\Users\\Tư pháp\\Báo cáo.docx", docx_bytes(), "docx"),
        ("../bảng điểm.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_real_files_are_accepted(name, content, kind):
    file = upload(name, content)
    checked = check_upload(file)
    assert isinstance(checked, CheckedUpload)
    assert checked.kind == kind
    assert checked.content_type == CONTENT_TYPES[kind]
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.name == safe_name(name, kind)
    assert (
        checked.name.endswith(f".{kind}") and "/" not in checked.name and "\\" not in checked.name
    )
    assert file.tell() == 0 and file.read() == content  # left ready to be saved


def test_accepted_names_are_sanitised():
    assert check_upload(upload("Báo cáo tự kiểm tra 2023.PDF", pdf_bytes())).name == (
        "Báo cáo tự kiểm tra 2023.pdf"
    )
    assert check_upload(upload("../bảng điểm.xlsx", xlsx_bytes())).name == "bảng điểm.xlsx"


def test_content_types():
    assert CONTENT_TYPES == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_file_is_rewound_after_a_refusal_too():
    file = upload("baocao.pdf", b"MZ\x90\x00" + bytes(100))
    file.read(10)
    with pytest.raises(ValidationError):
        check_upload(file)
    assert file.tell() == 0


def test_hash_covers_content_read_in_many_chunks():
    content = pdf_bytes(b"/Filler (" + b"x" * 300_000 + b")")
    file = upload("lon.pdf", content)
    file.DEFAULT_CHUNK_SIZE = 4096
    assert check_upload(file).sha256 == hashlib.sha256(content).hexdigest()


# --- size ----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    error = refusal("baocao.pdf", b"")
    assert error.code == "empty"
    assert "trống" in error.messages[0]


def test_oversize_file_is_refused_with_the_limit_in_mb():
    content = pdf_bytes(b"/Filler (" + b"x" * (1024 * 1024) + b")")
    error = refusal("baocao.pdf", content, max_bytes=1024 * 1024)
    assert error.code == "too_big"
    assert "1 MB" in error.messages[0]


def test_default_limit_comes_from_settings():
    content = pdf_bytes(b"/Filler (" + b"x" * 600_000 + b")")
    with override_settings(UPLOAD_MAX_BYTES=512 * 1024):
        error = refusal("baocao.pdf", content)
    assert "0,5 MB" in error.messages[0]
    assert check_upload(upload("baocao.pdf", content)).kind == "pdf"  # 20 MB by default


def test_declared_size_is_not_trusted():
    """A wrapper that under-declares its size is still measured while it is read."""
    file = upload("baocao.pdf", pdf_bytes(b"/Filler (" + b"x" * 5000 + b")"))
    file.size = 10
    with pytest.raises(ValidationError) as caught:
        check_upload(file, max_bytes=2000)
    assert caught.value.code == "too_big"


# --- type from content ---------------------------------------------------------------------


def test_pdf_named_docx_is_refused_with_the_real_type():
    error = refusal("report.docx", pdf_bytes())
    assert error.code == "extension_mismatch"
    assert "PDF" in error.messages[0] and "“.pdf”" in error.messages[0]


def test_docx_named_pdf_is_refused_with_the_real_type():
    error = refusal("baocao.pdf", docx_bytes())
    assert error.code == "extension_mismatch"
    assert "Word (.docx)" in error.messages[0] and "“.docx”" in error.messages[0]


def test_xlsx_named_docx_is_refused():
    assert refusal("bangdiem.docx", xlsx_bytes()).code == "extension_mismatch"


def test_windows_executable_renamed_pdf_is_refused():
    error = refusal("baocao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200))
    assert error.code == "executable"
    assert "tệp chạy được" in error.messages[0]


def test_linux_executable_is_refused():
    assert refusal("baocao.pdf", b"\x7fELF\x02\x01\x01" + bytes(200)).code == "executable"


def test_shell_script_is_refused():
    assert refusal("baocao.docx", b"#!/bin/sh\nrm -rf ~\n").code == "executable"


def test_html_with_script_named_pdf_is_refused():
    content = b"<!DOCTYPE html>\n<HTML><body><SCRIPT>alert(1)</SCRIPT></body></HTML>"
    error = refusal("baocao.pdf", content)
    assert error.code == "markup"
    assert "HTML" in error.messages[0]


def test_script_without_html_tag_is_refused():
    assert "HTML" in refusal("baocao.pdf", b"  <script>fetch('/')</script>").messages[0]


def test_svg_named_pdf_is_refused():
    content = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'
    error = refusal("baocao.pdf", content)
    assert error.code == "markup"
    assert "SVG" in error.messages[0]


def test_xml_named_docx_is_refused():
    assert "XML" in refusal("baocao.docx", b'<?xml version="1.0"?><a/>').messages[0]


def test_old_office_binary_is_refused_with_advice_to_save_as_docx():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    error = refusal("baocao.doc", content)
    assert error.code == "legacy_office"
    assert ".docx" in error.messages[0] and ".xlsx" in error.messages[0]


def test_photo_is_refused_with_advice_to_make_a_pdf():
    error = refusal("baocao.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100))
    assert error.code == "image"
    assert "PDF" in error.messages[0]


def test_unknown_content_is_refused():
    error = refusal("baocao.pdf", b"Just some text, not a document.")
    assert error.code == "unknown"
    assert "Không nhận ra" in error.messages[0]


def test_plain_zip_named_docx_is_refused():
    error = refusal("baocao.docx", zip_bytes({"baocao.pdf": pdf_bytes(), "ghichu.txt": b"x"}))
    assert error.code == "plain_zip"
    assert "ZIP" in error.messages[0]


def test_damaged_zip_is_refused():
    content = docx_bytes()[: len(docx_bytes()) // 2]
    error = refusal("baocao.docx", content)
    assert error.code == "damaged"
    assert "hỏng" in error.messages[0]


def test_kind_not_allowed_is_refused_listing_the_allowed_ones():
    error = refusal("baocao.pdf", pdf_bytes(), allowed=("docx", "xlsx"))
    assert error.code == "kind_not_allowed"
    assert "Word (.docx), Excel (.xlsx)" in error.messages[0]
    assert check_upload(upload("baocao.pdf", pdf_bytes()), allowed=("pdf",)).kind == "pdf"


# --- ZIP-based files -----------------------------------------------------------------------


def test_zip_bomb_disguised_as_docx_is_refused_without_extracting():
    content = zip_bomb_bytes()
    assert len(content) < 2 * 1024 * 1024
    error = refusal("baocao.docx", content)
    assert error.code == "zip_bomb"
    assert "bom nén" in error.messages[0]


def test_highly_compressed_member_is_refused_even_under_the_total_limit():
    members = {**DOCX_PARTS, "word/media/a.bin": bytes(5 * 1024 * 1024)}  # about 1000:1
    assert refusal("baocao.docx", zip_bytes(members)).code == "zip_bomb"


def test_small_repetitive_members_are_fine():
    members = {**DOCX_PARTS, "word/styles.xml": b"<w:style/>" * 50_000}  # 500 KB, very packable
    assert check_upload(upload("baocao.docx", zip_bytes(members))).kind == "docx"


def test_encrypted_member_is_refused():
    content = zip_bytes(DOCX_PARTS, encrypted=("word/document.xml",))
    error = refusal("baocao.docx", content)
    assert error.code == "encrypted"
    assert "mật khẩu" in error.messages[0]


@pytest.mark.parametrize("member", ["../../evil.xml", "word/../../evil.xml", "/etc/cron.d/x"])
def test_member_paths_outside_the_package_are_refused(member):
    assert refusal("baocao.docx", zip_bytes({**DOCX_PARTS, member: b"x"})).code == "zip_path"


def test_macro_part_is_refused():
    content = zip_bytes({**DOCX_PARTS, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    error = refusal("baocao.docx", content)
    assert error.code == "macro"
    assert "macro" in error.messages[0]


def test_macro_part_anywhere_is_refused():
    parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    content = zip_bytes({**parts, "xl/sub/VBAPROJECT.BIN": b"x"})
    assert refusal("bangdiem.xlsx", content).code == "macro"


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /X /JS (app.alert(1)) >>",
        b"/OpenAction << /S /X /JS(app.alert(1)) >>",
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
    ],
)
def test_pdf_with_active_content_is_refused(action):
    error = refusal("baocao.pdf", pdf_bytes(action))
    assert error.code == "pdf_active"
    assert "in lại ra PDF" in error.messages[0]


def test_pdf_without_eof_marker_is_refused_as_incomplete():
    error = refusal("baocao.pdf", pdf_bytes(eof=False))
    assert error.code == "pdf_truncated"
    assert "chưa trọn vẹn" in error.messages[0]


def test_pdf_cut_in_the_middle_is_refused():
    content = pdf_bytes(b"/Filler (" + b"x" * 10_000 + b")")
    assert refusal("baocao.pdf", content[:6000]).code == "pdf_truncated"


# The hostile files are built in hostile_files.py; each is refused for what it is, parsed by qpdf.


def hostile(name: str) -> bytes:
    from inspections.tests import hostile_files

    return getattr(hostile_files, name)()


@pytest.mark.parametrize(
    ("builder", "code", "says"),
    [
        ("pdf_hex_escaped_javascript", "pdf_active", "mã chạy tự động"),
        ("pdf_javascript_after_first_megabyte", "pdf_active", "mã chạy tự động"),
        ("pdf_javascript_in_object_stream", "pdf_active", "mã chạy tự động"),
        ("pdf_javascript_in_names_tree", "pdf_active", "mã chạy tự động"),
        ("pdf_javascript_on_page_open", "pdf_active", "mã chạy tự động"),
        ("pdf_launch_annotation", "pdf_active", "mã chạy tự động"),
        ("pdf_embedded_file", "pdf_embedded", "tệp nhúng"),
        ("pdf_xfa_form", "pdf_xfa", "XFA"),
        ("pdf_encrypted_rc4_owner_password_only", "pdf_encrypted", "mật khẩu"),
        ("pdf_encrypted_aes_with_password", "pdf_encrypted", "mật khẩu"),
        ("pdf_html_behind_header", "pdf_damaged", "không đọc được"),
        ("pdf_broken_cross_reference", "pdf_damaged", "không đọc được"),
        ("pdf_with_html_after_eof", "pdf_trailing", "sau phần kết thúc"),
        ("pdf_without_pages", "pdf_no_pages", "không có trang nào"),
    ],
)
def test_hostile_pdf_is_refused(builder, code, says):
    error = refusal("baocao.pdf", hostile(builder))
    assert (error.code, says in error.messages[0]) == (code, True), error.messages


@pytest.mark.parametrize(
    "action",
    [
        b"/OpenAction << /S /SubmitForm /F (http://ke-xau.example/thu) >>",
        b"/OpenAction << /S /ImportData /F (du-lieu.fdf) >>",
        b"/OpenAction << /S /GoToR /F (\\\\may-chu\\chia-se\\x.pdf) /D [0 /Fit] >>",
        b"/OpenAction << /S /GoToE /T << /R /C /N (a) >> >>",
        b"/OpenAction << /S /Rendition /JS (app.alert(1)) >>",
        b"/OpenAction 4 0 R /Extra << /Subtype /RichMedia >>",
    ],
)
def test_pdf_with_other_dangerous_actions_is_refused(action):
    assert refusal("baocao.pdf", pdf_bytes(action)).code == "pdf_active"


def test_pdf_text_that_merely_mentions_javascript_is_accepted():
    """Names are found by parsing: a title that says “/JavaScript” is a string, not a name."""
    content = pdf_bytes(b"/Title (Hu\\)ong dan /JavaScript /JS \\(/Launch\\)) /Subject <2f4a53>")
    assert check_upload(upload("baocao.pdf", content)).kind == "pdf"


def test_pdf_with_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr("inspections.uploads.PDF_MAX_OBJECTS", 2)  # pdf_bytes() has three
    error = refusal("baocao.pdf", pdf_bytes())
    assert error.code == "pdf_too_complex"
    assert "phức tạp bất thường" in error.messages[0]
    monkeypatch.setattr("inspections.uploads.PDF_MAX_OBJECTS", 3)
    assert check_upload(upload("baocao.pdf", pdf_bytes())).kind == "pdf"


def test_pdf_whose_object_stream_unpacks_to_too_much_is_refused_before_parsing():
    """500 KB that qpdf would unpack to 500 MB in memory to read the one object inside."""
    from inspections.tests.hostile_files import pdf_object_stream_bomb

    content = pdf_object_stream_bomb()
    assert len(content) < 1024 * 1024
    assert refusal("baocao.pdf", content).code == "pdf_too_complex"
    small = pdf_object_stream_bomb(4 * 1024 * 1024)  # the same shape, under the limit
    assert check_upload(upload("baocao.pdf", small)).kind == "pdf"


@pytest.mark.parametrize("tail", [b"", b"\n", b"\r\n", b"  \r\n\0"])
def test_pdf_with_a_little_whitespace_after_eof_is_accepted(tail):
    assert check_upload(upload("baocao.pdf", pdf_bytes() + tail)).kind == "pdf"


def test_pdf_with_more_than_a_little_after_eof_is_refused():
    assert refusal("baocao.pdf", pdf_bytes() + b" " * 200).code == "pdf_trailing"
    assert refusal("baocao.pdf", pdf_bytes() + b"x").code == "pdf_trailing"


def pikepdf_bytes(build=None, **options) -> bytes:
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        if build:
            build(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, **options)
        return buffer.getvalue()


def test_ordinary_pdf_features_are_accepted():
    """Links to web pages, outlines, object streams and an incremental update are ordinary."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    def build(pdf):
        link = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 20]),
            A=Dictionary(S=Name.URI, URI=String("https://thuvienphapluat.vn/")),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
        pdf.Root.PageMode = Name.UseOutlines

    content = pikepdf_bytes(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert check_upload(upload("baocao.pdf", content)).kind == "pdf"


def test_incrementally_updated_pdf_is_accepted():
    """A PDF saved again by a reader that appends its changes: two %%EOF, the last one counts."""
    original = pdf_bytes()
    previous = int(original.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    update = bytearray(original)
    offset = len(update)
    update += b"4 0 obj\n<< /Producer (Foxit) >>\nendobj\n"
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n4 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        previous,
        xref,
    )
    assert bytes(update).count(b"%%EOF") == 2
    assert check_upload(upload("baocao.pdf", bytes(update))).kind == "pdf"


def test_pdf_made_by_weasyprint_is_accepted():
    from weasyprint import HTML

    content = HTML(string="<h1>Báo cáo tự kiểm tra</h1><p>Năm 2023</p>").write_pdf()
    assert check_upload(upload("Báo cáo.pdf", content)).kind == "pdf"


@pytest.mark.parametrize(
    ("name", "builder"),
    [
        ("baocao.docx", "docx_with_renamed_vba"),
        ("bangdiem.xlsx", "xlsx_with_renamed_vba"),
        ("baocao.docx", "docm_named_docx"),
        ("bangdiem.xlsx", "xlsm_named_xlsx"),
        ("baocao.docx", "docx_with_vba_content_type"),
    ],
)
def test_office_macros_are_found_by_content_type_and_content(name, builder):
    error = refusal(name, hostile(builder))
    assert error.code == "macro"
    assert "macro" in error.messages[0]


def test_office_file_with_an_embedded_ole_object_is_refused():
    error = refusal("bangdiem.xlsx", hostile("xlsx_with_ole_package"))
    assert error.code == "ole_object"
    assert "đối tượng nhúng" in error.messages[0]


@pytest.mark.parametrize(
    "content_type",
    [
        b"application/vnd.ms-excel.macrosheet+xml",  # Excel 4.0 macros
        b"application/vnd.ms-excel.intlmacrosheet+xml",
        b"application/vnd.ms-word.vbaData+xml",
    ],
)
def test_office_macro_content_types_are_refused(content_type):
    from inspections.tests.hostile_files import with_parts

    default = b'<Default Extension="bin" ContentType="' + content_type + b'"/>'
    content = with_parts(
        xlsx_bytes(), {"xl/x.bin": b"x"}, content_types=(b"<Default ", default + b"<Default ")
    )
    assert refusal("bangdiem.xlsx", content).code == "macro"


@pytest.mark.parametrize(
    "content_type",
    [
        b"application/vnd.openxmlformats-officedocument.oleObject",
        b"application/vnd.ms-office.activeX+xml",
    ],
)
def test_office_ole_and_activex_content_types_are_refused(content_type):
    from inspections.tests.hostile_files import with_parts

    default = b'<Default Extension="bin" ContentType="' + content_type + b'"/>'
    content = with_parts(
        docx_bytes(), {"word/x.bin": b"x"}, content_types=(b"<Default ", default + b"<Default ")
    )
    assert refusal("baocao.docx", content).code == "ole_object"


def test_password_protected_docx_is_refused_as_encrypted_not_as_old_format():
    """Office wraps a password-protected .docx in an OLE file with an EncryptedPackage."""
    from inspections.tests.hostile_files import cfb

    content = cfb({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64})
    error = refusal("baocao.docx", content)
    assert error.code == "encrypted"
    assert "mật khẩu" in error.messages[0]


def test_office_part_with_an_unknown_compression_method_is_refused_as_damaged():
    """Method 99 (WinZip AES) or any other zipfile cannot unpack: damaged, not a server error."""
    import struct

    data = bytearray(zip_bytes(DOCX_PARTS))
    for signature, at in ((b"PK\x01\x02", 10), (b"PK\x03\x04", 8)):
        start = data.find(signature)
        while start >= 0:
            data[start + at : start + at + 2] = struct.pack("<H", 99)
            start = data.find(signature, start + 4)
    assert refusal("baocao.docx", bytes(data)).code == "damaged"


def test_office_content_types_that_cannot_be_read_are_refused_as_damaged():
    content = zip_bytes({**DOCX_PARTS, "[Content_Types].xml": b"<Types><Default"})
    assert refusal("baocao.docx", content).code == "damaged"


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "pdf", "win.ini.pdf"),
        ("bao\x00cao.pdf", "pdf", "baocao.pdf"),
        ("Báo cáo tự kiểm tra 2023.PDF", "pdf", "Báo cáo tự kiểm tra 2023.pdf"),
        ("C:\\Users\\Đơn vị\\Bảng điểm (bản 2).xlsx", "xlsx", "Bảng điểm (bản 2).xlsx"),
        ("report.docx", "pdf", "report.pdf"),
        ("Báo cáo v1.2", "docx", "Báo cáo v1.2.docx"),
        ("bao\tcao\r\n\x1b[31m.pdf", "pdf", "baocao_31m.pdf"),
        ("tai\u202efdp.exe.pdf", "pdf", "taifdp.exe.pdf"),
        ("a\u200bb.pdf", "pdf", "ab.pdf"),
        ("<script>alert(1)</script>.pdf", "pdf", "script_.pdf"),  # "/" splits the path
        ('ghi chú: "mới"?*|.pdf', "pdf", "ghi chú_ _mới____.pdf"),
        ("báo   cáo\u00a0 năm.pdf", "pdf", "báo cáo năm.pdf"),
        ("..  .hidden.pdf", "pdf", "hidden.pdf"),
        ("báo cáo. .pdf", "pdf", "báo cáo.pdf"),
        ("報告.pdf", "pdf", "__.pdf"),
        (".pdf", "pdf", "tep.pdf"),
        ("", "docx", "tep.docx"),
        ("../", "pdf", "tep.pdf"),
        ("\x00\x01", "xlsx", "tep.xlsx"),
    ],
)
def test_safe_name(name, kind, expected):
    assert safe_name(name, kind) == expected


def test_safe_name_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Báo cáo tự kiểm tra.pdf")
    assert decomposed != "Báo cáo tự kiểm tra.pdf"
    assert safe_name(decomposed, "pdf") == "Báo cáo tự kiểm tra.pdf"


def test_safe_name_cuts_long_stems_to_100_characters():
    name = safe_name("ạ" * 300 + ".pdf", "pdf")
    assert name == "ạ" * 100 + ".pdf"
    assert safe_name("x" * 99 + " " + "y" * 200 + ".docx", "docx") == "x" * 99 + ".docx"


def test_safe_name_rejects_a_nonsense_kind():
    with pytest.raises(ValueError):
        safe_name("a.pdf", "../pdf")


# --- form field ----------------------------------------------------------------------------


class ReportForm(forms.Form):
    file = UploadField(label="Báo cáo đã ký")


class PdfOnlyForm(forms.Form):
    file = UploadField(allowed=("pdf",), max_bytes=1024 * 1024, required=False)


def test_upload_field_accepts_a_good_file():
    form = ReportForm(data={}, files={"file": upload("Báo cáo.pdf", pdf_bytes())})
    assert form.is_valid(), form.errors
    file = form.cleaned_data["file"]
    assert file.checked.kind == "pdf"
    assert file.checked.name == "Báo cáo.pdf"
    assert file.checked.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert file.tell() == 0


def test_upload_field_gives_the_vietnamese_error_for_a_bad_file():
    form = ReportForm(data={}, files={"file": upload("baocao.pdf", b"MZ" + bytes(100))})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Tệp “baocao.pdf” không phải tài liệu thật (nội dung là tệp chạy được — chương trình "
        "hoặc tập lệnh): không tải tệp này lên. Hãy mở báo cáo bằng Word, Excel hoặc trình đọc "
        "PDF, xuất lại ra PDF/DOCX/XLSX rồi tải lên; nếu không rõ nguồn gốc tệp, hãy báo bộ phận "
        "công nghệ thông tin kiểm tra virus."
    ]


def test_upload_field_messages_are_vietnamese():
    form = ReportForm(data={}, files={})
    assert not form.is_valid()
    assert form.errors["file"] == ["Chưa chọn tệp: hãy chọn tệp cần tải lên."]
    empty = ReportForm(data={}, files={"file": upload("baocao.pdf", b"")})
    assert not empty.is_valid()
    assert "“baocao.pdf” trống" in empty.errors["file"][0]


def test_upload_field_options_and_accept_hint():
    form = PdfOnlyForm(data={}, files={"file": upload("baocao.docx", docx_bytes())})
    assert not form.is_valid()
    assert "chỉ nhận PDF" in form.errors["file"][0]
    assert PdfOnlyForm(data={}, files={}).is_valid()  # optional: nothing to check
    assert 'accept=".pdf,.docx,.xlsx"' in str(ReportForm()["file"])
    assert 'accept=".pdf"' in str(PdfOnlyForm()["file"])


class BareUpload:
    """Not a Django file: only name, size, read, absolute seek and chunks, as the API promises."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.size, self._buffer = name, len(content), io.BytesIO(content)

    def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)

    def seek(self, offset: int) -> None:
        self._buffer.seek(offset)

    def chunks(self, chunk_size: int = 1000):
        while chunk := self._buffer.read(chunk_size):
            yield chunk


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", pdf_bytes(), "pdf"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_any_file_like_object_is_accepted(name, content, kind):
    file = BareUpload(name, content)
    checked = check_upload(file)
    assert (checked.kind, checked.sha256) == (kind, hashlib.sha256(content).hexdigest())
    assert file.read() == content
