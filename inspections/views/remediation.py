"""After the conclusion: the list of recommendations, the unit's remediation reports, the team's
verification, evidence files of findings, and next year's re-inspection proposals."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections import services
from inspections.access import (
    get_plan_for_role,
    get_recommendation_for_user,
    get_visit_for_recorder,
    get_visit_for_user,
    is_responsible_for,
    may_open_visit,
    may_verify,
)
from inspections.filters import RecommendationFilter
from inspections.forms import EvidenceForm, RemediationForm, VerificationForm
from inspections.history import recommendation_history
from inspections.models import (
    FindingEvidence,
    RecommendationStatus,
    RemediationFile,
)
from inspections.storage import stored_file_response
from inspections.todo import selection_title
from inspections.views.common import History, form_errors, refused
from units.models import Role


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filters = RecommendationFilter(request.GET, request=request)
    recommendations = filters.qs  # with ?todo=…, opened from the home's to-do
    page = Paginator(recommendations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/recommendation_list.html",
        {
            "form": filters.form,
            "page": page,
            "today": timezone.localdate(),
            "counts": filters.status_counts(),
            "todo_title": selection_title("recommendations", request.GET),
        },
    )


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    history = History(request, lambda: recommendation_history(recommendation))
    if answer := history.answer():
        return answer
    reports = recommendation.reports.select_related("submitted_by").prefetch_related("files")
    verifications = recommendation.verifications.select_related("verified_by", "report")
    unresolved = recommendation.status != RecommendationStatus.DONE
    may_report = is_responsible_for(request.user, recommendation) and unresolved
    return render(
        request,
        "inspections/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "finding": recommendation.finding,
            "visit": recommendation.finding.visit,
            "reports": reports,
            "verifications": verifications,
            "today": timezone.localdate(),
            "report_form": RemediationForm() if may_report else None,
            "verify_form": VerificationForm() if may_verify(request.user, recommendation) else None,
            "can_see_visit": may_open_visit(request.user, recommendation.finding.visit),
            **history.context(),
        },
    )


@login_required
@require_POST
def remediation_create(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    if not is_responsible_for(request.user, recommendation):
        raise PermissionDenied
    form = RemediationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.remediation_report(
                recommendation=recommendation,
                by=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request, _("Đã gửi báo cáo khắc phục lần %d; Đoàn sẽ xác minh.") % report.version
            )
    else:
        form_errors(request, form)
    return redirect("inspections:recommendation-detail", pk=recommendation.pk)


@login_required
@require_POST
def remediation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    if not may_verify(request.user, recommendation):
        raise PermissionDenied
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            verification = services.remediation_verify(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request,
                _("Đã ghi: đã khắc phục.")
                if verification.done
                else _("Đã ghi: chưa khắc phục; đơn vị sẽ báo cáo lại."),
            )
    else:
        form_errors(request, form)
    return redirect("inspections:recommendation-detail", pk=recommendation.pk)


@login_required
@require_GET
def remediation_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    files = RemediationFile.objects.filter(report__recommendation=recommendation)
    return stored_file_response(get_object_or_404(files, pk=file_pk))


# Evidence of findings -----------------------------------------------------------------------


@login_required
@require_POST
def finding_evidence_add(request: HttpRequest, visit_pk: int, finding_pk: int) -> HttpResponse:
    visit = get_visit_for_recorder(request.user, visit_pk)
    finding = get_object_or_404(visit.findings, pk=finding_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        added = services.finding_evidence_add(
            finding=finding, by=request.user, files=form.cleaned_data["files"]
        )
        messages.success(request, _("Đã thêm %d tệp minh chứng.") % len(added))
    else:
        form_errors(request, form)
    return redirect("inspections:visit-detail", visit_pk=visit.pk)


@login_required
@require_GET
def finding_evidence_file(request: HttpRequest, visit_pk: int, file_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_pk)
    evidence = FindingEvidence.objects.filter(finding__visit=visit)
    return stored_file_response(get_object_or_404(evidence, pk=file_pk))


# Re-inspection ------------------------------------------------------------------------------


@login_required
@require_POST
def reinspection_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the chosen proposals as re-inspection targets, each with its reason and the
    conclusion notices it follows up."""
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    chosen = set(request.POST.getlist("agency"))
    proposals = [
        p
        for p in services.reinspection_proposals(plan)
        if str(p.agency.pk) in chosen and not p.already_reinspected
    ]
    if not proposals:
        messages.error(request, _("Chưa chọn đơn vị nào: đánh dấu đơn vị cần phúc tra."))
        return redirect("inspections:targets-add", pk=plan.pk)
    try:
        added = services.reinspection_targets_add(plan=plan, proposals=proposals)
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:targets-add", pk=plan.pk)
    messages.success(request, _("Đã đưa %d đơn vị vào danh sách phúc tra.") % len(added))
    return redirect("inspections:plan-detail", pk=plan.pk)
