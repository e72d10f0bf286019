"""Failures injected in the middle of an upload or a workflow step: no half record, no orphan
file, and no number taken from a register for a document that was not issued."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    NoticeStatus,
    NumberRegister,
    Plan,
    PlanStatus,
    PlanTransition,
    ReportRequest,
    Submission,
    SubmissionAttachment,
)
from inspections.tests.factories import seed, user
from inspections.tests.test_remediation import recommend
from inspections.tests.test_uploads import pdf_bytes
from inspections.tests.test_workflow import new_plan, ready

pytestmark = pytest.mark.django_db


class Injected(Exception):
    """The failure the tests inject (a full disk, a lost database connection…)."""


def fail_on_call(number: int, original):
    """A replacement for `original` that fails on its `number`-th call and works otherwise."""
    calls = 0

    def replacement(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == number:
            raise Injected(f"lần gọi thứ {number}")
        return original(*args, **kwargs)

    return replacement


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


# Uploads ------------------------------------------------------------------------------------


def _post_submission_with_two_attachments(sent):
    total, done = sent.fields.order_by("order")[:2]
    report_request = ReportRequest.objects.get(
        plan=seed(), agency__members__user__username="anbien"
    )
    client = client_for("anbien")
    client.raise_request_exception = False
    return client.post(
        reverse("requests:submission-create", args=[report_request.pk]),
        {
            "deliverable": "report",
            f"f{total.pk}": 10,
            f"f{done.pk}": 6,
            "file": SimpleUploadedFile("bao-cao.pdf", pdf_bytes()),
            "attachments": [
                SimpleUploadedFile("bieu-1.pdf", pdf_bytes(b"/A 1")),
                SimpleUploadedFile("bieu-2.pdf", pdf_bytes(b"/A 2")),
            ],
        },
    )


def test_storage_failing_at_the_second_attachment_leaves_nothing(sent, private_files, monkeypatch):
    storage = SubmissionAttachment._meta.get_field("file").storage
    # Writes: the report, the first attachment, then the second attachment fails.
    monkeypatch.setattr(storage, "_save", fail_on_call(3, storage._save))
    response = _post_submission_with_two_attachments(sent)
    assert response.status_code == 500
    assert not Submission.objects.exists() and not SubmissionAttachment.objects.exists()
    assert files_in(private_files) == []


def test_database_failing_at_the_second_attachment_leaves_nothing(sent, private_files, monkeypatch):
    # The second attachment's file is written, then its row fails to save.
    monkeypatch.setattr(SubmissionAttachment, "save", fail_on_call(2, SubmissionAttachment.save))
    response = _post_submission_with_two_attachments(sent)
    assert response.status_code == 500
    assert not Submission.objects.exists() and not SubmissionAttachment.objects.exists()
    assert files_in(private_files) == []


def test_the_same_submission_succeeds_once_the_failure_is_gone(sent, private_files):
    response = _post_submission_with_two_attachments(sent)
    assert response.status_code == 302
    assert Submission.objects.get().attachments.count() == 2
    assert len(files_in(private_files)) == 3


# Workflow steps after numbering -------------------------------------------------------------


def register(issuer, year: int, symbol: str) -> int:
    """The register's last number (0 when the register has not been opened yet)."""
    found = NumberRegister.objects.filter(issuer=issuer, year=year, symbol=symbol).first()
    return found.last_number if found else 0


def _approved_plan() -> Plan:
    plan = ready(new_plan())
    services.plan_submit(plan=plan, by=user("noivu"))
    services.plan_approve(plan=plan, by=user("lanhdao"))
    return plan


def test_a_plan_issue_failing_after_numbering_takes_no_number(monkeypatch):
    plan = _approved_plan()
    year = plan.document_date.year
    before = register(plan.issuer, year, plan.symbol)
    transitions = PlanTransition.objects.filter(plan=plan).count()

    def failing_save(self, *args, **kwargs):
        if "number" in (kwargs.get("update_fields") or ()):
            raise Injected("mất kết nối sau khi lấy số")
        return original(self, *args, **kwargs)

    original = Plan.save
    monkeypatch.setattr(Plan, "save", failing_save)
    with pytest.raises(Injected):
        services.plan_issue(plan=plan, by=user("noivu"))
    monkeypatch.undo()

    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.status, stored.number) == (PlanStatus.APPROVED, None)
    assert register(plan.issuer, year, plan.symbol) == before
    assert PlanTransition.objects.filter(plan=plan).count() == transitions
    # Issued again, the plan gets the number the failed attempt did not keep.
    services.plan_issue(plan=stored, by=user("noivu"))
    assert stored.number == before + 1


def test_a_plan_issue_failing_through_the_view_takes_no_number(monkeypatch):
    plan = _approved_plan()
    year = plan.document_date.year
    before = register(plan.issuer, year, plan.symbol)
    monkeypatch.setattr(PlanTransition.objects, "create", fail_on_call(1, lambda **kw: None))
    client = client_for("noivu")
    client.raise_request_exception = False
    response = client.post(
        reverse("inspections:plan-issue", args=[plan.pk]),
        {"document_date": plan.document_date.isoformat()},
    )
    assert response.status_code == 500
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert register(plan.issuer, year, plan.symbol) == before


def test_a_conclusion_issue_failing_after_numbering_takes_no_number(visit, monkeypatch):
    recommend(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    issuer = visit.plan.issuer
    day = datetime.date(2024, 3, 1)
    before = register(issuer, day.year, notice.symbol)

    original = ConclusionNotice.save

    def failing_save(self, *args, **kwargs):
        if "number" in (kwargs.get("update_fields") or ()):
            raise Injected("ổ đĩa đầy")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ConclusionNotice, "save", failing_save)
    with pytest.raises(Injected):
        services.conclusion_issue(notice=notice, day=day)
    monkeypatch.undo()

    stored = ConclusionNotice.objects.get(pk=notice.pk)
    assert (stored.status, stored.number, stored.issued_on) == (NoticeStatus.APPROVED, None, None)
    assert register(issuer, day.year, notice.symbol) == before
    services.conclusion_issue(notice=stored, day=day)
    assert stored.number == before + 1
