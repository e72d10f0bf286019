"""Attachments issued in a separate file (Decree 30, appendix I): the pages of an issued PDF that
are attached to the document — the results report's phụ lục, the outline sent with its covering
letter, the plan a decision issues — kept as a file of their own, signed by the body without an
image, at the top right of their first page: the document's number and symbol and the signing
time (Times New Roman metrics: Liberation Serif, 10 pt, regular, black).

The pages are found in the kept PDF itself, like the signature block (placement.py): every
attachment begins on a new page after the closing, under a line "(Kèm theo …)" or "(Ban hành
kèm theo …)"; the closing is the last page before it that names the recipients ("Nơi nhận:").
The separate file is those pages as issued (pypdf copies them, fonts included), kept once with
its SHA-256; the signed file is that file plus the body's signature (incremental update)."""

from __future__ import annotations

import io
import re
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle
from pypdf import PdfReader, PdfWriter

from inspections.models import IssuedRendition
from signing import placement, services
from signing.models import AttachmentFile, SigningBody

ATTACHMENT_FIELD = "ChuKyCoQuanTrenTepKemTheo"
FONT_SIZE = 10  # pt, as the decree sets it
# The stamp's box at the top right of the first page, inside the top margin (20 mm): its right
# edge on the text's (15 mm from the page's), its top 5 mm below the page's.
STAMP_WIDTH, STAMP_HEIGHT, STAMP_TOP = 62 * placement.MM, 11 * placement.MM, 5 * placement.MM

_NUMBER = re.compile(r"Số:\s*(\d+/[^\s]+)")


def number_symbol(pdf: bytes) -> str:
    """ "23/KH-UBND", from the header of the document's first page."""
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    found = _NUMBER.search(first)
    return found.group(1) if found else ""


def _pages(pdf: bytes, first: int) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages[first:]:
        writer.add_page(page)
    if reader.metadata is not None:
        writer.add_metadata({key: value for key, value in reader.metadata.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachment_for(rendition: IssuedRendition) -> AttachmentFile:
    """The document's attachment file, found and kept at the first call (a row without a file
    for a document without attachments); never made twice."""
    existing = AttachmentFile.objects.filter(rendition=rendition).first()
    if existing is not None:
        return existing
    issued = services.issued_pdf(rendition)
    first = placement.first_attachment_page(issued)
    attachment = AttachmentFile(rendition=rendition, number_symbol=number_symbol(issued))
    if first is not None:
        content = _pages(issued, first)
        attachment.first_page = first + 1
        attachment.pdf_sha256 = services._sha256(content)
        attachment.pdf.save(f"{rendition.title}-kem-theo.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError:
        if attachment.pdf:
            attachment.pdf.delete(save=False)
        return AttachmentFile.objects.get(rendition=rendition)
    return attachment


def stamp_box(pdf: bytes) -> placement.Box:
    """The box of the body's signature on the attachment: the top right of its first page."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    right, top = width - placement.RIGHT_MARGIN, height - STAMP_TOP
    return placement.Box(0, right - STAMP_WIDTH, top - STAMP_HEIGHT, right, top)


def stamp_style() -> TextStampStyle:
    """Text only, no image and no border: the number and symbol, then the time, right-aligned."""
    return TextStampStyle(
        stamp_text="%(number)s\n%(time)s",
        text_box_style=TextBoxStyle(
            font=services._font_factory(FONT_SIZE),
            font_size=FONT_SIZE,
            leading=FONT_SIZE + 2,
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MAX,
                y_align=AxisAlignment.ALIGN_MAX,
                margins=Margins(0, 0, 0, 0),
            ),
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MAX,
            y_align=AxisAlignment.ALIGN_MAX,
            margins=Margins(0, 0, 0, 0),
        ),
        border_width=0,
        background=None,
    )


def attachment_sign(*, rendition: IssuedRendition, by) -> AttachmentFile:
    """The records office signs the attachment file with the body's certificate."""
    attachment = attachment_for(rendition)
    if not attachment.exists:
        services._refuse("Văn bản này không có tệp kèm theo.")
    if attachment.is_signed:
        services._refuse("Tệp kèm theo đã có chữ ký số của cơ quan.")
    agency = services.issuing_body(rendition.document)
    body = SigningBody.objects.select_related("agency").filter(agency=agency).first()
    if body is None:
        services._refuse(
            f"Chưa cấu hình chữ ký số của {agency.name}: quản trị viên cần khai báo chứng thư "
            "của cơ quan."
        )
    content = services._read(attachment.pdf)
    box = stamp_box(content)
    moment = timezone.now()
    signed = services.body_signature(
        body,
        content,
        field=ATTACHMENT_FIELD,
        box=box,
        style=stamp_style(),
        params={"number": attachment.number_symbol, "time": services.iso_vietnam(moment)},
    )
    checks = services.pdf_signatures(signed)
    attachment.signatures = [asdict(check) for check in checks]
    attachment.status = services._worst(checks)
    attachment.signed_sha256 = services._sha256(signed)
    attachment.signed_at = moment
    attachment.body = body.agency
    attachment.signed_by = by
    attachment.signed_pdf.save(
        f"{rendition.title}-kem-theo-da-ky.pdf", ContentFile(signed), save=False
    )
    try:
        with transaction.atomic():
            updated = AttachmentFile.objects.filter(pk=attachment.pk, signed_sha256="").update(
                signed_pdf=attachment.signed_pdf.name,
                signed_sha256=attachment.signed_sha256,
                signed_at=moment,
                body=body.agency,
                signed_by=by,
                signatures=attachment.signatures,
                status=attachment.status,
            )
    except Exception:
        attachment.signed_pdf.delete(save=False)
        raise
    if not updated:  # signed at the same moment by someone else: theirs is the record
        attachment.signed_pdf.delete(save=False)
        services._refuse("Tệp kèm theo đã có chữ ký số của cơ quan.")
    return attachment


def served_attachment(attachment: AttachmentFile) -> bytes:
    """The signed attachment once there is one, else the file as issued."""
    return services._read(attachment.signed_pdf if attachment.is_signed else attachment.pdf)
