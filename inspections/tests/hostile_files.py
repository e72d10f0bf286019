"""Hostile PDF and Office files for the upload tests, built here from pikepdf and hand-written
bytes so that every case is visible in the repository (no binary fixtures).

Each builder returns the bytes of one file that a careless checker would accept: scripts hidden
behind name escapes, past the first megabyte or inside compressed object streams; encrypted PDFs;
a web page behind a PDF header; VBA projects and OLE objects in Office packages under innocent
part names.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import struct
import zipfile
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from inspections.tests.test_uploads import docx_bytes, pdf_bytes, xlsx_bytes

SCRIPT = "app.alert('Tệp đã bị chiếm quyền')"


# --- PDF -----------------------------------------------------------------------------------


def _saved(pdf: pikepdf.Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def _one_page(build=None, **options) -> bytes:
    """A one-page PDF written by pikepdf (qpdf); `build(pdf)` adds the hostile part."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        if build:
            build(pdf)
        return _saved(pdf, **options)


def pdf_hex_escaped_javascript() -> bytes:
    """`/J#61vaScript` is `/JavaScript` to every reader, but not to a byte search."""
    return pdf_bytes(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")


def pdf_javascript_after_first_megabyte() -> bytes:
    return pdf_bytes(
        b"/Filler (" + b"x" * (1024 * 1024 + 4096) + b") "
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )


def pdf_javascript_in_object_stream() -> bytes:
    """The action lives in a compressed object stream: the bytes never spell “JavaScript”."""

    def build(pdf):
        action = Dictionary(S=Name.JavaScript, JS=String(SCRIPT))
        pdf.Root.OpenAction = pdf.make_indirect(action)

    content = _one_page(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"JavaScript" not in content and b"/JS" not in content
    return content


def pdf_javascript_in_names_tree() -> bytes:
    def build(pdf):
        action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), action])))

    return _one_page(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_javascript_on_page_open() -> bytes:
    """A page's additional action (/AA /O) instead of the catalogue's OpenAction."""

    def build(pdf):
        action = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))
        pdf.pages[0].obj.AA = Dictionary(O=action)

    return _one_page(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_launch_annotation() -> bytes:
    """A link annotation on the page that launches a program when clicked."""

    def build(pdf):
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([0, 0, 595, 842]),
            A=Dictionary(S=Name.Launch, F=String("cmd.exe"), Win=Dictionary(F=String("cmd"))),
        )
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])

    return _one_page(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_embedded_file() -> bytes:
    def build(pdf):
        pdf.attachments["huong-dan.exe"] = pikepdf.AttachedFileSpec(
            pdf, b"MZ\x90\x00" + bytes(64), mime_type="application/octet-stream"
        )

    return _one_page(build, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_xfa_form() -> bytes:
    def build(pdf):
        xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=Array([String("template"), xfa]))

    return _one_page(build)


def pdf_encrypted_rc4_owner_password_only() -> bytes:
    """RC4 (revision 3), no password needed to open: readers show it, qpdf decrypts it."""
    encryption = pikepdf.Encryption(owner="chu-so-huu", user="", R=3, aes=False, metadata=False)
    return _one_page(encryption=encryption)


def pdf_encrypted_aes_with_password() -> bytes:
    return _one_page(encryption=pikepdf.Encryption(owner="chu-so-huu", user="mat-khau", R=6))


def pdf_html_behind_header() -> bytes:
    return b"%PDF-1.4 <html><body><script>alert(document.cookie)</script></body></html> %%EOF"


def pdf_with_html_after_eof() -> bytes:
    return pdf_bytes() + b"<html><script>alert(document.cookie)</script></html>\n"


def pdf_without_pages() -> bytes:
    content = pdf_bytes()
    return content.replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0     ")


def pdf_broken_cross_reference() -> bytes:
    """Offsets in the cross-reference table point nowhere: readers must guess (“repair”)."""
    return re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", pdf_bytes())


@functools.cache
def pdf_object_stream_bomb(unpacked: int = 500 * 1024 * 1024) -> bytes:
    """One object in a Flate object stream padded with `unpacked` bytes of spaces (about 1000:1),
    with the cross-reference stream that compressed objects need."""
    head, body = b"5 0 ", b"<< /A 1 >>"
    packer = zlib.compressobj(9)
    packed = packer.compress(head + body)
    spaces = b" " * (1024 * 1024)
    for _ in range(unpacked // len(spaces)):
        packed += packer.compress(spaces)
    packed += packer.flush()
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, text in [
        (1, b"<< /Type /Catalog /Pages 2 0 R /Extra 5 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
        (
            4,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(head), len(packed))
            + packed
            + b"\nendstream",
        ),
    ]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    xref = len(out)
    rows = b"\x00" + struct.pack(">IH", 0, 65535)
    rows += b"".join(b"\x01" + struct.pack(">IH", offsets[n], 0) for n in (1, 2, 3, 4))
    rows += b"\x02" + struct.pack(">IH", 4, 0) + b"\x01" + struct.pack(">IH", xref, 0)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return bytes(out)


# --- Office --------------------------------------------------------------------------------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR = 512


def cfb(entries: dict[str, bytes]) -> bytes:
    """A Compound File (OLE2, the container of vbaProject.bin and of OLE objects) holding the
    given streams; "VBA/dir" is the stream "dir" in the storage "VBA". Version 3, one FAT
    sector, every stream padded to 4096 bytes so that no mini stream is needed."""
    tree: dict = {}
    for path, data in entries.items():
        *storages, stream = path.split("/")
        node = tree
        for storage in storages:
            node = node.setdefault(storage, {})
        node[stream] = data.ljust(4096, b"\0")

    directory: list[list] = []  # [name, type, data-or-None, child, right]

    def add(name: str, node) -> int:
        index = len(directory)
        is_storage = isinstance(node, dict)
        directory.append([name, 1 if is_storage else 2, None if is_storage else node, _FREE, _FREE])
        if is_storage:
            children = [add(child, node[child]) for child in _cfb_order(node)]
            if children:
                directory[index][3] = children[0]
                for left, right in itertools.pairwise(children):
                    directory[left][4] = right
        return index

    add("Root Entry", tree)
    directory[0][1] = 5
    directory_sectors = -(-len(directory) // 4)
    next_sector = 1 + directory_sectors
    fat = [_FAT, *range(2, 1 + directory_sectors), _END]
    body = b""
    starts = {}
    for index, (_name, kind, data, _child, _right) in enumerate(directory):
        if kind != 2:
            continue
        count = len(data) // _SECTOR
        starts[index] = next_sector
        fat += [*range(next_sector + 1, next_sector + count), _END]
        next_sector += count
        body += data
    assert len(fat) <= 128
    fat += [_FREE] * (128 - len(fat))

    entries_bytes = b""
    for index, (name, kind, data, child, right) in enumerate(directory):
        encoded = name.encode("utf-16-le") + b"\0\0"
        entries_bytes += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, _FREE, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", starts.get(index, _END), len(data) if data else 0)
        )
    entries_bytes = entries_bytes.ljust(directory_sectors * _SECTOR, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    assert len(header) == _SECTOR
    return header + struct.pack("<128I", *fat) + entries_bytes + body


def _cfb_order(node: dict) -> list[str]:
    return sorted(node, key=lambda name: (len(name), name.upper()))


@functools.cache
def vba_project() -> bytes:
    """What Word and Excel store as vbaProject.bin: a VBA storage with its dir stream."""
    return cfb(
        {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument',
            "PROJECTwm": b"ThisDocument\0",
            "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00",
            "VBA/dir": b"\x01\x16\x00compressed-dir-stream",
            "VBA/ThisDocument": b'Sub AutoOpen()\r\n  Shell "cmd.exe"\r\nEnd Sub\r\n',
        }
    )


@functools.cache
def ole_package() -> bytes:
    """An embedded OLE “Package” object: how a program is hidden inside a document."""
    return cfb({"\x01Ole10Native": b"\x10\x00\x00\x00huong-dan.exe\0MZ\x90\x00"})


def with_parts(
    package: bytes, parts: dict[str, bytes], *, content_types: tuple[bytes, bytes] | None = None
) -> bytes:
    """A copy of the ZIP `package` with `parts` added, and `content_types` = (old, new) replaced
    in [Content_Types].xml."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if content_types and info.filename == "[Content_Types].xml":
                assert content_types[0] in data
                data = data.replace(*content_types)
            target.writestr(info.filename, data)
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def docx_with_renamed_vba() -> bytes:
    """vbaProject.bin saved as an image: no part is called vbaProject."""
    return with_parts(docx_bytes(), {"word/media/image7.png": vba_project()})


def xlsx_with_renamed_vba() -> bytes:
    return with_parts(xlsx_bytes(), {"xl/media/logo.jpeg": vba_project()})


WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
EXCEL_MACRO_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def docm_named_docx() -> bytes:
    """A macro-enabled document (.docm) by its content type, renamed .docx, with no VBA part."""
    return with_parts(docx_bytes(), {}, content_types=(WORD_MAIN, WORD_MACRO_MAIN))


def xlsm_named_xlsx() -> bytes:
    return with_parts(xlsx_bytes(), {}, content_types=(EXCEL_MAIN, EXCEL_MACRO_MAIN))


def docx_with_vba_content_type() -> bytes:
    """A VBA project declared by content type for the .bin extension, stored under another name."""
    default = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    return with_parts(
        docx_bytes(),
        {"word/data.bin": b"not even OLE"},
        content_types=(b"<Default ", default + b"<Default "),
    )


def xlsx_with_ole_package() -> bytes:
    """An embedded OLE Package (an executable inside the workbook), stored under an image name."""
    return with_parts(xlsx_bytes(), {"xl/media/image1.emf": ole_package()})
