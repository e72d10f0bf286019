"""The findings list across plans, and the new filters of the recommendation list: who sees which
findings (a unit only its own, once the conclusion notice is issued), filters, links, pinned
query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import ConclusionNotice, ContentArea, Finding, FindingKind, Severity
from inspections.tests.factories import schedule, seed, user
from inspections.tests.test_remediation import VISIT_DAY, issue_notice, recommend

pytestmark = pytest.mark.django_db
URL = reverse("inspections:finding-list")


def area(number: int) -> ContentArea:
    return ContentArea.objects.get(number=number)


def note(at, kind=FindingKind.STRENGTH, number=2, text="Ưu điểm: niêm yết đủ thủ tục."):
    """A finding at the visit `at`, in content area `number`."""
    severity = Severity.MINOR if kind == FindingKind.SHORTCOMING else ""
    return services.finding_add(
        visit=at, by=user("doanvien"), kind=kind, severity=severity, description=text,
        content_area=area(number),
    )  # fmt: skip


@pytest.fixture
def findings(team, visit):
    """An Biên district (issued notice): a shortcoming with a recommendation and a strength;
    the Department of Justice (no notice yet): a good model."""
    shortcoming = recommend(visit).finding
    shortcoming.content_area = area(1)
    shortcoming.save()
    strength = note(visit)
    justice = schedule(team, "91/STP", VISIT_DAY.replace(day=6))
    good = note(justice, FindingKind.GOOD_MODEL, 1, "Mô hình một cửa liên thông.")
    issue_notice(visit.plan, visit.agency)
    return {"shortcoming": shortcoming, "strength": strength, "good": good, "justice": justice}


def listed(persona: str, **params) -> list[Finding]:
    response = client_for(persona).get(URL, params)
    assert response.status_code == 200
    return list(response.context["page"])


# Who sees what ------------------------------------------------------------------------------


def test_anonymous_goes_to_login():
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_only_get():
    assert client_for("noivu").post(URL).status_code == 405


@pytest.mark.parametrize(
    ("persona", "count"),
    [("admin", 3), ("noivu", 3), ("lanhdao", 3), ("truongdoan", 3), ("doanvien", 3),
     ("anbien", 2), ("tuphap", 0), ("thuba", 0), ("camau", 0)],
)  # fmt: skip
def test_findings_by_persona(findings, persona, count):
    assert len(listed(persona)) == count


def test_a_unit_sees_only_its_findings_once_the_notice_is_issued(team, visit):
    recommend(visit)
    justice = schedule(team, "91/STP", VISIT_DAY.replace(day=6))
    note(justice)
    assert listed("anbien") == [] and listed("tuphap") == []
    issue_notice(visit.plan, visit.agency)
    assert {f.visit_id for f in listed("anbien")} == {visit.pk}
    assert listed("tuphap") == []
    issue_notice(justice.plan, justice.agency)
    assert {f.visit_id for f in listed("tuphap")} == {justice.pk}


def test_links_lead_where_each_reader_may_read_the_finding(findings, visit):
    visit_page = reverse("inspections:visit-detail", args=[visit.pk])
    notice = ConclusionNotice.objects.get(plan=visit.plan, agency=visit.agency)
    notice_page = reverse("inspections:conclusion-detail", args=[notice.pk])
    staff = client_for("noivu").get(URL).text
    assert visit_page in staff and notice_page not in staff
    assert client_for("noivu").get(visit_page).status_code == 200
    unit = client_for("anbien").get(URL).text
    assert notice_page in unit and visit_page not in unit
    assert client_for("anbien").get(notice_page).status_code == 200
    # doanvien is on the team; truongdoan leads no team of this plan: the visit page would be
    # 404 for them, so they get the notice (An Biên) or no link (Justice, no notice yet).
    assert visit_page in client_for("doanvien").get(URL).text
    other = client_for("truongdoan").get(URL).text
    assert visit_page not in other and notice_page in other
    justice_page = reverse("inspections:visit-detail", args=[findings["justice"].pk])
    assert justice_page not in other and "Mô hình một cửa liên thông." in other


def test_columns(findings):
    text = client_for("noivu").get(URL).text
    for expected in ("Đơn vị được kiểm tra", "Ủy ban nhân dân huyện An Biên", "Sở Tư pháp",
                     "23/KH-UBND", area(1).name, "Tồn tại, hạn chế", "Trung bình",
                     "Mô hình hay, cách làm mới cần nhân rộng", "Số kiến nghị"):  # fmt: skip
        assert expected in text
    counts = {f.pk: f.recommendation_count for f in listed("noivu")}
    assert counts == {findings["shortcoming"].pk: 1, findings["strength"].pk: 0,
                      findings["good"].pk: 0}  # fmt: skip


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"kind": "strength"}, {"strength"}), ({"kind": "good_model"}, {"good"}),
     ({"level": "province"}, {"good"}), ({"level": "district"}, {"shortcoming", "strength"}),
     ({"level": "commune"}, set()), ({"year": "2023"}, {"shortcoming", "strength", "good"}),
     ({"year": "2024"}, set()), ({"area": "AREA1"}, {"shortcoming", "good"}),
     ({"area": "AREA1", "level": "district"}, {"shortcoming"}),
     ({"plan": "SEED"}, {"shortcoming", "strength", "good"}), ({"plan": "COPY"}, set())],
)  # fmt: skip
def test_filters(findings, params, expected):
    copy, _notes = services.plan_copy(  # a plan without findings
        source=seed(), year=2024, document_date=VISIT_DAY, by=user("noivu")
    )
    values = {"AREA1": area(1).pk, "SEED": findings["good"].visit.plan_id, "COPY": copy.pk}
    params = {k: values.get(v, v) for k, v in params.items()}
    names = {findings[name].pk for name in expected}
    assert {f.pk for f in listed("noivu", **params)} == names


def test_an_invalid_filter_says_so_and_the_others_still_apply(findings):
    response = client_for("noivu").get(URL, {"year": "abc", "kind": "strength", "plan": "999999"})
    assert [f.pk for f in response.context["page"]] == [findings["strength"].pk]
    assert "Năm là một số" in response.text
    assert "Kế hoạch không có" in response.text


def test_a_unit_cannot_filter_its_way_to_others(findings):
    assert listed("anbien", level="province") == []
    assert listed("camau", plan=findings["good"].visit.plan_id) == []


def test_export_links_carry_the_filters(findings):
    text = client_for("noivu").get(URL, {"kind": "strength", "page": "1"}).text
    assert reverse("reports:finding-export", args=["xlsx"]) + "?kind=strength" in text
    assert reverse("reports:finding-export", args=["csv"]) + "?kind=strength" in text


# Recommendation list: level and area ---------------------------------------------------------


def test_recommendation_list_filters_by_level_and_area(findings, visit):
    # Recorded at the Department of Justice: An Biên's record is frozen by its issued notice.
    to_justice = recommend(findings["justice"], text="Sở Tư pháp hướng dẫn.",
                           responsible=findings["good"].visit.agency)  # fmt: skip
    to_justice.finding.content_area = area(3)
    to_justice.finding.save()
    url = reverse("inspections:recommendation-list")

    def rows(**params):
        return {r.text for r in client_for("noivu").get(url, params).context["page"]}

    everything = {"Xin lỗi người dân.", "Sở Tư pháp hướng dẫn."}
    assert rows() == everything
    assert rows(level="province") == {"Sở Tư pháp hướng dẫn."}
    assert rows(level="district") == {"Xin lỗi người dân."}
    assert rows(area=area(1).pk) == {"Xin lỗi người dân."}
    assert rows(area=area(3).pk, level="district") == set()
    assert rows(status="unresolved", year="2023") == everything
    assert rows(status="done") == set()
    page = client_for("noivu").get(url, {"level": "province"}).text
    assert reverse("reports:recommendation-export", args=["xlsx"]) + "?level=province" in page


# Query counts -------------------------------------------------------------------------------

SESSION_OVERHEAD = 3  # the session refresh of every signed-in request


@pytest.mark.parametrize("persona", ["noivu", "doanvien", "anbien"])
@pytest.mark.parametrize("extra", [0, 9])
def test_findings_list_query_count(team, visit, persona, extra):
    recommend(visit)
    for i in range(extra):
        recommend(visit, text=f"Kiến nghị {i}")
        note(visit, text=f"Ưu điểm {i}")
    issue_notice(visit.plan, visit.agency)
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"kind": "shortcoming", "year": "2023"})
    assert len(response.context["page"]) == 1 + extra
    # session, user, membership (scope), lineage, the counts per kind (with their total), the
    # page's keys, the page (links and recommendation counts included), the filter's plans, areas
    # and teams (none offered to a unit); session refresh
    assert len(queries) == (9 if persona == "anbien" else 10) + SESSION_OVERHEAD
