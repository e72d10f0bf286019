"""The body's key on a PKCS#11 token: a SoftHSM2 token made in a temporary folder, the body's key
and certificate (issued by the test's CA) put on it, and the body's signature made through the
settings the app reads (SIGNING_PKCS11_MODULE, _TOKEN_LABEL, _PIN and the body's key label),
then validated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from inspections.tests.factories import seed, user
from signing import certificates, services
from signing.certificates import seal_png
from signing.models import SignatureKind, SignatureStatus, SigningBody
from signing.tests.conftest import person_sign

pytestmark = pytest.mark.django_db

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN, LABEL = "cchc-thu-nghiem", "123456", "654321", "co-quan-ky"
BODY_NAME = "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG (THỬ NGHIỆM, PKCS#11)"


@pytest.fixture
def token(tmp_path, monkeypatch, settings, pki):
    """A SoftHSM2 token with the body's key pair and certificate under one label."""
    if not MODULE.exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("softhsm2 is not installed (make test installs it)")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))

    def util(*args: str) -> None:
        subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)

    util("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    certificate, key = certificates.certificate_issue(pki.authority, BODY_NAME)
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    util("--import", str(key_file), "--token", TOKEN, "--label", LABEL, "--id", "01",
         "--pin", PIN)  # fmt: skip
    key_file.unlink()
    _certificate_store(certificate)
    settings.SIGNING_PKCS11_MODULE = str(MODULE)
    settings.SIGNING_PKCS11_TOKEN_LABEL = TOKEN
    settings.SIGNING_PKCS11_PIN = PIN
    return certificate


def _certificate_store(certificate) -> None:
    """The certificate beside its key (softhsm2-util imports keys only): written through the
    token's own PKCS#11 interface."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    library = pkcs11.lib(str(MODULE))
    with library.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: certificate.subject.public_bytes(),
                Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
            }
        )


def _signed_by_the_person(pki, rendition) -> None:
    """The body's key on the token, the document signed by a person of the test CA (trusted)."""
    pki.trust()
    body = SigningBody(agency=seed().issuer, pkcs11_key_label=LABEL)
    body.seal.save("seal.png", ContentFile(seal_png()), save=False)
    body.save()
    person = pki.pkcs12("Nguyễn Thanh Nhân (THỬ NGHIỆM)", "person.p12")
    services.person_signature_record(
        rendition=rendition,
        content=person_sign(services.field_offer(rendition), person),
        by=user("noivu"),
    )


def test_the_body_signs_with_its_key_on_a_pkcs11_token(pki, token, rendition):
    _signed_by_the_person(pki, rendition)

    sealed = services.body_sign(rendition=rendition, by=user("noivu"))

    assert sealed.kind == SignatureKind.BODY and sealed.status == SignatureStatus.VALID
    with sealed.pdf.open("rb") as file:
        checks = services.pdf_signatures(file.read())
    assert [check.field for check in checks] == [services.PERSON_FIELD, services.BODY_FIELD]
    assert all(check.status == SignatureStatus.VALID for check in checks), checks
    assert checks[1].signer == BODY_NAME  # the token's certificate signed


def test_a_wrong_pin_is_refused_and_records_nothing(pki, token, rendition, settings):
    settings.SIGNING_PKCS11_PIN = "000000"
    _signed_by_the_person(pki, rendition)
    with pytest.raises(ValidationError) as refused:
        services.body_sign(rendition=rendition, by=user("noivu"))
    assert "Không mở được thiết bị ký số PKCS#11" in refused.value.messages[0]
    assert not rendition.signed_versions.filter(kind=SignatureKind.BODY).exists()
