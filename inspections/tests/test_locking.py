"""Optimistic locking: two people open the same edit form, both save; the first save stands and
the second is refused with a message naming who changed it and when, and changes nothing. The
normal path (load, save, load again, save) keeps working."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from cchc.test import AG_2026, client_for
from inspections import services
from inspections.locking import StaleEdit, claim
from inspections.models import ConclusionNotice, Minutes, Plan, PlanItem, ResultsReport, Team
from inspections.tests.factories import seed, user
from inspections.tests.test_remediation import recommend
from inspections.tests.test_views import draft
from units.services import agency_by_ref
from units.templatetags.people import person_name

pytestmark = pytest.mark.django_db

REFUSED = "tải lại trang để xem thay đổi rồi sửa lại"


def version_on(page) -> int:
    """The version the page's edit form was loaded with (its hidden field)."""
    assert page.status_code == 200
    versions = re.findall(r'name="version" value="(\d+)"', page.text)
    assert len(versions) == 1, versions
    return int(versions[0])


def refused_by(response, username: str) -> bool:
    """The response says the object was changed by `username`, and how to go on."""
    return f"Người khác ({person_name(user(username))}) đã sửa" in response.text and (
        REFUSED in response.text
    )


# The mechanism ------------------------------------------------------------------------------


def test_two_claims_of_the_same_version_one_wins():
    plan = draft()
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)
    claim(first, 0)
    with pytest.raises(StaleEdit):
        claim(second, 0)
    assert Plan.objects.get(pk=plan.pk).version == first.version == 1


def test_a_new_object_is_created_at_version_one():
    item = PlanItem(plan=draft(), heading="II. NỘI DUNG")
    claim(item, 0)
    item.save()
    assert item.version == 1
    with pytest.raises(StaleEdit):
        claim(PlanItem(plan=item.plan), 3)  # a form that saw an object which is not there


def test_an_admin_change_makes_forms_opened_before_it_stale():
    plan = draft()
    request = RequestFactory().post("/admin/")
    request.user = user("admin")
    plan.place = "Cần Thơ"
    admin.site._registry[Plan].save_model(request, plan, form=None, change=True)
    with pytest.raises(StaleEdit):
        claim(Plan.objects.get(pk=plan.pk), 0)
    assert plan.history.first().history_user.username == "admin"


# Plan builder -------------------------------------------------------------------------------


def _plan_data(page) -> dict:
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_plan_edit_second_save_is_refused():
    plan = draft()
    url = reverse("inspections:plan-edit", args=[plan.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    alice_page, bob_page = alice.get(url), bob.get(url)
    assert version_on(alice_page) == version_on(bob_page) == 0
    saved = alice.post(url, {**_plan_data(alice_page), "place": "Long Xuyên"})
    assert saved.status_code == 302
    refused = bob.post(url, {**_plan_data(bob_page), "place": "Châu Đốc"})
    assert refused.status_code == 200 and refused_by(refused, "noivu")
    assert Plan.objects.get(pk=plan.pk).place == "Long Xuyên"
    # Bob's text is still in the form, to copy before reloading.
    assert 'value="Châu Đốc"' in refused.text


def test_plan_edit_after_reloading_saves():
    plan = draft()
    url = reverse("inspections:plan-edit", args=[plan.pk])
    client = client_for("noivu")
    for place in ("Long Xuyên", "Châu Đốc", "Rạch Giá"):
        page = client.get(url)
        assert client.post(url, {**_plan_data(page), "place": place}).status_code == 302
    plan.refresh_from_db()
    assert (plan.place, plan.version) == ("Rạch Giá", 3)


def test_a_form_without_its_version_is_refused():
    plan = draft()
    url = reverse("inspections:plan-edit", args=[plan.pk])
    client = client_for("noivu")
    data = _plan_data(client.get(url))
    del data["version"]
    response = client.post(url, {**data, "place": "Long Xuyên"})
    assert response.status_code == 200 and "Trang này đã cũ" in response.text
    assert Plan.objects.get(pk=plan.pk).place == "An Giang"


def test_plan_item_second_save_is_refused():
    plan = draft()
    item = plan.items.get()
    url = reverse("inspections:item-edit", args=[plan.pk, item.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    v_alice, v_bob = version_on(alice.get(url)), version_on(bob.get(url))
    saved = alice.post(url, {"heading": "I. MỤC ĐÍCH", "order": 1, "version": v_alice})
    assert saved.status_code == 302
    refused = bob.post(url, {"heading": "I. YÊU CẦU", "order": 1, "version": v_bob})
    assert refused_by(refused, "noivu")
    assert PlanItem.objects.get(pk=item.pk).heading == "I. MỤC ĐÍCH"


def test_a_new_item_needs_no_version():
    plan = draft()
    url = reverse("inspections:item-create", args=[plan.pk])
    client = client_for("noivu")
    assert version_on(client.get(url)) == 0
    assert client.post(url, {"heading": "II. NỘI DUNG", "order": 2}).status_code == 302
    assert plan.items.filter(heading="II. NỘI DUNG", version=1).exists()


def test_target_second_save_is_refused():
    plan = draft()
    (target,) = services.plan_targets_add(plan=plan, agencies=[agency_by_ref("91/STP", AG_2026)])
    url = reverse("inspections:target-edit", args=[plan.pk, target.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    v_alice, v_bob = version_on(alice.get(url)), version_on(bob.get(url))
    common = {"kind": "inspection", "mode": "on_site", "announced": "on", "order": 1}
    alice.post(url, {**common, "reason": "Nhiều hồ sơ trễ hạn", "version": v_alice})
    refused = bob.post(url, {**common, "reason": "Theo đề nghị", "version": v_bob})
    assert refused_by(refused, "noivu")
    target.refresh_from_db()
    assert target.reason == "Nhiều hồ sơ trễ hạn"


# Team, minutes ------------------------------------------------------------------------------


def test_team_second_save_is_refused(team):
    url = reverse("inspections:team-detail", args=[team.plan.pk, team.pk])
    edit = reverse("inspections:team-edit", args=[team.plan.pk, team.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    v_alice, v_bob = version_on(alice.get(url)), version_on(bob.get(url))
    data = {"tasks": "Kiểm tra", "decision_symbol": "QĐ-UBND", "signer_name": "Lâm Minh Thành"}
    alice.post(edit, {**data, "name": "Đoàn số 1", "version": v_alice})
    refused = bob.post(edit, {**data, "name": "Đoàn thứ nhất", "version": v_bob}, follow=True)
    assert refused_by(refused, "noivu")
    assert Team.objects.get(pk=team.pk).name == "Đoàn số 1"


MINUTES = {"team_attendees": "Phạm Minh Tâm", "unit_attendees": "Chủ tịch UBND huyện"}


def test_minutes_second_save_is_refused(visit):
    page = reverse("inspections:visit-detail", args=[visit.pk])
    save = reverse("inspections:minutes-save", args=[visit.pk])
    alice, bob = client_for("doanvien"), client_for("noivu")
    # Both open the page before any minutes exist.
    v_alice, v_bob = version_on(alice.get(page)), version_on(bob.get(page))
    assert v_alice == v_bob == 0
    alice.post(save, {**MINUTES, "checked": "Bộ phận một cửa", "version": v_alice})
    refused = bob.post(save, {**MINUTES, "checked": "Hồ sơ trễ hạn", "version": v_bob}, follow=True)
    assert refused_by(refused, "doanvien")
    assert Minutes.objects.get(visit=visit).checked == "Bộ phận một cửa"
    # Reloaded, Bob corrects them.
    again = bob.post(
        save, {**MINUTES, "checked": "Hồ sơ trễ hạn", "version": version_on(bob.get(page))},
        follow=True,
    )  # fmt: skip
    assert "Đã lưu biên bản" in again.text
    assert Minutes.objects.get(visit=visit).checked == "Hồ sơ trễ hạn"


# Results report, conclusion notice ----------------------------------------------------------

PROSE = {"summary": "Đã kiểm tra 2 đơn vị.", "assessment": "", "proposals": "Chỉ đạo khắc phục.",
         "signing_capacity": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
         "signer_name": "Trần Văn Bảy", "recipients": "UBND tỉnh"}  # fmt: skip


def test_results_report_second_save_is_refused():
    plan = seed()
    url = reverse("inspections:results-report", args=[plan.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    # Both open the page before the report exists; the first save creates it.
    v_alice, v_bob = version_on(alice.get(url)), version_on(bob.get(url))
    assert alice.post(url, {**PROSE, "version": v_alice}).status_code == 302
    refused = bob.post(url, {**PROSE, "summary": "Khác", "version": v_bob})
    assert refused.status_code == 200 and refused_by(refused, "noivu")
    report = ResultsReport.objects.get(plan=plan)
    assert (report.summary, report.version) == (PROSE["summary"], 1)
    page = alice.get(url)
    saved = alice.post(url, {**PROSE, "summary": "Sửa lần hai", "version": version_on(page)})
    assert saved.status_code == 302
    assert ResultsReport.objects.get(plan=plan).summary == "Sửa lần hai"


@pytest.fixture
def notice(visit):
    recommend(visit)
    return services.conclusion_prepare(plan=visit.plan, agency=visit.agency)


def test_notice_summary_written_over_a_newer_one_is_refused(notice):
    page = reverse("inspections:conclusion-detail", args=[notice.pk])
    submit = reverse("inspections:conclusion-submit", args=[notice.pk])
    alice, bob = client_for("noivu"), client_for("admin")
    v_alice, v_bob = version_on(alice.get(page)), version_on(bob.get(page))
    alice.post(submit, {"summary": "Cơ bản tốt.", "signer_name": "A", "version": v_alice})
    # A leader returns it to draft: Bob's page now looks submittable again, but is stale.
    notice.refresh_from_db()
    assert notice.status == "submitted"
    services.conclusion_decide(
        notice=notice, by=user("lanhdao"), approve=False, reason="Viết lại nhận xét chung."
    )
    refused = bob.post(
        submit, {"summary": "Còn hạn chế.", "signer_name": "B", "version": v_bob}, follow=True
    )
    assert "đã sửa thông báo kết luận kiểm tra này lúc" in refused.text and REFUSED in refused.text
    notice = ConclusionNotice.objects.get(pk=notice.pk)
    assert (notice.summary, notice.status) == ("Cơ bản tốt.", "draft")


def test_notice_submit_without_a_version_is_refused(notice):
    submit = reverse("inspections:conclusion-submit", args=[notice.pk])
    response = client_for("noivu").post(submit, {"summary": "x", "signer_name": "A"}, follow=True)
    assert "Trang này đã cũ" in response.text
    assert ConclusionNotice.objects.get(pk=notice.pk).status == "draft"
