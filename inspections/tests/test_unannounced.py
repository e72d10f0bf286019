"""Unannounced (đột xuất) targets stay secret until the day their visit starts.

Sở Tư pháp, a target of the seed plan given to Đoàn kiểm tra số 1 (led by doanvien), is made
unannounced. Its unit's reporter (tuphap), and every other reporter, learn nothing of it — not
on the plan page, the plan list's count, the target export, the plan document, the schedule
notice, the calendar or the iCalendar feed, nor through a self-inspection request — until a
visit of it is dated today in Vietnam. Staff, leaders and its team see it; the results report
counts it.
"""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import CalendarFeed, PlanTarget, ReportRequest, TeamRole, Visit
from inspections.tests.factories import SENT_ON, schedule, seed, target, user

pytestmark = pytest.mark.django_db

NAME = "Sở Tư pháp"


@pytest.fixture
def secret(team) -> PlanTarget:
    """Sở Tư pháp, unannounced, with a visit tomorrow (Vietnam's date)."""
    stp = target("91/STP")
    stp.announced = False
    stp.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    schedule(team, "91/STP", tomorrow)  # the visit itself says "announced": the target decides
    schedule(team, "908/UBND", tomorrow)
    return stp


def on_the_day(stp: PlanTarget) -> None:
    Visit.objects.filter(target=stp).update(date=timezone.localdate())


def seen(name: str) -> set[str]:
    visible = PlanTarget.objects.visible_to(user(name)).filter(plan=seed())
    return set(visible.values_list("agency__name", flat=True))


def listed(text: str) -> str:
    """The province-level line of the plan document's target list."""
    start = text.index("Các Sở, ngành:")
    return " ".join(text[start : text.index("- Cấp huyện", start)].split())


def _pdf(response) -> str:
    assert response.status_code == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_one_rule_who_sees_the_target(secret):
    assert NAME in seen("noivu") and NAME in seen("lanhdao") and NAME in seen("admin")
    assert NAME in seen("doanvien")  # its team
    assert NAME not in seen("truongdoan")  # a team member, not of its team
    assert NAME not in seen("tuphap") and NAME not in seen("anbien")
    assert "Ủy ban nhân dân huyện An Biên" in seen("tuphap")  # announced ones stay
    assert seen("camau") == set()
    on_the_day(secret)
    assert NAME in seen("tuphap") and NAME in seen("anbien") and NAME in seen("truongdoan")


def test_a_team_of_several_members_repeats_no_target(secret, team):
    services.team_member_add(
        team=team, user=user("truongdoan"), full_name="Lê Văn Hai",
        agency=target("91/STP").agency, role=TeamRole.MEMBER,
    )  # fmt: skip
    total = seed().targets.count()
    for name in ("doanvien", "truongdoan"):
        visible = PlanTarget.objects.visible_to(user(name)).filter(plan=seed())
        assert visible.count() == total and NAME in seen(name)
        page = client_for(name).get(reverse("inspections:plan-list")).context["page"]
        assert [p.target_count for p in page if p.pk == seed().pk] == [total]


def test_a_cancelled_visit_reveals_nothing(secret):
    Visit.objects.filter(target=secret).update(date=timezone.localdate(), status="cancelled")
    assert NAME not in seen("tuphap")


def test_the_day_is_vietnams(secret, monkeypatch):
    """At 23:30 UTC on the eve the visit day has begun in Vietnam (06:30, UTC+7)."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    eve = datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=datetime.UTC)
    eve -= datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: eve)
    assert NAME in seen("tuphap")
    monkeypatch.setattr(timezone, "now", lambda: eve - datetime.timedelta(hours=8))
    assert NAME not in seen("tuphap")


def test_plan_page_list_and_export_hide_it_from_units(secret):
    plan = seed()
    detail = reverse("inspections:plan-detail", args=[plan.pk])
    staff_page = client_for("noivu").get(detail)
    assert [t for t in staff_page.context["rows"] if t.agency.name == NAME]
    assert staff_page.context["unprinted"] == 1
    assert "không in trong văn bản kế hoạch" in staff_page.text
    for reporter in ("tuphap", "anbien"):
        page = client_for(reporter).get(detail)
        listed = page.context["rows"]
        assert NAME not in {t.agency.name for t in listed}
        assert page.context["unprinted"] == 0
    total = plan.targets.count()
    lists = {
        name: client_for(name).get(reverse("inspections:plan-list")).context["page"]
        for name in ("noivu", "tuphap")
    }
    assert [p.target_count for p in lists["noivu"] if p.pk == plan.pk] == [total]
    assert [p.target_count for p in lists["tuphap"] if p.pk == plan.pk] == [total - 1]
    export = reverse("reports:target-export", args=[plan.pk, "csv"])
    assert NAME in client_for("noivu").get(export).content.decode()
    assert NAME not in client_for("tuphap").get(export).content.decode()
    on_the_day(secret)
    assert NAME in client_for("tuphap").get(export).content.decode()
    assert NAME in {t.agency.name for t in client_for("tuphap").get(detail).context["rows"]}


def test_the_plan_document_never_prints_it(secret):
    plan = seed()
    url = reverse("reports:plan-pdf", args=[plan.pk])
    assert listed(_pdf(client_for("noivu").get(url))) == (
        "Các Sở, ngành: Ngoại vụ, Văn hóa và Thể thao, Giáo dục và Đào tạo, Kế hoạch và Đầu tư, "
        "Lao động - Thương binh và Xã hội, Giao thông vận tải, Thanh tra tỉnh."
    )
    on_the_day(secret)  # the document never changes, even once the visit has started
    assert "Tư pháp" not in listed(_pdf(client_for("tuphap").get(url)))
    word = client_for("tuphap").get(reverse("reports:plan-docx", args=[seed().pk]))
    lines = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert [line for line in lines if "Các Sở, ngành:" in line]
    assert not [line for line in lines if "Các Sở, ngành:" in line and "Tư pháp" in line]
    # Announced again, the issued file stays as issued; a new rendering prints it as the seed.
    kept = client_for("noivu").get(url).content
    PlanTarget.objects.filter(pk=secret.pk).update(announced=True)
    assert client_for("noivu").get(url).content == kept
    from reports.plan_document import plan_document, plan_for_document
    from reports.rendering import render_pdf

    fresh = render_pdf(plan_document(plan_for_document(plan.pk)))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fresh)).pages)
    assert "Ngoại vụ, Tư pháp, Văn hóa" in listed(text)


def test_the_schedule_notice_leaves_out_every_visit_of_it(secret, team):
    url = reverse("reports:schedule-notice", args=[team.plan.pk, team.pk, "pdf"])
    text = _pdf(client_for("noivu").get(url))
    assert "Ủy ban nhân dân huyện An Biên" in text
    assert NAME not in text


def test_calendar_and_feed_show_it_only_on_the_day(secret):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = client_for("tuphap")
    calendar = reverse("inspections:my-visits")
    assert NAME not in client.get(calendar, {"date": tomorrow.isoformat()}).text
    client.post(reverse("inspections:calendar-feed"))
    feed = reverse(
        "reports:visits-calendar", args=[CalendarFeed.objects.get(user=user("tuphap")).token]
    )
    assert "BEGIN:VEVENT" not in client_for(None).get(feed).content.decode()
    # The team and the staff see it in advance.
    assert NAME in client_for("doanvien").get(calendar, {"date": tomorrow.isoformat()}).text
    schedule_page = client_for("noivu").get(reverse("inspections:schedule", args=[seed().pk]))
    assert NAME in schedule_page.text
    on_the_day(secret)
    assert NAME in client.get(calendar).text
    assert client_for(None).get(feed).content.decode().count("BEGIN:VEVENT") == 1


def test_a_team_page_shows_it_to_its_team_only(secret, team):
    url = reverse("inspections:team-detail", args=[team.plan.pk, team.pk])
    assert NAME in client_for("doanvien").get(url).text
    assert NAME in client_for("noivu").get(url).text
    assert NAME not in client_for("truongdoan").get(url).text


def test_another_teams_member_cannot_open_its_communes(team):
    an_bien = target("908/UBND")
    PlanTarget.objects.filter(pk=an_bien.pk).update(announced=False)
    url = reverse("inspections:communes", args=[seed().pk, an_bien.pk])
    assert client_for("doanvien").get(url).status_code == 200  # its team
    assert client_for("noivu").get(url).status_code == 200
    assert client_for("truongdoan").get(url).status_code == 404


def test_no_self_inspection_request_unless_staff_ask(secret, outline):
    plan = seed()
    send = reverse("inspections:outline-send", args=[plan.pk])
    form = client_for("noivu").get(reverse("inspections:outline-edit", args=[plan.pk]))
    assert 'name="include_unannounced"' in form.text
    assert client_for("noivu").post(send, {"document_date": "10/08/2023"}).status_code == 302
    assert not ReportRequest.objects.filter(plan=plan, agency=secret.agency).exists()
    assert ReportRequest.objects.filter(plan=plan, agency=target("908/UBND").agency).exists()
    # Not as one of "the other units" either, when the outline also asks them.
    outline.include_non_targets = True
    outline.save()
    services.outline_send(outline=outline, by=user("noivu"), day=SENT_ON)
    assert not ReportRequest.objects.filter(plan=plan, agency=secret.agency).exists()
    client_for("noivu").post(send, {"include_unannounced": "on"})
    request = ReportRequest.objects.get(plan=plan, agency=secret.agency)
    assert request.is_target and request.deadline == outline.target_deadline


def test_the_results_report_counts_it(secret):
    results = services.round_results(seed())
    assert NAME in {r.target.agency.name for r in results.targets}
