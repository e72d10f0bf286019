"""A plan's long tables — its targets by level, the progress of its requests by status, its
visits by team — shown a section and a page at a time, with the count of each section: the search
reaches every row, the download holds every row of the filters, an htmx request gets the
section alone, and the queries and the size of a page do not grow with the plan."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import Plan, PlanStatus, PlanTarget, ReportRequest, Visit
from inspections.tests.factories import seed, target, user
from units.models import Agency

pytestmark = pytest.mark.django_db
SESSION_OVERHEAD = 3  # the session refresh of every signed-in request
PAGE = 10


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.PAGE_SIZE = PAGE


def htmx(element: str) -> dict:
    """The headers htmx sends when it replaces `element` (hx-target)."""
    return {"HX-Request": "true", "HX-Target": element}


def exported(url: str, **params) -> list[list[str]]:
    """The CSV download's data rows (after its title and header)."""
    response = client_for("noivu").get(url, params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if len(row) > 1)
    return rows[header + 1 :]


def more_communes(plan, n: int, *, bulk: bool = False) -> list[PlanTarget]:
    """`n` more commune targets; `bulk`: without their history (as data loaded in bulk)."""
    agencies = Agency.objects.valid_on(plan.document_date).filter(unit__level="commune")
    agencies = agencies.exclude(pk__in=plan.targets.values("agency"))[:n]
    targets = [
        PlanTarget(plan=plan, agency=a, kind="inspection", order=100 + i)
        for i, a in enumerate(agencies)
    ]
    if bulk:
        return PlanTarget.objects.bulk_create(targets)
    for t in targets:
        t.save()
    return targets


# Targets, by level ---------------------------------------------------------------------------


def test_targets_by_level_with_counts_and_pages():
    plan = seed()
    added = more_communes(plan, 25)
    url = reverse("inspections:plan-detail", args=[plan.pk])
    page = client_for("noivu").get(url).context
    counts = {c.value: c.count for c in page["counts"]}
    assert counts["commune"] == plan.targets.filter(agency__unit__level="commune").count()
    assert page["all_count"] == plan.targets.count() == sum(counts.values())
    assert len(page["rows"]) == PAGE < plan.targets.count()
    communes = client_for("noivu").get(url, {"section": "commune", "page": 3}).context
    assert {t.agency.unit.level for t in communes["rows"]} == {"commune"}
    assert communes["page"].number == 3
    assert [c.value for c in communes["counts"] if c.current] == ["commune"]
    # The search reaches a row of a later page; the download holds every row of the section.
    last = added[-1].agency
    found = client_for("noivu").get(url, {"q": last.name}).context["rows"]
    assert [t.agency.name for t in found] == [last.name]
    rows = exported(reverse("reports:target-export", args=[plan.pk, "csv"]), section="commune")
    assert len(rows) == counts["commune"] and {r[2] for r in rows} == {"Cấp xã"}


def test_a_section_is_loaded_alone_by_htmx():
    plan = seed()
    more_communes(plan, 15)
    url = reverse("inspections:plan-detail", args=[plan.pk])
    response = client_for("noivu").get(
        url, {"section": "commune", "page": 2}, headers=htmx("targets-section")
    )
    text = response.content.decode()
    assert text.startswith('<div id="targets-section"') and "<html" not in text
    assert 'hx-boost="true"' in text and "section=commune&amp;page=1" in text
    # Without script the same links open the whole page at that section.
    whole = client_for("noivu").get(url, {"section": "commune", "page": 2}).content.decode()
    assert "<html" in whole and 'id="targets-section"' in whole
    # Back in the browser's history, a page htmx did not keep is asked for whole.
    restore = {**htmx("targets-section"), "HX-History-Restore-Request": "true"}
    assert "<html" in client_for("noivu").get(url, headers=restore).content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_target_section_query_count(extra):
    plan = seed()
    more_communes(plan, 5 + extra)  # one page, then five
    client = client_for("noivu")
    url = reverse("inspections:plan-detail", args=[plan.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"section": "commune"}, headers=htmx("targets-section"))
    assert response.status_code == 200
    # session, user, membership, lineage, plan; counts per section (with their total), the
    # page's keys, the page, its areas; session refresh
    assert len(queries) == 9 + SESSION_OVERHEAD


def test_the_plan_page_does_not_grow_with_its_targets():
    plan = seed()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    more_communes(plan, 10, bulk=True)
    small = len(client_for("noivu").get(url).content)
    more_communes(plan, 60, bulk=True)
    large = len(client_for("noivu").get(url).content)
    # The table shows a page, and the plan's text names its targets on demand (its lists grow
    # by a name each): only the counts grow, by a digit. (Loaded in bulk: the page's history
    # lists each target added one by one.)
    assert large - small < 100


# The plan text's lists of targets, on demand -------------------------------------------------


def test_the_text_lists_its_targets_on_demand():
    plan = seed()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    page = client_for("noivu").get(url).text
    # The page offers the lists (they name every target); it does not build them.
    assert 'id="target-lines"' in page and 'id="reinspection-lines"' in page
    assert "Các Sở, ngành:" not in page and "?lists=1#target-lines" in page
    # htmx asks for one list alone; without script the link opens the page with the lists.
    alone = client_for("noivu").get(url, {"lists": "1"}, headers=htmx("target-lines")).text
    assert alone.lstrip().startswith('<ul class="mb-1" id="target-lines">')
    assert "<html" not in alone and "Các Sở, ngành:" in alone
    phrase = client_for("noivu").get(url, {"lists": "1"}, headers=htmx("reinspection-lines"))
    assert phrase.text.lstrip().startswith('<p class="mb-1 fst-italic" id="reinspection-lines">')
    whole = client_for("noivu").get(url, {"lists": "1"}).text
    assert "<html" in whole and "Các Sở, ngành:" in whole


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("tuphap", 200), ("anbien", 200), ("thuba", 200), ("camau", 404), (None, 302)],
)  # fmt: skip
def test_the_text_lists_permission_matrix(persona, status):
    url = reverse("inspections:plan-detail", args=[seed().pk])
    for element in ("target-lines", "reinspection-lines"):
        response = client_for(persona).get(url, {"lists": "1"}, headers=htmx(element))
        assert response.status_code == status
    if status == 200:
        assert "Các Sở, ngành:" in client_for(persona).get(url, {"lists": "1"}).text


def test_the_text_lists_of_a_draft_stay_hidden_from_units():
    plan = seed()
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    url = reverse("inspections:plan-detail", args=[plan.pk])
    assert client_for("anbien").get(url, headers=htmx("target-lines")).status_code == 404
    assert client_for("noivu").get(url, headers=htmx("target-lines")).status_code == 200


# Progress, by status -------------------------------------------------------------------------


def test_progress_by_status_with_counts_pages_and_download(sent):
    plan = seed()
    url = reverse("inspections:progress", args=[plan.pk])
    page = client_for("noivu").get(url).context
    total = ReportRequest.objects.filter(plan=plan).count()
    assert page["all_count"] == total > PAGE
    assert len(page["rows"]) == PAGE
    counts = {c.value: c.count for c in page["counts"]}
    overdue = client_for("noivu").get(url, {"status": "overdue"}).context
    assert {row.state for row in overdue["rows"]} == {"overdue"}
    assert overdue["page"].paginator.count == counts["overdue"]
    # A unit on any page is found by name; the download holds every row of the status.
    last = ReportRequest.objects.filter(plan=plan).order_by("-agency__name").first()
    found = client_for("noivu").get(url, {"q": last.agency.name}).context["rows"]
    assert last.agency.name in [row.request.agency.name for row in found]
    rows = exported(reverse("reports:progress-export", args=[plan.pk, "csv"]), status="overdue")
    assert len(rows) == counts["overdue"]
    assert len(exported(reverse("reports:progress-export", args=[plan.pk, "csv"]))) == total
    section = client_for("noivu").get(url, {"page": 2}, headers=htmx("requests-section"))
    assert section.content.decode().startswith('<div id="requests-section"')


# Schedule, by team ---------------------------------------------------------------------------


def visits_of(team, n: int, where: PlanTarget) -> None:
    for i in range(n):
        services.visit_schedule(
            team=team, target=where, agency=where.agency,
            date=datetime.date(2023, 9, 1) + datetime.timedelta(days=i),
            start_time=datetime.time(8), end_time=datetime.time(11), place="Sở Tư pháp",
        )  # fmt: skip


def test_schedule_by_team_with_counts_pages_and_download(team):
    plan = seed()
    other = services.team_create(plan=plan, name="Đoàn kiểm tra số 2", by=user("noivu"))
    elsewhere = plan.targets.filter(agency__unit__level="province", assignment=None).first()
    services.team_targets_assign(team=other, targets=[elsewhere])
    visits_of(team, 14, target("91/STP"))
    visits_of(other, 3, elsewhere)
    url = reverse("inspections:schedule", args=[plan.pk])
    page = client_for("noivu").get(url).context
    counts = {c.label: c.count for c in page["counts"]}
    assert counts == {"Đoàn kiểm tra số 1": 14, "Đoàn kiểm tra số 2": 3}
    assert page["all_count"] == 17 and len(page["visits"]) == PAGE
    dates = [v.date for v in page["visits"]]
    assert dates == sorted(dates)
    second = client_for("noivu").get(url, {"team": other.pk}).context
    assert {v.team_id for v in second["visits"]} == {other.pk}
    rows = exported(reverse("reports:visit-export", args=["csv"]), plan=plan.pk, team=team.pk)
    assert len(rows) == 14 == Visit.objects.filter(team=team).count()
    section = client_for("noivu").get(url, {"page": 2}, headers=htmx("visits-section"))
    text = section.content.decode()
    assert text.startswith('<div id="visits-section"') and "Lên lịch" not in text
