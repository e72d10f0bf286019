"""Amending an issued plan (kế hoạch điều chỉnh, bổ sung): a numbered document of its own that
proposes changes while it is drafted and applies them to the plan, all at once, when it is
issued. The plan's issued text stays as it was (its kept files); its data become the plan as
amended, so every page and figure reads the amended plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.change_history import RecordedHistory
from inspections.models.plans import Plan, TargetTerms
from inspections.models.visits import ApprovedDocument, NoticeStatus
from units.access import PROVINCE_ROLES, as_scope
from units.limits import NOTE, PROSE, LimitedTextField
from units.models import Agency


class AmendmentForm(models.TextChoices):
    """What the province issues: a plan that amends the plan, or a chairman's decision."""

    PLAN = "plan", _("Kế hoạch điều chỉnh, bổ sung")
    DECISION = "decision", _("Quyết định điều chỉnh, bổ sung kế hoạch")


AMENDMENT_SYMBOLS = {AmendmentForm.PLAN: "KH-UBND", AmendmentForm.DECISION: "QĐ-UBND"}


class PlanAmendmentQuerySet(models.QuerySet):
    def visible_to(self, user_or_scope) -> PlanAmendmentQuerySet:
        """Staff, leaders and team: every amendment of their provinces; reporters: issued ones."""
        scope = as_scope(user_or_scope)
        if scope.is_admin:
            return self
        if scope.is_reporter:
            return self.filter(plan__province_id__in=scope.province_ids, status=NoticeStatus.ISSUED)
        if scope.role in PROVINCE_ROLES:
            return self.filter(plan__province_id__in=scope.province_ids)
        return self.none()


class PlanAmendment(ApprovedDocument):
    """One amendment of an issued plan. Fields left empty change nothing; `changes_team` says
    whether `team` replaces the plan's team agencies. Target changes are `AmendmentTarget`s."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="amendments"
    )
    form = models.CharField(
        _("hình thức văn bản"),
        max_length=10,
        choices=AmendmentForm.choices,
        default=AmendmentForm.PLAN,
    )
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH-UBND", editable=False)
    content = LimitedTextField(
        _("nội dung điều chỉnh"),
        blank=True,
        max_length=PROSE,
        help_text=_("Lý do và nội dung điều chỉnh, bổ sung; mỗi đoạn một dòng"),
    )
    period_text = models.CharField(
        _("thời gian kiểm tra mới (ghi trong văn bản)"), max_length=300, blank=True
    )
    period_start = models.DateField(_("kiểm tra từ ngày (mới)"), null=True, blank=True)
    period_end = models.DateField(_("kiểm tra đến ngày (mới)"), null=True, blank=True)
    self_report_deadline = models.DateField(
        _("hạn gửi báo cáo tự kiểm tra (mới)"), null=True, blank=True
    )
    changes_team = models.BooleanField(_("thay đổi thành phần đoàn"), default=False)
    team = models.ManyToManyField(
        Agency, verbose_name=_("thành phần đoàn (mới)"), blank=True, related_name="+"
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    history = RecordedHistory()

    objects = PlanAmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("văn bản điều chỉnh kế hoạch")
        verbose_name_plural = _("văn bản điều chỉnh kế hoạch")

    def __str__(self) -> str:
        number = self.number_display or _("dự thảo")
        return f"{self.get_form_display()} {number}"

    def save(self, *args, **kwargs):
        self.symbol = AMENDMENT_SYMBOLS[AmendmentForm(self.form)]
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == NoticeStatus.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status == NoticeStatus.ISSUED


class AmendmentTarget(TargetTerms):
    """A target the amendment adds (with how it is inspected) or removes."""

    class Action(models.TextChoices):
        ADD = "add", _("Bổ sung")
        REMOVE = "remove", _("Đưa ra khỏi danh sách")

    amendment = models.ForeignKey(
        PlanAmendment, on_delete=models.CASCADE, related_name="target_changes"
    )
    action = models.CharField(_("điều chỉnh"), max_length=10, choices=Action.choices)
    reason = LimitedTextField(_("lý do"), blank=True, max_length=NOTE)
    history = RecordedHistory()

    class Meta:
        ordering = ["action", "pk"]
        verbose_name = _("đối tượng được điều chỉnh")
        verbose_name_plural = _("đối tượng được điều chỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "agency"],
                name="inspections_amendment_target_unique",
                violation_error_message=_("Đơn vị này đã có trong văn bản điều chỉnh."),
            ),
            models.CheckConstraint(
                condition=Q(action="add") | Q(announced=True),
                name="inspections_amendment_removal_plain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.agency}"
