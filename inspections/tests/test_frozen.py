"""Frozen once issued: once a conclusion notice is issued, the minutes, findings and
recommendations it rests on cannot be changed, added to or deleted — through the services, the
pages or the admin — and a correction is a new, numbered amending notice that cites it. Remediation
by the unit and verification by the team go on."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    Finding,
    FindingEvidence,
    FrozenRecord,
    Minutes,
    NoticeStatus,
    Recommendation,
)
from inspections.tests.factories import user
from inspections.tests.test_remediation import checked_pdf, issue_notice, recommend
from units.access import scope_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

FROZEN = (
    "Thông báo kết luận số 01/TB-UBND đã ban hành ngày 01/03/2024: không thể sửa biên bản, "
    "phát hiện, kiến nghị. Muốn đính chính, hãy lập thông báo kết luận điều chỉnh, bổ sung."
)

ADDED = "Bổ sung: chưa công khai số điện thoại đường dây nóng."


@pytest.fixture
def concluded(visit):
    """An Biên visited: minutes, one finding with one recommendation, the notice issued."""
    services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND huyện",
        checked="Hồ sơ một cửa",
    )  # fmt: skip
    recommendation = recommend(visit)
    notice = issue_notice(visit.plan, visit.agency)
    return notice, recommendation


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# The services and the model --------------------------------------------------------------------


def test_before_issue_the_record_can_still_be_corrected(visit):
    recommendation = recommend(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    # Approved but not issued: nothing is frozen yet.
    assert not visit.is_frozen
    recommendation.text = "Sửa trước khi ban hành"
    recommendation.save()
    services.finding_add(visit=visit, by=user("doanvien"), kind="strength", description="Tốt")


def test_after_issue_every_service_refuses_with_the_notice_named(visit, concluded):
    notice, recommendation = concluded
    finding = recommendation.finding
    assert visit.is_frozen and visit.frozen_by() == notice

    def state():
        return (
            Finding.objects.count(),
            Recommendation.objects.count(),
            Minutes.objects.get().checked,
        )

    before = state()
    attempts = [
        lambda: services.finding_add(
            visit=visit, by=user("doanvien"), kind="strength", description="Thêm sau"
        ),
        lambda: services.recommendation_add(
            finding=finding, responsible=visit.agency, text="Thêm sau", deadline_kind="days",
            deadline_count=5,
        ),
        lambda: services.minutes_save(
            visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND",
            checked="Sửa sau",
        ),
        lambda: services.finding_evidence_add(
            finding=finding, by=user("doanvien"), files=[checked_pdf()]
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(FrozenRecord) as refused:
            attempt()
        assert refused.value.messages == [FROZEN]
    assert state() == before and not FindingEvidence.objects.exists()


def test_the_model_refuses_whoever_saves_or_deletes(concluded):
    _notice, recommendation = concluded
    finding = Finding.objects.get(pk=recommendation.finding_id)
    finding.description = "Sửa thẳng trong cơ sở dữ liệu"
    with pytest.raises(FrozenRecord):
        finding.save()
    with pytest.raises(FrozenRecord):
        Recommendation.objects.get(pk=recommendation.pk).delete()
    with pytest.raises(ValidationError):
        Finding(visit=finding.visit, recorded_by=user("noivu"), kind="strength",
                description="Thêm").full_clean()  # fmt: skip
    assert Finding.objects.get(pk=finding.pk).description.startswith("Tồn tại")
    assert list(Finding.objects.frozen()) == [Finding.objects.get(pk=finding.pk)]


def test_remediation_and_verification_go_on_after_issue(concluded):
    _notice, recommendation = concluded
    services.remediation_report(
        recommendation=recommendation, by=user("anbien"), text="Đã xin lỗi bằng văn bản."
    )
    services.remediation_verify(recommendation=recommendation, by=user("doanvien"), done=True)
    assert Recommendation.objects.get(pk=recommendation.pk).status == "done"


# The pages and the admin -------------------------------------------------------------------------


def test_the_team_member_is_refused_in_vietnamese_and_nothing_changes(visit, concluded):
    client = client_for("doanvien")
    count = Finding.objects.count()
    response = client.post(
        reverse("inspections:finding-add", args=[visit.pk]),
        {"kind": "strength", "description": "Ghi thêm sau khi ban hành"},
    )
    assert response.status_code == 302 and FROZEN in _messages(response)
    assert Finding.objects.count() == count
    response = client.post(
        reverse("inspections:minutes-save", args=[visit.pk]),
        {"team_attendees": "A", "unit_attendees": "B", "checked": "Sửa sau", "version": 1},
    )
    assert FROZEN in " ".join(_messages(response))
    assert Minutes.objects.get().checked == "Hồ sơ một cửa"


def test_the_visit_page_hides_the_edit_forms_once_frozen(visit, concluded):
    page = client_for("doanvien").get(reverse("inspections:visit-detail", args=[visit.pk])).text
    assert FROZEN in page
    for action in ("finding-add", "recommendation-add", "minutes-save"):
        assert reverse(f"inspections:{action}", args=[visit.pk]) not in page


def test_the_admin_neither_changes_nor_adds_nor_deletes(visit, concluded):
    _notice, recommendation = concluded
    admin = client_for("admin")
    finding = recommendation.finding
    change = reverse("admin:inspections_finding_change", args=[finding.pk])
    assert "Lưu" not in admin.get(change).text or 'name="_save"' not in admin.get(change).text
    response = admin.post(
        change, {"visit": visit.pk, "kind": "strength", "description": "Sửa qua admin"}
    )
    assert response.status_code == 403
    add = admin.post(
        reverse("admin:inspections_finding_add"),
        {"visit": visit.pk, "kind": "strength", "description": "Thêm qua admin",
         "recommendations-TOTAL_FORMS": 0, "recommendations-INITIAL_FORMS": 0,
         "evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert add.status_code == 200 and FROZEN in add.text
    minutes = Minutes.objects.get()
    for obj in (finding, recommendation, minutes, visit):
        model = obj._meta.model_name
        assert admin.post(reverse(f"admin:inspections_{model}_delete", args=[obj.pk]),
                          {"post": "yes"}).status_code == 403  # fmt: skip
    assert (
        admin.post(
            reverse("admin:inspections_conclusionnotice_change", args=[_notice.pk]),
            {"summary": "x"},
        ).status_code
        == 403
    )
    assert Finding.objects.get(pk=finding.pk).description.startswith("Tồn tại")
    assert not Finding.objects.filter(description__endswith="qua admin").exists()


# The amending notice ---------------------------------------------------------------------------


def _amend_and_issue(notice, visit):
    amendment = services.conclusion_amend(notice=notice)
    services.finding_add(visit=visit, by=user("doanvien"), amendment=amendment,
                         kind="shortcoming", severity="minor",
                         description=ADDED)  # fmt: skip
    added = Finding.objects.get(amendment=amendment)
    services.recommendation_add(finding=added, responsible=visit.agency,
                                text="Công khai số điện thoại đường dây nóng.",
                                deadline_kind="days", deadline_count=10)  # fmt: skip
    services.conclusion_submit(
        notice=amendment, corrections="Mục 2: thay “12 hồ sơ” bằng “21 hồ sơ”.",
        signer_name="Nguyễn Thanh Nhân",
    )  # fmt: skip
    services.conclusion_decide(notice=amendment, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=amendment, day=datetime.date(2024, 3, 20))
    return amendment


def test_an_amendment_is_refused_before_the_notice_is_issued(visit):
    recommend(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    with pytest.raises(ValidationError):
        services.conclusion_amend(notice=notice)


def test_an_empty_amendment_is_not_sent_for_approval(concluded):
    amendment = services.conclusion_amend(notice=concluded[0])
    with pytest.raises(ValidationError):
        services.conclusion_submit(notice=amendment, corrections="  ")
    assert services.conclusion_amend(notice=concluded[0]) == amendment  # one draft at a time


def test_an_amendment_is_numbered_in_the_same_register_and_cites_the_original(visit, concluded):
    notice, recommendation = concluded
    amendment = _amend_and_issue(notice, visit)
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.ISSUED and amendment.number == 2
    assert amendment.amends == notice and amendment.symbol == "TB-UBND"
    # The original carries what the visit recorded, the amendment what it added.
    assert list(notice.findings()) == [recommendation.finding]
    assert [f.description for f in amendment.findings()] == [ADDED]
    # Now the amendment is frozen too.
    with pytest.raises(FrozenRecord):
        services.finding_add(visit=visit, by=user("doanvien"), amendment=amendment,
                             kind="strength", description="Sau")  # fmt: skip
    pdf = client_for("noivu").get(
        reverse("reports:conclusion-document", args=[amendment.pk, "pdf"])
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "điều chỉnh, bổ sung Thông báo số 01/TB-UBND ngày" in text
    assert "21 hồ sơ" in text and "đường dây nóng" in text
    word = client_for("noivu").get(
        reverse("reports:conclusion-document", args=[amendment.pk, "docx"])
    )
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_the_unit_sees_the_added_findings_only_once_the_amendment_is_issued(visit, concluded):
    notice, _recommendation = concluded
    amendment = services.conclusion_amend(notice=notice)
    services.finding_add(visit=visit, by=user("doanvien"), amendment=amendment,
                         kind="strength", description="Bổ sung ưu điểm")  # fmt: skip
    reporter = scope_for(user("anbien"))
    assert not Finding.objects.visible_to(reporter).filter(amendment=amendment).exists()
    unit = client_for("anbien")
    listing = reverse("inspections:conclusion-list")
    assert "điều chỉnh, bổ sung" not in unit.get(listing).text
    assert (
        unit.get(reverse("inspections:conclusion-detail", args=[amendment.pk])).status_code == 404
    )
    services.conclusion_submit(notice=amendment, corrections="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=amendment, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=amendment, day=datetime.date(2024, 3, 20))
    page = unit.get(listing).text
    assert "điều chỉnh, bổ sung" in page
    original = unit.get(reverse("inspections:conclusion-detail", args=[notice.pk])).text
    assert "Thông báo số 02/TB-UBND ngày 20/03/2024" in original
    assert Finding.objects.visible_to(reporter).filter(amendment=amendment).exists()
    assert (
        "Bổ sung ưu điểm"
        in unit.get(reverse("inspections:conclusion-detail", args=[amendment.pk])).text
    )


def test_staff_start_the_amendment_from_the_issued_notice(concluded):
    notice, _recommendation = concluded
    url = reverse("inspections:conclusion-amend", args=[notice.pk])
    assert client_for("doanvien").post(url).status_code == 403
    assert client_for("anbien").post(url).status_code == 403
    response = client_for("noivu").post(url)
    amendment = ConclusionNotice.objects.get(amends=notice)
    assert response.url == reverse("inspections:conclusion-detail", args=[amendment.pk])
    assert amendment.status == NoticeStatus.DRAFT and amendment.agency == notice.agency


@pytest.mark.parametrize("amendments", [1, 4])
def test_the_notice_page_costs_the_same_however_many_amendments(visit, concluded, amendments):
    notice, _recommendation = concluded
    for i in range(amendments):
        draft = services.conclusion_amend(notice=notice)
        services.conclusion_submit(notice=draft, corrections=f"Điều chỉnh {i}", signer_name="A")
        services.conclusion_decide(notice=draft, by=user("lanhdao"), approve=True)
        services.conclusion_issue(notice=draft, day=datetime.date(2024, 3, 20))
    client = client_for("noivu")
    url = reverse("inspections:conclusion-detail", args=[notice.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # session, user, membership, lineage, notice, findings, recommendations, amendments, kept
    # files; session refresh (3); the history is loaded on demand
    assert len(queries) == 9 + 3
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"history": 1}).status_code == 200
    assert len(queries) == 10 + 3  # opened: the notice's history (1)
    listing = reverse("inspections:conclusion-list")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(listing).status_code == 200
    # session, user, membership, lineage, count, page, the counts per status, the plans of the
    # plan filter; session refresh (3)
    assert len(queries) == 8 + 3


def test_the_history_shows_who_issued_the_amendment_and_when(visit, concluded):
    notice, _recommendation = concluded
    staff = client_for("noivu")
    staff.post(reverse("inspections:conclusion-amend", args=[notice.pk]))
    amendment = ConclusionNotice.objects.get(amends=notice)
    services.conclusion_submit(notice=amendment, corrections="Sửa số liệu.", signer_name="A")
    client_for("lanhdao").post(reverse("inspections:conclusion-approve", args=[amendment.pk]))
    staff.post(
        reverse("inspections:conclusion-issue", args=[amendment.pk]),
        {"document_date": "05/03/2024"},
    )
    issued = ConclusionNotice.history.filter(id=amendment.pk, status=NoticeStatus.ISSUED).get()
    assert issued.history_user == user("noivu") and issued.number
    page = staff.get(reverse("inspections:conclusion-detail", args=[amendment.pk])).text
    assert "Đã ban hành" in page and "Lịch sử" in page
    # Nothing issued is deleted, the amendment included.
    admin = client_for("admin")
    delete = reverse("admin:inspections_conclusionnotice_delete", args=[amendment.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
