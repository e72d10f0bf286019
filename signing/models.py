"""Signed forms of issued documents, the issuing bodies' seals and credentials, the trust roots.

An issued document's kept PDF (`inspections.IssuedRendition`) is never changed: each signature
adds a `SignedVersion`, a new file that begins with exactly the previous one (incremental update).
The person's signature comes first (uploaded back from their own token), then the body's
(applied here by the records office). Downloads serve the latest version."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.models import IssuedRendition, private_storage
from units.models import Agency


class SignatureKind(models.TextChoices):
    PERSON = "person", _("Chữ ký của người có thẩm quyền")
    BODY = "body", _("Chữ ký của cơ quan, tổ chức")


class SignatureStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    UNTRUSTED = "untrusted", _("Chữ ký đúng nhưng chứng thư gốc không được tin cậy")
    REVOKED = "revoked", _("Chứng thư đã thu hồi")
    MODIFIED = "modified", _("Tệp đã bị sửa sau khi ký")
    INVALID = "invalid", _("Không hợp lệ")


def seal_path(instance: SigningBody, filename: str) -> str:
    return f"signing/seals/{instance.agency_id}.png"


def signed_path(instance: SignedVersion, filename: str) -> str:
    return f"signing/signed/{instance.rendition_id}/{filename}"


def _validate_png(file) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, mode = image.format, image.mode
        file.seek(0)
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("Ảnh con dấu phải là tệp PNG.")) from error
    if kind != "PNG":
        raise ValidationError(_("Ảnh con dấu phải là tệp PNG (nền trong suốt)."))
    if mode not in ("RGBA", "LA", "P"):
        raise ValidationError(_("Ảnh con dấu phải có nền trong suốt (PNG có kênh alpha)."))


class SigningBody(models.Model):
    """An issuing body as it signs: the seal image an administrator uploads and where its key is
    (a PKCS#12 file in SIGNING_CERT_DIR, or a key label on the PKCS#11 token of the settings).
    Passphrases and PINs stay in the environment, never here."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    seal = models.FileField(
        _("ảnh con dấu (PNG nền trong suốt, màu đỏ)"),
        upload_to=seal_path,
        storage=private_storage,
        validators=[_validate_png],
        max_length=200,
    )
    seal_diameter_mm = models.PositiveSmallIntegerField(
        _("đường kính con dấu (mm)"), default=36, help_text=_("Kích thước thật của con dấu.")
    )
    pkcs12_file = models.CharField(
        _("tệp PKCS#12 trong thư mục SIGNING_CERT_DIR"), max_length=200, blank=True
    )
    pkcs11_key_label = models.CharField(
        _("nhãn khóa trên thiết bị PKCS#11"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("cơ quan ký số")
        verbose_name_plural = _("cơ quan ký số")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(pkcs12_file="", pkcs11_key_label=""),
                name="signing_body_has_a_key",
                violation_error_message=_("Hãy ghi tệp PKCS#12 hoặc nhãn khóa PKCS#11."),
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)


class TrustRoot(models.Model):
    """A root certificate signatures chain to (e.g. the Government Cipher Committee's root),
    installed by an administrator. Nothing else is trusted, except the demo root with DEBUG on."""

    name = models.CharField(_("tên"), max_length=200)
    certificate = models.TextField(_("chứng thư (PEM)"))
    active = models.BooleanField(_("đang dùng"), default=True)
    added_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from signing.certificates import asn1_certificate

        try:
            asn1_certificate(self.certificate)
        except ValueError as error:
            raise ValidationError(
                {"certificate": _("Không đọc được chứng thư: hãy dán nội dung tệp .pem.")}
            ) from error


class SignedVersionQuerySet(models.QuerySet):
    def of(self, rendition: IssuedRendition) -> SignedVersionQuerySet:
        return self.filter(rendition=rendition).order_by("-sequence")


class SignedVersion(models.Model):
    """The issued PDF with one more signature: who recorded it, whose signature it is, the file's
    SHA-256 and the validation of every signature the file carries, as found when recorded."""

    rendition = models.ForeignKey(
        IssuedRendition,
        verbose_name=_("văn bản đã ban hành"),
        on_delete=models.PROTECT,
        related_name="signed_versions",
    )
    sequence = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại chữ ký"), max_length=10, choices=SignatureKind.choices)
    body = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("người/cơ quan ký (theo chứng thư)"), max_length=300)
    signed_at = models.DateTimeField(_("thời gian ký"))
    pdf = models.FileField(
        _("tệp PDF đã ký"), upload_to=signed_path, storage=private_storage, max_length=300
    )
    pdf_sha256 = models.CharField(_("SHA-256 của tệp đã ký"), max_length=64)
    status = models.CharField(_("kết quả kiểm tra"), max_length=10, choices=SignatureStatus)
    signatures = models.JSONField(_("các chữ ký trong tệp"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    objects = SignedVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản đã ký số")
        verbose_name_plural = _("bản đã ký số")
        constraints = [
            models.UniqueConstraint(
                fields=["rendition", "sequence"], name="signing_version_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["rendition", "kind"], name="signing_version_kind_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rendition} — {self.get_kind_display()}"


class CheckedFile(models.Model):
    """The signatures found in an uploaded PDF (a self-inspection report, evidence), by the
    file's SHA-256: checked once, shown wherever the file is listed."""

    sha256 = models.CharField(max_length=64, unique=True)
    signatures = models.JSONField(default=list)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra chữ ký của tệp tải lên")
        verbose_name_plural = _("kết quả kiểm tra chữ ký của tệp tải lên")

    def __str__(self) -> str:
        return self.sha256


def attachment_path(instance: AttachmentFile, filename: str) -> str:
    return f"signing/attachments/{instance.rendition_id}/{filename}"


class AttachmentFile(models.Model):
    """The attachments of an issued document (its phụ lục, the outline sent with a letter, the
    plan a decision issues) as a separate file: the issued PDF's pages from the first attachment
    on, kept once with their SHA-256, and — once the records office signs it — the same file
    with the body's signature without an image (Decree 30, appendix I), kept with its own hash.
    A document without attachments keeps a row with no file (`first_page` empty), so its PDF is
    read only once."""

    rendition = models.OneToOneField(
        IssuedRendition,
        verbose_name=_("văn bản đã ban hành"),
        on_delete=models.PROTECT,
        related_name="attachment_file",
    )
    first_page = models.PositiveSmallIntegerField(
        _("trang đầu của phần kèm theo (từ 1)"), null=True, blank=True
    )
    number_symbol = models.CharField(_("số, ký hiệu văn bản"), max_length=100, blank=True)
    pdf = models.FileField(
        _("tệp PDF kèm theo"), upload_to=attachment_path, storage=private_storage, max_length=300
    )
    pdf_sha256 = models.CharField(_("SHA-256 của tệp kèm theo"), max_length=64, blank=True)
    signed_pdf = models.FileField(
        _("tệp kèm theo đã ký số"),
        upload_to=attachment_path,
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    signed_sha256 = models.CharField(_("SHA-256 của tệp đã ký"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("thời gian ký"), null=True, blank=True)
    body = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signatures = models.JSONField(_("chữ ký trong tệp"), default=list)
    status = models.CharField(
        _("kết quả kiểm tra"), max_length=10, choices=SignatureStatus, blank=True
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tệp kèm theo văn bản")
        verbose_name_plural = _("tệp kèm theo văn bản")

    def __str__(self) -> str:
        return f"{self.rendition} — kèm theo"

    @property
    def exists(self) -> bool:
        return self.first_page is not None

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_sha256)


def crl_path(instance: RevocationList, filename: str) -> str:
    return f"signing/crl/{filename}"


class RevocationList(models.Model):
    """A certificate revocation list (CRL) an administrator installs, for a server that cannot
    reach the certificate authority's responders: signatures whose certificate it covers are
    checked against it (with those in SIGNING_CRL_DIR). Its issuer and dates are read from it."""

    name = models.CharField(_("tên"), max_length=200)
    file = models.FileField(
        _("tệp CRL (.crl, DER hoặc PEM)"),
        upload_to=crl_path,
        storage=private_storage,
        max_length=200,
    )
    issuer = models.CharField(_("cơ quan cấp"), max_length=500, editable=False)
    this_update = models.DateTimeField(_("phát hành lúc"), null=True, editable=False)
    next_update = models.DateTimeField(_("cập nhật tiếp trước"), null=True, editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    added_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("danh sách chứng thư thu hồi (CRL)")
        verbose_name_plural = _("danh sách chứng thư thu hồi (CRL)")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from signing.certificates import crl_read

        if not self.file:
            return
        try:
            self.file.seek(0)
            data = self.file.read()
            self.file.seek(0)
            if getattr(self.file, "_committed", False):
                self.file.close()  # opened from storage to be read here
            found = crl_read(data)
        except ValueError as error:
            raise ValidationError(
                {"file": _("Không đọc được danh sách thu hồi: hãy tải tệp .crl (DER hoặc PEM).")}
            ) from error
        self.issuer = found.issuer.rfc4514_string()[:500]
        self.this_update = found.last_update_utc
        self.next_update = found.next_update_utc
