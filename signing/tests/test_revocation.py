"""Revocation on a server that cannot reach the certificate authority: a CA made in the test
revokes one of its certificates; its CRL, installed through the admin or put in SIGNING_CRL_DIR,
shows that signature as revoked ("đã thu hồi") and the others as checked; without a CRL (and
without fetching) every signature says that revocation was not checked."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.test import client_for
from inspections.tests.factories import seed, user
from signing import certificates, services
from signing.models import RevocationList, SignatureStatus, SignedVersion
from signing.tests.conftest import person_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(pki, cert_dir):
    """Two people's certificates of the test CA, as PKCS#12 files: (certificate, path)."""
    found = {}
    for name in ("kept", "revoked"):
        certificate, key = certificates.certificate_issue(pki.authority, f"Người ký {name}")
        path = cert_dir / f"{name}.p12"
        path.write_bytes(certificates.pkcs12_bytes(certificate, key, pki.authority))
        found[name] = (certificate, path)
    return found


def _crl(pki, people, encoding=Encoding.DER) -> bytes:
    return certificates.crl_create(pki.authority, [people["revoked"][0]]).public_bytes(encoding)


def _signed(rendition, people, name: str) -> bytes:
    return person_sign(services.field_offer(rendition), people[name][1])


def test_offline_without_a_crl_revocation_is_not_checked(pki, people, rendition, settings):
    settings.SIGNING_FETCH_REVOCATION = False
    pki.trust()
    (check,) = services.pdf_signatures(_signed(rendition, people, "revoked"))
    # Nothing says it is revoked: the signature verifies, and the page says what was not done.
    assert check.status == SignatureStatus.VALID
    assert "chưa kiểm tra thu hồi" in check.detail


def test_a_crl_uploaded_in_the_admin_shows_the_revoked_certificate(pki, people, rendition):
    pki.trust()
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:signing_revocationlist_add"),
        {
            "name": "CRL của CA thử",
            "file": SimpleUploadedFile("ca.crl", _crl(pki, people)),
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    installed = RevocationList.objects.get()
    assert "CCHC TEST ROOT CA" in installed.issuer and installed.next_update is not None

    (revoked,) = services.pdf_signatures(_signed(rendition, people, "revoked"))
    assert revoked.status == SignatureStatus.REVOKED
    assert revoked.status_label == "Chứng thư đã thu hồi"
    assert "đã thu hồi ngày" in revoked.detail
    (kept,) = services.pdf_signatures(_signed(rendition, people, "kept"))
    assert kept.status == SignatureStatus.VALID
    assert kept.detail.endswith(services.REVOCATION_BY_CRL)

    # The person's upload with the revoked certificate is refused, saying so; nothing recorded.
    page = reverse("inspections:plan-detail", args=[seed().pk])
    office = client_for("noivu")
    office.post(
        reverse("signing:person-upload", args=[rendition.pk]),
        {"file": SimpleUploadedFile("ky.pdf", _signed(rendition, people, "revoked")),
         "next": page},
    )  # fmt: skip
    assert "đã thu hồi" in office.get(page).text
    assert not SignedVersion.objects.exists()

    # Turned off in the admin, the CRL no longer counts.
    installed.active = False
    installed.save()
    (again,) = services.pdf_signatures(_signed(rendition, people, "revoked"))
    assert again.status == SignatureStatus.VALID and "chưa kiểm tra thu hồi" in again.detail


def test_a_crl_in_the_configured_folder_counts_too(pki, people, rendition, settings, tmp_path):
    pki.trust()
    folder = tmp_path / "crl"
    folder.mkdir()
    (folder / "ca.pem").write_bytes(_crl(pki, people, Encoding.PEM))
    (folder / "notes.crl").write_bytes(b"not a CRL")  # left out, logged
    settings.SIGNING_CRL_DIR = folder
    with pytest.raises(ValidationError) as refused:
        services.person_signature_record(
            rendition=rendition, content=_signed(rendition, people, "revoked"), by=user("noivu")
        )
    assert "đã thu hồi" in refused.value.messages[0]
    version = services.person_signature_record(
        rendition=rendition, content=_signed(rendition, people, "kept"), by=user("noivu")
    )
    assert version.status == SignatureStatus.VALID
    assert services.REVOCATION_BY_CRL in version.signatures[0]["detail"]


def test_another_issuers_crl_does_not_cover_the_certificate(pki, people, rendition, cert_dir):
    pki.trust()
    other = certificates.authority_create("ANOTHER CA")
    crl = certificates.crl_create(other, []).public_bytes(Encoding.DER)
    installed = RevocationList(name="Khác")
    installed.file.save("other.crl", SimpleUploadedFile("other.crl", crl), save=False)
    installed.full_clean()
    installed.save()
    (check,) = services.pdf_signatures(_signed(rendition, people, "kept"))
    assert check.status == SignatureStatus.VALID and "chưa kiểm tra thu hồi" in check.detail


def test_the_admin_refuses_a_file_that_is_not_a_crl(private_files):
    response = client_for("admin").post(
        reverse("admin:signing_revocationlist_add"),
        {"name": "Sai", "file": SimpleUploadedFile("x.crl", b"not a CRL"), "active": "on"},
    )
    assert response.status_code == 200
    assert "Không đọc được danh sách thu hồi" in response.content.decode()
    assert not RevocationList.objects.exists()
