"""Self-inspection: the report outline, requests to units, versioned submissions, reminders and
the difficulties thread."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.change_history import RecordedHistory
from inspections.models.plans import Plan
from inspections.models.reference import ContentArea
from units.access import PROVINCE_ROLES, as_scope
from units.limits import MESSAGE, NOTE, PROSE, LimitedTextField
from units.models import Agency


class FieldKind(models.TextChoices):
    NUMBER = "number", _("Số")
    BOOLEAN = "boolean", _("Có / Không")
    TEXT = "text", _("Chữ")


class FieldRole(models.TextChoices):
    NONE = "", _("Không")
    COVERAGE_TOTAL = (
        "coverage_total",
        _("Tổng số phòng, ban, đơn vị (mẫu số của tỷ lệ tự kiểm tra)"),
    )
    COVERAGE_DONE = "coverage_done", _("Số đã tự kiểm tra (tử số của tỷ lệ tự kiểm tra)")


class Outline(models.Model):
    """The report outline (đề cương báo cáo) the team sends with the plan."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="outline", verbose_name=_("kế hoạch")
    )
    guidance = LimitedTextField(_("hướng dẫn chung"), blank=True, max_length=PROSE)
    # By content area id: {"what": the matters to report, "figures": [the figures to give]};
    # an area not here takes `outline_guidance.DEFAULT_AREA_GUIDANCE`.
    area_guidance = models.JSONField(
        _("hướng dẫn theo lĩnh vực"), default=dict, blank=True, editable=False
    )
    target_deadline = models.DateField(
        _("hạn nộp của đơn vị được kiểm tra"),
        help_text=_("Đơn vị không thuộc đối tượng kiểm tra nộp theo hạn ghi trong kế hoạch"),
    )
    include_non_targets = models.BooleanField(
        _("gửi cả đơn vị không thuộc đối tượng kiểm tra"), default=True
    )
    wants_unit_plan = models.BooleanField(
        _("yêu cầu nộp kế hoạch tự kiểm tra của đơn vị"), default=True
    )
    letter_symbol = models.CharField(
        _("ký hiệu công văn gửi đề cương"), max_length=40, default="SNV-CCHC"
    )
    letter_number = models.PositiveIntegerField(
        _("số công văn"), null=True, blank=True, editable=False
    )
    letter_date = models.DateField(_("ngày công văn"), null=True, blank=True, editable=False)
    signer_capacity = models.CharField(
        _("hình thức ký"), max_length=100, blank=True, default="KT. GIÁM ĐỐC"
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=100, blank=True, default="PHÓ GIÁM ĐỐC"
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    history = RecordedHistory()

    class Meta:
        verbose_name = _("đề cương báo cáo")
        verbose_name_plural = _("đề cương báo cáo")

    def __str__(self) -> str:
        return f"Đề cương — {self.plan}"


class OutlineSection(models.Model):
    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề"), max_length=300)
    guidance = LimitedTextField(_("hướng dẫn"), blank=True, max_length=PROSE)
    content_area = models.ForeignKey(
        ContentArea,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phần của đề cương")
        verbose_name_plural = _("các phần của đề cương")

    def __str__(self) -> str:
        return self.title


class OutlineField(models.Model):
    """A typed figure every unit reports (number, yes/no or short text)."""

    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    kind = models.CharField(_("kiểu"), max_length=10, choices=FieldKind.choices)
    role = models.CharField(
        _("dùng để tính"), max_length=20, choices=FieldRole.choices, blank=True, default=""
    )
    required = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = _("các chỉ tiêu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["outline", "role"],
                condition=~Q(role=""),
                name="inspections_outline_field_role_unique",
                violation_error_message=_("Mỗi đề cương chỉ có một chỉ tiêu cho mỗi vai trò."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class Deliverable(models.TextChoices):
    REPORT = "report", _("Báo cáo kết quả tự kiểm tra")
    UNIT_PLAN = "unit_plan", _("Kế hoạch tự kiểm tra của đơn vị")


class ReportRequestQuerySet(models.QuerySet):
    def visible_to(self, user_or_scope) -> ReportRequestQuerySet:
        """Staff, leaders and team see their provinces' requests; a reporter only their unit's."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.is_reporter:
            return self.filter(agency_id=scope.agency_id)
        if scope.role in PROVINCE_ROLES:
            return self.filter(plan__province_id__in=scope.province_ids)
        return self.none()


class ReportRequest(models.Model):
    """One unit asked to report on one plan, by a deadline."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="requests"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    is_target = models.BooleanField(_("đối tượng kiểm tra"), default=False)
    deadline = models.DateField(_("hạn nộp"))
    wants_unit_plan = models.BooleanField(_("yêu cầu gửi kế hoạch của đơn vị"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    # The reminders of its deadline already sent (`inspections/reminders.py`).
    reminders = GenericRelation("inspections.SentReminder")

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-is_target", "agency__unit__level", "agency__name"]
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspections_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.plan.number_display}"


def submission_path(instance: Submission, filename: str) -> str:
    """self-inspection/<plan>/<agency>/<deliverable>-v<version>-<name>: one folder per unit."""
    request = instance.request
    name = f"{instance.deliverable}-v{instance.version}-{filename}"
    return f"self-inspection/{request.plan_id}/{request.agency_id}/{name}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ xem xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Submission(models.Model):
    """One version of a deliverable. A new upload adds a version; nothing is overwritten."""

    request = models.ForeignKey(
        ReportRequest,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("yêu cầu báo cáo"),
    )
    deliverable = models.CharField(_("loại"), max_length=10, choices=Deliverable.choices)
    version = models.PositiveSmallIntegerField(_("lần nộp"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nộp"),
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"), auto_now_add=True)
    late = models.BooleanField(_("nộp trễ"), default=False)
    values = models.JSONField(_("số liệu"), default=dict, blank=True)
    coverage = models.DecimalField(
        _("tỷ lệ tự kiểm tra (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    below_threshold = models.BooleanField(_("dưới tỷ lệ quy định"), default=False)
    explanation = LimitedTextField(_("giải trình"), blank=True, max_length=MESSAGE)
    file = models.FileField(_("tệp"), upload_to=submission_path, storage=private_storage)
    file_name = models.CharField(max_length=255, verbose_name=_("tên tệp"))
    file_size = models.PositiveBigIntegerField(verbose_name=_("dung lượng tệp (byte)"))
    file_sha256 = models.CharField(max_length=64, verbose_name=_("mã băm SHA-256 của tệp"))
    content_type = models.CharField(max_length=100, verbose_name=_("loại tệp"))
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("thời điểm xem xét"), null=True, blank=True)
    review_comment = LimitedTextField(_("ý kiến"), blank=True, max_length=NOTE)
    history = RecordedHistory()

    class Meta:
        ordering = ["request", "deliverable", "-version"]
        verbose_name = _("bản nộp")
        verbose_name_plural = _("các bản nộp")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "deliverable", "version"], name="inspections_submission_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_deliverable_display()} lần {self.version} — {self.request.agency}"


def attachment_path(instance: SubmissionAttachment, filename: str) -> str:
    submission = instance.submission
    return submission_path(submission, f"dinh-kem-{filename}")


class SubmissionAttachment(models.Model):
    """An optional file sent with a submission (tables, evidence); kept with its version."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, storage=private_storage)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    file_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.file_name


class RequestMessage(models.Model):
    """A difficulty or question (phản ánh, kiến nghị) of a unit about a plan, and the answers.

    One thread per request: the unit writes, Sở Nội vụ answers; a thread whose last message is the
    unit's is unanswered.
    """

    request = models.ForeignKey(
        ReportRequest,
        verbose_name=_("yêu cầu báo cáo"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_unit = models.BooleanField(_("do đơn vị gửi"))
    body = LimitedTextField(_("nội dung"), max_length=MESSAGE)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return self.body[:60]
