"""Amending an issued plan: proposals kept on the draft, applied to the plan only when the
amendment is issued (numbered in the issuer's register), the original plan's files unchanged,
refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import (
    AmendmentForm,
    IssuedRendition,
    NoticeStatus,
    PlanAmendment,
    PlanTarget,
    ReportRequest,
)
from inspections.tests.factories import DAY, schedule, seed, target, user
from inspections.tests.test_self_inspection import field_data, pdf
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db

THU_BA = "30985/UBND"
ISSUE_DAY = datetime.date(2023, 9, 15)


def start(**fields) -> PlanAmendment:
    amendment = services.amendment_start(plan=seed(), by=user("noivu"), **fields)
    return amendment


def issue(amendment: PlanAmendment, day=ISSUE_DAY) -> None:
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=user("lanhdao"), approve=True)
    services.amendment_issue(amendment=amendment, day=day)


def test_changes_wait_for_the_issue_then_apply_at_once(
    private_files, django_capture_on_commit_callbacks
):
    amendment = start()
    thu_ba = agency_by_ref(THU_BA, DAY)
    services.amendment_target_add(amendment=amendment, agency=thu_ba, announced=False)
    services.amendment_target_add(amendment=amendment, agency=agency_by_ref("91/SYT", DAY))
    services.amendment_target_remove(amendment=amendment, target=target("91/STP"))
    services.amendment_save(
        amendment=amendment, version=None, content="Bổ sung đối tượng theo chỉ đạo.",
        period_text="Tháng 10 năm 2023", period_start=datetime.date(2023, 10, 1),
        period_end=datetime.date(2023, 10, 31), self_report_deadline=datetime.date(2023, 9, 30),
    )  # fmt: skip
    plan = seed()
    before = set(plan.targets.values_list("agency__name", flat=True))
    assert not plan.targets.filter(agency=thu_ba).exists()
    assert plan.period_text != "Tháng 10 năm 2023"

    with django_capture_on_commit_callbacks(execute=True):
        issue(amendment)
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.ISSUED
    assert amendment.number is not None and amendment.issued_on == ISSUE_DAY
    assert amendment.number_display.endswith("/KH-UBND")
    plan.refresh_from_db()
    assert plan.period_text == "Tháng 10 năm 2023"
    assert plan.self_report_deadline == datetime.date(2023, 9, 30)
    added = plan.targets.get(agency=thu_ba)
    assert added.amendment == amendment and not added.announced
    assert not plan.targets.filter(agency__name="Sở Tư pháp").exists()
    after = set(plan.targets.values_list("agency__name", flat=True))
    assert after == (before - {"Sở Tư pháp"}) | {thu_ba.name, "Sở Y tế"}
    # The plan's issued files were kept before its data changed, and are not rendered again.
    kept = IssuedRendition.objects.of(plan).get()
    assert IssuedRendition.objects.of(amendment).exists()
    assert kept.pk < IssuedRendition.objects.of(amendment).get().pk
    # It still lists Sở Tư pháp, removed since, and not the added targets.
    with kept.pdf.open("rb") as file:
        text = "".join(p.extract_text() for p in PdfReader(file).pages)
    assert "Tư pháp" in text and "Y tế" not in text


def test_the_next_number_of_the_register_and_a_decision_symbol(private_files):
    first = start()
    services.amendment_save(amendment=first, version=None, content="Điều chỉnh lần 1.")
    issue(first)
    second = start(form=AmendmentForm.DECISION)
    assert second.symbol == "QĐ-UBND"
    services.amendment_save(amendment=second, version=None, content="Điều chỉnh lần 2.")
    third_try = start()
    assert third_try == second  # one amendment drafted at a time
    issue(second)
    second.refresh_from_db()
    assert second.number_display.endswith("/QĐ-UBND")
    assert first.number  # KH register, not the plan's own number again
    first.refresh_from_db()
    assert first.number != seed().number


def test_an_empty_amendment_and_a_return_without_reason_are_refused():
    amendment = start()
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        services.amendment_submit(amendment=amendment)
    services.amendment_save(amendment=amendment, version=None, content="Nội dung.")
    services.amendment_submit(amendment=amendment)
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.amendment_decide(amendment=amendment, by=user("lanhdao"), approve=False)
    services.amendment_decide(
        amendment=amendment, by=user("lanhdao"), approve=False, note="Ghi rõ lý do bổ sung."
    )
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.DRAFT
    assert amendment.return_reason == "Ghi rõ lý do bổ sung."
    services.amendment_submit(amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.return_reason == ""


def test_a_target_with_a_visit_or_a_report_cannot_be_removed(team, sent, private_files):
    amendment = start()
    schedule(team, "908/UBND", datetime.date(2023, 9, 20))
    with pytest.raises(ValidationError, match="đã có lịch kiểm tra"):
        services.amendment_target_remove(amendment=amendment, target=target("908/UBND"))
    request = ReportRequest.objects.get(plan=seed(), agency__name="Sở Tư pháp")
    posted = client_for("tuphap").post(
        reverse("requests:submission-create", args=[request.pk]),
        {**field_data(sent, 10, 4), "file": pdf()},
    )
    assert posted.status_code == 302
    with pytest.raises(ValidationError, match="đã nộp báo cáo tự kiểm tra"):
        services.amendment_target_remove(amendment=amendment, target=target("91/STP"))
    assert not amendment.target_changes.exists()


def test_a_removal_that_became_impossible_refuses_the_issue_and_takes_no_number(team):
    amendment = start()
    services.amendment_target_remove(amendment=amendment, target=target("908/UBND"))
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=user("lanhdao"), approve=True)
    schedule(team, "908/UBND", datetime.date(2023, 9, 20))  # visited since
    with pytest.raises(ValidationError, match="đã có lịch kiểm tra"):
        services.amendment_issue(amendment=amendment, day=ISSUE_DAY)
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.APPROVED and amendment.number is None
    assert PlanTarget.objects.filter(plan=seed(), agency=target("908/UBND").agency).exists()


def test_only_an_issued_plan_is_amended_and_only_a_draft_is_changed(private_files):
    draft = services.plan_create(
        by=user("noivu"), issuer=seed().issuer, year=2024, place="Kiên Giang",
        document_date=datetime.date(2024, 1, 5), summary="Kiểm tra năm 2024",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.amendment_start(plan=draft, by=user("noivu"))
    amendment = start()
    services.amendment_save(amendment=amendment, version=None, content="Nội dung.")
    issue(amendment)
    with pytest.raises(ValidationError, match="chỉ sửa được bản dự thảo"):
        services.amendment_target_add(amendment=amendment, agency=agency_by_ref(THU_BA, DAY))


def test_the_team_agencies_are_replaced(private_files):
    amendment = start()
    team = [agency_by_ref("91/SNV", DAY), agency_by_ref("91/STC", DAY)]
    services.amendment_save(amendment=amendment, version=None, changes_team=True, team=team)
    issue(amendment)
    names = list(seed().team_agencies.values_list("agency__name", flat=True))
    assert sorted(names) == sorted(a.name for a in team)
