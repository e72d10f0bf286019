"""Every issued document is rendered once, PDF and Word, and kept with its SHA-256: downloads
serve those exact bytes forever, whatever changes later in the data (a unit renamed, a plan's
title corrected, a finding rewritten behind the product's back). Drafts are rendered live."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import Finding, IssuedRendition, Minutes, Plan, ScheduleNotice, Team, Visit
from inspections.tests.factories import seed, user
from inspections.tests.test_remediation import issue_notice, recommend
from units.models import Agency

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _download(url: str) -> bytes:
    response = client_for("noivu").get(url)
    assert response.status_code == 200
    return response.content


def _change_everything(plan: Plan, agency: Agency) -> None:
    """What may change after issue: the unit's name (a reorganisation), the plan's title (by the
    administrator), a finding (behind the product's back: the model would refuse it)."""
    Agency.objects.filter(pk=agency.pk).update(name="Ủy ban nhân dân huyện Đổi Tên")
    Plan.objects.filter(pk=plan.pk).update(summary="Tiêu đề đã sửa sau khi ban hành")
    Finding.objects.update(description="Nội dung đã sửa lén")


def _same_bytes_twice(document, pdf_url: str, docx_url: str, change) -> IssuedRendition:
    first = {"pdf": _download(pdf_url), "docx": _download(docx_url)}
    kept = IssuedRendition.objects.of(document).get()
    assert hashlib.sha256(first["pdf"]).hexdigest() == kept.pdf_sha256
    assert hashlib.sha256(first["docx"]).hexdigest() == kept.docx_sha256
    change()
    assert _download(pdf_url) == first["pdf"]
    assert _download(docx_url) == first["docx"]
    assert IssuedRendition.objects.of(document).count() == 1
    return kept


@pytest.fixture
def concluded(visit):
    services.minutes_save(
        visit=visit, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="UBND huyện",
        checked="Hồ sơ một cửa",
    )  # fmt: skip
    recommend(visit)
    return issue_notice(visit.plan, visit.agency)


def test_the_conclusion_notice_is_kept_at_issue_and_served_unchanged(
    visit, django_capture_on_commit_callbacks
):
    services.minutes_save(visit=visit, by=user("doanvien"), team_attendees="Đoàn",
                          unit_attendees="UBND", checked="Hồ sơ")  # fmt: skip
    recommend(visit)
    with django_capture_on_commit_callbacks(execute=True):
        notice = issue_notice(visit.plan, visit.agency)
    # Kept when the issue committed, with the minutes it rests on.
    assert IssuedRendition.objects.of(notice).exists()
    assert IssuedRendition.objects.of(Minutes.objects.get(visit=visit)).exists()
    kept = _same_bytes_twice(
        notice,
        reverse("reports:conclusion-document", args=[notice.pk, "pdf"]),
        reverse("reports:conclusion-document", args=[notice.pk, "docx"]),
        lambda: _change_everything(notice.plan, notice.agency),
    )
    page = client_for("noivu").get(reverse("inspections:conclusion-detail", args=[notice.pk]))
    assert kept.pdf_sha256 in page.text and kept.docx_sha256 in page.text


def test_the_minutes_are_kept_once_frozen(visit, concluded):
    minutes = Minutes.objects.get(visit=visit)
    _same_bytes_twice(
        minutes,
        reverse("reports:minutes-document", args=[visit.pk, "pdf"]),
        reverse("reports:minutes-document", args=[visit.pk, "docx"]),
        lambda: _change_everything(visit.plan, visit.agency),
    )


def test_the_plan_is_kept_as_issued():
    plan = seed()  # loaded issued, without files: kept at its first download
    assert not IssuedRendition.objects.of(plan).exists()
    _same_bytes_twice(
        plan,
        reverse("reports:plan-pdf", args=[plan.pk]),
        reverse("reports:plan-docx", args=[plan.pk]),
        lambda: _change_everything(plan, plan.issuer),
    )


def test_the_team_decision_is_kept_as_issued_and_a_draft_is_live(team):
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    pdf = reverse("reports:team-decision", args=[team.plan.pk, team.pk, "pdf"])
    docx = reverse("reports:team-decision", args=[team.plan.pk, team.pk, "docx"])
    _download(pdf)
    assert not IssuedRendition.objects.of(team).exists()  # a draft is never kept
    services.team_decision_issue(team=team, day=datetime.date(2023, 8, 15))
    team = Team.objects.get(pk=team.pk)

    def rename_the_team():
        Team.objects.filter(pk=team.pk).update(name="Đoàn đổi tên", signer_name="Người khác")
        _change_everything(team.plan, team.plan.issuer)

    _same_bytes_twice(team, pdf, docx, rename_the_team)


def test_the_schedule_notice_is_kept_at_issue_apart_from_the_decision(
    team, visit, django_capture_on_commit_callbacks
):
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.team_decision_issue(team=team, day=datetime.date(2023, 8, 15))
    team = Team.objects.get(pk=team.pk)
    pdf = reverse("reports:schedule-notice", args=[team.plan.pk, team.pk, "pdf"])
    docx = reverse("reports:schedule-notice", args=[team.plan.pk, team.pk, "docx"])
    _download(pdf)
    notice = ScheduleNotice.objects.get(pk=team.pk)
    assert not IssuedRendition.objects.of(notice).exists()  # a draft is never kept
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_notice_issue(team=team, day=datetime.date(2023, 8, 20))
    kept = IssuedRendition.objects.of(notice).get()  # kept when the issue committed
    assert kept != IssuedRendition.objects.of(team).get()  # the decision's own files

    def move_the_visit():
        Visit.objects.filter(pk=visit.pk).update(place="Nơi khác", date=datetime.date(2024, 3, 1))
        Team.objects.filter(pk=team.pk).update(name="Đoàn đổi tên")
        _change_everything(team.plan, visit.agency)

    _same_bytes_twice(notice, pdf, docx, move_the_visit)
    page = client_for("noivu").get(reverse("inspections:team-detail", args=[team.plan.pk, team.pk]))
    assert kept.pdf_sha256 in page.text and kept.docx_sha256 in page.text


def test_the_outline_letter_is_kept_as_sent(sent):
    pdf = reverse("reports:outline-letter", args=[sent.plan.pk, "pdf"])
    docx = reverse("reports:outline-letter", args=[sent.plan.pk, "docx"])
    _same_bytes_twice(
        sent, pdf, docx, lambda: _change_everything(sent.plan, sent.plan.standing_agency)
    )


def test_an_unknown_format_is_not_found(concluded):
    url = reverse("reports:conclusion-document", args=[concluded.pk, "odt"])
    assert client_for("noivu").get(url).status_code == 404


def test_freeze_issued_documents_keeps_what_is_missing_once(concluded):
    out = io.StringIO()
    call_command("freeze_issued_documents", "--dry-run", stdout=out)
    assert not IssuedRendition.objects.exists()
    call_command("freeze_issued_documents", stdout=out)
    kept = IssuedRendition.objects.count()
    # The seed plan, the notice and its minutes (the team decision is a draft here).
    assert kept == 3
    assert IssuedRendition.objects.of(concluded).exists()
    call_command("freeze_issued_documents", stdout=(again := io.StringIO()))
    assert IssuedRendition.objects.count() == kept and "0 văn bản đã lưu bản" in again.getvalue()


def test_the_kept_files_cannot_be_changed_or_deleted_in_the_admin(concluded):
    call_command("freeze_issued_documents", stdout=io.StringIO())
    kept = IssuedRendition.objects.of(concluded).get()
    admin = client_for("admin")
    delete = reverse("admin:inspections_issuedrendition_delete", args=[kept.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert IssuedRendition.objects.filter(pk=kept.pk).exists()
