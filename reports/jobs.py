"""Work too long for a request, run in the background (Django's tasks framework; in production the
database backend of django-tasks-db and its `db_worker`): the results report rendered at issue,
its draft rendered for each download (tens of pages: seconds at 40 targets, a minute at 400),
every issued document of a round as one ZIP for the records office, and the Excel/CSV downloads
of more than EXPORT_INLINE_MAX_ROWS rows.

A `Job` row is what its page shows: queued, running with its progress, done with its result, or
failed with the reason. A worker stopped mid-job leaves its job running but silent: once silent for
JOBS_STALE_AFTER seconds the page offers to run it again. Result files are written under a
temporary name and renamed when complete, so a killed worker never leaves a half-written file
under the name a download reads.
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import IssuedRendition, NoticeStatus, ResultsReport
from reports.exports import export_bytes, safe_filename
from reports.issued import built, issued_of_plan, rendition_store
from reports.models import ACTIVE, Job, JobKind, JobStatus
from reports.rendering import render_docx, render_pdf

logger = logging.getLogger(__name__)


class JobFailure(Exception):
    """A failure whose message (Vietnamese) is the reason shown on the job's page."""


# --- starting, retrying ------------------------------------------------------------------------


def job_start(*, kind: str, plan, by=None) -> Job:
    """The job of this kind for the plan: the one in progress if any (asking twice joins it),
    otherwise a new one, queued."""
    active = Job.objects.filter(kind=kind, plan=plan, status__in=ACTIVE).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, plan=plan, requested_by=by)
    except IntegrityError:
        # Asked at the same moment by someone else: theirs is the one.
        return Job.objects.get(kind=kind, plan=plan, status__in=ACTIVE)
    _enqueue(job)
    return job


def export_start(*, by, export: str, fmt: str, args: list, query: str) -> Job:
    """A large download (`table_exports.EXPORTS`) made in the background, for its requester
    alone: a new job each time it is asked for (the data may have changed since)."""
    job = Job.objects.create(
        kind=JobKind.EXPORT,
        requested_by=by,
        params={"export": export, "fmt": fmt, "args": args, "query": query},
    )
    _enqueue(job)
    return job


def job_retry(job: Job) -> Job:
    """Run a failed or interrupted job again from the start (its file, if any, is replaced)."""
    if not job.may_retry:
        return job
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.QUEUED,
                done=0,
                reason="",
                started_at=None,
                heartbeat_at=None,
                finished_at=None,
            )
    except IntegrityError:
        # Another job of this kind started for the plan meanwhile: that one is in progress.
        return Job.objects.get(kind=job.kind, plan=job.plan_id, status__in=ACTIVE)
    job.refresh_from_db()
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    run_job.using(backend=settings.JOBS_TASK_BACKEND).enqueue(job.pk)


# --- the task ----------------------------------------------------------------------------------


@task
def run_job(job_id: int) -> None:
    """Run a queued job (a job already taken by another worker, or done, is left alone)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    job = Job.objects.select_related("plan").get(pk=job_id)
    try:
        RUNNERS[job.kind](job)
    except Exception as error:
        reason = str(error)
        if not isinstance(error, JobFailure):
            reason = _(
                "Lỗi hệ thống khi xử lý (%(error)s). Hãy chạy lại; nếu vẫn lỗi, báo quản trị viên."
            ) % {"error": type(error).__name__}
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, reason=reason, finished_at=timezone.now()
        )
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        raise
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, done=F("total"), finished_at=timezone.now()
    )


def _progress(job: Job, done: int, total: int) -> None:
    job.done, job.total = done, total
    Job.objects.filter(pk=job.pk).update(done=done, total=total, heartbeat_at=timezone.now())


def _render_results_report(job: Job) -> None:
    report = ResultsReport.objects.filter(plan=job.plan).first()
    if report is None or report.status != NoticeStatus.ISSUED:
        raise JobFailure(_("Báo cáo kết quả của kế hoạch này chưa được ban hành."))
    _progress(job, 0, 1)
    rendition_store(report)
    _progress(job, 1, 1)


# The draft results report's jobs, by the format asked for.
RESULTS_DRAFTS = {"pdf": JobKind.RESULTS_DRAFT_PDF, "docx": JobKind.RESULTS_DRAFT_DOCX}
# A draft's file is kept this long after its job ended, then removed with its job when the next
# draft of its kind is rendered for the plan (a draft is read once, then outdated).
DRAFT_KEPT = datetime.timedelta(days=1)


def _results_draft(job: Job) -> None:
    """The results report as a draft, from the data as they are now, in the format of the job's
    kind; once the report is issued, its kept files are the ones to read."""
    report = (
        ResultsReport.objects.select_related("issuer__unit", "plan__issuer")
        .filter(plan=job.plan)
        .first()
    )
    if report is None:
        raise JobFailure(_("Kế hoạch này chưa có báo cáo kết quả."))
    if report.status == NoticeStatus.ISSUED:
        raise JobFailure(
            _("Báo cáo kết quả đã được ban hành: hãy tải bản đã ban hành từ trang báo cáo.")
        )
    fmt = next(fmt for fmt, kind in RESULTS_DRAFTS.items() if kind == job.kind)
    _progress(job, 0, 1)
    made = built(report)
    content = render_pdf(made) if fmt == "pdf" else render_docx(made)
    job.result.name = store_atomically(
        job.result.storage,
        job_path_for(job, f"{safe_filename(made.title)}.{fmt}"),
        lambda out: out.write(content),
    )
    job.params = {"fmt": fmt, "title": made.title}
    Job.objects.filter(pk=job.pk).update(result=job.result.name, params=job.params)
    _progress(job, 1, 1)
    _forget_old_drafts(job)


def _forget_old_drafts(job: Job) -> None:
    """Remove the plan's earlier drafts of this kind (and their files) ended over DRAFT_KEPT
    ago: nothing an office keeps, and a new one is rendered at each download."""
    jobs_remove(
        Job.objects.filter(kind=job.kind, plan=job.plan_id).exclude(pk=job.pk),
        ended_before=timezone.now() - DRAFT_KEPT,
    )


def jobs_remove(jobs, *, ended_before: datetime.datetime) -> int:
    """Remove the jobs among `jobs` that ended (done or failed) before `ended_before`, with
    their result files; a job queued or running is left alone. Returns how many were removed.
    What a job made for good is not its file: an issued results report's files are kept with
    the report (`IssuedRendition`), never here."""
    ended = jobs.exclude(status__in=ACTIVE).filter(finished_at__lt=ended_before)
    ended = list(ended.only("result"))
    # The rows first, in one statement: a row never points at a file already gone.
    Job.objects.filter(pk__in=[job.pk for job in ended]).delete()
    for job in ended:
        if job.result:
            job.result.delete(save=False)
    return len(ended)


def _round_zip(job: Job) -> None:
    """Every issued document of the round, PDF and Word, exactly the bytes of its download, named
    as its download is (number and symbol); a name met twice gets a suffix."""
    documents = issued_of_plan(job.plan)
    if not documents:
        raise JobFailure(_("Kế hoạch này chưa có văn bản nào được ban hành."))
    _progress(job, 0, len(documents))
    names: set[str] = set()

    def write(out: BinaryIO) -> None:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, document in enumerate(documents, start=1):
                rendition = rendition_store(document)
                for stored, extension in ((rendition.pdf, "pdf"), (rendition.docx, "docx")):
                    name = _unique(f"{rendition.title}.{extension}", names)
                    with stored.open("rb") as source, archive.open(name, "w") as target:
                        for chunk in iter(lambda: source.read(1024 * 1024), b""):
                            target.write(chunk)
                _progress(job, done, len(documents))

    number = job.plan.number_display.replace("/", "-")
    job.result.name = store_atomically(
        job.result.storage, job_path_for(job, f"van-ban-dot-kiem-tra-{number}.zip"), write
    )
    Job.objects.filter(pk=job.pk).update(result=job.result.name)


def _export(job: Job) -> None:
    """A download too large to make in the request: the rows of the filters as its requester
    may see them now (the same access check: refused if it was lost meanwhile), kept as one
    file named as the download is."""
    from reports.table_exports import export_table  # the views' module imports this one

    if job.requested_by is None:
        raise JobFailure(_("Tài khoản yêu cầu tải danh sách này không còn."))
    params = job.params
    _progress(job, 0, 1)
    try:
        table = export_table(job.requested_by, params["export"], params["args"], params["query"])
    except (Http404, PermissionDenied) as error:
        raise JobFailure(_("Bạn không còn quyền xem danh sách này.")) from error
    content, _type = export_bytes(table, params["fmt"])
    name = f"{safe_filename(table.filename)}.{params['fmt']}"
    job.result.name = store_atomically(
        job.result.storage, job_path_for(job, name), lambda out: out.write(content)
    )
    _progress(job, len(table.rows), len(table.rows))
    Job.objects.filter(pk=job.pk).update(result=job.result.name)


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{extension}"
    taken.add(candidate)
    return candidate


def job_path_for(job: Job, filename: str) -> str:
    return job.result.field.generate_filename(job, filename)


RUNNERS: dict[str, Callable[[Job], None]] = {
    JobKind.RESULTS_REPORT: _render_results_report,
    JobKind.RESULTS_DRAFT_PDF: _results_draft,
    JobKind.RESULTS_DRAFT_DOCX: _results_draft,
    JobKind.ROUND_ZIP: _round_zip,
    JobKind.EXPORT: _export,
}


# --- files written whole or not at all ---------------------------------------------------------


def store_atomically(storage: Storage, name: str, write: Callable[[BinaryIO], None]) -> str:
    """Write a file through `write` and keep it as `name` (or the free name the storage picks)
    only once complete. On disk: a hidden temporary file beside it, renamed over; elsewhere
    (object storage) the object appears only when its upload completes. Returns the name kept."""
    if isinstance(storage, FileSystemStorage):
        name = storage.get_available_name(name)
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name
    with tempfile.TemporaryFile() as out:
        write(out)
        out.seek(0)
        return storage.save(name, File(out, name=os.path.basename(name)))


def job_for_results_report(report: ResultsReport) -> IssuedRendition | Job:
    """An issued results report: its kept files, or the job rendering them (started if none)."""
    rendition = IssuedRendition.objects.of(report).first()
    if rendition is not None:
        return rendition
    job = job_start(kind=JobKind.RESULTS_REPORT, plan=report.plan)
    # Run at once where tasks run immediately (tests): the files may be kept now.
    return IssuedRendition.objects.of(report).first() or job
