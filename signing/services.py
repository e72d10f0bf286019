"""Signing issued documents and checking signed PDFs (pyHanko: PAdES, no hand-written CMS).

The issued bytes (`IssuedRendition.pdf`) stay the first revision of every signed file:
1. `field_offer` — the issued PDF plus an empty signature field in the signature block
   (incremental update), for the competent person to sign with their own token.
2. `person_signature_record` — the file signed back: it must begin with exactly the issued bytes
   and change nothing after them but signature fields and their values; every signature is
   validated (chain to the trust roots, validity now, revocation when allowed to fetch).
3. `body_sign` — the records office adds the body's signature on top (seal over the left third
   of the person's signature, the body's name, the signing time in +07:00).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import io
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from inspections.models import IssuedRendition
from signing import certificates, placement
from signing.models import (
    CheckedFile,
    RevocationList,
    SignatureKind,
    SignatureStatus,
    SignedVersion,
    SigningBody,
    TrustRoot,
)

logger = logging.getLogger(__name__)

PERSON_FIELD = "ChuKyNguoiCoThamQuyen"
BODY_FIELD = "ChuKyCoQuan"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "LiberationSerif-Regular.ttf"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def iso_vietnam(moment: datetime.datetime) -> str:
    """The signing time as Decree 30 shows it: ISO 8601 with Vietnam's offset, to the second."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


# --- Validation -----------------------------------------------------------------------------


def trust_roots() -> list:
    """The roots an administrator installed; with DEBUG on, also the demo root of this machine."""
    roots = [
        certificates.asn1_certificate(root.certificate)
        for root in TrustRoot.objects.filter(active=True)
    ]
    demo = certificates.demo_root_path()
    if settings.DEBUG and demo.exists():
        roots.append(certificates.asn1_certificate(demo.read_bytes()))
    return roots


def revocation_lists() -> list[asn1_crl.CertificateList]:
    """The CRLs installed for offline revocation checks: those an administrator uploaded (admin
    → "Danh sách chứng thư thu hồi") and the .crl/.pem files of SIGNING_CRL_DIR. A file that is
    not a CRL is logged and left out."""
    found = []
    sources = [(row.name, row.file) for row in RevocationList.objects.filter(active=True)]
    folder = Path(settings.SIGNING_CRL_DIR)
    if folder.is_dir():
        sources += [
            (path.name, path)
            for path in sorted(folder.iterdir())
            if path.suffix in {".crl", ".pem"}
        ]
    for name, source in sources:
        try:
            data = source.read_bytes() if isinstance(source, Path) else _read(source)
            parsed = certificates.crl_read(data)
        except (OSError, ValueError):
            logger.warning("CRL %s not readable: left out", name)
            continue
        found.append(asn1_crl.CertificateList.load(parsed.public_bytes(Encoding.DER)))
    return found


def validation_context(
    crls: list | None = None, *, roots: list | None = None, crl_required: bool = False
) -> ValidationContext:
    """Soft-fail revocation (checked where the certificates name a source and it answers), or
    — for a signer's certificate an installed CRL covers — the CRL required: pyHanko's soft-fail
    consults no CRL for a certificate that does not name where its CRL is."""
    soft = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
    return ValidationContext(
        trust_roots=trust_roots() if roots is None else roots,
        crls=revocation_lists() if crls is None else crls,
        allow_fetching=settings.SIGNING_FETCH_REVOCATION,
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED if crl_required else soft,
                intermediate_ca_cert_rule=soft,
            )
        ),
    )


def _covered(certificate, crls: list, now: datetime.datetime) -> bool:
    """Whether a current installed CRL is the certificate's issuer's."""
    for crl in crls:
        tbs = crl["tbs_cert_list"]
        next_update = tbs["next_update"].native
        if (
            tbs["issuer"].hashable == certificate.issuer.hashable
            and tbs["this_update"].native <= now
            and (next_update is None or now <= next_update)
        ):
            return True
    return False


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF as found: shown on the document's page, kept as JSON."""

    field: str
    signer: str
    signed_at: str  # ISO 8601, +07:00
    status: str  # SignatureStatus
    detail: str
    timestamped: bool

    @property
    def status_label(self) -> str:
        return SignatureStatus(self.status).label

    @property
    def is_valid(self) -> bool:
        return self.status == SignatureStatus.VALID


def _detail(status, revocation: str) -> str:
    parts = []
    if status.revoked:
        details = status.revocation_details
        parts.append(
            f"chứng thư {'của nơi cấp ' if details.ca_revoked else ''}đã thu hồi ngày "
            + details.revocation_date.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
        )
    if not status.intact:
        parts.append("nội dung đã bị thay đổi sau khi ký")
    elif not status.valid:
        parts.append("chữ ký không khớp với chứng thư")
    if not status.trusted and not status.revoked:
        parts.append("chứng thư không dẫn tới chứng thư gốc tin cậy hoặc đã hết hạn")
    if status.modification_level not in (None, ModificationLevel.NONE):
        parts.append("có bổ sung sau khi ký: " + _LEVEL.get(status.modification_level, "khác"))
    if not status.revoked:
        parts.append(revocation)
    return "; ".join(parts)


REVOCATION_BY_CRL = "đã kiểm tra thu hồi theo danh sách thu hồi (CRL) đã cài đặt"
REVOCATION_ONLINE = "đã kiểm tra thu hồi khi truy cập được"
REVOCATION_UNCHECKED = (
    "chưa kiểm tra thu hồi chứng thư (máy chủ không truy cập mạng và chưa cài danh sách thu hồi "
    "của nơi cấp)"
)


def _revocation(covered: bool) -> str:
    if covered:
        return REVOCATION_BY_CRL
    return REVOCATION_ONLINE if settings.SIGNING_FETCH_REVOCATION else REVOCATION_UNCHECKED


_LEVEL = {
    ModificationLevel.LTA_UPDATES: "thông tin kiểm tra dài hạn",
    ModificationLevel.FORM_FILLING: "chữ ký khác, ô ký",
    ModificationLevel.ANNOTATIONS: "ghi chú",
    ModificationLevel.OTHER: "nội dung khác",
}


def pdf_signatures(content: bytes) -> list[SignatureCheck]:
    """Every signature of the PDF, validated; a file that cannot be read has none."""
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = reader.embedded_regular_signatures
    except Exception:
        logger.info("PDF not readable for signatures", exc_info=True)
        return []
    found = []
    crls, roots = revocation_lists(), trust_roots()
    now = datetime.datetime.now(datetime.UTC)
    for signature in embedded:
        try:
            covered = _covered(signature.signer_cert, crls, now)
            context = validation_context(crls, roots=roots, crl_required=covered)
            status = validate_pdf_signature(signature, signer_validation_context=context)
        except Exception:
            logger.info("Signature %s not validated", signature.field_name, exc_info=True)
            found.append(
                SignatureCheck(
                    signature.field_name,
                    "",
                    "",
                    SignatureStatus.INVALID,
                    "không đọc được chữ ký",
                    False,
                )
            )
            continue
        if not (status.intact and status.valid):
            verdict = SignatureStatus.INVALID
        elif status.revoked:
            verdict = SignatureStatus.REVOKED
        elif not status.docmdp_ok or (
            status.modification_level is not None
            and status.modification_level > ModificationLevel.FORM_FILLING
        ):
            verdict = SignatureStatus.MODIFIED
        elif not status.trusted:
            verdict = SignatureStatus.UNTRUSTED
        else:
            verdict = SignatureStatus.VALID
        moment = (
            status.timestamp_validity.timestamp
            if status.timestamp_validity is not None
            else status.signer_reported_dt
        )
        found.append(
            SignatureCheck(
                field=signature.field_name,
                signer=certificates.common_name(status.signing_cert),
                signed_at=iso_vietnam(moment) if moment else "",
                status=verdict,
                detail=_detail(status, _revocation(covered)),
                timestamped=status.timestamp_validity is not None,
            )
        )
    return found


def checks_from_json(stored: list[dict]) -> list[SignatureCheck]:
    return [SignatureCheck(**item) for item in stored]


def uploaded_file_signatures(files: dict[str, object]) -> dict[str, list[SignatureCheck]]:
    """The signatures of uploaded PDFs (a self-inspection report, an attachment), by SHA-256:
    one query for those already checked; the others are read, checked once and kept."""
    known = {
        checked.sha256: checked.signatures
        for checked in CheckedFile.objects.filter(sha256__in=list(files))
    }
    for digest, field in files.items():
        if digest in known:
            continue
        try:
            content = _read(field)
        except OSError:
            logger.warning("Uploaded file %s missing: signatures not checked", digest)
            continue
        found = [asdict(check) for check in pdf_signatures(content)]
        checked, _ = CheckedFile.objects.get_or_create(
            sha256=digest, defaults={"signatures": found}
        )
        known[digest] = checked.signatures
    return {digest: checks_from_json(stored) for digest, stored in known.items()}


# --- The issued document and its versions ---------------------------------------------------


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def issued_pdf(rendition: IssuedRendition) -> bytes:
    return _read(rendition.pdf)


def latest_version(rendition: IssuedRendition) -> SignedVersion | None:
    return SignedVersion.objects.of(rendition).first()


def latest_signed_pdf(rendition: IssuedRendition) -> bytes | None:
    """For `reports`: the latest signed file of an issued document, None while unsigned."""
    version = latest_version(rendition)
    return _read(version.pdf) if version is not None else None


def field_offer(rendition: IssuedRendition) -> bytes:
    """The issued PDF with an empty signature field between the signer's title and name,
    appended as an incremental update: the issued bytes stay its first revision."""
    issued = issued_pdf(rendition)
    box = placement.person_box(issued)
    writer = IncrementalPdfFileWriter(io.BytesIO(issued), strict=False)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(PERSON_FIELD, on_page=box.page, box=box.as_tuple())
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _refuse(message: str) -> None:
    raise ValidationError(message)


def _issued_revision(issued: bytes) -> int:
    return PdfFileReader(io.BytesIO(issued), strict=False).xrefs.total_revisions - 1


def _annotations(page: generic.DictionaryObject) -> list:
    annotations = dict.get(page, "/Annots")
    if annotations is None:
        return []
    return list(annotations.get_object())


def _only_signature_fields_added(reader: PdfFileReader, base: int, last: int) -> bool:
    """Between the issued revision and `last`: existing objects change only where a signature
    field is attached (the catalogue's /AcroForm, a page's /Annots, the document information),
    and every annotation added is a signature widget. Page contents and resources stay as
    issued, so nothing visible but the signatures' appearances can have been added.
    (pyHanko's own difference analysis needs a form in the base revision, which issued PDFs do
    not have; it covers every revision after each signature.)"""
    old = reader.get_historical_resolver(base)
    root, info = reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")
    for revision in range(base + 1, last + 1):
        new = reader.get_historical_resolver(revision)
        for ref in reader.xrefs.explicit_refs_in_revision(revision):
            before = old(ref)
            if isinstance(before, generic.NullObject) or ref.idnum == getattr(info, "idnum", -1):
                continue  # a new object (reachable only through what is checked here)
            after = new(ref)
            if not isinstance(before, generic.DictionaryObject) or isinstance(
                before, generic.StreamObject
            ):
                if isinstance(before, generic.StreamObject) and before.get("/Type") == "/XRef":
                    continue
                return False
            changed = {
                key
                for key in set(before) | set(after)
                if dict.get(before, key) != dict.get(after, key)
            }
            allowed = (
                {"/AcroForm"}
                if ref.idnum == root.idnum
                else {"/Annots"}
                if before.get("/Type") == "/Page"
                else set()
            )
            if not changed <= allowed:
                return False
            if "/Annots" in changed:
                kept = {getattr(a, "reference", None) for a in _annotations(before)}
                for annotation in _annotations(after):
                    if getattr(annotation, "reference", None) in kept:
                        continue
                    widget = annotation.get_object()
                    if widget.get("/Subtype") != "/Widget" or widget.get("/FT") != "/Sig":
                        return False
    return True


def _check_is_the_issued_document(content: bytes, issued: bytes) -> None:
    """The signed file must be the issued bytes followed by nothing but signature fields and
    their values."""
    if not content.startswith(b"%PDF"):
        _refuse("Tệp tải lên không phải là tệp PDF.")
    if not content.startswith(issued):
        _refuse(
            "Tệp đã ký không phải là văn bản đã ban hành: phần đầu của tệp khác với bản đã lưu "
            "khi ban hành (có thể tệp đã được in lại, chuyển đổi hoặc sửa trước khi ký). Hãy tải "
            "bản PDF có ô ký từ trang văn bản, ký bằng phần mềm ký số mà không sửa gì, rồi tải lên."
        )
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:
        logger.info("Signed file not readable", exc_info=True)
        _refuse("Không đọc được tệp PDF đã ký. Hãy ký lại bản PDF có ô ký rồi tải lên.")
    if not signatures:
        _refuse("Tệp tải lên chưa có chữ ký số. Hãy ký tệp rồi tải lên lại.")
    try:
        unchanged = _only_signature_fields_added(
            reader, _issued_revision(issued), signatures[0].signed_revision
        )
    except Exception:
        logger.info("Revisions not comparable", exc_info=True)
        unchanged = False
    if not unchanged:
        _refuse(
            "Tệp đã ký có thay đổi ngoài chữ ký so với văn bản đã ban hành (nội dung, trang hoặc "
            "ghi chú được thêm hay sửa). Chỉ được thêm chữ ký số; hãy ký lại bản PDF có ô ký."
        )


def _next_sequence(rendition: IssuedRendition) -> int:
    last = SignedVersion.objects.filter(rendition=rendition).aggregate(n=models.Max("sequence"))
    return (last["n"] or 0) + 1


def _version_save(
    *,
    rendition: IssuedRendition,
    kind: str,
    content: bytes,
    checks: list[SignatureCheck],
    by,
    body=None,
) -> SignedVersion:
    newest = checks[-1]
    version = SignedVersion(
        rendition=rendition,
        sequence=_next_sequence(rendition),
        kind=kind,
        body=body,
        signer_name=newest.signer[:300],
        signed_at=datetime.datetime.fromisoformat(newest.signed_at)
        if newest.signed_at
        else timezone.now(),
        pdf_sha256=_sha256(content),
        status=_worst(checks),
        signatures=[asdict(check) for check in checks],
        recorded_by=by,
    )
    name = f"{rendition.title}-{kind}.pdf"
    version.pdf.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            version.save()
    except Exception:
        version.pdf.delete(save=False)
        raise
    return version


_BEST_FIRST = [
    SignatureStatus.VALID,
    SignatureStatus.UNTRUSTED,
    SignatureStatus.REVOKED,
    SignatureStatus.MODIFIED,
    SignatureStatus.INVALID,
]


def _worst(checks: list[SignatureCheck]) -> str:
    return max((check.status for check in checks), key=_BEST_FIRST.index)


def person_signature_record(*, rendition: IssuedRendition, content: bytes, by) -> SignedVersion:
    """Take back the issued document signed by the competent person (see the module's doc).
    A signature that does not verify is refused; one from an unknown root is recorded and shown
    as such (the body's signature then waits for a trusted one)."""
    if SignedVersion.objects.filter(rendition=rendition).exists():
        _refuse("Văn bản này đã có chữ ký của người có thẩm quyền.")
    _check_is_the_issued_document(content, issued_pdf(rendition))
    checks = pdf_signatures(content)
    broken = [check for check in checks if check.status != SignatureStatus.VALID and
              check.status != SignatureStatus.UNTRUSTED]  # fmt: skip
    if not checks or broken:
        _refuse(
            "Chữ ký số trong tệp không hợp lệ"
            + (f" ({broken[0].detail})" if broken else "")
            + ". Hãy ký lại bản PDF có ô ký rồi tải lên."
        )
    return _version_save(
        rendition=rendition, kind=SignatureKind.PERSON, content=content, checks=checks, by=by
    )


# --- The body's signature -------------------------------------------------------------------


@contextlib.contextmanager
def _body_signer(body: SigningBody):
    """The body's signer for one signature. A PKCS#11 session is closed (and logged out) after
    it: the token stays usable by the next signature of the same process."""
    if not body.pkcs11_key_label:
        passphrase = settings.SIGNING_PKCS12_PASSPHRASE.encode() or None
        yield certificates.pkcs12_signer(
            Path(settings.SIGNING_CERT_DIR) / body.pkcs12_file, passphrase
        )
        return
    from pkcs11.exceptions import PKCS11Error

    try:
        session = certificates.pkcs11_session()
    except (PKCS11Error, SigningError) as error:
        logger.exception("PKCS#11 token not opened")
        _refuse(
            "Không mở được thiết bị ký số PKCS#11 của cơ quan (kiểm tra thiết bị, nhãn "
            f"SIGNING_PKCS11_TOKEN_LABEL và mã PIN): {type(error).__name__}."
        )
    try:
        yield certificates.pkcs11_signer(session, body.pkcs11_key_label)
    finally:
        session.close()


def body_signature(
    body: SigningBody, content: bytes, *, field: str, box: placement.Box, style, params: dict
) -> bytes:
    """`content` with the body's PAdES signature added (incremental) in a new field `field` at
    `box`, drawn with `style` (B-T when SIGNING_TSA_URL is set)."""
    tsa = settings.SIGNING_TSA_URL
    with _body_signer(body) as signer:
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name=field,
                subfilter=fields.SigSeedSubFilter.PADES,
                name=body.agency.name,
            ),
            signer=signer,
            stamp_style=style,
            timestamper=timestamps.HTTPTimeStamper(tsa) if tsa else None,
            new_field_spec=fields.SigFieldSpec(field, on_page=box.page, box=box.as_tuple()),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        try:
            return pdf_signer.sign_pdf(writer, appearance_text_params=params).getvalue()
        except SigningError as error:
            logger.exception("Body signature failed")
            _refuse(f"Không ký được bằng chứng thư của cơ quan: {error}")


def _seal_image(body: SigningBody) -> PdfImage:
    from PIL import Image

    with body.seal.open("rb") as file, Image.open(file) as image:
        image.load()
        return PdfImage(image.convert("RGBA"))


@functools.cache
def _font_bytes() -> bytes:
    """The font scaled to 1,000 units per em: pyHanko writes the glyph widths and kerning in the
    font's own units, which PDF reads as thousandths of an em (Liberation has 2,048: the text
    would be drawn twice as wide as laid out)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(io.BytesIO(FONT.read_bytes()))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font_factory(size: int = 6):
    """Liberation Serif (full Vietnamese, Times New Roman's metrics) for the text of the body's
    appearance, read into memory (pyHanko's own factory leaves the font file open)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class InMemory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_font_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    return InMemory(str(FONT), font_size=size)


def body_appearance(body: SigningBody, moment: datetime.datetime) -> tuple[TextStampStyle, dict]:
    """The seal image in the box, with the body's name and the signing time below it."""
    style = TextStampStyle(
        stamp_text="%(body)s\n%(time)s",
        text_box_style=TextBoxStyle(font=_font_factory(), font_size=6),
        background=_seal_image(body),
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MIN,
            margins=Margins(bottom=1),
        ),
        border_width=0,
    )
    return style, {"body": body.agency.name, "time": iso_vietnam(moment)}


def issuing_body(document: models.Model):
    """The agency that issued the document (the plan's issuer unless the document has its own;
    the outline's covering letter is the standing body's)."""
    from inspections.models import Outline
    from inspections.services import outline_sender

    if isinstance(document, Outline):
        return outline_sender(document)
    issuer = getattr(document, "issuer", None)
    if issuer is None:
        plan = getattr(document, "plan", None) or document.visit.plan
        issuer = plan.issuer
    return issuer


def body_sign(*, rendition: IssuedRendition, by) -> SignedVersion:
    """The records office adds the body's signature on top of the person's (incremental: the
    person's stays valid). Refused until a trusted person's signature is recorded."""
    latest = latest_version(rendition)
    if latest is None or latest.kind != SignatureKind.PERSON:
        _refuse(
            "Chưa có chữ ký của người có thẩm quyền"
            if latest is None
            else "Văn bản đã có chữ ký của cơ quan."
        )
    if latest.status != SignatureStatus.VALID:
        _refuse(
            "Chữ ký của người có thẩm quyền chưa được xác thực đến một chứng thư gốc tin cậy: "
            "cơ quan chưa thể ký."
        )
    agency = issuing_body(rendition.document)
    body = SigningBody.objects.select_related("agency").filter(agency=agency).first()
    if body is None:
        _refuse(
            f"Chưa cấu hình chữ ký số của {agency.name}: quản trị viên cần tải ảnh con dấu và "
            "khai báo chứng thư của cơ quan."
        )
    content = _read(latest.pdf)
    person = placement.person_box(issued_pdf(rendition))
    box = placement.seal_box(person, body.seal_diameter_mm)
    moment = timezone.now()
    style, params = body_appearance(body, moment)
    signed = body_signature(body, content, field=BODY_FIELD, box=box, style=style, params=params)
    checks = pdf_signatures(signed)
    return _version_save(
        rendition=rendition,
        kind=SignatureKind.BODY,
        content=signed,
        checks=checks,
        by=by,
        body=body.agency,
    )
