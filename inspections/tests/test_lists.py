"""The filtered lists (inspections/filters.py): plans, requests, visits, conclusion notices (the
findings and recommendations have their own file): search by unit name without diacritics,
counts per status, an invalid value said in Vietnamese and ignored, the download holding exactly
the filtered rows, no filter widening what a user sees, pinned query counts at two sizes."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections.models import ReportRequest, Visit
from inspections.tests.factories import schedule
from inspections.tests.test_remediation import VISIT_DAY, issue_notice, recommend

pytestmark = pytest.mark.django_db
SESSION_OVERHEAD = 3  # the session refresh of every signed-in request
AN_BIEN = "Ủy ban nhân dân huyện An Biên"


def page_of(persona: str, name: str, **params):
    response = client_for(persona).get(reverse(name), params)
    assert response.status_code == 200
    return response


def exported(persona: str, name: str, **params) -> list[list[str]]:
    """The CSV download's data rows (after its title and header)."""
    response = client_for(persona).get(reverse(name, args=["csv"]), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if len(row) > 1)
    return rows[header + 1 :]


# Requests: search, counts, export ---------------------------------------------------------


@pytest.mark.parametrize("query", ["an bien", "AN BIÊN", "huyen an bien"])
def test_requests_found_by_unit_name_without_diacritics(sent, query):
    rows = page_of("noivu", "requests:request-list", q=query).context["rows"]
    assert [row.request.agency.name for row in rows] == [AN_BIEN]


def test_request_counts_per_status_and_their_links(sent):
    total = ReportRequest.objects.count()
    response = page_of("noivu", "requests:request-list", level="district")
    counts = {c.value: c for c in response.context["counts"]}
    districts = ReportRequest.objects.filter(agency__unit__level="district").count()
    # Nothing submitted: the targets' deadline is in 2099, the other units' has passed.
    assert counts["pending"].count + counts["overdue"].count == districts < total
    assert counts["pending"].count and counts["overdue"].count
    assert counts["submitted"].count == counts["accepted"].count == 0
    assert "level=district" in counts["pending"].url and "status=pending" in counts["pending"].url
    assert f"{counts['pending'].label} <span" in response.text
    overdue = page_of("noivu", "requests:request-list", status="overdue", level="district")
    assert {row.state for row in overdue.context["rows"]} == {"overdue"}
    assert len(overdue.context["rows"]) == counts["overdue"].count


def test_request_export_holds_exactly_the_filtered_rows(sent):
    params = {"level": "district", "q": "huyen"}
    rows = page_of("noivu", "requests:request-list", **params).context["page"]
    names = [row[1] for row in exported("noivu", "reports:request-export", **params)]
    assert names == [r.agency.name for r in rows.object_list] and names


def test_an_invalid_filter_is_said_in_vietnamese_and_ignored(sent):
    response = page_of("noivu", "requests:request-list", level="tinh", year="abc", q="an bien")
    assert "“Cấp” không có trong danh sách: bộ lọc này bị bỏ qua." in response.text
    assert "Năm là một số" in response.text
    assert [row.request.agency.name for row in response.context["rows"]] == [AN_BIEN]


def test_a_unit_cannot_filter_its_way_to_other_units(sent):
    assert page_of("tuphap", "requests:request-list", q="an bien").context["rows"] == []
    assert exported("tuphap", "reports:request-export", q="an bien") == []
    own = page_of("tuphap", "requests:request-list", status="pending").context["rows"]
    assert [row.request.agency.name for row in own] == ["Sở Tư pháp"]


# Visits and conclusion notices --------------------------------------------------------------


@pytest.fixture
def visits(team, visit):
    justice = schedule(team, "91/STP", VISIT_DAY.replace(day=6))
    return [visit, justice]


def test_visits_filtered_by_search_and_exported(visits):
    response = page_of("noivu", "inspections:my-visits", q="an bien")
    assert [v.agency.name for v in response.context["page"]] == [AN_BIEN]
    counts = {c.value: c.count for c in response.context["counts"]}
    assert counts == {"scheduled": 1, "done": 0}
    assert [r[3] for r in exported("noivu", "reports:visit-export", q="an bien")] == [AN_BIEN]
    assert len(exported("noivu", "reports:visit-export")) == 2
    assert exported("camau", "reports:visit-export") == []


def test_conclusions_filtered_by_status_with_counts(visits):
    recommend(visits[0])
    issue_notice(visits[0].plan, visits[0].agency)
    response = page_of("noivu", "inspections:conclusion-list", status="issued")
    assert [n.agency.name for n in response.context["page"]] == [AN_BIEN]
    counts = {c.value: c.count for c in response.context["counts"]}
    assert counts["issued"] == 1 and counts["draft"] == 0
    assert [r[0] for r in exported("noivu", "reports:conclusion-export", q="AN BIEN")] == [AN_BIEN]
    assert exported("tuphap", "reports:conclusion-export") == []


def test_plans_filtered_by_status_with_counts():
    response = page_of("noivu", "inspections:plan-list", status="issued", year="2023")
    assert [p.number for p in response.context["page"]] == [23]
    counts = {c.value: c.count for c in response.context["counts"]}
    assert counts["issued"] == 1
    assert [r[0] for r in exported("noivu", "reports:plan-list-export", year="2023")] == [
        "23/KH-UBND"
    ]


# Query counts at two sizes ------------------------------------------------------------------


def queries_of(persona: str, name: str, **params) -> int:
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 5])
def test_visit_list_query_count(team, visit, extra):
    for i in range(extra):
        schedule(team, "91/STP", VISIT_DAY + datetime.timedelta(days=7 + i))
    assert Visit.objects.count() == 1 + extra
    # session, user, membership, lineage; the calendar's visits of the month, feed; count,
    # counts per status, page; the filter's plans and teams (with their plan); session refresh
    assert queries_of("noivu", "inspections:my-visits", q="", status="scheduled") == (
        11 + SESSION_OVERHEAD
    )


@pytest.mark.parametrize("notices", [1, 2])
def test_conclusion_list_query_count(visits, notices):
    for visit in visits[:notices]:
        recommend(visit)
        issue_notice(visit.plan, visit.agency)
    # session, user, membership, lineage; count, counts per status, page, the filter's plans;
    # session refresh
    assert queries_of("noivu", "inspections:conclusion-list", year="2023") == (8 + SESSION_OVERHEAD)


@pytest.mark.parametrize("level", ["district", ""])  # 7 requests, then every unit's
def test_request_list_query_count(sent, level):
    # session, user, membership, lineage; count, counts per status, page, the page's requests
    # and their latest reports (`plan_progress`), the filter's plans; session refresh
    assert queries_of("noivu", "requests:request-list", level=level) == 10 + SESSION_OVERHEAD
