"""Pages of the background jobs (reports/jobs.py): start the round's ZIP, follow a job (its state
polled by htmx while it is queued or running), run a failed one again, download its result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from inspections.access import get_plan_for_role
from reports.jobs import job_retry, job_start
from reports.models import Job, JobKind, JobStatus
from units.access import PROVINCE_ROLES
from units.models import Role

# Who follows a job of each kind: who may read its result (the results report, issued or a
# draft: who may download it, `views.results_file`).
ROLES = {
    JobKind.RESULTS_REPORT: PROVINCE_ROLES,
    JobKind.RESULTS_DRAFT_PDF: PROVINCE_ROLES,
    JobKind.RESULTS_DRAFT_DOCX: PROVINCE_ROLES,
    JobKind.ROUND_ZIP: (Role.STAFF, Role.LEADER),
}


def _job(request: HttpRequest, job_pk: int) -> Job:
    """The job, for whoever may read its result (404 for a plan out of sight, 403 for a role);
    a download (export) is its requester's alone: its rows are those the requester may see."""
    job = get_object_or_404(Job.objects.select_related("plan"), pk=job_pk)
    if job.kind == JobKind.EXPORT:
        if job.requested_by_id != request.user.pk:
            raise Http404
        return job
    get_plan_for_role(request.user, job.plan_id, *ROLES[JobKind(job.kind)])
    return job


@login_required
@require_POST
def round_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or join) the ZIP of every issued document of the round."""
    plan = get_plan_for_role(request.user, pk, *ROLES[JobKind.ROUND_ZIP])
    job = job_start(kind=JobKind.ROUND_ZIP, plan=plan, by=request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_GET
def job_page(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _job(request, job_pk)
    template = "reports/_job_state.html" if request.htmx else "reports/job.html"
    return TemplateResponse(request, template, {"job": job, "plan": job.plan})


@login_required
@require_POST
def job_run_again(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = job_retry(_job(request, job_pk))
    return redirect("reports:job", job.pk)


@login_required
@require_GET
def job_download(request: HttpRequest, job_pk: int) -> FileResponse:
    job = _job(request, job_pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    name = job.result.name.rsplit("/", 1)[-1]
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=name)
