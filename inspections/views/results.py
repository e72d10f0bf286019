"""The results report of a round to the provincial People's Committee: figures assembled from
the round, prose written by Home Affairs staff, approved by a leader and issued with a number."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inspections import services
from inspections.access import can, get_plan_for_role
from inspections.history import results_report_history
from inspections.locking import VersionedForm
from inspections.models import FindingKind, IssuedRendition, NoticeStatus, ResultsReport
from inspections.services.lifecycle import may
from inspections.views.common import History, refused
from units.access import PROVINCE_ROLES
from units.models import Level, Role


class ResultsReportForm(VersionedForm):
    class Meta:
        model = ResultsReport
        fields = ["summary", "assessment", "proposals", "signing_capacity", "signer_title",
                  "signer_name", "recipients"]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "assessment": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }


@login_required
@require_http_methods(["GET", "POST"])
def results_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    report = ResultsReport.objects.filter(plan=plan).select_related("issuer").first()
    # None before the report is first saved: nothing recorded yet.
    history = History(request, lambda: results_report_history(report)) if report else None
    if history and (answer := history.answer()):
        return answer
    staff = can(request.user, Role.STAFF)
    form = ResultsReportForm(instance=report)
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        form = ResultsReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                with transaction.atomic():
                    # Created by the first save; a form loaded before then sent version 0.
                    report = report or services.results_report_for(plan)
                    services.results_report_save(report=report, **form.cleaned_data)
            except ValidationError as error:
                refused(request, error)
            else:
                messages.success(request, _("Đã lưu báo cáo kết quả."))
                return redirect("inspections:results-report", pk=plan.pk)
    status = report.status if report else None
    data = services.round_results(plan)
    return render(
        request,
        "inspections/results_report.html",
        {
            "plan": plan,
            "report": report,
            "data": data,
            "levels": Level,
            "kinds": FindingKind,
            "form": form if staff and status in (None, NoticeStatus.DRAFT) else None,
            "can_submit": may(request.user, "results", "submit") and status == NoticeStatus.DRAFT,
            "can_decide": may(request.user, "results", "approve")
            and status == NoticeStatus.SUBMITTED,
            "can_issue": may(request.user, "results", "issue") and status == NoticeStatus.APPROVED,
            "rendition": IssuedRendition.objects.of(report).first()
            if status == NoticeStatus.ISSUED
            else None,
            **(history.context() if history else {"history": None}),
        },
    )
