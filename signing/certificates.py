"""Certificates: the body's signing credential (PKCS#12 file or PKCS#11 token, never in the
database), the trust roots signatures are validated against, and a small certificate authority
for the demo and the tests (test certificates only, made on the machine, never committed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers

DEMO_PASSPHRASE = b"demo-test-only"


@dataclass
class Authority:
    """A certificate authority made here: its certificate and key."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def authority_create(common_name: str, *, organization: str = "CCHC TEST") -> Authority:
    """A self-signed root, valid from yesterday for ten years."""
    key = _key()
    name = _name(common_name, organization)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return Authority(certificate, key)


def certificate_issue(
    authority: Authority,
    common_name: str,
    *,
    organization: str = "CCHC TEST",
    days: int = 3650,
    not_before: datetime.datetime | None = None,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate of `authority` for a person or a body."""
    key = _key()
    start = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), False
        )
        .sign(authority.key, hashes.SHA256())
    )
    return certificate, key


def pkcs12_bytes(
    certificate: x509.Certificate,
    key: rsa.RSAPrivateKey,
    authority: Authority,
    *,
    passphrase: bytes | None = DEMO_PASSPHRASE,
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=certificate.subject.rfc4514_string().encode(),
        key=key,
        cert=certificate,
        cas=[authority.certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption(),
    )


def sign_as_person(content: bytes, pkcs12: Path, field: str, passphrase: bytes | None) -> bytes:
    """What a person's signing tool does with the offered PDF: sign its field, incrementally
    (the demo and the tests; real people sign with their own token and software)."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signer = signers.SimpleSigner.load_pkcs12(str(pkcs12), passphrase=passphrase)
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = signers.PdfSignatureMetadata(field_name=field)
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def asn1_certificate(text_or_der: str | bytes) -> asn1_x509.Certificate:
    """A certificate from PEM text or DER bytes (what pyHanko's validation takes)."""
    data = text_or_der.encode() if isinstance(text_or_der, str) else text_or_der
    if data.lstrip().startswith(b"-----BEGIN"):
        data = x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(data)


def common_name(certificate: asn1_x509.Certificate) -> str:
    """The subject's common name (the person or body), else the whole subject."""
    subject = certificate.subject.native
    return str(subject.get("common_name") or certificate.subject.human_friendly)


def seal_png(diameter: int = 300) -> bytes:
    """A test seal: red rings on a transparent background (the demo and the tests)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, diameter - 4, diameter - 4), outline=(220, 0, 0, 255), width=12)
    draw.ellipse((60, 60, diameter - 60, diameter - 60), outline=(220, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# --- The demo authority's files, under SIGNING_CERT_DIR/demo --------------------------------


def demo_dir() -> Path:
    return Path(settings.SIGNING_CERT_DIR) / "demo"


def demo_root_path() -> Path:
    return demo_dir() / "demo-root-ca.pem"


# --- The body's credential ------------------------------------------------------------------


def pkcs12_signer(path: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
    if signer is None:
        raise ImproperlyConfigured(
            f"Không đọc được tệp chứng thư PKCS#12 {path.name}: sai mật khẩu "
            "(SIGNING_PKCS12_PASSPHRASE) hoặc tệp hỏng."
        )
    return signer


def pkcs11_session():
    """A logged-in session on the PKCS#11 token or HSM of the settings (SIGNING_PKCS11_MODULE,
    _TOKEN_LABEL, _PIN); the caller closes it."""
    from pyhanko.sign import pkcs11

    module = settings.SIGNING_PKCS11_MODULE
    if not module:
        raise ImproperlyConfigured(
            "Chữ ký của cơ quan dùng thiết bị PKCS#11 nhưng chưa đặt SIGNING_PKCS11_MODULE "
            "(đường dẫn thư viện của thiết bị, ví dụ /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so)."
        )
    return pkcs11.open_pkcs11_session(
        module,
        token_criteria=pkcs11.TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL or None),
        user_pin=settings.SIGNING_PKCS11_PIN or None,
    )


def pkcs11_signer(session, key_label: str):
    """The body's key and certificate on the token, both under `key_label`."""
    from pyhanko.sign import pkcs11

    return pkcs11.PKCS11Signer(session, cert_label=key_label, key_label=key_label)


# --- Certificate revocation lists (offline revocation) --------------------------------------


def crl_read(data: bytes) -> x509.CertificateRevocationList:
    """A CRL from DER or PEM bytes; ValueError if it is not one."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def crl_create(
    authority: Authority, revoked: list[x509.Certificate], *, days: int = 7
) -> x509.CertificateRevocationList:
    """A CRL of `authority` listing `revoked` (the tests' CA revokes a certificate)."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - datetime.timedelta(hours=1))
        .next_update(now + datetime.timedelta(days=days))
        .add_extension(x509.CRLNumber(1), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), False
        )
    )
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(now - datetime.timedelta(minutes=30))
            .build()
        )
    return builder.sign(authority.key, hashes.SHA256())
