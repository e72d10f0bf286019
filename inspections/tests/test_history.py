"""History: every change to the round's records is kept with who and when, shown to Home Affairs
staff and administrators on each object's page (field labels in Vietnamese, old → new), hidden
from everyone else, at a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.history import plan_history
from inspections.models import Minutes, Plan, PlanItem, Submission
from inspections.tests.factories import seed, user
from inspections.tests.test_remediation import issue_notice, recommend
from inspections.tests.test_uploads import pdf_bytes
from inspections.tests.test_views import draft
from units.templatetags.people import person_name

pytestmark = pytest.mark.django_db

TRACKED = [
    "Plan", "PlanItem", "PlanTarget", "PlanTeamAgency", "PlanBasis", "Team", "TeamMember",
    "TeamTarget", "Visit", "Minutes", "Finding", "Recommendation", "ConclusionNotice",
    "ResultsReport", "Outline", "Submission", "RemediationReport", "Verification",
]  # fmt: skip
SECTION = "Lịch sử thay đổi"
# The section opened in a browser with script: htmx asks for its list alone.
HTMX = {"HX-Request": "true", "HX-Target": "history-entries"}
SESSION_OVERHEAD = 3


def opened(client, url: str) -> str:
    """The page with its history section open, as its link without script asks for it."""
    return client.get(url, {"history": 1}).text


def changed(label: str, old: str, new: str) -> str:
    """A change as the history section shows it."""
    return f'{label}: <span class="text-body-secondary">{old}</span> → {new}'


@pytest.mark.parametrize("name", TRACKED)
def test_the_round_records_are_tracked(name):
    model = apps.get_model("inspections", name)
    assert model.history.model.__name__ == f"Historical{name}"


def _plan_data(client, plan) -> dict:
    form = client.get(reverse("inspections:plan-edit", args=[plan.pk])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_an_edit_is_recorded_with_who_and_what_and_shown_to_staff():
    plan = draft()
    staff = client_for("noivu")
    data = _plan_data(staff, plan)
    staff.post(reverse("inspections:plan-edit", args=[plan.pk]), {**data, "place": "Long Xuyên"})
    last = plan.history.first()
    assert (last.history_type, last.history_user.username) == ("~", "noivu")
    page = opened(staff, reverse("inspections:plan-detail", args=[plan.pk]))
    assert SECTION in page
    assert changed("Địa danh", "An Giang", "Long Xuyên") in page
    assert person_name(user("noivu")) in page


def test_workflow_steps_through_update_fields_are_recorded():
    plan = draft()
    plan.signer_name = "Nguyễn Thanh Nhân"
    plan.save()
    services.plan_targets_add(plan=plan, agencies=[plan.issuer])
    client_for("noivu").post(reverse("inspections:plan-submit", args=[plan.pk]))
    submitted = Plan.history.filter(id=plan.pk).first()
    assert (submitted.status, submitted.history_user.username) == ("submitted", "noivu")
    status = next(e for e in plan_history(plan) if e.changes and e.subject.startswith("kế"))
    assert [(c.label, c.old, c.new) for c in status.changes] == [
        ("Trạng thái", "Dự thảo", "Chờ duyệt")
    ]


def test_a_deleted_item_stays_in_the_history():
    plan = draft()
    item = plan.items.get()
    client_for("noivu").post(reverse("inspections:item-delete", args=[plan.pk, item.pk]))
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    deleted = PlanItem.history.get(id=item.pk, history_type="-")
    assert deleted.heading == "MỤC ĐÍCH, YÊU CẦU" and deleted.history_user.username == "noivu"
    page = opened(client_for("noivu"), reverse("inspections:plan-detail", args=[plan.pk]))
    assert "Xóa mục của kế hoạch “MỤC ĐÍCH, YÊU CẦU”" in page


def test_a_change_without_a_request_is_the_systems():
    plan = draft()
    plan.place = "Cần Thơ"
    plan.save()
    page = opened(client_for("noivu"), reverse("inspections:plan-detail", args=[plan.pk]))
    assert "<strong>Hệ thống</strong>: Sửa kế hoạch kiểm tra" in page


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("admin", True), ("noivu", True), ("lanhdao", False), ("truongdoan", False),
     ("doanvien", False)],
)  # fmt: skip
def test_only_staff_and_administrators_see_a_plans_history(persona, sees):
    page = client_for(persona).get(reverse("inspections:plan-detail", args=[draft().pk]))
    assert page.status_code == 200 and (SECTION in page.text) == sees


def test_the_history_is_loaded_when_its_section_is_opened():
    plan = draft()
    plan.place = "Long Xuyên"
    plan.save()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    staff = client_for("noivu")
    page = staff.get(url).text
    # Closed: the section and how to open it, without script too; no entry computed.
    assert SECTION in page and "Long Xuyên</" not in page
    assert 'hx-trigger="toggle once"' in page and "?history=1#thay-doi" in page
    # Opened by htmx: the list alone.
    part = staff.get(url, headers=HTMX)
    assert part.status_code == 200 and "<html" not in part.text
    assert part.text.lstrip().startswith('<div id="history-entries">')
    assert changed("Địa danh", "An Giang", "Long Xuyên") in part.text
    assert "thay đổi, mới nhất trước" in part.text
    # Without script: the page with the section open.
    whole = staff.get(url, {"history": 1}).text
    assert "<html" in whole and "<details open>" in whole
    assert changed("Địa danh", "An Giang", "Long Xuyên") in whole


@pytest.mark.parametrize("persona", ["lanhdao", "truongdoan", "anbien"])
def test_asking_for_the_history_shows_nothing_to_whom_may_not_see_it(persona):
    """Neither the link's parameter nor htmx's headers open it: the page as usual."""
    plan = seed()
    plan.place = "Long Xuyên"
    plan.save()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    for response in (
        client_for(persona).get(url, {"history": 1}),
        client_for(persona).get(url, headers=HTMX),
    ):
        assert response.status_code == 200
        assert SECTION not in response.text and "An Giang</span>" not in response.text


@pytest.mark.parametrize("persona", ["tuphap", "anbien", "thuba"])
def test_units_never_see_history(persona):
    page = client_for(persona).get(reverse("inspections:plan-detail", args=[seed().pk]))
    assert page.status_code == 200 and SECTION not in page.text


# The visit and what follows -----------------------------------------------------------------


def test_minutes_findings_and_recommendations_on_the_visit_page(visit):
    member = client_for("doanvien")
    save = reverse("inspections:minutes-save", args=[visit.pk])
    data = {"team_attendees": "Phạm Minh Tâm", "unit_attendees": "Chủ tịch UBND huyện"}
    member.post(save, {**data, "checked": "Bộ phận một cửa", "version": 0})
    version = Minutes.objects.get(visit=visit).version
    member.post(save, {**data, "checked": "12 hồ sơ trễ hạn", "version": version})
    recommend(visit, text="Xin lỗi người dân.")
    url = reverse("inspections:visit-detail", args=[visit.pk])
    page = opened(client_for("noivu"), url)
    assert "Tạo biên bản kiểm tra" in page
    assert changed("Nội dung đã kiểm tra", "Bộ phận một cửa", "12 hồ sơ trễ hạn") in page
    assert changed("Tình trạng", "Đã lên lịch", "Đã kiểm tra") in page
    assert "Tạo kết quả kiểm tra “Tồn tại: Xin lỗi người dân.”" in page
    assert "Tạo kiến nghị “Xin lỗi người dân.”" in page
    assert SECTION not in member.get(url).text  # the team records, staff keep the history
    assert SECTION not in client_for("lanhdao").get(url).text


@pytest.mark.usefixtures("private_files")
def test_verification_and_notice_steps_are_recorded(visit):
    recommendation = recommend(visit)
    notice = issue_notice(visit.plan, visit.agency)
    services.remediation_verify(
        recommendation=recommendation, by=user("doanvien"), done=True, note="Đã xin lỗi"
    )
    page = opened(
        client_for("noivu"), reverse("inspections:recommendation-detail", args=[recommendation.pk])
    )
    assert changed("Tình trạng khắc phục", "Đang khắc phục", "Đã khắc phục") in page
    assert (
        SECTION
        not in client_for("anbien")
        .get(reverse("inspections:recommendation-detail", args=[recommendation.pk]))
        .text
    )
    url = reverse("inspections:conclusion-detail", args=[notice.pk])
    text = opened(client_for("noivu"), url)
    assert changed("Trạng thái", "Chờ duyệt", "Đã duyệt") in text
    leader = person_name(user("lanhdao"))
    assert changed("Người duyệt", "—", leader) in text
    assert changed("Số", "—", "1") in text
    assert SECTION not in client_for("anbien").get(url).text


def test_team_changes_on_the_team_page(team):
    staff = client_for("noivu")
    edit = reverse("inspections:team-edit", args=[team.plan.pk, team.pk])
    staff.post(edit, {"name": "Đoàn số 1", "tasks": "Kiểm tra", "decision_symbol": "QĐ-UBND",
                      "version": team.version})  # fmt: skip
    page = opened(staff, reverse("inspections:team-detail", args=[team.plan.pk, team.pk]))
    assert changed("Tên đoàn", "Đoàn kiểm tra số 1", "Đoàn số 1") in page
    assert "Tạo thành viên đoàn “Phạm Minh Tâm”" in page
    assert "Tạo đối tượng của đoàn “Ủy ban nhân dân huyện An Biên”" in page


PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed


@pytest.mark.usefixtures("private_files")
def test_a_review_of_a_submission_is_recorded(sent):
    request = sent.plan.requests.get(agency__members__user__username="anbien")
    total, done = sent.fields.order_by("order")[:2]
    client_for("anbien").post(
        reverse("requests:submission-create", args=[request.pk]),
        {"deliverable": "report", f"f{total.pk}": 10, f"f{done.pk}": 5,
         "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")},
    )  # fmt: skip
    submission = Submission.objects.get(request=request)
    client_for("noivu").post(
        reverse("requests:submission-return", args=[request.pk, submission.pk]),
        {"comment": "Bổ sung số liệu"},
    )
    url = reverse("requests:request-detail", args=[request.pk])
    page = opened(client_for("noivu"), url)
    assert changed("Tình trạng", "Đã nộp, chờ xem xét", "Trả lại để bổ sung") in page
    assert changed("Người xem xét", "—", person_name(user("noivu"))) in page
    assert SECTION not in client_for("anbien").get(url).text


# Cost ---------------------------------------------------------------------------------------


def _queries(persona: str, url: str, *, htmx: bool = False) -> int:
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=HTMX if htmx else {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("edits", [1, 8])
def test_a_plans_history_costs_the_same_however_long(edits):
    plan = draft()
    for i in range(edits):
        plan.place = f"Nơi {i}"
        plan.save()
        PlanItem.objects.create(plan=plan, heading=f"Mục {i}")
    url = reverse("inspections:plan-detail", args=[plan.pk])
    # session, user, membership, lineage, plan, the targets' section counts (with their total:
    # the page's count), team, items, targets, the draft's warnings (targets, items), bases,
    # transitions; the history is loaded when its section is opened
    assert _queries("noivu", url) == 13 + SESSION_OVERHEAD
    # Opened: plan, items, targets, team agencies, bases (5)
    assert _queries("noivu", url + "?history=1") == 18 + SESSION_OVERHEAD
    # session, user, membership, lineage, plan (the page's access) and the five
    assert _queries("noivu", url, htmx=True) == 10 + SESSION_OVERHEAD
    # A leader does not see the history.
    assert _queries("lanhdao", url) == 13 + SESSION_OVERHEAD


@pytest.mark.parametrize("extra", [1, 6])
def test_a_visits_history_costs_the_same_however_long(visit, extra):
    member = get_user_model().objects.get(username="doanvien")
    services.minutes_save(visit=visit, by=member, team_attendees="A", unit_attendees="B",
                          checked="C")  # fmt: skip
    for i in range(extra):
        services.minutes_save(visit=visit, by=member, team_attendees="A", unit_attendees="B",
                              checked=f"C {i}")  # fmt: skip
        recommend(visit, text=f"Kiến nghị {i}")
    url = reverse("inspections:visit-detail", args=[visit.pk])
    # As the team member's page (test_visit_views.test_visit_page_query_count: 18) but staff
    # need no team-membership query (17); the history closed
    assert _queries("noivu", url) == 17 + SESSION_OVERHEAD
    # Opened: visit, minutes, findings, recommendations (4)
    assert _queries("noivu", url + "?history=1") == 21 + SESSION_OVERHEAD


@pytest.mark.parametrize("steps", [1, 3])
@pytest.mark.usefixtures("private_files")
def test_a_recommendations_history_costs_one_query(visit, steps):
    recommendation = recommend(visit)
    issue_notice(visit.plan, visit.agency)
    for _ in range(steps):
        services.remediation_verify(
            recommendation=recommendation, by=user("doanvien"), done=False, note="Chưa đủ"
        )
    url = reverse("inspections:recommendation-detail", args=[recommendation.pk])
    # session, user, membership, lineage, recommendation, reports (none, so no files),
    # verifications; staff need no team-membership query; the history closed
    assert _queries("noivu", url) == 7 + SESSION_OVERHEAD
    # Opened: its history (1)
    assert _queries("noivu", url + "?history=1") == 8 + SESSION_OVERHEAD


def test_times_are_shown_in_local_time():
    """The dates shown are local (Asia/Ho_Chi_Minh)."""
    plan = draft()
    row = plan.history.get()
    row.history_date = datetime.datetime(2026, 1, 5, 1, 30, tzinfo=datetime.UTC)
    row.save()
    page = opened(client_for("noivu"), reverse("inspections:plan-detail", args=[plan.pk]))
    assert "05/01/2026 08:30" in page
