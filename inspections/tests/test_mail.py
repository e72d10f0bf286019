"""Mail: the reminder engine's daily digest (`inspections/reminders.py`) and the workflow mails
(`inspections/mail.py`) — rendered from templates in Vietnamese, HTML and plain text, with
absolute links from `SITE_URL`; at most one digest per person per day; a person may turn
reminders off on their settings page."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cchc.test import PERSONAS, client_for
from inspections import services
from inspections.models import Recommendation, SentReminder
from inspections.reminders import send_digests
from inspections.tests.factories import user
from inspections.tests.test_remediation import issue_notice, recommend
from inspections.tests.test_todo import recorded
from units.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

SITE = "https://cchc.example.gov.vn"
TARGETS_DUE = datetime.date(2099, 7, 15)  # the outline's deadline for targets (conftest)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def addresses():
    for username in ("anbien", "tuphap", "lanhdao", "noivu", "doanvien"):
        get_user_model().objects.filter(username=username).update(email=f"{username}@example.vn")


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+?(?=[\s\"<>)]|$)", text)


def _mail_to(mailoutbox, username: str) -> list:
    return [m for m in mailoutbox if m.to == [f"{username}@example.vn"]]


# The digest -------------------------------------------------------------------------------------


def test_the_digest_is_vietnamese_html_and_text_with_absolute_links(sent, addresses, mailoutbox):
    send_digests(TARGETS_DUE - datetime.timedelta(days=7), [7, 1])
    (message,) = _mail_to(mailoutbox, "anbien")
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert message.subject.startswith("[CCHC] Nhắc hạn ngày 8/7/2099")
    for body in (message.body, html):
        assert "Kính gửi" in body and "Sắp đến hạn" in body and "hạn 15/7/2099" in body
        assert "Báo cáo tự kiểm tra theo Kế hoạch 23/KH-UBND" in body
        assert f"{SITE}/requests/" in body
        assert f"{SITE}/accounts/settings/" in body  # how to turn them off
    assert 'href="/' not in html  # never a link a mail client cannot open
    assert all(link.startswith(SITE) for link in _links(message.body)), message.body


def test_one_digest_per_person_per_day_gathers_every_deadline(sent, addresses, mailoutbox, visit):
    # An Biên owes its self-inspection report (due 15/7/2099) and a recommendation due the same
    # week: both in one mail.
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    Recommendation.objects.filter(pk=recommendation.pk).update(due_date=TARGETS_DUE)
    day = TARGETS_DUE - datetime.timedelta(days=3)
    assert send_digests(day, [7, 1]) >= 1
    (message,) = _mail_to(mailoutbox, "anbien")
    assert "Báo cáo tự kiểm tra" in message.body and "Khắc phục kiến nghị" in message.body
    assert f"{SITE}/plans/recommendations/{recommendation.pk}/" in message.body
    # Run again the same day (cron twice, or by hand): nothing more.
    mailoutbox.clear()
    call_command("send_reminders", "--days", "7", "1", stdout=io.StringIO())
    assert send_digests(day, [7, 1]) == 0 and mailoutbox == []
    # The next reminder (one day before) comes the day it is due, once.
    day_before = TARGETS_DUE - datetime.timedelta(days=1)
    send_digests(day_before, [7, 1])
    send_digests(day_before, [7, 1])
    assert len(_mail_to(mailoutbox, "anbien")) == 1
    assert SentReminder.objects.filter(user=user("anbien"), day=day_before).count() == 2


def test_a_reminder_due_later_the_same_day_waits_for_tomorrow(sent, addresses, mailoutbox, visit):
    day = TARGETS_DUE - datetime.timedelta(days=7)
    send_digests(day, [7, 1])
    assert len(_mail_to(mailoutbox, "anbien")) == 1
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    Recommendation.objects.filter(pk=recommendation.pk).update(due_date=TARGETS_DUE)
    assert send_digests(day, [7, 1]) == 0  # already had today's digest
    send_digests(day + datetime.timedelta(days=1), [7, 1])
    later = _mail_to(mailoutbox, "anbien")
    assert len(later) == 2 and "Khắc phục kiến nghị" in later[1].body


def test_a_person_who_turned_reminders_off_gets_none(sent, addresses, mailoutbox):
    response = client_for("anbien").post(reverse("account-settings"), {})
    assert response.status_code == 302
    assert not Membership.objects.get(user__username="anbien").receives_reminders
    send_digests(TARGETS_DUE - datetime.timedelta(days=7), [7, 1])
    assert _mail_to(mailoutbox, "anbien") == [] and len(_mail_to(mailoutbox, "tuphap")) == 1
    client_for("anbien").post(reverse("account-settings"), {"receives_reminders": "on"})
    assert Membership.objects.get(user__username="anbien").receives_reminders


# The settings page -------------------------------------------------------------------------------


def test_the_settings_page_needs_sign_in():
    url = reverse("account-settings")
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", [*PERSONAS, "camau"])
def test_every_person_reaches_their_settings_from_the_menu(persona):
    home = client_for(persona).get(reverse("home")).text
    assert reverse("account-settings") in home
    page = client_for(persona).get(reverse("account-settings"))
    assert page.status_code == 200 and "Cài đặt nhận thư" in page.text
    assert client_for(persona).put(reverse("account-settings")).status_code == 405


def test_a_person_changes_only_their_own_setting():
    client_for("anbien").post(reverse("account-settings"), {})
    assert Membership.objects.get(user__username="tuphap").receives_reminders


# Workflow mails ----------------------------------------------------------------------------------


def test_approval_requested_returned_and_issued(
    visit, addresses, mailoutbox, django_capture_on_commit_callbacks
):
    recorded(visit)
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    url = reverse("inspections:conclusion-detail", args=[notice.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("noivu").post(
            reverse("inspections:conclusion-submit", args=[notice.pk]),
            {"summary": "Cơ bản đầy đủ.", "signer_name": "Nguyễn Nhân", "version": notice.version},
        )
    (asked,) = _mail_to(mailoutbox, "lanhdao")
    assert asked.subject.startswith("[CCHC] Chờ duyệt: Thông báo kết luận")
    assert f"{SITE}{url}" in asked.body and f'href="{SITE}{url}"' in asked.alternatives[0].content
    assert "Kính gửi" in asked.body and "gửi lãnh đạo duyệt" in asked.body
    with django_capture_on_commit_callbacks(execute=True):
        client_for("lanhdao").post(
            reverse("inspections:conclusion-return", args=[notice.pk]),
            {"note": "Bổ sung số liệu một cửa."},
        )
    (returned,) = _mail_to(mailoutbox, "noivu")
    assert returned.subject.startswith("[CCHC] Trả lại để sửa")
    assert "Lãnh đạo đã trả lại" in returned.body and f"{SITE}{url}" in returned.body
    assert "Bổ sung số liệu một cửa." in returned.body  # the reason travels with the mail
    notice.refresh_from_db()
    services.conclusion_submit(notice=notice, summary="Cơ bản đầy đủ.", signer_name="N. Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    # The unit's people (and the author, when the history knows them) learn it is issued.
    (issued,) = _mail_to(mailoutbox, "anbien")
    assert issued.subject.startswith("[CCHC] Đã ban hành") and f"{SITE}{url}" in issued.body


def test_a_plan_returned_mails_its_author_with_the_reason(
    addresses, mailoutbox, django_capture_on_commit_callbacks
):
    from inspections.models import Plan, PlanStatus

    plan = Plan.objects.get(year=2023, number=23)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED, created_by=user("noivu"))
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(plan=plan, by=user("lanhdao"), note="Bổ sung căn cứ pháp lý.")
    (returned,) = _mail_to(mailoutbox, "noivu")
    assert "Lý do: Bổ sung căn cứ pháp lý." in returned.body
    assert f"{SITE}/plans/{plan.pk}/" in returned.body
