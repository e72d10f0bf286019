"""Self-inspection pages: outline, progress, requests, submissions, review, difficulties."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.pagecache.cache import kept_page
from inspections import services
from inspections.access import (
    REVIEWERS,
    can,
    get_plan_for_role,
    get_request_for_user,
    get_submission_for_user,
    is_reporter_of,
)
from inspections.filters import RequestFilter, of_plan
from inspections.forms import (
    FieldFormSet,
    OutlineForm,
    ReviewForm,
    SectionFormSet,
    SubmissionForm,
)
from inspections.history import request_history
from inspections.models import (
    IssuedRendition,
    Outline,
    ReportRequest,
)
from inspections.outline_guidance import plan_areas
from inspections.storage import stored_file_response
from inspections.todo import selection_title
from inspections.views.common import History, plan_section, refused, wants_section
from inspections.views.documents import issue_posted
from units.access import PROVINCE_ROLES, require_role
from units.models import Role

# Self-inspection ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    outline = Outline.objects.filter(plan=plan).first() or Outline(
        plan=plan, target_deadline=plan.self_report_deadline or plan.document_date
    )
    form = OutlineForm(
        request.POST or None, instance=outline, prefix="outline", areas=plan_areas(plan)
    )
    sections = SectionFormSet(request.POST or None, instance=outline, prefix="sections")
    fields = FieldFormSet(request.POST or None, instance=outline, prefix="fields")
    if request.method == "POST" and form.is_valid() and sections.is_valid() and fields.is_valid():
        try:
            with transaction.atomic():
                outline = form.save()
                sections.instance = fields.instance = outline
                sections.save()
                fields.save()
        except IntegrityError:
            messages.error(
                request,
                _("Mỗi đề cương chỉ có một chỉ tiêu “tổng số” và một chỉ tiêu “đã tự kiểm tra”."),
            )
        else:
            messages.success(request, _("Đã lưu đề cương."))
            return redirect("inspections:outline-edit", pk=plan.pk)
    return render(
        request,
        "inspections/outline_form.html",
        {
            "plan": plan,
            "form": form,
            "sections": sections,
            "fields": fields,
            "outline": outline,
            "unannounced": plan.targets.filter(announced=False).count(),
            # The covering letter's kept files once sent (its signatures, its attachment).
            "rendition": IssuedRendition.objects.of(outline).first()
            if outline.letter_number
            else None,
        },
    )


@login_required
@require_POST
def outline_send(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    outline = get_object_or_404(Outline, plan=plan)
    include = request.POST.get("include_unannounced") == "on"
    sent: list[int] = []

    def send(**posted) -> list[str]:
        # The letter's confirmed warnings are kept with its number (`lifecycle.issue`).
        sent.append(services.outline_send(outline=outline, include_unannounced=include, **posted))
        return []

    try:
        issue_posted(request, send)
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:outline-edit", pk=plan.pk)
    messages.success(request, _("Đã gửi đề cương: %d yêu cầu báo cáo mới.") % sent[0])
    return redirect("inspections:progress", pk=plan.pk)


@login_required
@require_GET
@kept_page
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's requests by status (the count of each shown), a page at a time, with the
    request list's filters; the whole table is the export with the same filters."""
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    filters = of_plan(RequestFilter, request, plan)
    context = plan_section(request, filters, filters.qs, param="status", load=_progress_of)
    context.update(plan=plan, rows=list(context["page"]))
    if wants_section(request, "requests-section"):
        return render(request, "inspections/_progress_section.html", context)
    figures = services.progress_late_and_below(filters.queryset)
    requested = filters.queryset.exists()
    return render(
        request,
        "inspections/progress.html",
        {
            **context,
            "late": figures["late"],
            "below": figures["below"],
            "requested": requested,
            "not_requested": services.not_requested(plan) if requested else [],
        },
    )


def _progress_of(keys: list[int]) -> dict[int, services.ProgressRow]:
    """The requests of `keys` with their latest reports (`plan_progress`), by key."""
    rows = services.plan_progress(None, ReportRequest.objects.filter(pk__in=keys))
    return {row.request.pk: row for row in rows}


def _progress_rows(page) -> list[services.ProgressRow]:
    """The page's requests with their latest reports (`plan_progress`), in the page's order."""
    rows = services.plan_progress(None, ReportRequest.objects.filter(pk__in=[r.pk for r in page]))
    by_pk = {row.request.pk: row for row in rows}
    return [by_pk[r.pk] for r in page]


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    filters = RequestFilter(request.GET, request=request)
    requests = filters.qs  # with ?todo=…, opened from the home's to-do
    page = Paginator(requests, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/request_list.html",
        {
            "form": filters.form,
            "page": page,
            "rows": _progress_rows(page),
            "counts": filters.status_counts(),
            "todo_title": selection_title("requests", request.GET),
        },
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report_request = get_request_for_user(request.user, pk)
    if answer := _history(request, report_request).answer():
        return answer
    return render(
        request,
        "inspections/request_detail.html",
        _request_context(request, report_request, SubmissionForm(request=report_request)),
    )


def _history(request, report_request) -> History:
    return History(request, lambda: request_history(report_request))


def _request_context(request, report_request, form):
    outline = getattr(report_request.plan, "outline", None)
    submissions = list(
        report_request.submissions.select_related("submitted_by", "reviewed_by").prefetch_related(
            "attachments"
        )
    )
    latest = {}
    for s in submissions:
        latest.setdefault(s.deliverable, s)
    return {
        "req": report_request,
        "outline": outline,
        "sections": outline.sections.select_related("content_area") if outline else [],
        "labels": {str(f.pk): f.label for f in outline.fields.all()} if outline else {},
        "submissions": submissions,
        "latest_ids": {s.pk for s in latest.values()},
        "form": form,
        "can_submit": is_reporter_of(request.user, report_request),
        "can_review": can(request.user, *REVIEWERS),
        "thread": report_request.messages.select_related("author"),
        "can_write": is_reporter_of(request.user, report_request) or can(request.user, Role.STAFF),
        "review_form": ReviewForm(),
        **_history(request, report_request).context(),
    }


@login_required
@require_POST
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    report_request = get_request_for_user(request.user, pk)
    if not is_reporter_of(request.user, report_request):
        raise PermissionDenied
    form = SubmissionForm(request.POST, request.FILES, request=report_request)
    if form.is_valid():
        try:
            submission = services.submission_create(
                request=report_request,
                by=request.user,
                deliverable=form.cleaned_data["deliverable"],
                file=form.cleaned_data["file"],
                values=form.values(),
                explanation=form.cleaned_data["explanation"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            note = _(" (nộp trễ hạn)") if submission.late else ""
            messages.success(request, _("Đã nộp lần %d.") % submission.version + note)
            return redirect("requests:request-detail", pk=report_request.pk)
    return render(
        request,
        "inspections/request_detail.html",
        _request_context(request, report_request, form),
        status=400,
    )


@login_required
@require_GET
def submission_file(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    return stored_file_response(get_submission_for_user(request.user, pk, submission_pk))


@login_required
@require_GET
def attachment_file(
    request: HttpRequest, pk: int, submission_pk: int, attachment_pk: int
) -> HttpResponse:
    submission = get_submission_for_user(request.user, pk, submission_pk)
    return stored_file_response(get_object_or_404(submission.attachments, pk=attachment_pk))


def _review(request: HttpRequest, pk: int, submission_pk: int, accept: bool) -> HttpResponse:
    submission = get_submission_for_user(request.user, pk, submission_pk)
    require_role(request.user, *REVIEWERS)
    form = ReviewForm(request.POST)
    if not form.is_valid():  # a comment too long: said, and the submission left as it was
        for error in form.errors["comment"]:
            messages.error(request, error)
        return redirect("requests:request-detail", pk=pk)
    try:
        services.submission_review(
            submission=submission,
            by=request.user,
            accept=accept,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, _("Đã chấp nhận.") if accept else _("Đã trả lại cho đơn vị."))
    return redirect("requests:request-detail", pk=pk)


@login_required
@require_POST
def submission_accept(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    return _review(request, pk, submission_pk, accept=True)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    return _review(request, pk, submission_pk, accept=False)


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit raises a difficulty or question; Sở Nội vụ answers on the same thread."""
    report_request = get_request_for_user(request.user, pk)
    from_unit = is_reporter_of(request.user, report_request)
    if not from_unit:
        require_role(request.user, Role.STAFF)
    try:
        services.request_message_post(
            request=report_request,
            by=request.user,
            body=request.POST.get("body", ""),
            from_unit=from_unit,
        )
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, _("Đã gửi."))
    return redirect(reverse("requests:request-detail", args=[pk]) + "#phan-anh")
