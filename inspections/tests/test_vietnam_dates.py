"""Every date a page or document shows is Vietnam's: a submission made at 23:34 UTC on 29/11/2026
(06:34 on 30/11 in Vietnam) shows 30/11 on the progress page, in the export and in the results
report's annex, and is late only against a deadline of 29/11."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.test import client_for
from inspections import services
from inspections.models import ReportRequest, Submission
from inspections.tests.factories import seed
from inspections.tests.test_uploads import pdf_bytes
from inspections.text import short_date
from reports.documents import nd30_date
from reports.rendering import render_pdf
from reports.results_document import results_document
from units.models import local_day, today

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed
MOMENT = datetime.datetime(2026, 11, 29, 23, 34, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(private_files):
    """Uploaded files go to a temporary folder (see conftest)."""


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands at 23:34 UTC on 29/11/2026, 06:34 on 30/11 in Vietnam."""
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    return MOMENT


def submit(sent, username: str, deadline: datetime.date) -> Submission:
    request = ReportRequest.objects.get(plan=seed(), agency__members__user__username=username)
    ReportRequest.objects.filter(pk=request.pk).update(deadline=deadline)
    total, done = sent.fields.order_by("order")[:2]
    response = client_for(username).post(
        reverse("requests:submission-create", args=[request.pk]),
        {
            "deliverable": "report",
            f"f{total.pk}": 10,
            f"f{done.pk}": 5,
            "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return request.submissions.get()


def test_the_helper(frozen):
    assert today() == datetime.date(2026, 11, 30)
    assert local_day(MOMENT) == datetime.date(2026, 11, 30)
    assert short_date(MOMENT) == "30/11/2026"
    assert nd30_date("An Giang", MOMENT) == "An Giang, ngày 30 tháng 11 năm 2026"
    assert local_day(datetime.date(2026, 11, 29)) == datetime.date(2026, 11, 29)


def test_late_is_judged_on_vietnams_date(sent, frozen):
    # 30/11 in Vietnam: after a deadline of 29/11, on time for one of 30/11.
    assert submit(sent, "anbien", datetime.date(2026, 11, 29)).late is True
    assert submit(sent, "tuphap", datetime.date(2026, 11, 30)).late is False


def test_progress_page_export_and_annex_show_30_11(sent, frozen):
    submission = submit(sent, "anbien", datetime.date(2026, 11, 29))
    assert submission.submitted_at == MOMENT
    plan = seed()
    page = client_for("noivu").get(reverse("inspections:progress", args=[plan.pk]))
    assert "<td>30/11/2026 06:34</td>" in page.text  # the deadline, 29/11, is shown too
    assert "29/11/2026 23:34" not in page.text

    csv = client_for("noivu").get(reverse("reports:progress-export", args=[plan.pk, "csv"]))
    assert "30/11/2026 06:34" in csv.content.decode("utf-8-sig")
    xlsx = client_for("noivu").get(reverse("reports:progress-export", args=[plan.pk, "xlsx"]))
    cells = [
        cell.value
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()
        for cell in row
        if isinstance(cell.value, datetime.datetime)
    ]
    assert datetime.datetime(2026, 11, 30, 6, 34) in cells  # "Nộp lúc", Vietnam's wall clock
    assert datetime.datetime(2026, 11, 29, 23, 34) not in cells

    document = results_document(services.results_report_for(plan), services.round_results(plan))
    annex = next(a for a in document.appendices if a.label == "Phụ lục II")
    row = next(r for r in annex.rows if r[1] == "Ủy ban nhân dân huyện An Biên")
    assert row[4] == "30/11/2026" and row[5] == "x"  # submitted 30/11, late
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(document))).pages)
    assert "30/11/2026" in text and "29/11/2026" in text  # submitted 30/11; deadline 29/11
