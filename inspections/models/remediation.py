"""After the conclusion: the unit's remediation reports on each recommendation (versioned, with
evidence files), the team's verification of them, evidence attached to findings, and reminders
about remediation deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.models.change_history import RecordedHistory
from inspections.models.self_inspection import private_storage
from inspections.models.visits import Finding, Recommendation
from units.limits import NOTE, PROSE, LimitedTextField


class StoredFile(models.Model):
    """A checked upload kept in private storage, with what the check found."""

    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_size = models.PositiveBigIntegerField()
    file_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file_name


def finding_evidence_path(instance: FindingEvidence, filename: str) -> str:
    visit = instance.finding.visit
    return f"visits/{visit.plan_id}/{visit.pk}/finding-{instance.finding_id}-{filename}"


class FindingEvidence(StoredFile):
    """A file supporting a finding (a photo of the one-stop desk as PDF, a late-file list…)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=finding_evidence_path, storage=private_storage)

    class Meta(StoredFile.Meta):
        verbose_name = _("tài liệu minh chứng của kết quả kiểm tra")
        verbose_name_plural = _("tài liệu minh chứng của kết quả kiểm tra")


class RemediationReport(models.Model):
    """One version of a unit's report on a recommendation. A new report adds a version."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("kiến nghị"),
    )
    version = models.PositiveSmallIntegerField(_("lần báo cáo"))
    text = LimitedTextField(_("kết quả khắc phục"), max_length=PROSE)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người báo cáo"),
    )
    submitted_at = models.DateTimeField(_("thời điểm báo cáo"), auto_now_add=True)
    late = models.BooleanField(_("báo cáo sau hạn"), default=False)
    history = RecordedHistory()

    class Meta:
        ordering = ["recommendation", "-version"]
        verbose_name = _("báo cáo khắc phục")
        verbose_name_plural = _("báo cáo khắc phục")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "version"], name="inspections_remediation_version"
            )
        ]

    def __str__(self) -> str:
        return f"Báo cáo khắc phục lần {self.version} — {self.recommendation}"


def remediation_file_path(instance: RemediationFile, filename: str) -> str:
    report = instance.report
    return f"remediation/{report.recommendation_id}/v{report.version}-{filename}"


class RemediationFile(StoredFile):
    report = models.ForeignKey(RemediationReport, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("tệp"), upload_to=remediation_file_path, storage=private_storage)

    class Meta(StoredFile.Meta):
        verbose_name = _("minh chứng khắc phục")
        verbose_name_plural = _("minh chứng khắc phục")


class Verification(models.Model):
    """The team's judgement of a recommendation: remedied or not, with a note. Each judgement is
    kept; the latest sets the recommendation's status."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("kiến nghị"),
    )
    report = models.ForeignKey(
        RemediationReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
        help_text=_("Báo cáo khắc phục được xem xét (nếu có)"),
        verbose_name=_("báo cáo khắc phục"),
    )
    done = models.BooleanField(_("đã khắc phục"))
    note = LimitedTextField(_("nhận xét"), blank=True, max_length=NOTE)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người xác minh"),
    )
    verified_at = models.DateTimeField(auto_now_add=True, verbose_name=_("xác minh lúc"))
    history = RecordedHistory()

    class Meta:
        ordering = ["recommendation", "-verified_at", "-pk"]
        verbose_name = _("xác minh khắc phục")
        verbose_name_plural = _("xác minh khắc phục")

    def __str__(self) -> str:
        return f"{'Đã' if self.done else 'Chưa'} khắc phục — {self.recommendation}"
