"""Large Excel/CSV downloads in the background (reports/table_exports.py, reports/jobs.py): above
EXPORT_INLINE_MAX_ROWS rows the download is a job — queued, run by the worker (at once in tests),
its page showing it ready — whose file holds exactly what the inline download of the same
filters holds; it is its requester's alone; a job whose requester lost the right fails with the
reason and can be run again; smaller downloads stay inline."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.test import client_for
from inspections.tests.factories import seed
from reports import jobs
from reports.exports import FIRST_DATA_ROW
from reports.models import Job, JobKind, JobStatus
from units.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def download(url: str, persona: str = "noivu", **params):
    return client_for(persona).get(url, params)


def job_of(response) -> Job:
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    return job


def job_file(job: Job, persona: str = "noivu") -> bytes:
    response = client_for(persona).get(reverse("reports:job-download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_large_export_is_a_job_whose_file_equals_the_inline_download(settings):
    url = reverse("reports:unit-export", args=["csv"])
    inline = download(url, level="commune")
    assert inline.status_code == 200
    settings.EXPORT_INLINE_MAX_ROWS = 5
    job = job_of(download(url, level="commune"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.plan is None
    assert job.params == {"export": "units", "fmt": "csv", "args": [], "query": "level=commune"}
    page = client_for("noivu").get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Đã xong" in page and "Tải tệp CSV" in page and "hx-get" not in page
    assert job_file(job) == inline.content
    assert job.result.name.endswith(".csv")


def test_a_large_excel_export_of_a_plan_holds_the_rows_of_its_filters(settings):
    plan = seed()
    url = reverse("reports:target-export", args=[plan.pk, "xlsx"])
    inline = load_workbook(io.BytesIO(download(url, section="province").content)).active
    settings.EXPORT_INLINE_MAX_ROWS = 2
    job = job_of(download(url, section="province"))
    kept = load_workbook(io.BytesIO(job_file(job))).active
    rows = list(kept.iter_rows(values_only=True))
    assert rows == list(inline.iter_rows(values_only=True))
    assert (
        len(rows) - FIRST_DATA_ROW + 1
        == plan.targets.filter(kind="inspection", agency__unit__level="province").count()
        > 2
    )


def test_an_export_job_is_its_requesters_alone(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 5
    job = job_of(download(reverse("reports:unit-export", args=["csv"])))
    for persona in ("lanhdao", "camau"):
        assert client_for(persona).get(reverse("reports:job", args=[job.pk])).status_code == 404
        download_url = reverse("reports:job-download", args=[job.pk])
        assert client_for(persona).get(download_url).status_code == 404


def test_a_requester_who_lost_the_right_gets_the_reason_and_a_retry(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.JOBS_TASK_BACKEND = "database"  # queued for a worker, not run
    plan = seed()
    job = job_of(download(reverse("reports:target-export", args=[plan.pk, "csv"])))
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    membership = Membership.objects.get(user__username="noivu")
    membership.delete()  # no role left: the plan is out of sight
    with pytest.raises(jobs.JobFailure):
        jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.reason == "Bạn không còn quyền xem danh sách này." and not job.result
    membership.save()  # given back
    page = client_for("noivu").get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Bạn không còn quyền xem danh sách này." in page and "Chạy lại" in page
    settings.JOBS_TASK_BACKEND = "default"
    response = client_for("noivu").post(reverse("reports:job-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_small_export_stays_inline(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 10_000
    response = download(reverse("reports:target-export", args=[seed().pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()
