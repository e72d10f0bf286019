"""Checks on the files units upload: signed self-inspection reports and their attachments.

Units send these files from ordinary office computers, so the checks assume honest mistakes first
(a scanned photo, an old .doc, a PDF cut off by a slow connection) and hostile files second
(an executable or a web page renamed .pdf, a zip bomb dressed up as .docx, a PDF that runs
scripts). Every refusal is a `ValidationError` in Vietnamese that says what is wrong and what the
user should do, because the person uploading is not the person who could read a log.

The type is decided from the content, never from the name or the browser's MIME type, both of
which the uploader controls. A PDF is judged by parsing it with qpdf (through pikepdf): it must
open without repair, have pages, not be encrypted, and no object anywhere in it (object streams
included) may name JavaScript, a launch or other dangerous action, an embedded file or an XFA
form. A Word/Excel package is judged from its central directory (sizes, paths, encryption), its
declared content types and the first bytes of every part: a part that is an OLE compound file
(a VBA project or an embedded object, whatever its name) is opened with olefile and refused.
Nothing is written to disk while checking.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, Protocol

import olefile
import pikepdf
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from units.widgets import FileInput, MultipleFileInput

ALLOWED = ("pdf", "docx", "xlsx")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LABELS = {"pdf": "PDF", "docx": "Word (.docx)", "xlsx": "Excel (.xlsx)"}

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MB = 1024 * 1024

# Zip-bomb limits, applied to what the central directory declares (nothing is decompressed).
ZIP_MAX_TOTAL = 200 * MB
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 1 * MB  # small members compress very well legitimately (XML full of repeats)

SNIFF_BYTES = 1024
STEM_MAX = 100

# What may follow a PDF's last %%EOF: a line end and a little padding, nothing that could be a
# second document (HTML, a ZIP) glued behind the first.
PDF_EOF_TOLERANCE = 16
PDF_WHITESPACE = b"\0\t\n\f\r "

# Names that make a PDF active, wherever they stand (dictionary key or value, any object, object
# streams included). qpdf decodes `#xx` escapes, so `/J#61vaScript` is `/JavaScript` here.
# URI links and GoTo (within the document) stay allowed: reports are full of them.
_PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",  # action type, and the document-level scripts of the names tree
        "/JS",  # the script of a JavaScript or Rendition action
        "/Launch",  # runs a program or opens a local file
        "/SubmitForm",  # sends form data to an address
        "/ImportData",  # reads form data from a file
        "/GoToR",  # opens another file
        "/GoToE",  # opens an embedded file
        "/RichMedia",  # Flash and other embedded players
    }
)
_PDF_EMBEDDED_NAMES = frozenset({"/EmbeddedFile", "/EmbeddedFiles", "/EF"})
_PDF_XFA_NAMES = frozenset({"/XFA"})
_PDF_WATCHED = re.compile(
    rb"/("
    + b"|".join(
        re.escape(name[1:].encode())
        for name in sorted(_PDF_ACTIVE_NAMES | _PDF_EMBEDDED_NAMES | _PDF_XFA_NAMES, key=len)[::-1]
    )
    + rb")(?=[\0\t\n\f\r /<>\[\]()%{}]|$)"
)
_PDF_LITERAL_STRING = re.compile(rb"\((?:[^\\()]|\\.)*\)", re.DOTALL)
# Checking takes about 7 s per 100,000 objects; a 20 MB report has a few thousand.
PDF_MAX_OBJECTS = 100_000
PDF_OBJECT_STREAMS_MAX_BYTES = 64 * MB  # unpacked, all object streams together

# Office content types (lower case) that declare macros, ActiveX controls or OLE objects.
_MACRO_CONTENT_TYPES = ("vbaproject", "vbadata", "macroenabled", "macrosheet")
_OLE_CONTENT_TYPES = ("oleobject", "activex")
CONTENT_TYPES_MAX = 1 * MB  # a real [Content_Types].xml is a few kilobytes
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_READ_MAX = 20 * MB  # an OLE part is refused either way; larger ones are not opened
# Storages and streams that hold a VBA project (Office 2007+, Word 97, Excel 97).
_VBA_ENTRIES = frozenset({"VBA", "_VBA_PROJECT", "_VBA_PROJECT_CUR", "MACROS"})

# Extensions that safe_name treats as the old extension to replace; anything else after the last
# dot is part of the name ("Báo cáo v1.2" keeps its ".2").
_KNOWN_EXTENSIONS = frozenset(
    {*ALLOWED, "doc", "xls", "docm", "xlsm", "dotx", "xltx", "odt", "ods", "rtf"}
)


def _vietnamese_letters() -> frozenset[str]:
    """Every precomposed letter of Vietnamese, both cases: the base vowels with each of the five
    tone marks, plus đ and the rest of the Latin alphabet."""
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    vowels = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in vowels:
        for tone in tones:
            letters.add(unicodedata.normalize("NFC", vowel + tone))
    return frozenset(letters | {letter.upper() for letter in letters})


VIETNAMESE_LETTERS = _vietnamese_letters()
_NAME_PUNCTUATION = frozenset("-_.() ")


class Upload(Protocol):
    """What check_upload needs: Django's UploadedFile, or anything shaped like it."""

    name: str | None
    size: int | None

    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, /) -> Any: ...
    def chunks(self, chunk_size: int | None = ..., /) -> Any: ...


@dataclass(frozen=True)
class CheckedUpload:
    """The facts about an accepted upload that the caller should store instead of trusting the
    browser: a name safe to show and to save, the type detected from the content and its hash."""

    name: str
    kind: str
    size: int
    sha256: str
    content_type: str


# --- names ---------------------------------------------------------------------------------


def safe_name(name: str, kind: str) -> str:
    """A file name that is safe to store and to show, with the extension of the detected `kind`.

    Only the last path component is kept (browsers on Windows may send `C:\\...\\x.pdf`, an attacker
    may send `../../x`), invisible and control characters are dropped (NUL, right-to-left override),
    the text is composed to NFC (macOS sends decomposed Vietnamese), and every character other
    than Vietnamese letters, digits and `-_.() ` becomes `_`.
    """
    if not re.fullmatch(r"[a-z0-9]{1,10}", kind):
        raise ValueError(f"kind must be a lower-case extension such as 'pdf', not {kind!r}")
    text = _last_component(name or "")
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = unicodedata.normalize("NFC", text)
    text = "".join(_name_char(ch) for ch in text)
    text = re.sub(r"\s+", " ", text)
    stem, dot, extension = text.rpartition(".")
    if not (dot and extension.strip().lower() in _KNOWN_EXTENSIONS):
        stem = text
    stem = stem.lstrip(". ").rstrip(". ")
    stem = stem[:STEM_MAX].rstrip(". ")
    return f"{stem or 'tep'}.{kind}"


def _last_component(name: str) -> str:
    return re.split(r"[/\\]", name)[-1]


def _name_char(ch: str) -> str:
    if ch in VIETNAMESE_LETTERS or ch in _NAME_PUNCTUATION or "0" <= ch <= "9":
        return ch
    return " " if ch.isspace() else "_"


def _shown(name: str | None) -> str:
    """The uploaded name as quoted in messages: readable, without path or control characters."""
    text = _last_component(name or "")
    text = unicodedata.normalize(
        "NFC", "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    ).strip()
    if len(text) > 80:
        text = text[:77] + "…"
    return text or _("(không tên)")


def _extension(name: str | None) -> str:
    last = _last_component(name or "").strip().rstrip(". ")
    return last.rpartition(".")[2].lower() if "." in last else ""


def _mb(size: int) -> str:
    """A size in MB the Vietnamese way: "20", "0,5"."""
    text = f"{size / MB:.2f}".rstrip("0").rstrip(".")
    if text == "0":
        text = f"{size / MB:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _allowed_list(allowed: tuple[str, ...]) -> str:
    return ", ".join(LABELS.get(kind, kind.upper()) for kind in allowed)


# --- the check -----------------------------------------------------------------------------


def check_upload(
    file: Upload, *, allowed: tuple[str, ...] = ALLOWED, max_bytes: int | None = None
) -> CheckedUpload:
    """Accept `file` only if its content really is one of the `allowed` kinds, its name says so,
    and it carries no active content; otherwise raise a ValidationError in Vietnamese.

    The file is read once, in chunks, to hash it and to keep the first megabyte and the last
    kilobytes that the checks need; it is left at position 0 so the caller can save it.
    """
    if max_bytes is None:
        max_bytes = getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    shown = _shown(file.name)
    params = {"name": shown, "limit": _mb(max_bytes)}

    def too_big() -> ValidationError:
        return ValidationError(
            _(
                "Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB: hãy giảm dung lượng (ví dụ quét "
                "hoặc xuất PDF với độ phân giải thấp hơn, nén ảnh trong tài liệu) hoặc tách thành "
                "nhiều tệp rồi tải lên lần lượt."
            ),
            code="too_big",
            params=params,
        )

    # The declared size lets a huge upload be refused without reading it; the bytes actually read
    # decide in the end, since the declaration comes from the client.
    declared = getattr(file, "size", None)
    if declared is not None and declared > max_bytes:
        raise too_big()

    digest = hashlib.sha256()
    head = bytearray()
    size = 0
    file.seek(0)
    try:
        for chunk in file.chunks():
            size += len(chunk)
            if size > max_bytes:
                raise too_big()
            digest.update(chunk)
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
    finally:
        file.seek(0)

    if size == 0:
        raise ValidationError(
            _(
                "Tệp “%(name)s” trống (0 byte): có thể tệp chưa được lưu xong hoặc bị lỗi khi "
                "sao chép. Hãy mở tệp trên máy để kiểm tra, lưu lại rồi tải lên lần nữa."
            ),
            code="empty",
            params=params,
        )

    head_bytes = bytes(head)
    kind = _detect(file, head_bytes, size, shown)
    params["kind"] = LABELS[kind]
    if kind not in allowed:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là tệp %(kind)s, nhưng ở đây chỉ nhận %(allowed)s: hãy lưu hoặc "
                "xuất tài liệu sang một trong các dạng đó rồi tải lên."
            ),
            code="kind_not_allowed",
            params={**params, "allowed": _allowed_list(allowed)},
        )
    extension = _extension(file.name)
    if extension != kind:
        raise ValidationError(
            _(
                "Tệp “%(name)s” có đuôi “.%(extension)s” nhưng nội dung thực là %(kind)s: hãy "
                "đổi tên tệp cho đúng đuôi “.%(right)s” (hoặc chọn đúng tệp cần gửi) rồi tải lên."
            ),
            code="extension_mismatch",
            params={**params, "extension": extension, "right": kind},
        )
    if kind == "pdf":
        _check_pdf(file, params)

    return CheckedUpload(
        name=safe_name(file.name or "", kind),
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
        content_type=CONTENT_TYPES[kind],
    )


def _detect(file: Upload, head: bytes, size: int, shown: str) -> str:
    """The kind of the content, or a ValidationError naming what it is instead."""
    params = {"name": shown}
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(file, size, params)
    if head.startswith((b"MZ", b"\x7fELF", b"#!")):
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải tài liệu thật (nội dung là tệp chạy được — chương "
                "trình hoặc tập lệnh): không tải tệp này lên. Hãy mở báo cáo bằng Word, Excel "
                "hoặc trình đọc PDF, xuất lại ra PDF/DOCX/XLSX rồi tải lên; nếu không rõ nguồn "
                "gốc tệp, hãy báo bộ phận công nghệ thông tin kiểm tra virus."
            ),
            code="executable",
            params=params,
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _is_encrypted_office(file):
            raise _refusal("encrypted", params)
        raise ValidationError(
            _(
                "Tệp “%(name)s” là tài liệu Word/Excel định dạng cũ (.doc/.xls): hãy mở bằng "
                "Word hoặc Excel, chọn Lưu thành (Save As) dạng .docx hoặc .xlsx — hoặc xuất ra "
                "PDF — rồi tải lên."
            ),
            code="legacy_office",
            params=params,
        )
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff"):
        raise ValidationError(
            _(
                "Tệp “%(name)s” là ảnh (JPEG/PNG), không phải PDF: hãy ghép các trang đã chụp "
                "hoặc quét thành một tệp PDF (dùng chức năng quét ra PDF hoặc In → Lưu dạng "
                "PDF) rồi tải lên."
            ),
            code="image",
            params=params,
        )
    sniff = head[:SNIFF_BYTES].lower()
    if b"<svg" in sniff:
        what = _("ảnh SVG (có thể chứa mã chạy được)")
    elif b"<html" in sniff or b"<script" in sniff:
        what = _("trang web HTML (có thể chứa mã chạy được)")
    elif b"<?xml" in sniff:
        what = _("văn bản XML")
    else:
        raise ValidationError(
            _(
                "Không nhận ra định dạng của tệp “%(name)s”; chỉ nhận tệp PDF, Word (.docx) "
                "hoặc Excel (.xlsx) thật. Hãy mở tài liệu bằng chương trình đã tạo ra nó, xuất "
                "hoặc lưu sang một trong các dạng đó rồi tải lên."
            ),
            code="unknown",
            params=params,
        )
    raise ValidationError(
        _(
            "Tệp “%(name)s” không phải tài liệu PDF/Word/Excel thật (nội dung là %(what)s): "
            "hãy mở báo cáo bằng chương trình soạn thảo, xuất ra PDF hoặc lưu dạng .docx/.xlsx "
            "rồi tải lên."
        ),
        code="markup",
        params={**params, "what": what},
    )


def _check_zip(file: Upload, size: int, params: dict[str, str]) -> str:
    """DOCX and XLSX are ZIP packages: judge them from the central directory, without extracting
    anything, and say which of the two they are."""
    damaged = ValidationError(
        _(
            "Tệp “%(name)s” bị hỏng hoặc tải lên chưa trọn vẹn (không đọc được cấu trúc tệp "
            "Word/Excel): hãy mở tệp trên máy, lưu lại rồi tải lên lần nữa."
        ),
        code="damaged",
        params=params,
    )
    try:
        with zipfile.ZipFile(_Reader(file, size)) as archive:  # type: ignore[arg-type]
            kind = _check_zip_directory(archive.infolist(), params)
            _check_office_parts(archive, params)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        NotImplementedError,  # a compression method zipfile cannot unpack
        RuntimeError,  # an encrypted member that the directory did not flag
        zlib.error,
    ) as error:
        raise damaged from error
    finally:
        file.seek(0)
    return kind


def _check_zip_directory(members: list[zipfile.ZipInfo], params: dict[str, str]) -> str:
    """Paths, encryption, sizes and the parts that make a package Word or Excel, from the
    central directory alone."""
    total = 0
    names: set[str] = set()
    for member in members:
        parts = re.split(r"[/\\]", member.filename)
        if (
            member.filename.startswith(("/", "\\"))
            or re.match(r"[A-Za-z]:", member.filename)
            or ".." in parts
        ):
            raise ValidationError(
                _(
                    "Tệp “%(name)s” chứa đường dẫn không hợp lệ bên trong (“%(member)s”) — dấu "
                    "hiệu tệp bị làm giả: không tải tệp này lên. Hãy mở báo cáo gốc bằng Word/"
                    "Excel, lưu thành tệp mới rồi tải lên."
                ),
                code="zip_path",
                params={**params, "member": _shown(member.filename)},
            )
        if member.flag_bits & 0x1:
            raise _refusal("encrypted", params)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > ZIP_MAX_TOTAL or (member.file_size > ZIP_RATIO_FROM and ratio > ZIP_MAX_RATIO):
            raise ValidationError(
                _(
                    "Tệp “%(name)s” khi giải nén lớn bất thường (dấu hiệu “bom nén”) nên không "
                    "được nhận: hãy mở báo cáo gốc, lưu thành tệp mới hoặc xuất ra PDF rồi tải "
                    "lên."
                ),
                code="zip_bomb",
                params=params,
            )
        if parts[-1].lower() == "vbaproject.bin":
            raise _refusal("macro", params)
        names.add(member.filename.lower())

    if "[content_types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    raise ValidationError(
        _(
            "Tệp “%(name)s” là tệp nén ZIP, không phải tài liệu Word (.docx) hay Excel (.xlsx): "
            "hãy giải nén và tải lên từng tài liệu, hoặc mở tài liệu bằng Word/Excel, lưu "
            "dạng .docx/.xlsx rồi tải lên."
        ),
        code="plain_zip",
        params=params,
    )


def _check_office_parts(archive: zipfile.ZipFile, params: dict[str, str]) -> None:
    """Refuse macros, ActiveX controls and OLE objects, found by the content types the package
    declares and by the content of every part, whatever its name: a VBA project or an embedded
    object is an OLE compound file (D0 CF 11 E0…), which no ordinary part of a .docx/.xlsx is.

    Raises ValueError for a [Content_Types].xml that cannot be read (the caller says damaged).
    """
    for content_type in _content_types(archive):
        if any(marker in content_type for marker in _MACRO_CONTENT_TYPES):
            raise _refusal("macro", params)
        if any(marker in content_type for marker in _OLE_CONTENT_TYPES):
            raise _refusal("ole_object", params)
    for member in archive.infolist():
        if member.is_dir() or member.file_size < len(OLE_MAGIC):
            continue
        with archive.open(member) as stream:
            if stream.read(len(OLE_MAGIC)) != OLE_MAGIC:
                continue
        if member.file_size <= OLE_READ_MAX and _ole_has_vba(archive.read(member)):
            raise _refusal("macro", params)
        raise _refusal("ole_object", params)


def _content_types(archive: zipfile.ZipFile) -> list[str]:
    """Every ContentType declared in [Content_Types].xml (Default and Override), lower case."""
    info = next(
        (m for m in archive.infolist() if m.filename.lower() == "[content_types].xml"), None
    )
    if info is None or info.file_size > CONTENT_TYPES_MAX:
        raise ValueError("missing or oversized [Content_Types].xml")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(archive.read(info), parser)
    except etree.XMLSyntaxError as error:
        raise ValueError("unreadable [Content_Types].xml") from error
    return [
        element.get("ContentType", "").lower()
        for element in root.iter()
        if isinstance(element.tag, str) and element.get("ContentType") is not None
    ]


def _ole_has_vba(data: bytes) -> bool:
    """Whether the OLE compound file `data` holds a VBA project. A part that olefile cannot read
    is answered False: it is refused all the same, as an embedded object."""
    try:
        # A BytesIO, never the bytes themselves: olefile takes short bytes for a file name.
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception:  # malformed OLE raises many kinds; the part is refused either way
        return False
    return any(name.upper() in _VBA_ENTRIES for path in entries for name in path)


def _is_encrypted_office(file: Upload) -> bool:
    """Whether an OLE compound file is a password-protected .docx/.xlsx: Office wraps those in
    an OLE file with an EncryptedPackage stream."""
    file.seek(0)
    try:
        with olefile.OleFileIO(io.BytesIO(file.read())) as ole:
            return ole.exists("EncryptedPackage")
    except Exception:  # malformed OLE raises many kinds; it is refused either way
        return False
    finally:
        file.seek(0)


# Refusals raised from several checks, by their code.
_REFUSALS = {
    "encrypted": gettext_lazy(
        "Tệp “%(name)s” được đặt mật khẩu (mã hóa) nên không kiểm tra được: hãy gỡ "
        "mật khẩu (trong Word/Excel: Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng "
        "mật khẩu, xóa mật khẩu), lưu lại rồi tải lên."
    ),
    "macro": gettext_lazy(
        "Tệp “%(name)s” có chứa macro (mã VBA): hãy lưu lại dưới dạng không có macro "
        "(Word: “Tài liệu Word (*.docx)”, Excel: “Sổ làm việc Excel (*.xlsx)”) hoặc "
        "xuất ra PDF rồi tải lên."
    ),
    "ole_object": gettext_lazy(
        "Tệp “%(name)s” có đối tượng nhúng (OLE, ActiveX — ví dụ tệp hay chương trình đính "
        "kèm, công thức Equation cũ) có thể chứa mã chạy: hãy xóa đối tượng đó hoặc thay "
        "bằng ảnh chụp, lưu lại dạng .docx/.xlsx (hoặc xuất ra PDF) rồi tải lên."
    ),
    "pdf_too_complex": gettext_lazy(
        "Tệp “%(name)s” là PDF có cấu trúc phức tạp bất thường (quá nhiều đối tượng hoặc dữ "
        "liệu nén quá lớn) nên không kiểm tra được: hãy mở tệp và in lại ra PDF (In → "
        "Microsoft Print to PDF), hoặc tách thành nhiều tệp, rồi tải lên."
    ),
    "pdf_encrypted": gettext_lazy(
        "Tệp “%(name)s” là PDF được đặt mật khẩu hoặc mã hóa nên không kiểm tra được: hãy gỡ "
        "mật khẩu/mã hóa (hoặc mở tệp và in lại ra PDF bằng Microsoft Print to PDF) rồi tải "
        "lên."
    ),
    "pdf_damaged": gettext_lazy(
        "Tệp “%(name)s” không đọc được như một tệp PDF hợp lệ (tệp bị hỏng, lưu dở, hoặc "
        "không phải PDF thật dù có phần đầu giống PDF): hãy mở tài liệu gốc, xuất lại ra PDF "
        "(hoặc In → Microsoft Print to PDF) rồi tải lên."
    ),
}


def _refusal(code: str, params: dict[str, str]) -> ValidationError:
    """The refusal of this code for the file named in `params`."""
    return ValidationError(_REFUSALS[code], code=code, params=params)


def has_digital_signature(file: Upload) -> bool:
    """Whether the PDF carries at least one filled signature field (its validity is judged by
    the signing app, which shows it); a Word or Excel file, or an unreadable PDF, has none."""

    file.seek(0)
    try:
        with pikepdf.open(io.BytesIO(file.read())) as pdf:
            form = pdf.Root.get("/AcroForm")
            fields = list(form.get("/Fields", [])) if form is not None else []
            return any(f.get("/FT") == "/Sig" and f.get("/V") is not None for f in fields)
    except pikepdf.PdfError:
        return False
    finally:
        file.seek(0)


def _check_pdf(file: Upload, params: dict[str, str]) -> None:
    """Refuse a PDF that is cut short or has something glued after its end, that qpdf cannot
    open without repairing it, that is encrypted, has no pages, or whose objects name active
    content (scripts, launch and other dangerous actions, embedded files, XFA forms).

    The whole file is in memory while it is parsed (it is at most UPLOAD_MAX_BYTES).
    """
    file.seek(0)
    try:
        data = file.read()
    finally:
        file.seek(0)

    end = data.rfind(b"%%EOF")
    if end < 0:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF bị hỏng hoặc tải lên chưa trọn vẹn (thiếu phần kết thúc "
                "tệp): hãy mở tệp trên máy để kiểm tra, xuất lại ra PDF nếu cần, rồi tải lên lần "
                "nữa."
            ),
            code="pdf_truncated",
            params=params,
        )
    after = data[end + len(b"%%EOF") :]
    if len(after) > PDF_EOF_TOLERANCE or after.strip(PDF_WHITESPACE):
        raise ValidationError(
            _(
                "Tệp “%(name)s” có dữ liệu lạ nằm sau phần kết thúc của tệp PDF (dấu hiệu tệp bị "
                "ghép thêm nội dung khác hoặc bị làm giả): hãy mở tệp và in lại ra PDF (In → "
                "Microsoft Print to PDF / Lưu dạng PDF) rồi tải lên tệp mới."
            ),
            code="pdf_trailing",
            params=params,
        )

    # No repair: a file whose cross-reference table has to be rebuilt may show each reader
    # different objects, so qpdf's view would prove nothing about what a viewer runs.
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError as error:
        raise _refusal("pdf_encrypted", params) from error
    except (pikepdf.PdfError, ValueError, RuntimeError) as error:
        raise _refusal("pdf_damaged", params) from error
    with pdf:
        if pdf.is_encrypted:  # also RC4/AES files that open without a password
            raise _refusal("pdf_encrypted", params)
        try:
            _check_pdf_size(pdf, params)
            found = _pdf_active_names(pdf)
            pages = len(pdf.pages)
        except (pikepdf.PdfError, ValueError, RuntimeError, RecursionError) as error:
            raise _refusal("pdf_damaged", params) from error

    if found & _PDF_ACTIVE_NAMES:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF có chứa mã chạy tự động (JavaScript, lệnh mở chương trình "
                "hoặc tệp khác, gửi dữ liệu đi): hãy mở tệp và in lại ra PDF (In → Microsoft "
                "Print to PDF / Lưu dạng PDF), không kèm tập lệnh, rồi tải lên."
            ),
            code="pdf_active",
            params=params,
        )
    if found & _PDF_EMBEDDED_NAMES:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF có tệp nhúng bên trong (tệp đính kèm trong PDF), không "
                "kiểm tra được: hãy gỡ tệp đính kèm khỏi PDF hoặc in lại ra PDF (In → Microsoft "
                "Print to PDF), rồi tải các tài liệu kèm theo lên thành tệp riêng."
            ),
            code="pdf_embedded",
            params=params,
        )
    if found & _PDF_XFA_NAMES:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là biểu mẫu PDF động (XFA), chỉ một số phần mềm mở được và có "
                "thể chứa mã chạy: hãy mở biểu mẫu, in lại ra PDF (In → Microsoft Print to PDF) "
                "rồi tải lên."
            ),
            code="pdf_xfa",
            params=params,
        )
    if pages == 0:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF không có trang nào: hãy mở tài liệu gốc, xuất lại ra PDF "
                "và kiểm tra tệp mở được, có đủ trang, rồi tải lên."
            ),
            code="pdf_no_pages",
            params=params,
        )


def _check_pdf_size(pdf: pikepdf.Pdf, params: dict[str, str]) -> None:
    """Refuse a PDF whose objects would cost too much to read, before any is read: too many of
    them, or object streams that unpack to more than PDF_OBJECT_STREAMS_MAX_BYTES (qpdf unpacks
    an object stream whole, so 500 KB of zeros would cost 500 MB of memory)."""
    xref = pdf.get_xref_table()
    if len(xref) > PDF_MAX_OBJECTS:
        raise _refusal("pdf_too_complex", params)
    budget = PDF_OBJECT_STREAMS_MAX_BYTES
    for number in sorted({entry.obj_stream_number for entry in xref.values() if entry.type == 2}):
        stream = pdf.get_object(number, 0)
        if not isinstance(stream, pikepdf.Stream):
            raise _refusal("pdf_damaged", params)
        filters = stream.stream_dict.get("/Filter")
        if isinstance(filters, pikepdf.Array) and len(filters) == 1:
            filters = filters[0]
        raw = stream.read_raw_bytes()
        if filters is None:
            budget -= len(raw)
        elif filters == pikepdf.Name.FlateDecode:
            budget -= _inflated_size(raw, budget, params)
        else:  # writers use Flate for object streams; other filters are not worth the risk
            raise _refusal("pdf_too_complex", params)
        if budget < 0:
            raise _refusal("pdf_too_complex", params)


def _inflated_size(raw: bytes, budget: int, params: dict[str, str]) -> int:
    """The unpacked size of Flate data, counted in chunks and given up past `budget`."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, MB))
            pending = inflater.unconsumed_tail
    except zlib.error as error:
        raise _refusal("pdf_damaged", params) from error
    return size


def _pdf_active_names(pdf: pikepdf.Pdf) -> set[str]:
    """The watched names used anywhere in `pdf`, as dictionary keys or values.

    `pdf.objects` lists every indirect object, those inside object streams too. qpdf writes each
    one back in canonical form (`unparse`: names without needless `#xx` escapes, every parenthesis
    inside a literal string escaped), so once literal strings are blanked out a name can be found
    by a pattern, at C speed; walking the objects from Python took 70 s on a hostile file. Stream
    data is not decoded: a script stream only runs when a dictionary names it, and those
    dictionaries are read.
    """
    parts = [pdf.trailer.unparse(resolved=True)]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        parts.append(obj.unparse(resolved=True))
    text = _PDF_LITERAL_STRING.sub(b"()", b"\n".join(parts))
    return {"/" + name.decode("ascii") for name in _PDF_WATCHED.findall(text)}


class _Reader:
    """The minimal seekable stream zipfile needs, over any upload that can `read` and `seek` to
    an absolute position (some upload wrappers have no `tell` or relative seek)."""

    def __init__(self, file: Upload, size: int) -> None:
        self._file = file
        self._size = size
        self._position = 0
        file.seek(0)

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        position = base + offset
        if position < 0:
            raise ValueError("negative seek position")
        self._file.seek(position)
        self._position = position
        return position

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(self._size - self._position, 0)
        data = self._file.read(size)
        self._position += len(data)
        return data


# --- form field ----------------------------------------------------------------------------


class UploadField(forms.FileField):
    """A file field that runs `check_upload` on every new upload and attaches the result to the
    returned file as `file.checked`, so views store the checked name, type and hash."""

    widget = FileInput

    default_error_messages = {
        "required": gettext_lazy("Chưa chọn tệp: hãy chọn tệp cần tải lên."),
        "invalid": gettext_lazy(
            "Không nhận được tệp: hãy kiểm tra kiểu mã hóa của biểu mẫu rồi tải lên lại."
        ),
        "missing": gettext_lazy("Không nhận được tệp: hãy chọn tệp rồi tải lên lại."),
        "empty": gettext_lazy("Tệp trống (0 byte): hãy lưu lại tệp trên máy rồi tải lên lần nữa."),
        "contradiction": gettext_lazy(
            "Vừa chọn tệp mới vừa đánh dấu xóa tệp: hãy chỉ chọn một trong hai."
        ),
    }

    def __init__(
        self,
        *,
        allowed: tuple[str, ...] = ALLOWED,
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes
        # check_upload refuses empty files itself, with the file's name in the message.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """Let the browser's file picker offer the allowed types first (a hint, not a check)."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(f".{kind}" for kind in self.allowed)
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        cleaned = super().clean(data, initial)
        if not data or cleaned is not data:  # nothing new: no file, cleared, or kept `initial`
            return cleaned
        cleaned.checked = check_upload(cleaned, allowed=self.allowed, max_bytes=self.max_bytes)
        return cleaned


class MultipleUploadField(UploadField):
    """Several files at once (attachments), each checked like a single upload."""

    def __init__(self, *, max_files: int = 10, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                gettext_lazy("Tối đa %(n)d tệp đính kèm mỗi lần nộp: hãy gộp bớt tệp.")
                % {"n": self.max_files},
                code="too_many",
            )
        return [super(MultipleUploadField, self).clean(f, initial) for f in files]
