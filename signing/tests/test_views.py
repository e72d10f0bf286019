"""The signing pages of an issued document, each with its permission matrix, through the real
stack: the person's field offered, the signed file taken back, the body's signature, the plan's
page and downloads afterwards, and the query count of the plan's page at two sizes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections.tests.factories import seed
from signing import services
from signing.models import SignatureKind, SignedVersion
from signing.tests.conftest import person_sign

pytestmark = pytest.mark.django_db


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def _url(name: str, rendition) -> str:
    return reverse(f"signing:{name}", args=[rendition.pk])


def _upload(persona: str, rendition, content: bytes, page: str = "/"):
    return client_for(persona).post(
        _url("person-upload", rendition),
        {"file": SimpleUploadedFile("ky.pdf", content, "application/pdf"), "next": page},
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 403), ("tuphap", 403),
     ("camau", 404), ("admin", 200)],
)  # fmt: skip
def test_field_offer_matrix(rendition, persona, status):
    response = client_for(persona).get(_url("field-offer", rendition))
    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(_read(rendition.pdf))
        assert services.PERSON_FIELD.encode() in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("noivu", 200), ("lanhdao", 200), ("doanvien", 200), ("tuphap", 200),
     ("camau", 404)],
)  # fmt: skip
def test_original_matrix(rendition, persona, status):
    response = client_for(persona).get(_url("original", rendition))
    assert response.status_code == status
    if status == 200:
        assert response.content == _read(rendition.pdf)


@pytest.mark.parametrize("name", ["field-offer", "original"])
def test_downloads_refuse_post(rendition, name):
    assert client_for("noivu").post(_url(name, rendition)).status_code == 405


@pytest.mark.parametrize("name", ["person-upload", "body-sign"])
def test_steps_refuse_get(rendition, name):
    assert client_for("noivu").get(_url(name, rendition)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("truongdoan", 403), ("tuphap", 403), ("camau", 404)],
)
def test_person_upload_refused_to_others(pki, rendition, persona, status):
    signed = person_sign(services.field_offer(rendition), pki.pkcs12("Người ký", "p.p12"))
    response = _upload(persona, rendition, signed)
    assert response.status_code == status
    if persona is None:
        assert "/accounts/login/" in response["Location"]
    assert not SignedVersion.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("lanhdao", 403), ("doanvien", 403), ("tuphap", 403), ("camau", 404)],
)
def test_body_sign_refused_to_others(rendition, persona, status):
    assert client_for(persona).post(_url("body-sign", rendition)).status_code == status
    assert not SignedVersion.objects.exists()


def test_the_whole_round_trip_through_the_pages(pki, body, rendition):
    pki.trust()
    plan = seed()
    page = reverse("inspections:plan-detail", args=[plan.pk])
    before = client_for("noivu").get(page).text
    assert "Văn bản chưa được ký số" in before and _url("field-offer", rendition) in before

    offered = client_for("lanhdao").get(_url("field-offer", rendition)).content
    signed = person_sign(offered, pki.pkcs12("Nguyễn Thanh Nhân (THỬ NGHIỆM)", "p.p12"))
    response = _upload("lanhdao", rendition, signed, page)
    assert response.status_code == 302 and response["Location"] == page
    assert SignedVersion.objects.get().kind == SignatureKind.PERSON
    # The plan's PDF link now serves the signed file; Word stays the editable copy.
    assert client_for("tuphap").get(reverse("reports:plan-pdf", args=[plan.pk])).content == signed

    response = client_for("noivu").post(_url("body-sign", rendition), {"next": page})
    assert response.status_code == 302
    sealed = SignedVersion.objects.of(rendition).first()
    assert sealed.kind == SignatureKind.BODY
    pdf = client_for("tuphap").get(reverse("reports:plan-pdf", args=[plan.pk])).content
    assert pdf == _read(sealed.pdf) and pdf.startswith(signed)
    # The unsigned original is still there.
    assert client_for("tuphap").get(_url("original", rendition)).content == _read(rendition.pdf)

    shown = client_for("tuphap").get(page).text
    assert shown.count("signature-valid") == 2
    assert "Nguyễn Thanh Nhân (THỬ NGHIỆM)" in shown and "+07:00" in shown
    assert "Bản Word là bản để chỉnh sửa, không mang chữ ký số" in shown
    assert _url("original", rendition) in shown
    # No more signing steps offered once both signatures are there.
    staff_page = client_for("noivu").get(page).text
    assert _url("field-offer", rendition) not in staff_page
    assert _url("body-sign", rendition) not in staff_page


def test_a_refused_upload_says_why_in_vietnamese(pki, rendition):
    page = reverse("inspections:plan-detail", args=[seed().pk])
    client = client_for("noivu")
    response = client.post(
        _url("person-upload", rendition),
        {"file": SimpleUploadedFile("ky.pdf", _read(rendition.pdf), "application/pdf"),
         "next": page},
    )  # fmt: skip
    assert response.status_code == 302
    text = client.get(page).text
    assert "chưa có chữ ký số" in text, text[text.find("alert") :][:400]
    assert not SignedVersion.objects.exists()


def test_plan_page_queries_do_not_grow_with_signatures(pki, body, rendition):
    """One query more on an issued document's page: its signed versions (with their body and
    recorder), whether there are none or two."""
    pki.trust()
    page = reverse("inspections:plan-detail", args=[seed().pk])
    client = client_for("noivu")
    client.get(page)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    unsigned = count()
    signed = person_sign(services.field_offer(rendition), pki.pkcs12("Người ký", "p.p12"))
    _upload("noivu", rendition, signed)
    client.post(_url("body-sign", rendition))
    assert SignedVersion.objects.count() == 2
    client.get(page)  # shows the signature's message once
    assert count() == unsigned
