"""Plan pages: permission matrix, builder actions, bad input, pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import AG_2026, OUTSIDER, PERSONAS, client_for
from inspections import services
from inspections.models import Plan, PlanItem, PlanStatus, PlanTarget
from units.models import Agency
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db

READERS = ("admin", "noivu", "lanhdao", "truongdoan", "doanvien")
REPORTERS = ("tuphap", "anbien", "thuba")


def seed() -> Plan:
    return Plan.objects.get(number=23, year=2023)


def draft() -> Plan:
    plan = services.plan_create(
        by=get_user_model().objects.get(username="noivu"),
        issuer=agency_by_ref("91/UBND", AG_2026),
        year=2026,
        place="An Giang",
        document_date=AG_2026,
        summary="Kiểm tra công tác cải cách hành chính năm 2026",
    )
    PlanItem.objects.create(plan=plan, heading="MỤC ĐÍCH, YÊU CẦU")
    return plan


# Reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["detail", "pdf", "docx"])
def test_everyone_of_the_province_reads_the_issued_plan(persona, page):
    url = {
        "detail": reverse("inspections:plan-detail", args=[seed().pk]),
        "pdf": reverse("reports:plan-pdf", args=[seed().pk]),
        "docx": reverse("reports:plan-docx", args=[seed().pk]),
    }[page]
    assert client_for(persona).get(url).status_code == 200


@pytest.mark.parametrize("persona", READERS)
def test_staff_leaders_and_team_read_drafts(persona):
    assert (
        client_for(persona).get(reverse("inspections:plan-detail", args=[draft().pk])).status_code
        == 200
    )


@pytest.mark.parametrize("persona", REPORTERS)
def test_reporters_cannot_see_drafts(persona):
    plan = draft()
    client = client_for(persona)
    assert client.get(reverse("inspections:plan-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("reports:plan-pdf", args=[plan.pk])).status_code == 404
    listed = client.get(reverse("inspections:plan-list")).context["page"]
    assert [p.pk for p in listed] == [seed().pk]


@pytest.mark.parametrize(
    "url", ["inspections:plan-detail", "reports:plan-pdf", "reports:plan-docx"]
)
def test_another_province_gets_404(url):
    assert client_for(OUTSIDER).get(reverse(url, args=[seed().pk])).status_code == 404
    assert list(client_for(OUTSIDER).get(reverse("inspections:plan-list")).context["page"]) == []


@pytest.mark.parametrize(
    "url", ["inspections:plan-list", "inspections:plan-create", "inspections:legal-documents"]
)
def test_anonymous_goes_to_login(url):
    response = client_for(None).get(reverse(url))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_anonymous_cannot_fetch_the_document():
    response = client_for(None).get(reverse("reports:plan-pdf", args=[seed().pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["inspections:plan-detail", "reports:plan-pdf"])
def test_pages_refuse_post(url):
    assert client_for("noivu").post(reverse(url, args=[seed().pk])).status_code == 405


# Changing -----------------------------------------------------------------------------------

STAFF_ACTIONS = [
    ("inspections:plan-edit", "get"),
    ("inspections:item-create", "get"),
    ("inspections:targets-add", "get"),
    ("inspections:plan-submit", "post"),
    ("inspections:plan-copy", "get"),
]


@pytest.mark.parametrize(("name", "method"), STAFF_ACTIONS)
@pytest.mark.parametrize("persona", ["lanhdao", "truongdoan", "doanvien"])
def test_only_staff_build_plans(name, method, persona):
    response = getattr(client_for(persona), method)(reverse(name, args=[draft().pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "method"), STAFF_ACTIONS)
def test_reporters_get_404_on_drafts_and_403_on_issued_plans(name, method):
    client = client_for("anbien")
    assert getattr(client, method)(reverse(name, args=[draft().pk])).status_code == 404
    assert getattr(client, method)(reverse(name, args=[seed().pk])).status_code == 403


@pytest.mark.parametrize("persona", ["noivu", "truongdoan", "tuphap"])
@pytest.mark.parametrize("name", ["inspections:plan-approve", "inspections:plan-return"])
def test_only_leaders_decide(persona, name):
    plan = draft()
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    expected = 404 if persona == "tuphap" else 403
    assert client_for(persona).post(reverse(name, args=[plan.pk])).status_code == expected
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_plan_create_and_edit_by_staff():
    client = client_for("noivu")
    issuer = agency_by_ref("91/UBND", AG_2026)
    data = {
        "issuer": issuer.pk,
        "year": 2026,
        "symbol": "KH-UBND",
        "place": "An Giang",
        "document_date": "2026-03-02",
        "summary": "Kiểm tra công tác cải cách hành chính năm 2026",
        "self_inspection_threshold": "50",
        "archive_copies": 1,
        "team": [agency_by_ref("91/SNV", AG_2026).pk, agency_by_ref("91/STP", AG_2026).pk],
    }
    response = client.post(reverse("inspections:plan-create"), data)
    plan = Plan.objects.get(year=2026, summary=data["summary"])
    assert response.status_code == 302
    assert plan.status == PlanStatus.DRAFT and plan.self_inspection_threshold == 50
    assert [t.agency.code for t in plan.team_agencies.all()] == ["SNV", "STP"]
    response = client.post(
        reverse("inspections:plan-edit", args=[plan.pk]),
        {**data, "place": "Long Xuyên", "version": plan.version},
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).place == "Long Xuyên"


def test_bad_plan_input_is_explained_and_changes_nothing():
    plan = draft()
    client = client_for("noivu")
    data = {
        "issuer": agency_by_ref("91/UBND", datetime.date(2023, 1, 1)).pk,  # Kiên Giang, ended
        "year": 2026,
        "symbol": "KH-UBND",
        "place": "An Giang",
        "document_date": "2026-03-02",
        "summary": "x",
        "self_inspection_threshold": "120",
        "archive_copies": 1,
        "preamble": "Theo [ngày lạ]",
    }
    response = client.post(reverse("inspections:plan-edit", args=[plan.pk]), data)
    assert response.status_code == 200
    text = response.text
    assert "không còn hiệu lực ngày 02/03/2026" in text
    assert "Tỷ lệ tự kiểm tra phải từ 0 đến 100%" in text or "nhỏ hơn hoặc bằng 100" in text
    assert "Không có giá trị nào tên [ngày lạ]" in text
    assert Plan.objects.get(pk=plan.pk).place == "An Giang"


def test_editing_an_issued_plan_says_why_not():
    response = client_for("noivu").get(
        reverse("inspections:plan-edit", args=[seed().pk]), follow=True
    )
    assert "không sửa được" in response.text


def test_add_several_targets_at_once_and_refusal_changes_nothing():
    plan = draft()
    url = reverse("inspections:targets-add", args=[plan.pk])
    client = client_for("noivu")
    listing = client.get(url, {"q": "tu phap"})
    assert "Sở Tư pháp" in listing.text
    justice, health = agency_by_ref("91/STP", AG_2026), agency_by_ref("91/SYT", AG_2026)
    ok = client.post(
        url,
        {
            "agencies": [justice.pk, health.pk],
            "kind": "inspection",
            "mode": "on_site",
            "announced": "on",
        },
    )
    assert ok.status_code == 302
    assert plan.targets.count() == 2
    district = agency_by_ref("908/UBND", datetime.date(2023, 1, 1))
    refused = client.post(
        url,
        {
            "agencies": [district.pk, agency_by_ref("91/SCT", AG_2026).pk],
            "kind": "inspection",
            "mode": "on_site",
        },
        follow=True,
    )
    assert "Năm 2026 không còn cấp huyện" in refused.text
    assert plan.targets.count() == 2
    empty = client.post(url, {"kind": "inspection", "mode": "on_site"})
    assert "Chưa chọn đơn vị nào" in empty.text


def test_workflow_through_the_pages():
    plan = draft()
    services.plan_targets_add(plan=plan, agencies=[agency_by_ref("91/STP", AG_2026)])
    plan.signer_name = "Nguyễn Văn A"
    plan.save()
    client_for("noivu").post(reverse("inspections:plan-submit", args=[plan.pk]))
    client_for("lanhdao").post(
        reverse("inspections:plan-approve", args=[plan.pk]), {"note": "Đồng ý"}
    )
    response = client_for("noivu").post(
        reverse("inspections:plan-issue", args=[plan.pk]),
        {"document_date": "2026-03-05"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.number == 1
    assert "Đã ban hành kế hoạch số 01/KH-UBND" in response.text
    timeline = response.text
    assert "Chờ duyệt → Đã duyệt" in timeline and "Đồng ý" in timeline


def test_submit_refused_shows_every_reason():
    plan = draft()
    response = client_for("noivu").post(
        reverse("inspections:plan-submit", args=[plan.pk]), follow=True
    )
    assert "chưa có đối tượng kiểm tra" in response.text
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_copy_page_reports_replacements():
    response = client_for("noivu").post(
        reverse("inspections:plan-copy", args=[seed().pk]),
        {"year": 2026, "document_date": "2026-02-01"},
        follow=True,
    )
    assert "Đã tạo dự thảo từ kế hoạch 23/KH-UBND" in response.text
    assert "Sở Nội vụ tỉnh Kiên Giang → Sở Nội vụ tỉnh An Giang" in response.text


def test_legal_document_library():
    client = client_for("noivu")
    response = client.post(
        reverse("inspections:legal-documents"),
        {
            "kind": "ke_hoach",
            "number": "15",
            "symbol": "KH-UBND",
            "issued_on": "2026-01-10",
            "issuer_name": "Ủy ban nhân dân tỉnh",
            "title": "về công tác CCHC năm 2026",
        },
    )
    assert response.status_code == 302
    again = client.post(
        reverse("inspections:legal-documents"),
        {
            "kind": "ke_hoach",
            "number": "15",
            "symbol": "KH-UBND",
            "issued_on": "2026-01-10",
            "issuer_name": "x",
            "title": "y",
        },
    )
    assert "đã có trong thư viện" in again.text
    assert client_for("anbien").get(reverse("inspections:legal-documents")).status_code == 403
    assert client_for("lanhdao").post(reverse("inspections:legal-documents"), {}).status_code == 403


# Query counts -------------------------------------------------------------------------------

SESSION_OVERHEAD = 3  # the session refresh of every signed-in request


def _queries(url) -> int:
    client = client_for("noivu")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_plans(n):
    for _ in range(n):
        draft()


@pytest.mark.parametrize("extra", [0, 30])
def test_plan_list_query_count(extra):
    _more_plans(extra)
    # session, user, membership, lineage, count, counts per status, page (with target counts)
    assert _queries(reverse("inspections:plan-list")) == 7 + SESSION_OVERHEAD


def _more_targets(plan, n):
    agencies = Agency.objects.valid_on(plan.document_date).filter(unit__level="commune")[:n]
    for i, agency in enumerate(agencies):
        PlanTarget.objects.create(plan=plan, agency=agency, kind="inspection", order=100 + i)


@pytest.mark.parametrize("extra", [0, 40])
def test_plan_detail_query_count(extra, settings):
    settings.PAGE_SIZE = 10  # the larger plan spans pages
    plan = seed()
    _more_targets(plan, extra)
    # session, user, membership, lineage, plan; the targets' section: the count of each section
    # (and their total: the page count), the page's keys, the page, its areas; team, items, the
    # unannounced targets (not printed; the text's lists of targets are loaded on demand), bases,
    # transitions, the files kept at issue, the amendments; the history is loaded on demand
    page = reverse("inspections:plan-detail", args=[plan.pk])
    assert _queries(page) == 16 + SESSION_OVERHEAD
    # Opened (history.plan_history): the plan's, its items', targets', team agencies', cited
    # documents' (5)
    assert _queries(page + "?history=1") == 21 + SESSION_OVERHEAD


@pytest.mark.parametrize("extra", [0, 40])
def test_plan_pdf_query_count(extra, private_files):
    plan = seed()
    _more_targets(plan, extra)
    draft_plan = draft()
    _more_targets(draft_plan, extra)
    # A draft is rendered: session, user, membership, lineage, plan (access), plan (document),
    # items, targets, team agencies
    assert _queries(reverse("reports:plan-pdf", args=[draft_plan.pk])) == 9 + SESSION_OVERHEAD
    # The issued plan is rendered once, at its first download here (loaded without its files),
    # then served from the kept files: session, user, membership, lineage, plan (access), kept
    # files, its latest signed version (signing app; none here)
    _queries(reverse("reports:plan-pdf", args=[plan.pk]))
    assert _queries(reverse("reports:plan-pdf", args=[plan.pk])) == 7 + SESSION_OVERHEAD
