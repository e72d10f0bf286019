"""Directory and unit pages: permission matrix, search, dates, and pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import AG_2026, KG_2023, OUTSIDER, PERSONAS, client_for, unit
from units.models import AdministrativeUnit, Agency, Level

pytestmark = pytest.mark.django_db


def _urls():
    an_bien = unit("908", KG_2023)
    justice = Agency.objects.get(code="STP", valid_from__isnull=True)
    return {
        "unit-list": reverse("units:unit-list"),
        "unit-detail": reverse("units:unit-detail", args=[an_bien.pk]),
        "agency-list": reverse("units:agency-list"),
        "agency-detail": reverse("units:agency-detail", args=[justice.pk]),
        "home": reverse("home"),
    }


@pytest.mark.parametrize(
    "name", ["unit-list", "unit-detail", "agency-list", "agency-detail", "home"]
)
def test_anonymous_is_sent_to_login(name):
    url = _urls()[name]
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["unit-list", "unit-detail", "agency-list", "agency-detail", "home"]
)
def test_every_role_of_the_province_reads_the_registry(persona, name):
    assert client_for(persona).get(_urls()[name]).status_code == 200


@pytest.mark.parametrize("name", ["unit-detail", "agency-detail"])
def test_another_province_cannot_see_the_object(name):
    assert client_for(OUTSIDER).get(_urls()[name]).status_code == 404


def test_another_province_lists_only_its_own_units():
    response = client_for(OUTSIDER).get(reverse("units:unit-list"), {"q": "an bien"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    names = [u.name for u in client_for(OUTSIDER).get(reverse("units:unit-list")).context["page"]]
    assert names == ["Tỉnh Cà Mau"]


@pytest.mark.parametrize(
    "name", ["unit-list", "unit-detail", "agency-list", "agency-detail", "home"]
)
def test_wrong_method_is_405(name):
    assert client_for("noivu").post(_urls()[name]).status_code == 405


def test_search_as_of_2023_finds_the_district():
    response = client_for("noivu").get(
        reverse("units:unit-list"), {"q": "an bien", "on": KG_2023.isoformat()}
    )
    assert [u.name for u in response.context["page"]] == ["Huyện An Biên"]
    assert "Huyện An Biên" in response.text


def test_search_as_of_2026_finds_the_commune_and_not_the_abolished_district():
    response = client_for("noivu").get(
        reverse("units:unit-list"), {"q": "an bien", "on": AG_2026.isoformat()}
    )
    assert [u.name for u in response.context["page"]] == ["Xã An Biên"]
    assert "Huyện An Biên" not in response.text


def test_level_and_kind_filters():
    response = client_for("noivu").get(
        reverse("units:unit-list"),
        {"on": AG_2026.isoformat(), "level": "commune", "kind": "dac_khu"},
    )
    assert {u.name for u in response.context["page"]} == {
        "Đặc khu Phú Quốc",
        "Đặc khu Thổ Châu",
        "Đặc khu Kiên Hải",
    }


def test_bad_date_says_what_is_wrong_and_shows_today():
    response = client_for("noivu").get(reverse("units:unit-list"), {"on": "31/02/2023"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.text


def test_unit_page_shows_parent_children_predecessors_and_successors():
    response = client_for("noivu").get(_urls()["unit-detail"])
    text = response.text
    assert "Tỉnh Kiên Giang" in text  # parent
    assert "Thị trấn Thứ Ba" in text  # child
    for successor in ("Xã An Biên", "Xã Tây Yên", "Xã Đông Thái"):
        assert successor in text
    assert "Ủy ban nhân dân huyện An Biên" in text
    assert "đã hết hiệu lực" in text

    new = client_for("noivu").get(reverse("units:unit-detail", args=[unit("30985", AG_2026).pk]))
    assert "Thị trấn Thứ Ba" in new.text and "Huyện An Biên" in new.text  # predecessors


def test_agency_page_shows_merger():
    planning = Agency.objects.get(code="SKHĐT")
    response = client_for("noivu").get(reverse("units:agency-detail", args=[planning.pk]))
    assert "Sáp nhập vào" in response.text
    assert "Sở Tài chính" in response.text


def _add_communes(n: int) -> None:
    """More data of the same shape: n extra communes (with committees) under An Biên."""
    an_bien = unit("908", KG_2023)
    for i in range(n):
        AdministrativeUnit.objects.create(
            code=f"9{i:04d}",
            name=f"Xã Thử Nghiệm {i}",
            short_name=f"Thử Nghiệm {i}",
            level=Level.COMMUNE,
            kind="xa",
            parent=an_bien,
            valid_to=an_bien.valid_to,
        )


# Every signed-in request also refreshes the session for the inactivity timeout (savepoint,
# update, release): SESSION_OVERHEAD queries on top of what each page names.
SESSION_OVERHEAD = 3


def _count_queries(url, params) -> int:
    client = client_for("noivu")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 200])
def test_unit_list_query_count_does_not_grow(extra):
    _add_communes(extra)
    # session, user, membership (scope), province successions (lineage), count, page
    assert (
        _count_queries(reverse("units:unit-list"), {"on": KG_2023.isoformat()})
        == 6 + SESSION_OVERHEAD
    )


@pytest.mark.parametrize("extra", [0, 200])
def test_unit_detail_query_count_does_not_grow(extra):
    _add_communes(extra)
    # session, user, membership, lineage, unit+parent+province, predecessors, successors,
    # agencies, children
    assert _count_queries(_urls()["unit-detail"], {}) == 9 + SESSION_OVERHEAD


@pytest.mark.parametrize("extra", [0, 200])
def test_agency_list_query_count_does_not_grow(extra):
    _add_communes(extra)
    # session, user, membership, lineage, count, page
    assert (
        _count_queries(reverse("units:agency-list"), {"on": KG_2023.isoformat()})
        == 6 + SESSION_OVERHEAD
    )


@pytest.mark.parametrize("extra", [0, 200])
def test_home_query_count_does_not_grow(extra):
    _add_communes(extra)
    # session, user, membership (scope), lineage, membership with agency, unit counts, agency
    # count, recent plans; the dashboard's key figures: issued plans, targets, requests,
    # recommendations; the staff's to-do (`inspections/todo.py`): plans returned, plans to
    # issue, notices to issue, results reports to issue, reports to review, remediation to
    # verify, unanswered questions, requests and recommendations due this week
    assert _count_queries(reverse("home"), {}) == 21 + SESSION_OVERHEAD
