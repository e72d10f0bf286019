"""Checks on the files units upload: signed self-inspection reports and their attachments.

Units send these files from ordinary office computers, so the checks assume honest mistakes first
(a scanned photo, an old .doc, a PDF cut off by a slow connection) and hostile files second
(an executable or a web page renamed .pdf, a zip bomb dressed up as .docx, a PDF that runs
scripts). Every refusal is a `ValidationError` in Vietnamese that says what is wrong and what the
user should do, because the person uploading is not the person who could read a log.

The type is decided from the content, never from the name or the browser's MIME type, both of
which the uploader controls. ZIP-based formats are judged from their central directory only:
nothing is ever extracted.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

PDF_SCAN_BYTES = 1 * MB
PDF_TAIL_BYTES = 2048
SNIFF_BYTES = 1024
STEM_MAX = 100

# A PDF name ends at whitespace or a delimiter, so `/JS` must be followed by one of those to be
# the JavaScript key (and not, say, `/JSomething`); `/JavaScript` and `/Launch` are distinctive.
_PDF_ACTIVE = re.compile(rb"/JavaScript|/Launch|/JS(?=[\s()<>\[\]{}/%])")

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
    tail = b""
    size = 0
    file.seek(0)
    try:
        for chunk in file.chunks():
            size += len(chunk)
            if size > max_bytes:
                raise too_big()
            digest.update(chunk)
            if len(head) < PDF_SCAN_BYTES:
                head += chunk[: PDF_SCAN_BYTES - len(head)]
            tail = (tail + chunk)[-PDF_TAIL_BYTES:]
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
        _check_pdf(head_bytes, tail, params)

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
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise damaged from error
    finally:
        file.seek(0)

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
            raise ValidationError(
                _(
                    "Tệp “%(name)s” được đặt mật khẩu (mã hóa) nên không kiểm tra được: hãy gỡ "
                    "mật khẩu (trong Word/Excel: Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng "
                    "mật khẩu, xóa mật khẩu), lưu lại rồi tải lên."
                ),
                code="encrypted",
                params=params,
            )
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
            raise ValidationError(
                _(
                    "Tệp “%(name)s” có chứa macro (mã VBA): hãy lưu lại dưới dạng không có macro "
                    "(Word: “Tài liệu Word (*.docx)”, Excel: “Sổ làm việc Excel (*.xlsx)”) hoặc "
                    "xuất ra PDF rồi tải lên."
                ),
                code="macro",
                params=params,
            )
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


def _check_pdf(head: bytes, tail: bytes, params: dict[str, str]) -> None:
    """Refuse PDFs that declare scripts or launch actions near the start, and PDFs whose end
    marker is missing (most often an upload cut short or a file saved half-way).

    This is a screen for the common case, not a sanitiser: a determined author can hide active
    content in compressed object streams or past the first megabyte.
    """
    if _PDF_ACTIVE.search(head):
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF có chứa mã chạy tự động (JavaScript hoặc lệnh mở chương "
                "trình): hãy mở tệp và in lại ra PDF (In → Microsoft Print to PDF / Lưu dạng "
                "PDF), không kèm tập lệnh, rồi tải lên."
            ),
            code="pdf_active",
            params=params,
        )
    if b"%%EOF" not in tail:
        raise ValidationError(
            _(
                "Tệp “%(name)s” là PDF bị hỏng hoặc tải lên chưa trọn vẹn (thiếu phần kết thúc "
                "tệp): hãy mở tệp trên máy để kiểm tra, xuất lại ra PDF nếu cần, rồi tải lên lần "
                "nữa."
            ),
            code="pdf_truncated",
            params=params,
        )


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


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
