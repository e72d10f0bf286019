"""Remediation after the conclusion: the unit's versioned reports with evidence, the team's
verification, overdue marking and reminders, evidence of findings, and next year's
re-inspection proposals resolved to successor units across the 2025 reorganisation."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    FindingEvidence,
    Recommendation,
    RemediationFile,
    RemediationReport,
    TargetKind,
    TeamRole,
    Verification,
)
from inspections.reminders import reminders_due
from inspections.tests.factories import DAY, seed, user
from inspections.tests.test_uploads import pdf_bytes
from inspections.uploads import check_upload
from units.models import Agency
from units.services import agencies_successors_on, agency_by_ref

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed
VISIT_DAY = datetime.date(2024, 2, 5)


def pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def checked_pdf():
    """An upload as the form hands it to the services: already checked."""
    upload = pdf()
    upload.checked = check_upload(upload)
    return upload


def recommend(visit, text="Xin lỗi người dân.", count=15, responsible=None):
    finding = services.finding_add(
        visit=visit, by=user("doanvien"), kind="shortcoming", severity="moderate",
        description=f"Tồn tại: {text}",
    )  # fmt: skip
    return services.recommendation_add(
        finding=finding, responsible=responsible or visit.agency, text=text,
        deadline_kind="working_days", deadline_count=count,
    )  # fmt: skip


def issue_notice(plan, agency):
    notice = services.conclusion_prepare(plan=plan, agency=agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    return notice


@pytest.fixture
def recommendation(visit):
    """A recommendation to An Biên district, in an issued conclusion notice."""
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    return recommendation


def detail(recommendation):
    return reverse("inspections:recommendation-detail", args=[recommendation.pk])


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("anbien", 200), ("tuphap", 404), ("thuba", 404), ("camau", 404)],
)  # fmt: skip
def test_recommendation_page_permission_matrix(recommendation, persona, status):
    assert client_for(persona).get(detail(recommendation)).status_code == status


def test_anonymous_goes_to_login(recommendation):
    for url in (detail(recommendation), reverse("inspections:recommendation-list")):
        assert client_for(None).get(url).status_code == 302


def test_a_unit_sees_nothing_before_the_notice_is_issued(visit):
    recommendation = recommend(visit)
    assert client_for("anbien").get(detail(recommendation)).status_code == 404
    listed = client_for("anbien").get(reverse("inspections:recommendation-list"))
    assert list(listed.context["page"]) == []
    assert client_for("noivu").get(detail(recommendation)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "count"),
    [("admin", 1), ("noivu", 1), ("lanhdao", 1), ("doanvien", 1), ("anbien", 1), ("tuphap", 0),
     ("camau", 0)],
)  # fmt: skip
def test_recommendation_list_by_persona(recommendation, persona, count):
    response = client_for(persona).get(reverse("inspections:recommendation-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("extra", [1, 12])
def test_recommendation_list_query_count(visit, extra):
    for i in range(extra):
        recommend(visit, text=f"Kiến nghị {i}")
    issue_notice(visit.plan, visit.agency)
    client = client_for("anbien")
    url = reverse("inspections:recommendation-list")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"status": "unresolved"})
    assert len(response.context["page"]) == extra
    # session, user, membership (scope), lineage, count, counts per status, page, plans and
    # content areas of the filter (no teams offered to a unit); session refresh (3)
    assert len(queries) == 9 + 3


@pytest.mark.parametrize("reports", [1, 5])
def test_recommendation_page_query_count(recommendation, reports):
    for i in range(reports):
        services.remediation_report(
            recommendation=recommendation, by=user("anbien"), text=f"Lần {i}", files=[checked_pdf()]
        )
        services.remediation_verify(
            recommendation=recommendation, by=user("doanvien"), done=False, note="Chưa đủ"
        )
    client = client_for("doanvien")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(recommendation))
    assert response.text.count("Chưa đủ") == reports
    # session, user, membership, lineage, recommendation, reports, their files, verifications,
    # team membership (twice: verify form, visit link); session refresh (3)
    assert len(queries) == 10 + 3


# Remediation reports ------------------------------------------------------------------------


def test_the_unit_reports_in_versions_and_nothing_is_overwritten(recommendation):
    unit = client_for("anbien")
    url = reverse("inspections:remediation-create", args=[recommendation.pk])
    response = unit.post(url, {"text": "Đã gửi thư xin lỗi 12 người dân.", "files": [pdf()]},
                         follow=True)  # fmt: skip
    assert "Đã gửi báo cáo khắc phục lần 1" in response.text
    unit.post(url, {"text": "Bổ sung: đã niêm yết công khai."})
    reports = list(recommendation.reports.order_by("version"))
    assert [r.version for r in reports] == [1, 2]
    assert reports[0].text == "Đã gửi thư xin lỗi 12 người dân."
    assert reports[0].files.count() == 1 and reports[1].files.count() == 0
    evidence = reports[0].files.get()
    file_url = reverse("inspections:remediation-file", args=[recommendation.pk, evidence.pk])
    for persona, status in [("anbien", 200), ("noivu", 200), ("tuphap", 404), ("camau", 404)]:
        response = client_for(persona).get(file_url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("persona", "status"), [("noivu", 403), ("doanvien", 403), ("lanhdao", 403), ("tuphap", 404)]
)
def test_only_the_responsible_unit_reports(recommendation, persona, status):
    url = reverse("inspections:remediation-create", args=[recommendation.pk])
    assert client_for(persona).post(url, {"text": "x"}).status_code == status
    assert not RemediationReport.objects.exists()


def test_bad_reports_are_refused_and_change_nothing(recommendation, private_files):
    unit = client_for("anbien")
    url = reverse("inspections:remediation-create", args=[recommendation.pk])
    response = unit.post(url, {"text": "  "}, follow=True)
    assert "Kết quả khắc phục" in response.text
    disguised = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = unit.post(url, {"text": "Đã làm", "files": [disguised]}, follow=True)
    assert "chương trình" in response.text or "không phải" in response.text
    assert not RemediationReport.objects.exists() and not RemediationFile.objects.exists()
    assert not any(p.is_file() for p in private_files.rglob("*"))


def test_a_failed_save_leaves_no_orphan_file(recommendation, private_files, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(RemediationFile, "save", broken)
    upload = checked_pdf()
    with pytest.raises(RuntimeError):
        services.remediation_report(
            recommendation=recommendation, by=user("anbien"), text="Đã làm", files=[upload]
        )
    assert not RemediationReport.objects.exists()
    assert not any(p.is_file() for p in private_files.rglob("*"))


# Verification -------------------------------------------------------------------------------


def test_team_verifies_not_done_then_done(recommendation):
    services.remediation_report(recommendation=recommendation, by=user("anbien"), text="Đã làm")
    team = client_for("doanvien")
    url = reverse("inspections:remediation-verify", args=[recommendation.pk])
    response = team.post(url, {"done": "0", "note": ""}, follow=True)
    assert "Ghi nhận xét khi chưa đạt" in response.text
    assert not Verification.objects.exists()
    team.post(url, {"done": "0", "note": "Chưa niêm yết công khai."})
    recommendation.refresh_from_db()
    assert recommendation.status == "not_done"
    # The unit reports again; staff verify it done; a report after that is refused.
    services.remediation_report(
        recommendation=recommendation, by=user("anbien"), text="Đã niêm yết"
    )
    client_for("noivu").post(url, {"done": "1", "note": ""})
    recommendation.refresh_from_db()
    assert recommendation.status == "done"
    verdicts = list(recommendation.verifications.order_by("pk"))
    assert [(v.done, v.report.version) for v in verdicts] == [(False, 1), (True, 2)]
    response = client_for("anbien").post(
        reverse("inspections:remediation-create", args=[recommendation.pk]),
        {"text": "Thêm"},
        follow=True,
    )
    assert "đã khắc phục" in response.text and recommendation.reports.count() == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lanhdao", 403), ("truongdoan", 403), ("anbien", 403), ("tuphap", 404), ("camau", 404)],
)
def test_only_staff_and_the_team_verify(recommendation, persona, status):
    url = reverse("inspections:remediation-verify", args=[recommendation.pk])
    assert client_for(persona).post(url, {"done": "1"}).status_code == status
    assert not Verification.objects.exists()


def test_overdue_is_marked_and_listed(recommendation, monkeypatch):
    later = recommendation.due_date + datetime.timedelta(days=1)
    assert recommendation.is_overdue(later) and not recommendation.is_overdue(
        recommendation.due_date
    )
    assert list(Recommendation.objects.overdue(later)) == [recommendation]
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: later)
    response = client_for("anbien").get(reverse("inspections:recommendation-list"),
                                        {"status": "overdue"})  # fmt: skip
    assert [r.pk for r in response.context["page"]] == [recommendation.pk]
    assert "quá hạn" in response.text
    home = client_for("anbien").get(reverse("home"))
    todo = {t.text: t.count for t in home.context["todos"]}
    assert todo["Kiến nghị cần báo cáo kết quả khắc phục"] == 1


def test_reminders_before_and_after_the_due_date_go_out_once(recommendation, monkeypatch):
    anbien = user("anbien")
    anbien.email = "anbien@example.vn"
    anbien.save()
    due = recommendation.due_date
    for day, key in [(due - datetime.timedelta(days=7), "before-7"), (due, "before-1"),
                     (due + datetime.timedelta(days=2), "overdue")]:  # fmt: skip
        monkeypatch.setattr("django.utils.timezone.localdate", lambda day=day: day)
        mail.outbox.clear()
        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())
        sent = [m for m in mail.outbox if "Khắc phục kiến nghị" in m.body]
        assert len(sent) == 1 and sent[0].to == ["anbien@example.vn"], key
        assert recommendation.reminders.filter(key=key, user=anbien).exists()
    recommendation.status = "done"
    recommendation.save()
    assert reminders_due(due + datetime.timedelta(days=30), [7, 1]) == []


# Evidence of findings -----------------------------------------------------------------------


def test_team_attaches_evidence_to_a_finding(visit):
    finding = recommend(visit).finding
    url = reverse("inspections:finding-evidence-add", args=[visit.pk, finding.pk])
    assert client_for("lanhdao").post(url, {"files": [pdf()]}).status_code == 403
    assert client_for("anbien").post(url, {"files": [pdf()]}).status_code == 404
    response = client_for("doanvien").post(url, {"files": [pdf("mot-cua.pdf")]}, follow=True)
    assert "Đã thêm 1 tệp minh chứng" in response.text and "mot-cua.pdf" in response.text
    evidence = FindingEvidence.objects.get()
    file_url = reverse("inspections:finding-evidence-file", args=[visit.pk, evidence.pk])
    for persona, status in [("noivu", 200), ("doanvien", 200), ("truongdoan", 404),
                            ("anbien", 404), ("camau", 404)]:  # fmt: skip
        response = client_for(persona).get(file_url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
    response = client_for("doanvien").post(url, {}, follow=True)
    assert "Chưa chọn tệp" in response.text and FindingEvidence.objects.count() == 1


# Re-inspection ------------------------------------------------------------------------------


def test_successors_across_the_2025_reorganisation():
    an_bien = agency_by_ref("908/UBND", DAY)
    finance = agency_by_ref("91/STC", DAY)
    found = agencies_successors_on([an_bien, finance], datetime.date(2026, 1, 1))
    assert [a.name for a in found[an_bien.pk]] == [
        "Ủy ban nhân dân xã An Biên", "Ủy ban nhân dân xã Tây Yên", "Ủy ban nhân dân xã Đông Thái",
    ]  # fmt: skip
    assert all(a.is_valid_on(datetime.date(2026, 1, 1)) for a in found[finance.pk])
    assert found[finance.pk] and found[finance.pk][0] != finance
    still = agencies_successors_on([an_bien], datetime.date(2024, 6, 1))
    assert still[an_bien.pk] == [an_bien]


def _copy(year, day):
    plan, _notes = services.plan_copy(source=seed(), year=year, document_date=day, by=user("noivu"))
    return plan


def test_next_year_proposes_the_unit_with_open_recommendations(visit):
    recommendation = recommend(visit)
    done = recommend(visit, text="Đã xong")
    issue_notice(visit.plan, visit.agency)
    done.status = "done"
    done.save()
    plan = _copy(2024, datetime.date(2024, 3, 15))
    proposals = services.reinspection_proposals(plan)
    assert [p.agency for p in proposals] == [visit.agency]
    assert [r.pk for r in proposals[0].recommendations] == [recommendation.pk]
    # The copy kept An Biên as an ordinary target: adding the proposal turns it into a
    # re-inspection that follows up the 2023 target and cites the notice.
    assert proposals[0].existing and not proposals[0].already_reinspected
    client_for("noivu").post(
        reverse("inspections:reinspection-add", args=[plan.pk]), {"agency": [visit.agency_id]}
    )
    target = plan.targets.get(agency=visit.agency)
    assert target.kind == TargetKind.REINSPECTION and target.follows_up.plan == seed()
    assert "01/TB-UBND" in target.follow_up_reference
    assert plan.targets.count() == seed().targets.count()
    assert services.reinspection_proposals(plan)[0].already_reinspected
    assert proposals[0].reference.startswith("Thông báo kết luận số 01/TB-UBND ngày 1/3/2024")


def test_a_2026_plan_proposes_the_communes_that_replaced_an_bien(recommendation):
    plan = _copy(2026, datetime.date(2026, 2, 2))
    # The copy already replaced An Biên district by its communes; keep only one of them.
    plan.targets.filter(agency__name__in=["Ủy ban nhân dân xã Tây Yên",
                                          "Ủy ban nhân dân xã Đông Thái"]).delete()  # fmt: skip
    proposals = {p.agency.name: p for p in services.reinspection_proposals(plan)}
    assert set(proposals) == {
        "Ủy ban nhân dân xã An Biên", "Ủy ban nhân dân xã Tây Yên", "Ủy ban nhân dân xã Đông Thái",
    }  # fmt: skip
    an_bien_district = agency_by_ref("908/UBND", DAY)
    for proposal in proposals.values():
        assert proposal.original_addressees == [an_bien_district]
    assert [n for n, p in proposals.items() if p.existing] == ["Ủy ban nhân dân xã An Biên"]
    page = client_for("noivu").get(reverse("inspections:targets-add", args=[plan.pk]))
    assert "Đề xuất phúc tra" in page.text and "Ủy ban nhân dân huyện An Biên" in page.text
    tay_yen = proposals["Ủy ban nhân dân xã Tây Yên"].agency
    response = client_for("noivu").post(
        reverse("inspections:reinspection-add", args=[plan.pk]), {"agency": [tay_yen.pk]}
    )
    assert response.status_code == 302
    added = plan.targets.get(agency=tay_yen)
    assert added.kind == TargetKind.REINSPECTION
    assert "01/TB-UBND" in added.follow_up_reference and "1 kiến nghị" in added.reason
    after = {p.agency.name: p.already_reinspected for p in services.reinspection_proposals(plan)}
    assert after["Ủy ban nhân dân xã Tây Yên"] and not after["Ủy ban nhân dân xã Đông Thái"]


@pytest.mark.parametrize(("persona", "status"), [("lanhdao", 403), ("anbien", 404), ("camau", 404)])
def test_only_staff_add_reinspection_targets(recommendation, persona, status):
    plan = _copy(2024, datetime.date(2024, 3, 15))
    url = reverse("inspections:reinspection-add", args=[plan.pk])
    before = plan.targets.count()
    assert client_for(persona).post(url, {"agency": [1]}).status_code == status
    assert plan.targets.count() == before


def test_a_reinspection_visit_shows_what_to_verify(recommendation):
    plan = _copy(2024, datetime.date(2024, 3, 15))
    plan.status = "issued"
    plan.number = 99
    plan.save()
    team = services.team_create(plan=plan, name="Đoàn phúc tra", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("truongdoan"), full_name="Lê Văn Hai",
        agency=agency_by_ref("91/SNV", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    an_bien = plan.targets.get(agency=agency_by_ref("908/UBND", DAY))
    services.team_targets_assign(team=team, targets=[an_bien])
    visit = services.visit_schedule(
        team=team, target=an_bien, agency=an_bien.agency, date=datetime.date(2024, 9, 9),
        start_time=datetime.time(8), end_time=datetime.time(11), place="UBND huyện",
    )  # fmt: skip
    page = client_for("truongdoan").get(reverse("inspections:visit-detail", args=[visit.pk]))
    assert "Kiến nghị kỳ trước cần xác minh" in page.text and "Xin lỗi người dân." in page.text
    assert list(page.context["to_verify"]) == [recommendation]


def test_notice_to_another_unit_does_not_open_the_recommendation(visit):
    """A recommendation to Sở Tư pháp made at An Biên: Sở Tư pháp sees it once An Biên's notice
    is issued; An Biên does not (it is not addressed to it)."""
    justice = Agency.objects.get(pk=agency_by_ref("91/STP", DAY).pk)
    recommendation = recommend(visit, responsible=justice)
    assert client_for("tuphap").get(detail(recommendation)).status_code == 404
    issue_notice(visit.plan, visit.agency)
    assert client_for("tuphap").get(detail(recommendation)).status_code == 200
    assert client_for("anbien").get(detail(recommendation)).status_code == 404
    assert ConclusionNotice.objects.count() == 1
