"""The end of the round: the results report (báo cáo kết quả kiểm tra) to the provincial People's
Committee. Its figures and tables come from the round's data; what people write (summary,
assessment, proposals) is kept here. Once issued, the PDF and Word files are rendered once and
kept (`IssuedRendition`, like every issued document): the official record does not change when
the round's data do afterwards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.models.change_history import RecordedHistory
from inspections.models.plans import Plan
from inspections.models.visits import ApprovedDocument
from units.limits import BODY, NOTE, LimitedTextField
from units.models import Agency


def issued_path(instance: ResultsReport, filename: str) -> str:
    # Named by migration 0012 (the report's own file fields, since moved to IssuedRendition).
    return f"issued/results/{instance.plan_id}/{filename}"


class ResultsReport(ApprovedDocument):
    """One per plan: draft → submitted → approved (leader) → issued with a number."""

    plan = models.OneToOneField(
        Plan, on_delete=models.PROTECT, related_name="results_report", verbose_name=_("kế hoạch")
    )
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan báo cáo"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Thường là cơ quan thường trực của kế hoạch (Sở Nội vụ)"),
    )
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="BC-SNV")
    summary = LimitedTextField(
        _("khái quát kết quả"),
        blank=True,
        help_text=_("Việc tổ chức kiểm tra và kết quả chung; các số liệu được điền tự động"),
        max_length=BODY,
    )
    assessment = LimitedTextField(
        _("đánh giá chung"),
        blank=True,
        help_text=_("Ưu điểm, tồn tại và nguyên nhân"),
        max_length=BODY,
    )
    proposals = LimitedTextField(
        _("kiến nghị Ủy ban nhân dân tỉnh"),
        blank=True,
        help_text=_("Mỗi dòng một kiến nghị"),
        max_length=BODY,
    )
    signing_capacity = models.CharField(_("hình thức ký"), max_length=100, blank=True,
                                        default="KT. GIÁM ĐỐC")  # fmt: skip
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=100, blank=True, default="PHÓ GIÁM ĐỐC"
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    recipients = LimitedTextField(
        _("nơi nhận"),
        blank=True,
        default="Ủy ban nhân dân tỉnh (b/c);\nBộ Nội vụ (b/c);\nCác thành viên Đoàn kiểm tra;",
        help_text=_("Mỗi dòng một nơi nhận, không ghi dòng “Lưu”"),
        max_length=NOTE,
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))
    history = RecordedHistory()

    class Meta:
        verbose_name = _("báo cáo kết quả kiểm tra")
        verbose_name_plural = _("báo cáo kết quả kiểm tra")

    def __str__(self) -> str:
        return f"Báo cáo kết quả — {self.plan}"
