"""Background jobs of the reports app (reports/jobs.py): what a person asked for, how far it has
gone, and its result. The task itself is queued through Django's tasks framework; this row is
what the job's page shows, and it outlives the task queue's own records."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Plan
from inspections.models.self_inspection import private_storage


class JobKind(models.TextChoices):
    RESULTS_REPORT = "results_report", _("Kết xuất báo cáo kết quả kiểm tra (PDF và Word)")
    # A draft (not issued yet) as its data say now, one file: a new job at each download.
    RESULTS_DRAFT_PDF = "results_draft_pdf", _("Kết xuất dự thảo báo cáo kết quả kiểm tra (PDF)")
    RESULTS_DRAFT_DOCX = "results_draft_docx", _("Kết xuất dự thảo báo cáo kết quả kiểm tra (Word)")
    ROUND_ZIP = "round_zip", _("Tệp ZIP mọi văn bản đã ban hành của đợt kiểm tra")
    EXPORT = "export", _("Tải danh sách lớn (Excel/CSV)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def job_path(instance: Job, filename: str) -> str:
    return f"jobs/{instance.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField(_("loại việc"), max_length=20, choices=JobKind.choices)
    # None for a download of a list (an export): it is its requester's alone.
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    reason = models.TextField(_("lý do không thành công"), blank=True)
    result = models.FileField(
        _("tệp kết quả"), upload_to=job_path, storage=private_storage, blank=True, max_length=300
    )
    # An export: which download (`table_exports.EXPORTS`), its format, its arguments (a plan's
    # id) and the query string of its filters, as the page asked for it.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("báo tiến độ lần cuối lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        constraints = [
            # One job of a kind in progress per plan: asking again joins it.
            models.UniqueConstraint(
                fields=["kind", "plan"],
                condition=Q(status__in=ACTIVE),
                name="reports_job_one_active_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.plan_id} ({self.get_status_display()})"

    @property
    def is_interrupted(self) -> bool:
        """Running, but silent for longer than JOBS_STALE_AFTER: its worker stopped mid-job."""
        if self.status != JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > datetime.timedelta(seconds=settings.JOBS_STALE_AFTER)

    @property
    def may_retry(self) -> bool:
        return self.status == JobStatus.FAILED or self.is_interrupted

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
