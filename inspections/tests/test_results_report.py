"""The results report to the provincial People's Committee: figures equal to counts taken
independently from the database, the approval path, the permission matrix, the PDF and Word read
back, and pinned query counts."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    Finding,
    IssuedRendition,
    NoticeStatus,
    Recommendation,
    ResultsReport,
    Submission,
    Visit,
)
from inspections.tests.factories import schedule, seed, user
from inspections.tests.test_remediation import issue_notice, recommend
from inspections.tests.test_self_inspection import field_data, pdf
from units.services import agency_by_ref

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

PROSE = {
    "summary": "Đoàn kiểm tra làm việc từ tháng 9 đến tháng 11 năm 2023.",
    "assessment": "Các đơn vị cơ bản thực hiện nghiêm túc.",
    "proposals": "Chỉ đạo khắc phục các tồn tại.\nBiểu dương các mô hình hay.",
    "signing_capacity": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Lê Văn Hai",
    "recipients": "Ủy ban nhân dân tỉnh (b/c);",
}


@pytest.fixture
def round_(team, visit, sent):
    """An Biên visited with two findings (one recommendation done), Sở Tư pháp scheduled,
    An Biên's report submitted late-free, the notice to An Biên issued."""
    recommend(visit, text="Xin lỗi người dân.")
    done = recommend(visit, text="Niêm yết thủ tục.")
    services.finding_add(visit=visit, by=user("doanvien"), kind="good_model",
                         description="Bộ phận một cửa số hóa hồ sơ.")  # fmt: skip
    services.minutes_save(visit=visit, by=user("doanvien"), team_attendees="Đoàn",
                          unit_attendees="UBND huyện", checked="Hồ sơ")  # fmt: skip
    schedule(team, "91/STP", datetime.date(2023, 10, 2))
    client_for("anbien").post(
        reverse("requests:submission-create",
                args=[sent.plan.requests.get(agency=visit.agency).pk]),
        {**field_data(sent, 10, 9), "file": pdf()},
    )  # fmt: skip
    issue_notice(visit.plan, visit.agency)
    done.status = "done"
    done.save()
    return visit.plan


def url(plan, name="results-report"):
    return reverse(f"inspections:{name}", args=[plan.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("anbien", 403), ("tuphap", 403), ("camau", 404), (None, 302)],
)  # fmt: skip
def test_results_page_permission_matrix(persona, status):
    assert client_for(persona).get(url(seed())).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("lanhdao", 403), ("doanvien", 403), ("anbien", 403), ("camau", 404)]
)
def test_only_staff_write_the_report(persona, status):
    assert client_for(persona).post(url(seed()), PROSE).status_code == status
    assert not ResultsReport.objects.exists()


def test_figures_equal_independent_counts(round_):
    data = services.round_results(round_)
    assert len(data.targets) == round_.targets.count()
    visited = Visit.objects.filter(plan=round_, status="done").values("target").distinct().count()
    assert data.visited == visited == 1
    concluded = ConclusionNotice.objects.filter(
        plan=round_, status=NoticeStatus.ISSUED, agency__in=round_.targets.values("agency")
    ).count()
    assert data.concluded == concluded == 1
    assert len(data.progress) == round_.requests.count()
    submitted = Submission.objects.filter(request__plan=round_, deliverable="report")
    assert len(data.submitted) == submitted.values("request").distinct().count() == 1
    assert len(data.late) == submitted.filter(late=True).values("request").distinct().count()
    findings = Finding.objects.filter(visit__plan=round_)
    assert sum(total for _a, _c, total in data.findings_table()) == findings.count() == 3
    assert len(data.of_kind("good_model")) == findings.filter(kind="good_model").count() == 1
    shortcomings = sum(len(f) for _a, f in data.shortcomings_by_area())
    assert shortcomings == findings.filter(kind="shortcoming").count() == 2
    recommendations = Recommendation.objects.filter(finding__visit__plan=round_)
    assert len(data.recommendations) == recommendations.count() == 2
    assert len(data.recommendations_done) == recommendations.filter(status="done").count() == 1
    levels = dict(data.targets_by_level())
    assert sum(len(rows) for rows in levels.values()) == round_.targets.count()


def test_earlier_rounds_remedied_or_not(round_):
    day = datetime.date(2024, 3, 15)
    plan, _notes = services.plan_copy(source=round_, year=2024, document_date=day, by=user("noivu"))
    earlier = services.earlier_remediation(plan)
    an_bien = agency_by_ref("908/UBND", datetime.date(2023, 8, 6))
    assert [(u.agency, len(u.done), len(u.unresolved)) for u in earlier] == [(an_bien, 1, 1)]
    unresolved = Recommendation.objects.filter(
        Q(status="open") | Q(status="not_done"), finding__visit__plan=round_
    )
    assert [r.pk for r in earlier[0].unresolved] == [r.pk for r in unresolved]


def test_write_submit_approve_issue(round_):
    staff, leader = client_for("noivu"), client_for("lanhdao")
    response = staff.post(url(round_), {**PROSE, "proposals": ""}, follow=True)
    assert "Đã lưu báo cáo kết quả" in response.text
    report = ResultsReport.objects.get()
    assert report.issuer.name == "Sở Nội vụ" and report.status == "draft"
    response = staff.post(url(round_, "results-submit"), follow=True)
    assert "Chưa ghi kiến nghị Ủy ban nhân dân tỉnh" in response.text
    report.refresh_from_db()
    assert report.status == "draft"
    staff.post(url(round_), {**PROSE, "version": report.version})
    staff.post(url(round_, "results-submit"))
    assert staff.post(url(round_, "results-approve")).status_code == 403
    report.refresh_from_db()
    edit = {**PROSE, "summary": "Sửa sau khi gửi", "version": report.version}
    response = staff.post(url(round_), edit, follow=True)
    assert "Chỉ sửa được bản dự thảo" in response.text
    report.refresh_from_db()
    assert report.summary == PROSE["summary"] and report.status == "submitted"
    leader.post(url(round_, "results-approve"))
    assert leader.post(url(round_, "results-issue")).status_code == 403
    response = staff.post(
        url(round_, "results-issue"), {"document_date": "05/03/2024"}, follow=True
    )
    assert "Đã cấp số" in response.text
    report.refresh_from_db()
    assert (report.status, report.number, report.number_display) == ("issued", 1, "01/BC-SNV")


def _issued(plan) -> ResultsReport:
    report = services.results_report_for(plan)
    services.results_report_save(report=report, **PROSE)
    services.results_report_submit(report=report)
    services.results_report_decide(report=report, by=user("lanhdao"), approve=True)
    # After the last notice it counts (issued 01/03/2024).
    services.results_report_issue(report=report, day=datetime.date(2024, 3, 5))
    return report


def test_pdf_and_word_read_back(round_):
    _issued(round_)
    response = client_for("lanhdao").get(reverse("reports:results-document",
                                                 args=[round_.pk, "pdf"]))  # fmt: skip
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("BÁO CÁO", "Số: 01/BC-SNV", "Kết quả kiểm tra công tác cải cách hành chính",
                     "KHÁI QUÁT", "Bộ phận một cửa số hóa hồ sơ.", "Xin lỗi người dân.",
                     "Chỉ đạo khắc phục các tồn tại.", "Lê Văn Hai", "Phụ lục I", "Phụ lục II",
                     "Phụ lục III", "Phụ lục IV", "Kèm theo Báo cáo số 01/BC-SNV"):  # fmt: skip
        assert expected in text, expected
    first = reader.pages[0].mediabox
    assert first.width < first.height  # the report itself is portrait
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # wide appendices
    word = client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "docx"]))
    cells = {
        cell.text for table in Document(io.BytesIO(word.content)).tables for row in table.rows
        for cell in row.cells
    }  # fmt: skip
    assert {"Xin lỗi người dân.", "Niêm yết thủ tục.", "Đã khắc phục", "Tổng cộng"} <= cells


@pytest.mark.parametrize(
    ("persona", "status"),
    [("noivu", 200), ("lanhdao", 200), ("doanvien", 200), ("anbien", 403), ("camau", 404),
     (None, 302)],
)  # fmt: skip
def test_document_permission_matrix(round_, persona, status):
    _issued(round_)
    document = reverse("reports:results-document", args=[round_.pk, "docx"])
    assert client_for(persona).get(document).status_code == status


def test_no_report_yet_is_404():
    document = reverse("reports:results-document", args=[seed().pk, "pdf"])
    assert client_for("noivu").get(document).status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_page_and_document_query_counts(round_, visit, extra):
    elsewhere = Visit.objects.filter(plan=round_).exclude(pk=visit.pk).get()  # not frozen
    for i in range(extra):
        recommend(elsewhere, text=f"Kiến nghị thêm {i}")
    client = client_for("lanhdao")
    document_url = reverse("reports:results-document", args=[round_.pk, "docx"])
    report = services.results_report_for(round_)
    services.results_report_save(report=report, **PROSE)
    # A draft is rendered by a background job: reports/tests/test_jobs.py pins both.
    _issued(round_)
    assert client.get(document_url).status_code == 200  # renders and keeps the files
    with CaptureQueriesContext(connection) as page:
        assert client.get(url(round_)).status_code == 200
    with CaptureQueriesContext(connection) as issued:
        assert client.get(document_url).status_code == 200
    # page: session, user, membership, lineage, plan, report; the round: targets, visits,
    # findings, notices, recommendations, content areas, requests, submissions, earlier
    # (lineage, recommendations); the kept files (hashes); their signed versions and the
    # attachment file cut from them at issue (signing); session refresh (3)
    assert len(page) == 19 + 3
    # an issued report is served from the files kept at issue: no round to assemble, one
    # query for the kept files (IssuedRendition)
    assert len(issued) == 7 + 3


def test_the_issued_report_is_kept_as_issued(round_, visit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _issued(round_)
    # Rendered when the issue committed, before anyone downloads it.
    kept = IssuedRendition.objects.of(report).get()
    assert kept.pdf.name.endswith(".pdf") and kept.docx.name.endswith(".docx")
    with kept.pdf.open("rb") as stored:
        issued = stored.read()
    assert hashlib.sha256(issued).hexdigest() == kept.pdf_sha256
    # The round goes on: a recommendation is remedied, a new one is made (elsewhere: An Biên's
    # findings are frozen by its issued notice).
    Recommendation.objects.filter(finding__visit__plan=round_).update(status="done")
    elsewhere = Visit.objects.filter(plan=round_).exclude(pk=visit.pk).get()
    recommend(elsewhere, text="Kiến nghị sau khi đã báo cáo")
    response = client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "pdf"]))
    assert response.content == issued
    word = client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "docx"]))
    text = {
        c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells
    }
    assert "Kiến nghị sau khi đã báo cáo" not in text and "Đang khắc phục" in text


def test_a_report_issued_without_its_files_gets_them_on_first_download(round_):
    report = _issued(round_)  # the commit never comes in this test: issued without files
    assert not IssuedRendition.objects.of(report).exists()
    first = client_for("noivu").get(reverse("reports:results-document", args=[round_.pk, "pdf"]))
    kept = IssuedRendition.objects.of(report).get()
    assert first.status_code == 200 and kept.pdf_sha256 == hashlib.sha256(first.content).hexdigest()
    again = client_for("lanhdao").get(reverse("reports:results-document", args=[round_.pk, "pdf"]))
    assert again.content == first.content
