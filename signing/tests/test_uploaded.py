"""A self-inspection report uploaded as a signed PDF shows its signatures on the request's page;
one modified after signing is shown as such; an unsigned one is accepted and shows none. The
page reads the checks of every file in one query, whatever their number."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from cchc.test import client_for
from inspections import services
from inspections.tests.conftest import outline, sent  # noqa: F401 (fixtures)
from inspections.tests.factories import user
from inspections.tests.test_self_inspection import request_of
from inspections.tests.test_uploads import pdf_bytes
from inspections.uploads import check_upload
from signing import certificates
from signing.models import CheckedFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _upload(content: bytes) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("bao-cao.pdf", content, content_type="application/pdf")
    upload.checked = check_upload(upload)
    upload.seek(0)
    return upload


def _submit(content: bytes) -> None:
    services.submission_create(
        request=request_of("anbien"), by=user("anbien"), deliverable="report",
        file=_upload(content),
    )  # fmt: skip


def _signed(pki) -> bytes:
    path = pki.pkcs12("Chủ tịch UBND huyện An Biên (THỬ NGHIỆM)", "unit.p12")
    return certificates.sign_as_person(
        pdf_bytes(), path, "Signature1", certificates.DEMO_PASSPHRASE
    )


def _modified(signed: bytes) -> bytes:
    """Signed, then a page's content replaced in a later incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (X) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page() -> str:
    url = reverse("requests:request-detail", args=[request_of("anbien").pk])
    return client_for("noivu").get(url).text


def test_signed_modified_and_unsigned_reports(sent, pki):  # noqa: F811
    pki.trust()
    signed = _signed(pki)
    _submit(pdf_bytes())
    assert "file-signatures" not in _page()  # unsigned: accepted, nothing shown

    _submit(signed)
    page = _page()
    assert "Chủ tịch UBND huyện An Biên (THỬ NGHIỆM)" in page
    assert page.count("signature-valid") == 1 and "+07:00" in page

    _submit(_modified(signed))
    page = _page()
    assert page.count("signature-valid") == 1
    assert "signature-modified" in page or "signature-invalid" in page
    assert "Tệp đã bị sửa sau khi ký" in page or "Không hợp lệ" in page
    assert CheckedFile.objects.count() == 3  # each file checked once, kept


def test_request_page_checks_files_in_one_query(sent, pki):  # noqa: F811
    signed = _signed(pki)
    _submit(signed)
    _page()  # checked and kept

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page()
        return len(queries)

    one = count()
    for _ in range(3):
        _submit(signed)
    _page()
    # The page's own queries for three more versions are the same (prefetched); the signatures
    # of all four files are still one query.
    assert count() == one


def test_a_plan_requiring_signatures_refuses_an_unsigned_report(sent, pki):  # noqa: F811
    from django.core.exceptions import ValidationError

    from inspections.models import Submission
    from inspections.tests.factories import seed

    plan = seed()
    plan.require_signed_reports = True
    plan.save(update_fields=["require_signed_reports"])
    with pytest.raises(ValidationError) as refused:
        _submit(pdf_bytes())
    assert "yêu cầu báo cáo tự kiểm tra có chữ ký số" in refused.value.messages[0]
    assert not Submission.objects.exists()
    _submit(_signed(pki))
    assert Submission.objects.count() == 1
