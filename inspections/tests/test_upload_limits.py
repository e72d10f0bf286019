"""The size limit of the upload views, judged before the body is read (cchc/bodylimit.py): a
signed-in upload within UPLOAD_MAX_BYTES works, with or without a declared length; a larger one
is refused with 413 unread, or, within the margin left for the form's other fields, with the
form's Vietnamese message; nothing is stored either way."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from cchc.test import client_for
from inspections.models import (
    FindingEvidence,
    RemediationFile,
    RemediationReport,
    ReportRequest,
    Submission,
    SubmissionAttachment,
)
from inspections.tests.factories import seed
from inspections.tests.test_remediation import issue_notice, recommend
from inspections.tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
STORED = (Submission, SubmissionAttachment, RemediationReport, RemediationFile, FindingEvidence)
FORM = f"multipart/form-data; boundary={BOUNDARY}"


def pdf(size: int = 0, name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    """A valid one-page PDF padded to about `size` bytes."""
    padding = b"/Padding (" + b"x" * size + b")" if size else b""
    return SimpleUploadedFile(name, pdf_bytes(padding), content_type="application/pdf")


@pytest.fixture
def limits(settings, private_files, spied):
    """UPLOAD_MAX_BYTES of 1 MB (with the usual 1 MB margin, a 2 MB body); counts the parses
    and the temporary upload files (`spied`, conftest.py)."""
    settings.UPLOAD_MAX_BYTES = MB
    settings.UPLOAD_OVERHEAD_BYTES = MB
    spied["stored"] = private_files
    return spied


def _submission(request):
    return _submission_endpoint(request.getfixturevalue("sent"))


def _remediation(request):
    visit = request.getfixturevalue("visit")
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    url = reverse("inspections:remediation-create", args=[recommendation.pk])
    return "anbien", url, lambda file: {"text": "Đã khắc phục.", "files": [file]}


def _evidence(request):
    visit = request.getfixturevalue("visit")
    finding = recommend(visit).finding
    url = reverse("inspections:finding-evidence-add", args=[visit.pk, finding.pk])
    return "doanvien", url, lambda file: {"files": [file]}


ENDPOINTS = {"submission": _submission, "remediation": _remediation, "evidence": _evidence}


@pytest.fixture(params=list(ENDPOINTS))
def endpoint(request, limits):
    return ENDPOINTS[request.param](request)


def stored_count() -> int:
    return sum(model.objects.count() for model in STORED)


def assert_nothing_stored(limits) -> None:
    assert stored_count() == 0
    assert [p for p in limits["stored"].rglob("*") if p.is_file()] == []
    assert not any(limits["folder"].iterdir())


def test_an_upload_within_the_limit_is_stored(endpoint, limits):
    persona, url, data = endpoint
    response = client_for(persona).post(url, data(pdf(MB // 2)))
    assert response.status_code == 302
    assert stored_count() >= 1
    assert any(p.is_file() for p in limits["stored"].rglob("*"))


def test_an_upload_over_the_limit_is_refused_unread(endpoint, limits):
    persona, url, data = endpoint
    response = client_for(persona).post(url, data(pdf(3 * MB)))
    assert response.status_code == 413
    text = html.unescape(response.content.decode())
    assert "các tệp cộng lại được tối đa 1 MB" in text and "giới hạn 2 MB" in text
    assert limits["parses"] == 0 and limits["temporary_files"] == 0
    assert_nothing_stored(limits)


def test_an_upload_within_the_margin_gets_the_form_message(sent, limits):
    """A file a little over UPLOAD_MAX_BYTES fits in the request's margin: the form reads it and
    says in Vietnamese what to do."""
    persona, url, data = _submission_endpoint(sent)
    response = client_for(persona).post(url, data(pdf(MB + MB // 4)))
    assert response.status_code == 400
    assert "lớn hơn giới hạn 1 MB" in html.unescape(response.content.decode())
    assert_nothing_stored(limits)


def _submission_endpoint(outline):
    total, done = outline.fields.order_by("order")[:2]
    report_request = ReportRequest.objects.get(
        plan=seed(), agency__members__user__username="anbien"
    )
    url = reverse("requests:submission-create", args=[report_request.pk])
    figures = {"deliverable": "report", f"f{total.pk}": 10, f"f{done.pk}": 6}
    return "anbien", url, lambda file: {**figures, "file": file}


def _post_chunked(client, url: str, body: bytes, *, counted: list[int] | None = None):
    """Posts `body` without a Content-Length, as gunicorn hands over a chunked request."""

    class Stream(io.BytesIO):
        def read(self, size=-1):
            data = super().read(size)
            if counted is not None:
                counted.append(len(data))
            return data

    return client.generic(
        "POST",
        url,
        CONTENT_TYPE=FORM,
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Stream(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_upload_within_the_limit_is_stored(sent, limits):
    persona, url, data = _submission_endpoint(sent)
    body = encode_multipart(BOUNDARY, data(pdf(MB // 2)))
    response = _post_chunked(client_for(persona), url, body)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.file_name == "bao-cao.pdf" and submission.file_size > MB // 2
    assert not any(limits["folder"].iterdir())  # the spool is gone


def test_a_chunked_upload_over_the_limit_is_refused_after_the_limit(sent, limits):
    persona, url, data = _submission_endpoint(sent)
    body = encode_multipart(BOUNDARY, data(pdf(30 * MB)))
    counted: list[int] = []
    response = _post_chunked(client_for(persona), url, body, counted=counted)
    assert response.status_code == 413
    assert sum(counted) <= 2 * MB + 1  # read up to the limit and one byte: never the rest
    assert limits["parses"] == 0
    assert_nothing_stored(limits)
