"""`load_demo_signatures` (run by `make run`): the demo authority made on the machine, the seed
plan signed by its signer then its body, both valid against the demo root (trusted with DEBUG
on only), as poppler's `pdfsig` sees them too."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command

from inspections.tests.factories import seed
from signing import certificates, services
from signing.models import SignatureKind, SignatureStatus, SignedVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _run() -> str:
    out = io.StringIO()
    call_command("load_demo_signatures", stdout=out)
    return out.getvalue()


def test_nothing_without_debug(settings, cert_dir):
    settings.DEBUG = False
    assert "Bỏ qua" in _run()
    assert not SignedVersion.objects.exists()
    assert not (cert_dir / "demo").exists()


def test_demo_plan_signed_person_then_body_and_pdfsig_lists_both(settings, cert_dir, tmp_path):
    settings.DEBUG = True
    settings.SIGNING_PKCS12_PASSPHRASE = ""
    assert "Đã ký số kế hoạch 23/KH-UBND" in _run()
    assert "Đã ký số" not in _run()  # a second run changes nothing
    versions = list(SignedVersion.objects.order_by("sequence"))
    assert [v.kind for v in versions] == [SignatureKind.PERSON, SignatureKind.BODY]
    assert all(v.status == SignatureStatus.VALID for v in versions)
    assert "THỬ NGHIỆM" in versions[0].signer_name and "THỬ NGHIỆM" in versions[1].signer_name
    assert versions[1].body == seed().issuer
    assert certificates.demo_root_path().exists()

    with versions[1].pdf.open("rb") as file:
        content = file.read()
    # With DEBUG off the same file's signatures chain to nothing trusted.
    settings.DEBUG = False
    assert {c.status for c in services.pdf_signatures(content)} == {SignatureStatus.UNTRUSTED}

    # poppler's pdfsig checks the chain in an NSS database made here: trusted with the demo root
    # in it, not trusted with an empty one (make test installs poppler-utils, libnss3-tools).
    assert shutil.which("pdfsig") and shutil.which("certutil"), "poppler-utils, libnss3-tools"
    path = tmp_path / "signed.pdf"
    path.write_bytes(content)
    trusting = _nss_database(tmp_path / "nss", certificates.demo_root_path())
    report = _pdfsig(trusting, path)
    assert report.count("Signature Validation: Signature is Valid.") == 2, report
    assert report.count("Certificate Validation: Certificate is Trusted.") == 2, report
    assert f"Signature Field Name: {services.PERSON_FIELD}" in report
    assert f"Signature Field Name: {services.BODY_FIELD}" in report
    assert "ETSI.CAdES.detached" in report  # the body's signature is PAdES
    empty = _pdfsig(_nss_database(tmp_path / "empty", None), path)
    assert empty.count("Signature Validation: Signature is Valid.") == 2, empty
    assert "Certificate is Trusted" not in empty, empty


def _nss_database(folder, root) -> str:
    """A throw-away NSS database (no password), trusting `root` for signing when given."""
    folder.mkdir()
    database = f"sql:{folder}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True)
    if root is not None:
        subprocess.run(
            ["certutil", "-A", "-n", "demo", "-t", "CT,C,C", "-d", database, "-i", str(root)],
            check=True,
        )
    return database


def _pdfsig(database: str, path) -> str:
    return subprocess.run(
        ["pdfsig", "-nssdir", database, str(path)], capture_output=True, text=True, check=False
    ).stdout
