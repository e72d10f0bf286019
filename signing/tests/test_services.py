"""Signing the issued plan: the person's signature in the offered field, then the body's on top;
validation, tampering, a file that is not the issued document, an untrusted root, positions."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils.reader import PdfFileReader

from inspections.tests.factories import user
from signing import placement, services
from signing.models import SignatureKind, SignatureStatus, SignedVersion
from signing.tests.conftest import Pki, person_sign

pytestmark = pytest.mark.django_db


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def _fields(content: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    import io

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    found = {}
    for page_number, page in enumerate(reader.root["/Pages"]["/Kids"]):
        for annotation in page.get_object().get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig":
                found[str(annotation["/T"])] = (page_number, tuple(annotation["/Rect"]))
    return found


def test_the_offered_field_sits_in_the_signature_block_after_the_issued_bytes(rendition):
    issued = _read(rendition.pdf)
    offered = services.field_offer(rendition)
    assert offered.startswith(issued) and len(offered) > len(issued)
    page, rect = _fields(offered)[services.PERSON_FIELD]
    box = placement.person_box(issued)
    assert page == box.page == 2  # the seed plan's closing is on its third page
    x1, y1, x2, y2 = (float(v) for v in rect)
    # Between the title "PHÓ CHỦ TỊCH" (baseline 529) and the name (baseline 428), in the
    # right column centred on it (x 344–505 for "TM. ỦY BAN NHÂN DÂN").
    assert 428 < y1 < y2 < 529
    assert abs((x1 + x2) / 2 - 424) < 3


def test_person_then_body_both_valid_and_tampering_breaks_them(pki, body, rendition):
    pki.trust()
    person = pki.pkcs12("Nguyễn Thanh Nhân (THỬ NGHIỆM)", "person.p12")
    signed = person_sign(services.field_offer(rendition), person)
    version = services.person_signature_record(
        rendition=rendition, content=signed, by=user("noivu")
    )
    assert version.kind == SignatureKind.PERSON and version.status == SignatureStatus.VALID
    assert version.signer_name == "Nguyễn Thanh Nhân (THỬ NGHIỆM)"
    assert version.pdf_sha256 == hashlib.sha256(signed).hexdigest()
    assert version.recorded_by.username == "noivu"

    sealed = services.body_sign(rendition=rendition, by=user("noivu"))
    assert sealed.kind == SignatureKind.BODY and sealed.body == body.agency
    content = _read(sealed.pdf)
    assert content.startswith(signed)  # incremental: the person's revision is untouched
    checks = services.pdf_signatures(content)
    assert [c.field for c in checks] == [services.PERSON_FIELD, services.BODY_FIELD]
    assert all(c.status == SignatureStatus.VALID for c in checks), checks
    assert sealed.status == SignatureStatus.VALID
    # The time is Vietnam's, ISO 8601 with +07:00.
    assert all(c.signed_at.endswith("+07:00") for c in checks)
    datetime.datetime.fromisoformat(checks[1].signed_at)

    # One byte changed inside the signed range: both signatures fail.
    tampered = bytearray(content)
    spot = content.index(b"/Type /Page") + 1 if b"/Type /Page" in content else 2000
    tampered[spot] ^= 0x01
    after = services.pdf_signatures(bytes(tampered))
    assert after and all(c.status != SignatureStatus.VALID for c in after)


def test_the_seal_covers_the_left_third_of_the_persons_signature(pki, body, rendition):
    pki.trust()
    person = pki.pkcs12("Người ký thử", "person.p12")
    services.person_signature_record(
        rendition=rendition,
        content=person_sign(services.field_offer(rendition), person),
        by=user("noivu"),
    )
    content = _read(services.body_sign(rendition=rendition, by=user("noivu")).pdf)
    found = _fields(content)
    person_page, (px1, py1, px2, py2) = found[services.PERSON_FIELD]
    seal_page, (sx1, sy1, sx2, sy2) = found[services.BODY_FIELD]
    assert person_page == seal_page
    third = px1 + (px2 - px1) / 3
    # The seal overlaps the left third of the person's box, and no further to the right.
    assert sx1 < px1 < sx2 and abs(sx2 - third) < 1.5
    assert sy1 < (py1 + py2) / 2 < sy2
    # Real size: 36 mm.
    assert abs((sx2 - sx1) - 36 * 72 / 25.4) < 1.5


def test_a_signed_file_that_is_not_the_issued_document_is_refused(pki, rendition):
    pki.trust()
    person = pki.pkcs12("Người ký thử", "person.p12")
    offered = bytearray(services.field_offer(rendition))
    # The issued part changed before signing (one byte of the first revision).
    offered[1500] ^= 0x01
    signed = person_sign(bytes(offered), person)
    with pytest.raises(ValidationError) as refused:
        services.person_signature_record(rendition=rendition, content=signed, by=user("noivu"))
    assert "không phải là văn bản đã ban hành" in refused.value.messages[0]
    assert not SignedVersion.objects.exists()


def test_unsigned_file_is_refused_in_vietnamese(rendition):
    with pytest.raises(ValidationError) as refused:
        services.person_signature_record(
            rendition=rendition, content=services.field_offer(rendition), by=user("noivu")
        )
    assert "chưa có chữ ký số" in refused.value.messages[0]


def test_an_untrusted_root_is_shown_as_such_and_the_body_waits(pki, body, rendition, cert_dir):
    pki.trust()
    stranger = Pki(cert_dir, "UNKNOWN ROOT")
    person = stranger.pkcs12("Người lạ", "stranger.p12")
    version = services.person_signature_record(
        rendition=rendition,
        content=person_sign(services.field_offer(rendition), person),
        by=user("noivu"),
    )
    assert version.status == SignatureStatus.UNTRUSTED
    assert "không được tin cậy" in version.get_status_display()
    with pytest.raises(ValidationError) as refused:
        services.body_sign(rendition=rendition, by=user("noivu"))
    assert "chưa được xác thực" in refused.value.messages[0]
