"""Documents leaving the system, served only after the same access check as the page they print."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from inspections.access import (
    get_notice_for_user,
    get_plan_for_role,
    get_plan_for_user,
    get_visit_for_user,
)
from inspections.models import (
    CalendarFeed,
    IssuedRendition,
    Minutes,
    NoticeStatus,
    Outline,
    PlanAmendment,
    ResultsReport,
    ScheduleNotice,
    Visit,
)
from reports.documents import OfficialDocument
from reports.exports import content_disposition
from reports.ical import visits_ics
from reports.issued import built, rendition_for, served_pdf
from reports.jobs import RESULTS_DRAFTS, job_for_results_report, job_start
from reports.models import Job, JobStatus
from reports.plan_document import plan_document, prefetch_for_document
from reports.rendering import render_docx, render_pdf
from units.access import PROVINCE_ROLES, require_role
from units.models import Role

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content: bytes, fmt: str, title: str) -> HttpResponse:
    """A document as a file: a PDF shown in the browser, a .docx downloaded."""
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else DOCX)
    response["Content-Disposition"] = content_disposition(title, fmt, inline=fmt == "pdf")
    return response


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return _kept_or_live(plan, "pdf", lambda: plan_document(prefetch_for_document(plan)))


@login_required
@require_GET
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return _kept_or_live(plan, "docx", lambda: plan_document(prefetch_for_document(plan)))


@login_required
@require_GET
def outline_letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The covering letter of the outline, for staff (before sending) and every reader after."""
    plan = get_plan_for_user(request.user, pk)
    outline = get_object_or_404(
        Outline.objects.select_related("plan__issuer", "plan__standing_agency"), plan=plan
    )
    if outline.sent_at is None:
        require_role(request.user, Role.STAFF)
    return _kept_or_live(outline, fmt)


def _document(document, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        return _file(render_pdf(document), fmt, document.title)
    if fmt == "docx":
        return _file(render_docx(document), fmt, document.title)
    raise Http404


def _kept_or_live(
    record, fmt: str, draft: Callable[[], OfficialDocument] | None = None
) -> HttpResponse:
    """Every download of a round's document. An issued document: the bytes kept when it was
    issued (kept now if it has none yet), whatever changed since. A draft: rendered from the
    data (`issued.built`, or `draft` when the view already holds what the document reads),
    marked “DỰ THẢO”."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    rendition = rendition_for(record)
    if rendition is None:
        return _document(draft() if draft else built(record), fmt)
    return _kept(rendition, fmt)


def _kept(rendition: IssuedRendition, fmt: str) -> HttpResponse:
    """The kept bytes; the PDF as signed once it is (`served_pdf`)."""
    if fmt == "pdf":
        content = served_pdf(rendition)
    else:
        with rendition.docx.open("rb") as file:
            content = file.read()
    return _file(content, fmt, rendition.title)


def _team(request, pk: int, team_pk: int, model=None):
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    teams = (model or plan.teams.model).objects.filter(plan=plan)
    return get_object_or_404(teams.select_related("plan__issuer__unit"), pk=team_pk)


@login_required
@require_GET
def team_decision_file(request: HttpRequest, pk: int, team_pk: int, fmt: str) -> HttpResponse:
    team = _team(request, pk, team_pk)
    return _kept_or_live(team, fmt)


@login_required
@require_GET
def schedule_notice_file(request: HttpRequest, pk: int, team_pk: int, fmt: str) -> HttpResponse:
    """The team's schedule notice: the bytes kept at its issue (a draft: from the schedule)."""
    notice = _team(request, pk, team_pk, ScheduleNotice)
    return _kept_or_live(notice, fmt)


@require_GET
def visits_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The user's visits for a calendar application: the secret address is the only key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    visits = Visit.objects.visible_to(user).select_related("team", "agency", "plan")
    content = visits_ics(visits, name="Lịch kiểm tra CCHC", host=request.get_host())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("lich-kiem-tra", "ics", inline=True)
    return response


@login_required
@require_GET
def conclusion_file(request: HttpRequest, notice_pk: int, fmt: str) -> HttpResponse:
    """The notice as a document, for whoever may read it (a unit only once it is issued)."""
    notice = get_notice_for_user(request.user, notice_pk)
    return _kept_or_live(notice, fmt)


@login_required
@require_GET
def minutes_file(request: HttpRequest, visit_pk: int, fmt: str) -> HttpResponse:
    """The minutes of a visit, for whoever sees the visit page; none recorded yet: 404."""
    visit = get_visit_for_user(request.user, visit_pk)
    minutes = get_object_or_404(
        Minutes.objects.select_related(
            "visit__plan__issuer__unit", "visit__team", "visit__agency__unit"
        ),
        visit=visit,
    )
    return _kept_or_live(minutes, fmt)


@login_required
@require_GET
def results_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The round's results report, for staff, leaders and the team: tens of pages, rendered in
    the background (`reports.jobs`). Issued: its kept files, or the page of the job rendering
    them. A draft (marked so): the page of a job rendering it from the data as they are now,
    which offers the file when ready (where tasks run at once, the tests: the file itself)."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    report = get_object_or_404(
        ResultsReport.objects.select_related("issuer__unit", "plan__issuer"), plan=plan
    )
    if report.status == NoticeStatus.ISSUED:
        kept = job_for_results_report(report)
        if isinstance(kept, Job):
            return redirect("reports:job", kept.pk)
        return _kept(kept, fmt)
    job = job_start(kind=RESULTS_DRAFTS[fmt], plan=plan, by=request.user)
    job.refresh_from_db()
    if job.status == JobStatus.DONE and job.result:
        with job.result.open("rb") as file:
            return _file(file.read(), fmt, job.params["title"])
    return redirect("reports:job", job.pk)


@login_required
@require_GET
def amendment_file(request: HttpRequest, amendment_pk: int, fmt: str) -> HttpResponse:
    """An amendment of a plan, for whoever reads it (a reporter only once it is issued); its
    unannounced additions are never printed."""
    amendments = PlanAmendment.objects.visible_to(request.user)
    amendment = get_object_or_404(amendments, pk=amendment_pk)
    return _kept_or_live(amendment, fmt)
