"""A certificate authority made in the test, a person's and a body's certificates, the seed plan
issued and kept, its issuer set up to sign with a seal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from inspections.tests.conftest import outline, sent  # noqa: F401 (fixtures)
from inspections.tests.factories import seed
from reports.issued import rendition_store
from signing import certificates
from signing.certificates import seal_png
from signing.models import SigningBody, TrustRoot
from signing.services import PERSON_FIELD


class Pki:
    def __init__(self, folder: Path, name: str = "CCHC TEST ROOT CA"):
        self.folder = folder
        self.authority = certificates.authority_create(name)

    def pkcs12(self, common_name: str, filename: str) -> Path:
        certificate, key = certificates.certificate_issue(self.authority, common_name)
        path = self.folder / filename
        path.write_bytes(certificates.pkcs12_bytes(certificate, key, self.authority))
        return path

    def trust(self) -> TrustRoot:
        return TrustRoot.objects.create(
            name="Gốc thử", certificate=certificates.pem(self.authority.certificate)
        )


def person_sign(content: bytes, pkcs12: Path, field: str = PERSON_FIELD) -> bytes:
    return certificates.sign_as_person(content, pkcs12, field, certificates.DEMO_PASSPHRASE)


@pytest.fixture
def cert_dir(settings, tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir()
    settings.SIGNING_CERT_DIR = folder
    settings.SIGNING_CRL_DIR = folder / "crl"  # none unless a test puts one there
    settings.SIGNING_PKCS12_PASSPHRASE = certificates.DEMO_PASSPHRASE.decode()
    return folder


@pytest.fixture
def pki(cert_dir) -> Pki:
    return Pki(cert_dir)


@pytest.fixture
def rendition(private_files):
    return rendition_store(seed())


@pytest.fixture
def body(pki, rendition) -> SigningBody:
    pki.pkcs12("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG (THỬ NGHIỆM)", "body.p12")
    signing_body = SigningBody(agency=seed().issuer, pkcs12_file="body.p12")
    signing_body.seal.save("seal.png", ContentFile(seal_png()), save=False)
    signing_body.save()
    return signing_body
