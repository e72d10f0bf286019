"""Self-inspection: outline sent to units, units submit versions, coverage rule, review, exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cchc.test import client_for
from inspections import services
from inspections.models import (
    Outline,
    Plan,
    ReportRequest,
    ReviewStatus,
    Submission,
)
from inspections.tests.factories import SENT_ON, seed, user
from inspections.tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed


@pytest.fixture(autouse=True)
def _uploads_in_tmp(private_files):
    """Uploaded files go to a temporary folder (see conftest)."""


def request_of(name: str) -> ReportRequest:
    return ReportRequest.objects.get(plan=seed(), agency__members__user__username=name)


def pdf(name="bao-cao.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def field_data(outline, total, done, **extra):
    total_f, done_f = outline.fields.order_by("order")[:2]
    return {"deliverable": "report", f"f{total_f.pk}": total, f"f{done_f.pk}": done, **extra}


def test_sending_the_outline_creates_one_request_per_unit(outline):
    created = services.outline_send(outline=outline, by=user("noivu"), day=SENT_ON)
    # 18 targets; 10 other departments; 8 district committees that are not targets.
    assert created == 36
    requests = seed().requests
    assert requests.filter(is_target=True).count() == 18
    assert requests.filter(is_target=False, deadline=datetime.date(2023, 6, 30)).count() == 18
    assert services.outline_send(outline=outline, by=user("noivu"), day=SENT_ON) == 0


def test_outline_needs_an_issued_plan_and_content(outline):
    empty = Outline.objects.create(
        plan=Plan.objects.create(
            issuer=seed().issuer, year=2023, place="x", document_date=seed().document_date,
            summary="x", created_by=user("noivu"),
        ),
        target_deadline=datetime.date(2023, 9, 1),
    )  # fmt: skip
    with pytest.raises(Exception, match="đã ban hành"):
        services.outline_send(outline=empty, by=user("noivu"), day=SENT_ON)


def test_unit_submits_versions_and_nothing_is_lost(sent, private_files):
    client = client_for("anbien")
    req = request_of("anbien")
    url = reverse("requests:submission-create", args=[req.pk])
    first = client.post(url, {**field_data(sent, 10, 4), "file": pdf()})
    assert first.status_code == 302
    second = client.post(
        url, {**field_data(sent, 10, 5), "file": pdf("lan-2.pdf", pdf_bytes(b"/Lan (2)"))}
    )
    assert second.status_code == 302
    versions = list(req.submissions.order_by("version"))
    assert [s.version for s in versions] == [1, 2]
    assert [s.coverage for s in versions] == [40, 50]
    with versions[0].file.open("rb") as first_file:
        assert first_file.read() == PDF  # the first file is still there
    assert versions[0].file_sha256 != versions[1].file_sha256
    assert not versions[1].late
    download = client.get(reverse("requests:submission-file", args=[req.pk, versions[0].pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_below_threshold_needs_an_explanation(sent):
    client = client_for("anbien")
    req = request_of("anbien")
    url = reverse("requests:submission-create", args=[req.pk])
    refused = client.post(url, {**field_data(sent, 10, 2), "file": pdf()})
    assert refused.status_code == 400
    assert "thấp hơn mức 30% của kế hoạch" in refused.text
    assert not req.submissions.exists()
    ok = client.post(
        url, {**field_data(sent, 10, 2), "file": pdf(), "explanation": "Đang sáp nhập phòng."}
    )
    assert ok.status_code == 302
    assert req.submissions.get().below_threshold


def test_done_greater_than_total_is_refused(sent):
    req = request_of("anbien")
    response = client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 3, 5), "file": pdf()},
    )
    assert "lớn hơn tổng số" in response.text
    assert not req.submissions.exists()


def test_late_submission_is_marked(sent):
    req = request_of("tuphap")  # a target: deadline 2099; make it past
    req.deadline = datetime.date(2023, 7, 1)
    req.save()
    client_for("tuphap").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 10, 5), "file": pdf()},
    )
    assert req.submissions.get().late


@pytest.mark.parametrize(
    ("name", "content"),
    [("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100), ("trang.pdf", b"<html><script>x</script>")],
)
def test_hostile_files_are_refused_and_nothing_is_stored(sent, private_files, name, content):
    req = request_of("anbien")
    response = client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 10, 5), "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "không phải PDF" in response.text or "không" in response.text
    assert not Submission.objects.exists()
    assert not any(private_files.rglob("*.*"))


def test_other_units_never_see_a_request_or_its_file(sent):
    client_for("anbien").post(
        reverse("requests:submission-create", args=[request_of("anbien").pk]),
        {**field_data(sent, 10, 5), "file": pdf()},
    )
    req = request_of("anbien")
    submission = req.submissions.get()
    for persona in ("tuphap", "thuba", "camau"):
        client = client_for(persona)
        assert client.get(reverse("requests:request-detail", args=[req.pk])).status_code == 404
        url = reverse("requests:submission-file", args=[req.pk, submission.pk])
        assert client.get(url).status_code == 404
        post = client.post(reverse("requests:submission-create", args=[req.pk]), {})
        assert post.status_code == 404
    listed = client_for("tuphap").get(reverse("requests:request-list")).context["rows"]
    assert [row.request.agency.name for row in listed] == ["Sở Tư pháp"]
    assert (
        client_for(None).get(reverse("requests:request-detail", args=[req.pk])).status_code == 302
    )


@pytest.mark.parametrize("persona", ["noivu", "lanhdao", "truongdoan"])
def test_staff_leaders_and_team_read_but_do_not_submit(sent, persona):
    req = request_of("anbien")
    client = client_for(persona)
    assert client.get(reverse("requests:request-detail", args=[req.pk])).status_code == 200
    response = client.post(reverse("requests:submission-create", args=[req.pk]), {})
    assert response.status_code == 403


def test_review_return_needs_a_comment_then_accept(sent):
    req = request_of("anbien")
    client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 10, 5), "file": pdf()},
    )
    first = req.submissions.get()
    staff = client_for("noivu")
    staff.post(reverse("requests:submission-return", args=[req.pk, first.pk]), {"comment": ""})
    assert Submission.objects.get(pk=first.pk).status == ReviewStatus.SUBMITTED
    staff.post(
        reverse("requests:submission-return", args=[req.pk, first.pk]),
        {"comment": "Bổ sung số liệu hồ sơ trễ hạn."},
    )
    assert Submission.objects.get(pk=first.pk).status == ReviewStatus.RETURNED
    client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 10, 6), "file": pdf()},
    )
    second = req.submissions.get(version=2)
    assert (
        client_for("anbien")
        .post(reverse("requests:submission-accept", args=[req.pk, second.pk]))
        .status_code
        == 403
    )  # a unit does not accept its own report
    client_for("truongdoan").post(reverse("requests:submission-accept", args=[req.pk, second.pk]))
    assert Submission.objects.get(pk=second.pk).status == ReviewStatus.ACCEPTED


def test_progress_table_and_excel_export(sent):
    client_for("anbien").post(
        reverse("requests:submission-create", args=[request_of("anbien").pk]),
        {**field_data(sent, 10, 2), "file": pdf(), "explanation": "Thiếu người."},
    )
    response = client_for("noivu").get(reverse("inspections:progress", args=[seed().pk]))
    assert response.status_code == 200
    states = {r.request.agency.name: r.state for r in response.context["rows"]}
    assert states["Ủy ban nhân dân huyện An Biên"] == "submitted"
    assert states["Sở Tư pháp"] == "pending"
    assert states["Sở Y tế"] == "overdue"  # not a target: deadline 30/6/2023 has passed
    export = client_for("noivu").get(reverse("reports:progress-export", args=[seed().pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    headers = [c.value for c in sheet[3]]
    assert headers[0] == "Đơn vị" and "Tỷ lệ tự kiểm tra" in headers
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    an_bien = rows["Ủy ban nhân dân huyện An Biên"]
    assert an_bien[8] == pytest.approx(0.2)  # 20 % stored as a fraction
    assert isinstance(an_bien[3], datetime.datetime)  # a real date
    assert (
        client_for("anbien")
        .get(reverse("reports:progress-export", args=[seed().pk, "xlsx"]))
        .status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["anbien", "camau"])
def test_progress_is_not_for_units_or_other_provinces(sent, persona):
    expected = 403 if persona == "anbien" else 404
    url = reverse("inspections:progress", args=[seed().pk])
    assert client_for(persona).get(url).status_code == expected


@pytest.mark.parametrize("extra", [0, 3])
def test_progress_query_count(sent, extra, settings):
    settings.PAGE_SIZE = 5  # the requests span pages
    req = request_of("anbien")
    for _ in range(extra):
        client_for("anbien").post(
            reverse("requests:submission-create", args=[req.pk]),
            {**field_data(sent, 10, 5), "file": pdf()},
        )
    client = client_for("noivu")
    url = reverse("inspections:progress", args=[seed().pk])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # session, user, membership, lineage, plan; the requests' section: the count of each status
    # (with their total), the page's keys, the page's requests and their latest reports; late and
    # below the threshold; whether any request; units not requested: whether districts exist,
    # departments, committees (the requested left out in the database); session refresh (3)
    assert len(queries) == 14 + 3


def test_outline_page_saves_sections_and_fields():
    plan = seed()
    data = {
        "outline-guidance": "Báo cáo theo các phần dưới đây.",
        "outline-target_deadline": "2023-09-15",
        "outline-include_non_targets": "on",
        "outline-letter_symbol": "SNV-CCHC",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-order": "1", "sections-0-title": "Cải cách thủ tục hành chính",
        "fields-TOTAL_FORMS": "1", "fields-INITIAL_FORMS": "0",
        "fields-0-order": "1", "fields-0-label": "Số hồ sơ trễ hạn", "fields-0-kind": "number",
        "fields-0-required": "on",
    }  # fmt: skip
    response = client_for("noivu").post(reverse("inspections:outline-edit", args=[plan.pk]), data)
    assert response.status_code == 302
    outline = plan.outline
    assert outline.sections.get().title == "Cải cách thủ tục hành chính"
    assert outline.fields.get().label == "Số hồ sơ trễ hạn"
    assert (
        client_for("lanhdao").get(reverse("inspections:outline-edit", args=[plan.pk])).status_code
        == 403
    )


def test_units_raise_difficulties_and_staff_answer(sent):
    req = request_of("anbien")
    url = reverse("requests:message-post", args=[req.pk])
    client_for("anbien").post(url, {"body": "Chưa rõ cách tính tỷ lệ 30%."})
    unanswered = "Phản ánh, kiến nghị của đơn vị chưa trả lời"
    todo = {t.text: t.count for t in client_for("noivu").get("/").context["todos"]}
    assert todo[unanswered] == 1
    client_for("noivu").post(url, {"body": "Tính trên tổng số phòng, ban chuyên môn."})
    assert unanswered not in client_for("noivu").get("/").text
    thread = client_for("anbien").get(reverse("requests:request-detail", args=[req.pk])).text
    assert "Chưa rõ cách tính" in thread and "Tính trên tổng số" in thread
    assert client_for("tuphap").post(url, {"body": "x"}).status_code == 404
    assert client_for("lanhdao").post(url, {"body": "x"}).status_code == 403
    empty = client_for("anbien").post(url, {"body": "  "}, follow=True)
    assert "Nội dung trống" in empty.text
    assert req.messages.count() == 2


def test_reporter_home_lists_what_is_due(sent):
    home = client_for("anbien").get("/").text
    assert "Báo cáo tự kiểm tra chưa nộp" in home
    home = client_for("camau").get("/").text
    assert "23/KH-UBND" not in home and "Báo cáo tự kiểm tra chưa nộp" not in home


def test_reminders_are_sent_once(sent, mailoutbox, monkeypatch):
    from django.core.management import call_command

    get_user_model().objects.filter(username__in=["anbien", "tuphap"]).update(
        email="donvi@example.gov.vn"
    )
    today = datetime.date(2099, 7, 8)  # 7 days before the targets' deadline (15/7/2099)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    call_command("send_reminders", stdout=io.StringIO())
    reminded = len(mailoutbox)
    assert reminded == 2  # An Biên and Sở Tư pháp, among the targets: one digest each
    assert "Nhắc hạn ngày 8/7/2099" in mailoutbox[0].subject
    assert "Sắp đến hạn" in mailoutbox[0].body
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == reminded  # safe to run twice
    today = datetime.date(2099, 7, 16)
    call_command("send_reminders", stdout=io.StringIO())
    assert any("ĐÃ QUÁ HẠN" in m.body for m in mailoutbox[reminded:])


def test_covering_letter_is_numbered_when_sent(sent):
    outline = Outline.objects.get(pk=sent.pk)
    assert outline.letter_number == 1 and outline.letter_date is not None
    response = client_for("anbien").get(reverse("reports:outline-letter", args=[seed().pk, "pdf"]))
    assert response.status_code == 200
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Số: 01/SNV-CCHC" in text
    assert "V/v đề cương báo cáo kết quả tự kiểm tra" in " ".join(text.split())
    docx = client_for("noivu").get(reverse("reports:outline-letter", args=[seed().pk, "docx"]))
    assert docx.status_code == 200
    assert (
        client_for("camau")
        .get(reverse("reports:outline-letter", args=[seed().pk, "pdf"]))
        .status_code
        == 404
    )


def test_attachments_are_kept_with_their_version(sent, private_files):
    req = request_of("anbien")
    content = pdf_bytes(b"/Bang (so lieu)")
    table = SimpleUploadedFile("bieu-so-lieu.pdf", content)
    response = client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {**field_data(sent, 10, 5), "file": pdf(), "attachments": [table]},
    )
    assert response.status_code == 302
    attachment = req.submissions.get().attachments.get()
    assert attachment.file_name == "bieu-so-lieu.pdf"
    url = reverse(
        "requests:attachment-file", args=[req.pk, attachment.submission_id, attachment.pk]
    )
    download = client_for("noivu").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert client_for("tuphap").get(url).status_code == 404


def test_a_bad_attachment_refuses_the_whole_submission(sent, private_files):
    req = request_of("anbien")
    response = client_for("anbien").post(
        reverse("requests:submission-create", args=[req.pk]),
        {
            **field_data(sent, 10, 5),
            "file": pdf(),
            "attachments": [SimpleUploadedFile("../../x.pdf", b"\x7fELF" + b"\x00" * 50)],
        },
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert not any(private_files.rglob("*.*"))


def test_copying_the_plan_copies_its_outline(sent):
    sent.target_deadline = datetime.date(2023, 7, 15)  # moved by the years copied: three
    sent.save()
    plan, _notes = services.plan_copy(
        source=seed(), year=2026, document_date=datetime.date(2026, 2, 1), by=user("noivu")
    )
    assert plan.outline.sent_at is None
    assert plan.outline.target_deadline == datetime.date(2026, 7, 15)
    assert list(plan.outline.fields.values_list("label", flat=True)) == list(
        sent.fields.values_list("label", flat=True)
    )
    assert plan.outline.sections.count() == 1


def test_units_left_out_are_listed_as_not_requested(outline):
    outline.include_non_targets = False
    outline.save()
    services.outline_send(outline=outline, by=user("noivu"), day=SENT_ON)
    response = client_for("noivu").get(reverse("inspections:progress", args=[seed().pk]))
    assert "18 đơn vị chưa được yêu cầu báo cáo" in response.text


def test_page_titles_are_plain_text(sent):
    import re

    for url in (
        reverse("requests:request-detail", args=[request_of("anbien").pk]),
        reverse("inspections:progress", args=[seed().pk]),
        reverse("inspections:outline-edit", args=[seed().pk]),
    ):
        text = client_for("noivu").get(url).text
        assert re.search(r"<title>[^<]+</title>", text), url
