"""One lifecycle for every document (`services.lifecycle`): each is issued with a document
date — today by default, earlier for a paper record, never to come — as the body valid on that
date; the round's chain follows time and numbers follow dates, or the issue needs the paper
record confirmed; schedule notices and minutes are numbered and dated like the rest."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    FindingKind,
    IssuedNumber,
    Minutes,
    NoticeStatus,
    Outline,
    OutlineSection,
    Plan,
    ResultsReport,
    ScheduleNotice,
    Team,
    TeamRole,
)
from inspections.services.lifecycle import TYPES, NeedsConfirmation, issue
from inspections.tests.factories import DAY, schedule, seed, user
from units.models import today
from units.services import agency_by_ref

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

PLAN_DAY = datetime.date(2024, 2, 20)
LETTER_DAY = datetime.date(2024, 2, 26)
DECISION_DAY = datetime.date(2024, 3, 1)
SCHEDULE_DAY = datetime.date(2024, 3, 5)
VISIT_DAY = datetime.date(2024, 3, 20)
NOTICE_DAY = datetime.date(2024, 4, 2)
REPORT_DAY = datetime.date(2024, 4, 15)

PROSE = {
    "summary": "Các đơn vị cơ bản thực hiện tốt.",
    "proposals": "Tiếp tục chỉ đạo.",
    "signer_name": "Bùi Ngọc Tâm",
}


def pdf_text(url: str) -> str:
    response = client_for("noivu").get(url)
    assert response.status_code == 200, url
    content = b"".join(response) if response.streaming else response.content
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def round_2024() -> Plan:
    """The seed plan copied to 2024 and issued as of 20/02/2024 (Kiên Giang still exists)."""
    plan, _notes = services.plan_copy(
        source=seed(), year=2024, document_date=PLAN_DAY, by=user("noivu")
    )
    services.plan_submit(plan=plan, by=user("noivu"))
    services.plan_approve(plan=plan, by=user("lanhdao"))
    services.plan_issue(plan=plan, by=user("noivu"), document_date=PLAN_DAY)
    return plan


def formed_team(plan: Plan) -> Team:
    team = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", PLAN_DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    an_bien = plan.targets.get(agency=agency_by_ref("908/UBND", PLAN_DAY))
    services.team_targets_assign(team=team, targets=[an_bien])
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    return team


def visit_of(team: Team):
    an_bien = team.plan.targets.get(agency=agency_by_ref("908/UBND", PLAN_DAY))
    return services.visit_schedule(
        team=team, target=an_bien, agency=an_bien.agency, date=VISIT_DAY,
        start_time=datetime.time(8), end_time=datetime.time(11), place="Hội trường",
    )  # fmt: skip


def minutes_of(visit) -> Minutes:
    """The visit's minutes, with one finding (a notice needs one)."""
    minutes = services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND huyện",
        checked="Hồ sơ một cửa",
    )  # fmt: skip
    services.finding_add(
        visit=visit, by=user("doanvien"), kind=FindingKind.STRENGTH,
        description="Công khai đầy đủ thủ tục hành chính.",
    )  # fmt: skip
    return minutes


def approved_notice(plan, agency):
    notice = services.conclusion_prepare(plan=plan, agency=agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    return notice


# A 2024 round recorded in 2026 ----------------------------------------------------------------


def test_a_2024_round_recorded_today_is_dated_2024_and_issued_by_kien_giang_bodies():
    assert today().year >= 2026  # Kiên Giang merged into An Giang on 01/07/2025
    plan = round_2024()
    outline = Outline.objects.create(plan=plan, target_deadline=datetime.date(2024, 3, 15))
    OutlineSection.objects.create(outline=outline, order=1, title="Công tác chỉ đạo")
    services.outline_send(outline=outline, by=user("noivu"), day=LETTER_DAY)
    team = formed_team(plan)
    services.team_decision_issue(team=team, day=DECISION_DAY, by=user("noivu"))
    visit = visit_of(team)
    services.schedule_notice_issue(team=team, day=SCHEDULE_DAY, by=user("noivu"))
    minutes = minutes_of(visit)
    services.minutes_issue(minutes=minutes, by=user("doanvien"))  # the visit's day by default
    notice = approved_notice(plan, visit.agency)
    services.conclusion_issue(notice=notice, day=NOTICE_DAY, by=user("noivu"))
    report = services.results_report_for(plan)
    services.results_report_save(report=report, **PROSE)
    services.results_report_submit(report=report)
    services.results_report_decide(report=report, by=user("lanhdao"), approve=True)
    services.results_report_issue(report=report, day=REPORT_DAY, by=user("noivu"))

    documents = {
        "plan": (reverse("reports:plan-pdf", args=[plan.pk]), "20 tháng 02 năm 2024"),
        "letter": (
            reverse("reports:outline-letter", args=[plan.pk, "pdf"]),
            "26 tháng 02 năm 2024",
        ),
        "decision": (
            reverse("reports:team-decision", args=[plan.pk, team.pk, "pdf"]),
            "01 tháng 3 năm 2024",
        ),
        "schedule": (
            reverse("reports:schedule-notice", args=[plan.pk, team.pk, "pdf"]),
            "05 tháng 3 năm 2024",
        ),
        "notice": (
            reverse("reports:conclusion-document", args=[notice.pk, "pdf"]),
            "02 tháng 4 năm 2024",
        ),
        "report": (
            reverse("reports:results-document", args=[plan.pk, "pdf"]),
            "15 tháng 4 năm 2024",
        ),
    }
    for name, (url, day) in documents.items():
        text = pdf_text(url)
        assert f"ngày {day}" in text, name
        assert "KIÊN GIANG" in text, name
        assert "AN GIANG" not in text and "An Giang" not in text, name
        assert "năm 2026" not in text, name
        assert "DỰ THẢO" not in text, name
    letter = pdf_text(documents["letter"][0])
    assert "Số: 01/" in letter
    schedule_text = pdf_text(documents["schedule"][0])
    assert "Số: 01/TB-ĐKT" in schedule_text
    minutes_text = pdf_text(reverse("reports:minutes-document", args=[visit.pk, "pdf"]))
    assert "Số: 01/BB-ĐKT" in minutes_text and "DỰ THẢO" not in minutes_text
    minutes.refresh_from_db()
    assert minutes.issued_on == VISIT_DAY


def test_the_2024_round_recorded_in_2026_through_the_step_pages():
    """The same round, every step taken through the one set of step views (`views/documents`):
    each document numbered in a Kiên Giang register of 2024, dated as posted."""
    staff, leader, member = client_for("noivu"), client_for("lanhdao"), client_for("doanvien")

    def step(client, name: str, args, data=None) -> str:
        response = client.post(reverse(f"inspections:{name}", args=args), data or {}, follow=True)
        assert response.status_code == 200, name
        return " ".join(str(m) for m in response.context["messages"])

    plan, _notes = services.plan_copy(
        source=seed(), year=2024, document_date=PLAN_DAY, by=user("noivu")
    )
    step(staff, "plan-submit", [plan.pk])
    step(leader, "plan-approve", [plan.pk])
    assert "Đã ban hành kế hoạch số" in step(
        staff, "plan-issue", [plan.pk], {"document_date": "20/02/2024"}
    )
    plan = Plan.objects.get(pk=plan.pk)
    team = formed_team(plan)
    step(staff, "team-issue", [plan.pk, team.pk], {"document_date": "01/03/2024"})
    visit = visit_of(team)
    step(staff, "schedule-issue", [plan.pk, team.pk], {"document_date": "05/03/2024"})
    minutes_of(visit)
    step(member, "minutes-issue", [visit.pk])  # the visit's day
    notice = services.conclusion_prepare(plan=plan, agency=visit.agency)
    signed = {"signer_name": "Nguyễn Thanh Nhân"}
    step(staff, "conclusion-submit", [notice.pk], {**signed, "version": notice.version})
    assert "Ghi lý do trả lại" in step(leader, "conclusion-return", [notice.pk])  # no reason
    step(leader, "conclusion-return", [notice.pk], {"note": "Ghi rõ thời hạn."})
    notice.refresh_from_db()
    assert notice.return_reason == "Ghi rõ thời hạn."
    step(staff, "conclusion-submit", [notice.pk], {**signed, "version": notice.version})
    step(leader, "conclusion-approve", [notice.pk])
    step(staff, "conclusion-issue", [notice.pk], {"document_date": "02/04/2024"})
    services.results_report_save(report=services.results_report_for(plan), **PROSE)
    step(staff, "results-submit", [plan.pk])
    step(leader, "results-approve", [plan.pk])
    assert "Đã cấp số và ban hành báo cáo kết quả." in step(
        staff, "results-issue", [plan.pk], {"document_date": "15/04/2024"}
    )

    team.refresh_from_db()
    issued = [
        plan,
        team,
        ScheduleNotice.objects.get(pk=team.pk),
        Minutes.objects.get(visit=visit),
        ConclusionNotice.objects.get(pk=notice.pk),
        ResultsReport.objects.get(plan=plan),
    ]
    days = [TYPES[kind].day(d) for kind, d in zip(KINDS, issued, strict=True)]
    assert days == [PLAN_DAY, DECISION_DAY, SCHEDULE_DAY, VISIT_DAY, NOTICE_DAY, REPORT_DAY]
    numbers = IssuedNumber.objects.filter(register__year=2024).select_related(
        "register__issuer__province"
    )
    assert numbers.count() == len(KINDS)
    assert {n.register.issuer.province.name for n in numbers} == {"Tỉnh Kiên Giang"}


KINDS = ("plan", "decision", "schedule", "minutes", "conclusion", "results")


def test_issuing_today_as_a_body_abolished_since_is_refused_naming_its_successor(team):
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.team_decision_issue(team=team, by=user("noivu"))
    message = " ".join(refused.value.messages)
    assert "Ủy ban nhân dân tỉnh Kiên Giang không còn tồn tại ngày" in message
    assert "Ủy ban nhân dân tỉnh An Giang" in message
    team.refresh_from_db()
    assert team.decision_number is None
    assert not IssuedNumber.objects.filter(register__symbol=team.decision_symbol).exists()


def test_a_document_date_to_come_is_refused(team):
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa đến"):
        services.team_decision_issue(team=team, day=today() + datetime.timedelta(days=1))


# The chain in time ------------------------------------------------------------------------------


def test_a_decision_dated_before_its_plan_needs_the_paper_record_confirmed(team):
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    early = DAY - datetime.timedelta(days=3)
    with pytest.raises(NeedsConfirmation) as refused:
        services.team_decision_issue(team=team, day=early)
    message = " ".join(refused.value.messages)
    assert "03/08/2023" in message and "06/08/2023" in message
    assert "Kế hoạch kiểm tra số 23/KH-UBND" in message
    team.refresh_from_db()
    assert team.decision_number is None  # nothing taken
    warnings = services.team_decision_issue(team=team, day=early, confirm=True)
    assert warnings and "03/08/2023" in warnings[0]
    team.refresh_from_db()
    assert team.is_issued and team.decision_date == early
    kept = IssuedNumber.objects.get(register__symbol="QĐ-UBND", number=team.decision_number)
    assert "06/08/2023" in kept.warning
    assert kept.document.startswith("Quyết định thành lập đoàn số")


def test_the_schedule_notice_waits_for_the_decision_and_follows_it(team, visit):
    with pytest.raises(ValidationError, match="Quyết định thành lập đoàn chưa ban hành"):
        services.schedule_notice_issue(team=team, day=datetime.date(2024, 1, 20))
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    services.team_decision_issue(team=team, day=datetime.date(2024, 1, 15))
    with pytest.raises(NeedsConfirmation, match="15/01/2024"):
        services.schedule_notice_issue(team=team, day=datetime.date(2024, 1, 10))
    services.schedule_notice_issue(team=team, day=datetime.date(2024, 1, 20))
    team.refresh_from_db()
    assert team.schedule_number == 1 and team.schedule_date == datetime.date(2024, 1, 20)
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.schedule_notice_issue(team=team, day=datetime.date(2024, 1, 21))


def test_minutes_are_dated_their_visit_and_frozen_once_issued(visit):
    minutes = minutes_of(visit)
    draft = pdf_text(reverse("reports:minutes-document", args=[visit.pk, "pdf"]))
    assert "DỰ THẢO" in draft and "Số: /BB-ĐKT" in draft.replace("  ", " ")
    with pytest.raises(NeedsConfirmation, match="05/02/2024"):
        services.minutes_issue(minutes=minutes, day=datetime.date(2024, 2, 6))
    services.minutes_issue(minutes=minutes)
    minutes.refresh_from_db()
    assert (minutes.number, minutes.issued_on) == (1, datetime.date(2024, 2, 5))
    issued = pdf_text(reverse("reports:minutes-document", args=[visit.pk, "pdf"]))
    assert "Số: 01/BB-ĐKT" in issued and "DỰ THẢO" not in issued
    with pytest.raises(ValidationError, match="đã ban hành ngày 05/02/2024"):
        services.minutes_save(visit=visit, by=user("doanvien"), checked="Sửa sau")


def test_a_conclusion_before_its_minutes_needs_confirmation(visit):
    minutes_of(visit)
    notice = approved_notice(visit.plan, visit.agency)
    with pytest.raises(NeedsConfirmation, match="05/02/2024"):
        services.conclusion_issue(notice=notice, day=datetime.date(2024, 2, 1))
    assert not Minutes.objects.filter(visit=visit, number__isnull=False).exists()
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 2, 10))
    assert Minutes.objects.get(visit=visit).issued_on == datetime.date(2024, 2, 5)


def test_numbers_follow_dates_in_a_register(team, visit):
    other = schedule(team, "91/STP", datetime.date(2024, 2, 6))
    services.minutes_issue(minutes=minutes_of(visit))
    services.minutes_issue(minutes=minutes_of(other))
    first = approved_notice(visit.plan, other.agency)
    services.conclusion_issue(notice=first, day=datetime.date(2024, 3, 10))
    second = approved_notice(visit.plan, visit.agency)
    with pytest.raises(NeedsConfirmation) as refused:
        services.conclusion_issue(notice=second, day=datetime.date(2024, 3, 1))
    message = " ".join(refused.value.messages)
    assert "Thông báo kết luận kiểm tra số 01/TB-UBND" in message and "10/03/2024" in message
    second.refresh_from_db()
    assert second.number is None and second.status == NoticeStatus.APPROVED
    services.conclusion_issue(notice=second, day=datetime.date(2024, 3, 1), confirm=True)
    second.refresh_from_db()
    assert second.number == 2


def test_the_results_report_follows_the_last_conclusion(visit):
    minutes_of(visit)
    services.conclusion_issue(
        notice=approved_notice(visit.plan, visit.agency), day=datetime.date(2024, 3, 1)
    )
    report = services.results_report_for(visit.plan)
    services.results_report_save(report=report, **PROSE)
    services.results_report_submit(report=report)
    services.results_report_decide(report=report, by=user("lanhdao"), approve=True)
    with pytest.raises(NeedsConfirmation, match="01/03/2024"):
        services.results_report_issue(report=report, day=datetime.date(2024, 2, 20))
    services.results_report_issue(report=report, day=datetime.date(2024, 3, 5))


def test_a_paper_number_is_checked_against_the_register(visit):
    minutes = minutes_of(visit)
    services.minutes_issue(minutes=minutes, number=7)
    other = schedule(visit.team, "91/STP", datetime.date(2024, 2, 6))
    second = minutes_of(other)
    with pytest.raises(ValidationError, match="Số 07/BB-ĐKT đã cấp"):
        services.minutes_issue(minutes=second, number=7)
    services.minutes_issue(minutes=second)
    second.refresh_from_db()
    assert second.number == 8


# Return with a reason ---------------------------------------------------------------------------


def test_a_return_needs_a_reason_that_the_author_sees(visit):
    minutes_of(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=False)
    response = client_for("lanhdao").post(
        reverse("inspections:conclusion-return", args=[notice.pk]),
        {"note": "Ghi rõ thời hạn khắc phục."},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    page = client_for("noivu").get(reverse("inspections:conclusion-detail", args=[notice.pk]))
    assert "Ghi rõ thời hạn khắc phục." in page.content.decode()


# Through the views ------------------------------------------------------------------------------


def test_the_issue_form_takes_the_date_and_the_confirmation(team):
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    url = reverse("inspections:team-issue", args=[team.plan.pk, team.pk])
    client = client_for("noivu")
    page = client.get(reverse("inspections:team-detail", args=[team.plan.pk, team.pk]))
    assert "Xác nhận ngày trên văn bản giấy" in page.content.decode()
    refused = client.post(url, {"document_date": "01/08/2023"}, follow=True)
    assert "01/08/2023" in refused.content.decode()
    team.refresh_from_db()
    assert not team.is_issued
    client.post(url, {"document_date": "01/08/2023", "confirm": "on"})
    team.refresh_from_db()
    assert team.is_issued and team.decision_date == datetime.date(2023, 8, 1)


def test_every_document_type_is_in_the_one_table():
    assert set(TYPES) == {
        "plan", "amendment", "decision", "letter", "schedule", "minutes", "conclusion", "results",
    }  # fmt: skip
    assert [k for k, t in TYPES.items() if t.approval] == [
        "plan", "amendment", "conclusion", "results",
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        issue(seed())  # already issued


def test_every_step_of_the_table_is_one_url_of_the_one_set_of_step_views():
    """Each step a type's row names (download apart: `reports`) is routed to the one step view
    of `views/documents.py`, told its type and step."""
    from django.urls import get_resolver

    from inspections.views.documents import STEPS, document_step

    routed = {
        (pattern.default_args["kind"], pattern.default_args["step"])
        for pattern in get_resolver().url_patterns
        for pattern in getattr(pattern, "url_patterns", [pattern])
        if pattern.callback is document_step
    }
    table = {(kind, step) for kind, t in TYPES.items() for step in t.steps if step in STEPS}
    # The covering letter is numbered by sending the outline (`outline-send`).
    assert routed == table - {("letter", "issue")}
    assert ("schedule", "issue") in routed and ("minutes", "issue") in routed


def test_minutes_issued_through_the_visit_page(visit):
    minutes_of(visit)
    detail = reverse("inspections:visit-detail", args=[visit.pk])
    url = reverse("inspections:minutes-issue", args=[visit.pk])
    team = client_for("doanvien")
    assert url in team.get(detail).content.decode()
    assert client_for("lanhdao").post(url).status_code == 403
    response = team.post(url, {"document_date": ""}, follow=True)
    page = response.content.decode()
    text = " ".join(page.split())  # line breaks in the template are not text
    assert "Đã ban hành Biên bản số 01/BB-ĐKT" in text
    assert "Biên bản số 01/BB-ĐKT ngày 05/02/2024" in text
    assert url not in page  # issued once


def test_the_schedule_notice_issued_through_the_team_page(team, visit):
    Team.objects.filter(pk=team.pk).update(signer_name="Nguyễn Lưu Trung")
    team.refresh_from_db()
    services.team_decision_issue(team=team, day=datetime.date(2024, 1, 15))
    url = reverse("inspections:schedule-issue", args=[team.plan.pk, team.pk])
    staff = client_for("noivu")
    page = staff.get(reverse("inspections:team-detail", args=[team.plan.pk, team.pk]))
    assert url in page.content.decode()
    assert client_for("doanvien").post(url).status_code == 403
    response = staff.post(url, {"document_date": "20/01/2024"}, follow=True)
    assert "Đã ban hành Thông báo lịch kiểm tra số 01/TB-ĐKT" in response.content.decode()
    text = pdf_text(reverse("reports:schedule-notice", args=[team.plan.pk, team.pk, "pdf"]))
    assert "Số: 01/TB-ĐKT" in text and "ngày 20 tháng 01 năm 2024" in text
    assert "DỰ THẢO" not in text


def test_a_copy_to_a_year_after_the_merger_is_dated_in_the_successor_s_place():
    plan, _notes = services.plan_copy(
        source=seed(), year=2026, document_date=datetime.date(2026, 1, 5), by=user("noivu")
    )
    assert plan.issuer.name == "Ủy ban nhân dân tỉnh An Giang"
    assert plan.place == "An Giang"
    text = pdf_text(reverse("reports:plan-pdf", args=[plan.pk]))
    assert "An Giang, ngày" in text and "Kiên Giang, ngày" not in text
