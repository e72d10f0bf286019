"""Background jobs (reports/jobs.py): the results report rendered after its issue, the round's
documents as one ZIP, the job's page in each state, a failed or interrupted job run again, files
kept whole or not at all, and one job run by the real database worker (`db_worker`)."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from cchc.localserver import database_url
from cchc.test import client_for
from conftest import load_reference_and_demo_data
from inspections import services
from inspections.models import IssuedRendition, Plan, ResultsReport, Visit
from inspections.tests.factories import seed, user
from inspections.tests.test_remediation import recommend
from inspections.tests.test_results_report import PROSE, _issued
from reports import jobs
from reports.issued import issued_of_plan
from reports.models import Job, JobKind, JobStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def page(job: Job, persona: str = "noivu", **headers) -> str:
    response = client_for(persona).get(reverse("reports:job", args=[job.pk]), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def start_zip(plan: Plan, persona: str = "noivu") -> Job:
    response = client_for(persona).post(reverse("reports:round-zip", args=[plan.pk]))
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.ROUND_ZIP, plan=plan, requested_by__username=persona)
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    return job


def zip_entries(job: Job, persona: str = "noivu") -> dict[str, bytes]:
    response = client_for(persona).get(reverse("reports:job-download", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names))
        return {name: archive.read(name) for name in names}


# --- the results report ------------------------------------------------------------------------


def test_issue_queues_the_rendering_and_its_page_shows_it_ready(
    round_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _issued(round_)
    # Rendered by the job (run at once in tests), not by the request that issued it.
    job = Job.objects.get(kind=JobKind.RESULTS_REPORT, plan=round_)
    assert (job.status, job.done, job.total, job.attempts) == (JobStatus.DONE, 1, 1, 1)
    assert IssuedRendition.objects.of(report).exists()
    html = page(job, "doanvien")  # the team follows the results report too
    assert "Đã xong" in html and "hx-get" not in html
    assert reverse("reports:results-document", args=[round_.pk, "pdf"]) in html


def test_a_download_before_the_files_are_kept_shows_the_job_queued(round_, settings):
    settings.JOBS_TASK_BACKEND = "database"  # queued for a worker, not run
    report = _issued(round_)  # the commit never comes in this test: nothing queued yet
    document = reverse("reports:results-document", args=[round_.pk, "pdf"])
    response = client_for("lanhdao").get(document)
    job = Job.objects.get(kind=JobKind.RESULTS_REPORT, plan=round_)
    assert response.status_code == 302 and response["Location"] == job_url(job)
    # Asked again (or by someone else): the same job, not a second one.
    assert client_for("noivu").get(document)["Location"] == job_url(job)
    assert Job.objects.filter(plan=round_).count() == 1
    html = page(job)
    assert "Đang chờ xử lý" in html and f'hx-get="{job_url(job)}"' in html
    fragment = page(job, HX_Request="true")  # what htmx polls: the state alone
    assert "<html" not in fragment and 'id="job-state"' in fragment
    # The worker takes it.
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and IssuedRendition.objects.of(report).exists()
    assert client_for("lanhdao").get(document).status_code == 200


def job_url(job: Job) -> str:
    return reverse("reports:job", args=[job.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("doanvien", 200), ("anbien", 403),
     ("tuphap", 403), ("camau", 404), (None, 302)],
)  # fmt: skip
@pytest.mark.parametrize(
    "kind", [JobKind.RESULTS_REPORT, JobKind.RESULTS_DRAFT_PDF, JobKind.RESULTS_DRAFT_DOCX]
)
def test_results_report_job_permission_matrix(persona, status, kind):
    job = Job.objects.create(kind=kind, plan=seed())
    assert client_for(persona).get(job_url(job)).status_code == status


# --- the results report's draft ---------------------------------------------------------------


def _draft_report(plan: Plan) -> ResultsReport:
    report = services.results_report_for(plan)
    services.results_report_save(report=report, **PROSE)
    return report


def test_a_draft_is_rendered_by_a_job_whose_page_offers_the_file(round_, settings):
    settings.JOBS_TASK_BACKEND = "database"  # queued for a worker, as in production
    _draft_report(round_)
    document = reverse("reports:results-document", args=[round_.pk, "pdf"])
    response = client_for("lanhdao").get(document)
    job = Job.objects.get(kind=JobKind.RESULTS_DRAFT_PDF, plan=round_)
    assert response.status_code == 302 and response["Location"] == job_url(job)
    # Asked again while it waits: the same job.
    assert client_for("noivu").get(document)["Location"] == job_url(job)
    assert "Kết xuất dự thảo báo cáo kết quả kiểm tra (PDF)" in page(job)
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    html = page(job, "doanvien")
    assert "Tải PDF (dự thảo)" in html and reverse("reports:job-download", args=[job.pk]) in html
    response = client_for("lanhdao").get(reverse("reports:job-download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "DỰ THẢO" in text and "Bộ phận một cửa số hóa hồ sơ." in text
    # Done, a new download renders the data as they are then: a new job.
    assert client_for("noivu").get(document)["Location"] != job_url(job)
    # The Word file has its own job.
    word = client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "docx"]))
    assert Job.objects.get(kind=JobKind.RESULTS_DRAFT_DOCX, plan=round_).pk == int(
        word["Location"].rstrip("/").rsplit("/", 1)[-1]
    )


def test_where_tasks_run_at_once_the_draft_is_the_answer(round_):
    _draft_report(round_)
    response = client_for("noivu").get(
        reverse("reports:results-document", args=[round_.pk, "docx"])
    )
    assert response.status_code == 200
    cells = {c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows
             for c in r.cells}  # fmt: skip
    assert "Xin lỗi người dân." in cells


def test_a_draft_issued_meanwhile_fails_with_where_to_read_it(round_, settings):
    settings.JOBS_TASK_BACKEND = "database"
    _draft_report(round_)
    client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "pdf"]))
    job = Job.objects.get(kind=JobKind.RESULTS_DRAFT_PDF, plan=round_)
    _issued(round_)
    with pytest.raises(jobs.JobFailure):
        jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "đã được ban hành" in job.reason
    assert not job.result


def test_drafts_ended_over_a_day_ago_are_removed_with_their_files(round_):
    _draft_report(round_)
    document = reverse("reports:results-document", args=[round_.pk, "pdf"])
    client_for("noivu").get(document)
    old = Job.objects.get(kind=JobKind.RESULTS_DRAFT_PDF, plan=round_)
    path = old.result.path
    assert os.path.exists(path)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=2))
    client_for("noivu").get(document)
    assert not Job.objects.filter(pk=old.pk).exists() and not os.path.exists(path)
    assert Job.objects.filter(kind=JobKind.RESULTS_DRAFT_PDF, plan=round_).count() == 1


@pytest.mark.parametrize("extra", [0, 6])
def test_a_drafts_request_and_rendering_cost_the_same_however_large(round_, visit, extra, settings):
    settings.JOBS_TASK_BACKEND = "database"
    elsewhere = Visit.objects.filter(plan=round_).exclude(pk=visit.pk).get()  # not frozen
    for i in range(extra):
        recommend(elsewhere, text=f"Kiến nghị thêm {i}")
    _draft_report(round_)
    client = client_for("lanhdao")
    with CaptureQueriesContext(connection) as request:
        response = client.get(reverse("reports:results-document", args=[round_.pk, "docx"]))
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.RESULTS_DRAFT_DOCX, plan=round_)
    with CaptureQueriesContext(connection) as rendering:
        jobs.run_job.call(job.pk)
    # session, user, membership, lineage, plan, report; the job: one in progress?, savepoint,
    # insert, release, the task queued, read again; session refresh (3)
    assert len(request) == 12 + 3
    # claim, job, report, progress; the round (10); the file's name, progress, earlier drafts,
    # done
    assert len(rendering) == 4 + 10 + 4


# --- the round's ZIP ---------------------------------------------------------------------------


def test_the_zip_holds_every_issued_document_once_as_downloaded(
    round_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _issued(round_)
    documents = issued_of_plan(round_)
    kinds = {type(d).__name__ for d in documents}
    assert {"Plan", "ConclusionNotice", "ResultsReport", "Minutes"} <= kinds, kinds
    job = start_zip(round_)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, len(documents), len(documents))
    entries = zip_entries(job, "lanhdao")
    assert len(entries) == 2 * len(documents)
    for document in documents:
        kept = IssuedRendition.objects.of(document).get()
        for stored, extension in ((kept.pdf, "pdf"), (kept.docx, "docx")):
            with stored.open("rb") as file:
                assert entries[f"{kept.title}.{extension}"] == file.read()
    # Byte for byte the single downloads, named by number and symbol.
    single = {
        "KH-23-UBND-2023.pdf": reverse("reports:plan-pdf", args=[round_.pk]),
        "KH-23-UBND-2023.docx": reverse("reports:plan-docx", args=[round_.pk]),
    }
    results = IssuedRendition.objects.of(ResultsReport.objects.get(plan=round_)).get()
    for extension in ("pdf", "docx"):
        single[f"{results.title}.{extension}"] = reverse(
            "reports:results-document", args=[round_.pk, extension]
        )
    for name, url in single.items():
        assert client_for("noivu").get(url).content == entries[name], name
    assert "Tải tệp ZIP" in page(job)


def test_asking_twice_joins_the_job_in_progress(settings):
    settings.JOBS_TASK_BACKEND = "database"
    first = start_zip(seed(), "noivu")
    client_for("lanhdao").post(reverse("reports:round-zip", args=[seed().pk]))
    assert list(Job.objects.filter(kind=JobKind.ROUND_ZIP)) == [first]


def test_a_plan_without_issued_documents_fails_with_its_reason():
    draft = services.plan_create(
        by=user("noivu"), issuer=seed().issuer, year=2030, place="Kiên Giang",
        document_date=datetime.date(2030, 1, 2), summary="Kế hoạch nháp",
    )  # fmt: skip
    job = start_zip(draft, "admin")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    html = page(job, "admin")
    assert "Không thành công" in html and "chưa có văn bản nào được ban hành" in html
    assert "Chạy lại" in html


def test_a_failing_job_shows_its_reason_and_runs_again(monkeypatch):
    def broken(job):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.RUNNERS, JobKind.ROUND_ZIP, broken)
    job = start_zip(seed())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.reason
    html = page(job)
    assert "Lỗi hệ thống khi xử lý (RuntimeError)" in html and "Chạy lại" in html
    assert not job.result
    monkeypatch.undo()
    response = client_for("lanhdao").post(reverse("reports:job-retry", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == job_url(job)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.reason) == (JobStatus.DONE, 2, "")
    assert set(zip_entries(job)) == {"KH-23-UBND-2023.pdf", "KH-23-UBND-2023.docx"}


def test_a_worker_killed_mid_job_leaves_it_retryable(settings):
    """The worker stopped while running: the job stays running but silent; once silent for
    JOBS_STALE_AFTER its page says so and offers to run it again."""
    job = Job.objects.create(
        kind=JobKind.ROUND_ZIP, plan=seed(), status=JobStatus.RUNNING, done=0, total=1,
        started_at=timezone.now(), heartbeat_at=timezone.now(),
    )  # fmt: skip
    assert "Chạy lại" not in page(job) and "hx-get" in page(job)
    job.heartbeat_at = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER + 1)
    job.save()
    html = page(job)
    assert "Bị gián đoạn" in html and "Chạy lại" in html and "hx-get" not in html
    client_for("noivu").post(reverse("reports:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result


def test_a_done_job_is_not_run_again():
    job = start_zip(seed())
    job.refresh_from_db()
    name = job.result.name
    client_for("noivu").post(reverse("reports:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.attempts, job.result.name) == (1, name)


@pytest.mark.parametrize("total", [1, 40])
def test_job_page_query_count(total):
    job = Job.objects.create(kind=JobKind.ROUND_ZIP, plan=seed(), status=JobStatus.RUNNING,
                             done=total // 2, total=total, heartbeat_at=timezone.now())  # fmt: skip
    client = client_for("noivu")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(job_url(job)).status_code == 200
    # session, user, membership, lineage, the job with its plan, the plan's visibility;
    # session refresh (3)
    assert len(queries) == QUERIES, [q["sql"] for q in queries]


QUERIES = 9


# --- files written whole or not at all ---------------------------------------------------------


def test_a_file_is_kept_only_once_complete(private_files):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=private_files)

    def half_then_killed(out):
        out.write(b"PK" * 1000)
        raise KeyboardInterrupt  # the worker stopped mid-write

    with pytest.raises(KeyboardInterrupt):
        jobs.store_atomically(storage, "jobs/1/van-ban.zip", half_then_killed)
    assert [p for p in private_files.rglob("*") if p.is_file()] == []
    name = jobs.store_atomically(storage, "jobs/1/van-ban.zip", lambda out: out.write(b"whole"))
    assert name == "jobs/1/van-ban.zip"
    assert [p.name for p in private_files.rglob("*") if p.is_file()] == ["van-ban.zip"]
    with storage.open(name) as kept:
        assert kept.read() == b"whole"


# --- the real worker (django-tasks-db) ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job(settings, private_files):
    """Queued in the database by the request, run by `manage.py db_worker` in its own process
    (as `make run` and the systemd unit start it), seen done on the page."""
    load_reference_and_demo_data()  # a transactional test before this one emptied the tables
    from django_tasks_db.models import DBTaskResult

    settings.JOBS_TASK_BACKEND = "database"
    job = start_zip(seed())
    task = DBTaskResult.objects.get()
    assert (task.status, task.args_kwargs["args"]) == ("READY", [job.pk])
    assert "Đang chờ xử lý" in page(job)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "TESTING": "true",
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(private_files),  # where this test's file fields are
        "LOG_LEVEL": "WARNING",
    }
    worker = [sys.executable, "manage.py", "db_worker", "--backend", "database", "--batch"]
    subprocess.run(
        [*worker, "--no-startup-delay", "--interval", "0"],
        cwd=settings.BASE_DIR, env=env, check=True, timeout=300,
    )  # fmt: skip
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, task.status) == (JobStatus.DONE, "SUCCESSFUL")
    assert "Tải tệp ZIP" in page(job)
    entries = zip_entries(job)
    assert (
        entries["KH-23-UBND-2023.pdf"]
        == client_for("noivu").get(reverse("reports:plan-pdf", args=[seed().pk])).content
    )


@pytest.mark.parametrize(
    ("persona", "shown"), [("noivu", True), ("lanhdao", True), ("doanvien", False)]
)
def test_the_issued_plan_offers_its_zip_to_staff_and_leaders(persona, shown):
    html = client_for(persona).get(reverse("inspections:plan-detail", args=[seed().pk])).content
    assert (reverse("reports:round-zip", args=[seed().pk]).encode() in html) is shown


# --- removing jobs that ended long ago ---------------------------------------------------------


def test_prune_jobs_removes_jobs_ended_long_ago_with_their_files():
    def ended(days: int, status=JobStatus.DONE) -> Job:
        job = Job.objects.create(
            kind=JobKind.EXPORT, requested_by=user("noivu"), status=status,
            finished_at=timezone.now() - datetime.timedelta(days=days),
        )  # fmt: skip
        job.result.name = jobs.store_atomically(
            job.result.storage, jobs.job_path_for(job, "danh-sach.csv"), lambda out: out.write(b"x")
        )
        job.save(update_fields=["result"])
        return job

    old, failed, recent = ended(40), ended(31, JobStatus.FAILED), ended(5)
    running = Job.objects.create(kind=JobKind.ROUND_ZIP, plan=seed(), status=JobStatus.RUNNING)
    paths = {job.pk: job.result.path for job in (old, failed, recent)}
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert "Đã xóa 2 việc chạy nền kết thúc quá 30 ngày." in out.getvalue()
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not os.path.exists(paths[old.pk]) and not os.path.exists(paths[failed.pk])
    assert os.path.exists(paths[recent.pk])
    call_command("prune_jobs", days=3, stdout=io.StringIO())
    assert list(Job.objects.values_list("pk", flat=True)) == [running.pk]


def test_prune_jobs_refuses_less_than_a_day():
    with pytest.raises(CommandError, match="từ 1 trở lên"):
        call_command("prune_jobs", days=0)
