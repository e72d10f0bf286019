"""`make run`: a local demo certificate authority, test certificates for the seed plan's issuing
body and its signer, and the plan signed with them (the person's signature, then the body's).

Everything is made on this machine under SIGNING_CERT_DIR/demo (git-ignored, never committed),
named as test certificates ("CHỨNG THƯ THỬ NGHIỆM"). The demo root is trusted only with DEBUG on,
so the command does nothing in production. Safe to run twice: the authority is made once, a plan
already signed is left alone.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.x509 import load_pem_x509_certificate
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from inspections.models import Plan, PlanStatus
from reports.issued import rendition_store
from signing import certificates, services
from signing.models import SignedVersion, SigningBody

TEST = "CHỨNG THƯ THỬ NGHIỆM"
SUFFIX = " (THỬ NGHIỆM)"
PERSON_FILE = "demo/nguoi-ky-thu-nghiem.p12"


def _passphrase() -> bytes | None:
    return settings.SIGNING_PKCS12_PASSPHRASE.encode() or None


def demo_authority() -> certificates.Authority:
    folder = certificates.demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / "demo-root-ca.key", certificates.demo_root_path()
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return certificates.Authority(load_pem_x509_certificate(cert_path.read_bytes()), key)
    authority = certificates.authority_create(
        f"CCHC DEMO ROOT CA ({TEST})", organization=f"CCHC {TEST}"
    )
    key_path.write_bytes(
        authority.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_text(certificates.pem(authority.certificate))
    return authority


def demo_pkcs12(authority: certificates.Authority, name: str, relative: str) -> None:
    path = certificates.demo_dir().parent / relative
    if not path.exists():
        # A common name holds at most 64 characters: the name is cut, the mark never.
        certificate, key = certificates.certificate_issue(
            authority, f"{name[: 64 - len(SUFFIX)]}{SUFFIX}", organization=f"CCHC {TEST}"
        )
        path.write_bytes(
            certificates.pkcs12_bytes(certificate, key, authority, passphrase=_passphrase())
        )
        path.chmod(0o600)


class Command(BaseCommand):
    help = "Tạo chứng thư thử nghiệm và ký số kế hoạch mẫu (chỉ khi DEBUG bật)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            self.stdout.write("Bỏ qua: chứng thư thử nghiệm chỉ dùng khi DEBUG bật.")
            return
        plan = Plan.objects.filter(year=2023, number=23, status=PlanStatus.ISSUED).first()
        if plan is None:
            self.stdout.write("Chưa có kế hoạch mẫu 23/KH-UBND: chạy load_seed_plan trước.")
            return
        authority = demo_authority()
        body_file = f"demo/co-quan-{plan.issuer_id}-thu-nghiem.p12"
        demo_pkcs12(authority, plan.signer_name or "Người ký", PERSON_FILE)
        demo_pkcs12(authority, plan.issuer.name, body_file)
        body, created = SigningBody.objects.get_or_create(
            agency=plan.issuer, defaults={"pkcs12_file": body_file}
        )
        if created:
            body.seal.save("seal.png", ContentFile(certificates.seal_png()), save=True)
        rendition = rendition_store(plan)
        if SignedVersion.objects.filter(rendition=rendition).exists():
            self.stdout.write(f"Kế hoạch {plan.number_display} đã được ký số.")
            return
        staff = get_user_model().objects.get(username="noivu")
        signed = certificates.sign_as_person(
            services.field_offer(rendition),
            certificates.demo_dir().parent / PERSON_FILE,
            services.PERSON_FIELD,
            _passphrase(),
        )
        services.person_signature_record(rendition=rendition, content=signed, by=staff)
        version = services.body_sign(rendition=rendition, by=staff)
        self.stdout.write(
            f"Đã ký số kế hoạch {plan.number_display} bằng chứng thư thử nghiệm "
            f"({version.get_status_display()}); gốc thử nghiệm: {certificates.demo_root_path()}"
        )
