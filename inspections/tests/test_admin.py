"""Nothing issued or submitted is hard-deleted through the product: the admin refuses (403) to
delete issued plans, decisions, notices and results reports, sent outlines, visits that took
place and what they recorded once concluded, submissions, remediation reports, verifications
and evidence files; drafts can still be deleted. The admin shows every tracked record's history,
read-only."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    Finding,
    FindingEvidence,
    Plan,
    PlanItem,
    PlanTarget,
    ResultsReport,
    Submission,
    Team,
)
from inspections.tests.factories import seed, user
from inspections.tests.test_history import PDF
from inspections.tests.test_remediation import checked_pdf, issue_notice, recommend
from inspections.tests.test_views import draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def delete_url(obj) -> str:
    return reverse(f"admin:inspections_{obj._meta.model_name}_delete", args=[obj.pk])


def refused(obj) -> bool:
    """The admin refuses to delete `obj`, when asked and when confirmed, and it is still there."""
    admin = client_for("admin")
    asked, confirmed = admin.get(delete_url(obj)), admin.post(delete_url(obj), {"post": "yes"})
    return (asked.status_code, confirmed.status_code) == (403, 403) and (
        type(obj).objects.filter(pk=obj.pk).exists()
    )


def deleted(obj) -> bool:
    admin = client_for("admin")
    assert admin.get(delete_url(obj)).status_code == 200
    admin.post(delete_url(obj), {"post": "yes"})
    return not type(obj).objects.filter(pk=obj.pk).exists()


# Plans --------------------------------------------------------------------------------------


def test_an_issued_plan_its_items_and_targets_are_not_deleted():
    plan = seed()
    assert refused(plan)
    assert refused(plan.items.first())
    assert refused(plan.targets.first())


def test_a_drafts_items_and_targets_can_be_deleted():
    plan = draft()
    services.plan_targets_add(plan=plan, agencies=[plan.issuer])
    assert deleted(plan.items.get())
    assert deleted(plan.targets.get())
    # …and the deletion stays in the history.
    assert PlanTarget.history.filter(plan_id=plan.pk, history_type="-").exists()


def test_the_builder_deletes_only_from_drafts():
    plan, staff = seed(), client_for("noivu")
    item, target = plan.items.first(), plan.targets.first()
    staff.post(reverse("inspections:item-delete", args=[plan.pk, item.pk]))
    staff.post(reverse("inspections:target-delete", args=[plan.pk, target.pk]))
    assert PlanItem.objects.filter(pk=item.pk).exists()
    assert PlanTarget.objects.filter(pk=target.pk).exists()
    plan = draft()
    staff.post(reverse("inspections:item-delete", args=[plan.pk, plan.items.get().pk]))
    assert not plan.items.exists()


def test_a_plan_is_never_deleted_with_its_record_of_steps():
    # Even a draft: its workflow steps (who created it) are never deleted, so neither is it.
    plan = draft()
    admin = client_for("admin")
    admin.post(delete_url(plan), {"post": "yes"})
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_a_sent_outline_is_not_deleted(sent):
    assert refused(sent)


# Teams, visits, findings --------------------------------------------------------------------


def test_an_issued_team_decision_is_not_deleted(team):
    team.signer_name = "Lâm Minh Thành"
    team.save()
    services.team_decision_issue(team=team, day=datetime.date(2023, 9, 1))
    assert refused(Team.objects.get(pk=team.pk))


def test_a_draft_team_can_be_deleted():
    team = services.team_create(plan=seed(), name="Đoàn dự phòng", by=user("noivu"))
    assert deleted(team)


def test_a_visit_that_took_place_and_a_concluded_record_are_not_deleted(visit):
    recommendation = recommend(visit)
    services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="A", unit_attendees="B", checked="C"
    )
    visit.refresh_from_db()
    assert refused(visit)
    issue_notice(visit.plan, visit.agency)
    assert refused(visit.minutes)
    assert refused(recommendation.finding)
    assert refused(recommendation)


def test_a_finding_with_evidence_is_protected(visit):
    finding = recommend(visit).finding
    services.finding_evidence_add(finding=finding, by=user("doanvien"), files=[checked_pdf()])
    admin = client_for("admin")
    admin.post(delete_url(finding), {"post": "yes"})
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert FindingEvidence.objects.filter(finding=finding).count() == 1


# Documents and what units sent --------------------------------------------------------------


def test_an_issued_notice_is_not_deleted_a_draft_is(visit):
    recommend(visit)
    issued = issue_notice(visit.plan, visit.agency)
    assert refused(ConclusionNotice.objects.get(pk=issued.pk))
    draft_notice = ConclusionNotice.objects.create(plan=visit.plan, agency=visit.plan.issuer)
    assert deleted(draft_notice)


def test_the_bulk_delete_action_spares_issued_notices(visit):
    recommend(visit)
    issued = issue_notice(visit.plan, visit.agency)
    draft_notice = ConclusionNotice.objects.create(plan=visit.plan, agency=visit.plan.issuer)
    response = client_for("admin").post(
        reverse("admin:inspections_conclusionnotice_changelist"),
        {"action": "delete_selected", "_selected_action": [issued.pk, draft_notice.pk],
         "post": "yes"},
    )  # fmt: skip
    assert response.status_code == 403
    assert ConclusionNotice.objects.filter(pk__in=[issued.pk, draft_notice.pk]).count() == 2


def test_an_issued_results_report_is_not_deleted():
    report = services.results_report_for(seed())
    assert report.status == "draft"
    services.results_report_save(report=report, summary="Tóm tắt", proposals="Kiến nghị",
                                 signer_name="Trần Văn Bảy")  # fmt: skip
    services.results_report_submit(report=report)
    services.results_report_decide(report=report, by=user("lanhdao"), approve=True)
    services.results_report_issue(report=report, day=datetime.date(2023, 12, 5))
    assert refused(ResultsReport.objects.get(pk=report.pk))


def test_submissions_remediation_reports_and_verifications_are_kept(sent, visit):
    request = sent.plan.requests.get(agency__members__user__username="anbien")
    total, done = sent.fields.order_by("order")[:2]
    client_for("anbien").post(
        reverse("requests:submission-create", args=[request.pk]),
        {"deliverable": "report", f"f{total.pk}": 10, f"f{done.pk}": 5,
         "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")},
    )  # fmt: skip
    assert refused(Submission.objects.get(request=request))
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    report = services.remediation_report(
        recommendation=recommendation, by=user("anbien"), text="Đã xin lỗi", files=[checked_pdf()]
    )
    verification = services.remediation_verify(
        recommendation=recommendation, by=user("doanvien"), done=True, note=""
    )
    assert refused(report)
    assert refused(verification)
    # Evidence files have no admin page of their own: they are reached only through their
    # (protected) parents.
    assert client_for("admin").get("/admin/inspections/remediationfile/").status_code == 404


# History in the admin -----------------------------------------------------------------------


def test_the_admin_shows_history_and_never_reverts():
    plan = draft()
    plan.place = "Long Xuyên"
    plan.save()
    admin = client_for("admin")
    history = admin.get(reverse("admin:inspections_plan_history", args=[plan.pk]))
    assert history.status_code == 200
    first = plan.history.earliest("history_date")
    url = reverse("admin:inspections_plan_simple_history", args=[plan.pk, first.history_id])
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"place": "An Giang"}).status_code == 403
    assert Plan.objects.get(pk=plan.pk).place == "Long Xuyên"


@pytest.mark.parametrize(
    "model",
    ["plan", "planitem", "plantarget", "team", "visit", "minutes", "finding", "recommendation",
     "conclusionnotice", "resultsreport", "submission", "remediationreport", "verification",
     "outline"],
)  # fmt: skip
def test_every_tracked_admin_has_a_history_page(model):
    registered = {m._meta.model_name: a for m, a in admin.site._registry.items()}
    assert isinstance(registered[model], SimpleHistoryAdmin)
