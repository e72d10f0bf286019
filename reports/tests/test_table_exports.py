"""Excel and CSV downloads of the lists: a plan's targets, findings, recommendations and the
registry directories. Each answers like its page (same 302/404 and rows), holds the rows of the
page's filters, reads back with openpyxl and csv, and takes a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cchc.test import KG_2023, OUTSIDER, PERSONAS, client_for
from inspections import services
from inspections.models import ContentArea, Finding, Recommendation, TargetKind
from inspections.tests.conftest import team, visit  # noqa: F401 (fixtures)
from inspections.tests.factories import schedule, seed, user
from inspections.tests.test_remediation import VISIT_DAY, issue_notice, recommend
from reports.exports import FIRST_DATA_ROW, HEADER_ROW
from units.models import AdministrativeUnit, Agency, Level
from units.tests.test_views import _add_communes

pytestmark = pytest.mark.django_db
SESSION_OVERHEAD = 3  # the session refresh of every signed-in request
KIEN_GIANG_LINEAGE = ("89", "91")  # noivu's new An Giang took over Kiên Giang and An Giang


@pytest.fixture
def findings(team, visit):  # noqa: F811
    """At An Biên district (notice issued): a shortcoming with a recommendation, in area 1, and
    a strength; at Sở Tư pháp (no notice): a shortcoming with a recommendation to the Sở."""
    first = recommend(visit)
    first.finding.content_area = ContentArea.objects.get(number=1)
    first.finding.save()
    services.finding_add(
        visit=visit, by=user("doanvien"), kind="strength", description="Niêm yết đủ thủ tục."
    )
    justice = schedule(team, "91/STP", VISIT_DAY.replace(day=6))
    recommend(justice, text="Rà soát quy trình nội bộ.", count=5)
    issue_notice(visit.plan, visit.agency)
    return {"an_bien": visit, "justice": justice}


def pages():
    """(export URL name, its arguments, the page it exports)."""
    plan = seed().pk
    return {
        "target-export": ([plan], reverse("inspections:plan-detail", args=[plan])),
        "finding-export": ([], reverse("inspections:finding-list")),
        "recommendation-export": ([], reverse("inspections:recommendation-list")),
        "unit-export": ([], reverse("units:unit-list")),
        "agency-export": ([], reverse("units:agency-list")),
    }


def export_url(name: str, fmt: str = "xlsx") -> str:
    args, _page = pages()[name]
    return reverse(f"reports:{name}", args=[*args, fmt])


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[HEADER_ROW]]


def data_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


# Access: the export answers exactly like its page -------------------------------------------

EXPORTS = ["target-export", "finding-export", "recommendation-export", "unit-export",
           "agency-export"]  # fmt: skip


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_goes_to_login(name):
    url = export_url(name)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("persona", [*PERSONAS, OUTSIDER])
def test_access_is_the_access_of_the_page(findings, name, persona):
    _args, page = pages()[name]
    client = client_for(persona)
    expected = 404 if (name == "target-export" and persona == OUTSIDER) else 200
    assert client.get(page).status_code == expected
    for fmt in ("xlsx", "csv"):
        assert client.get(export_url(name, fmt)).status_code == expected


@pytest.mark.parametrize("name", EXPORTS)
def test_only_get_and_known_formats(name):
    client = client_for("noivu")
    assert client.post(export_url(name)).status_code == 405
    assert client.get(export_url(name, "pdf")).status_code == 404


# Findings ------------------------------------------------------------------------------------


def independent_findings(persona, findings) -> int:
    if persona in ("admin", "noivu", "lanhdao", "truongdoan", "doanvien"):
        return Finding.objects.filter(visit__plan=seed()).count()
    if persona == "anbien":  # its notice is issued; Sở Tư pháp's is not
        return Finding.objects.filter(visit=findings["an_bien"]).count()
    return 0


@pytest.mark.parametrize("persona", [*PERSONAS, OUTSIDER])
def test_findings_rows_by_persona(findings, persona):
    sheet = sheet_of(client_for(persona).get(export_url("finding-export")))
    assert len(data_rows(sheet)) == independent_findings(persona, findings)


def test_findings_excel_and_csv(findings):
    client = client_for("noivu")
    sheet = sheet_of(client.get(export_url("finding-export")))
    assert sheet["A1"].value == "Kết quả kiểm tra"
    assert headers(sheet) == ["Đơn vị được kiểm tra", "Cấp", "Kế hoạch", "Ngày kiểm tra",
                              "Lĩnh vực", "Loại", "Mức độ", "Nội dung", "Số kiến nghị"]  # fmt: skip
    rows = data_rows(sheet)
    assert len(rows) == Finding.objects.count() == 3
    date_cell = sheet.cell(row=FIRST_DATA_ROW, column=4)
    assert (
        isinstance(date_cell.value, datetime.datetime) and date_cell.number_format == "dd/mm/yyyy"
    )
    by_text = {r[7]: r for r in rows}
    shortcoming = by_text["Tồn tại: Xin lỗi người dân."]
    assert shortcoming[0] == "Ủy ban nhân dân huyện An Biên" and shortcoming[1] == "Cấp huyện"
    assert shortcoming[2] == "23/KH-UBND" and shortcoming[3].date() == VISIT_DAY
    assert shortcoming[4] == ContentArea.objects.get(number=1).name
    assert shortcoming[5:7] == ("Tồn tại, hạn chế", "Trung bình") and shortcoming[8] == 1
    assert by_text["Niêm yết đủ thủ tục."][8] == 0
    table = csv_rows(client.get(export_url("finding-export", "csv")))
    assert table[0][0] == "Đơn vị được kiểm tra" and len(table) == 1 + 3
    assert {row[3] for row in table[1:]} == {"05/02/2024", "06/02/2024"}


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "strength"}, {"level": "province"}, {"level": "district", "year": "2023"},
     {"area": "AREA1"}, {"year": "2024"}, {"kind": "shortcoming", "year": "x"}],
)  # fmt: skip
def test_findings_export_holds_the_rows_of_the_page(findings, params):
    area = ContentArea.objects.get(number=1).pk
    params = {k: area if v == "AREA1" else v for k, v in params.items()}
    client = client_for("noivu")
    page = client.get(reverse("inspections:finding-list"), params).context["page"]
    sheet = sheet_of(client.get(export_url("finding-export"), params))
    assert [r[7] for r in data_rows(sheet)] == [f.description for f in page]
    if params.get("kind") == "strength":
        assert sheet["A1"].value == "Kết quả kiểm tra (Loại: Ưu điểm)"


# Recommendations ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONAS, OUTSIDER])
def test_recommendation_rows_by_persona(findings, persona):
    if persona in ("admin", "noivu", "lanhdao", "truongdoan", "doanvien"):
        expected = Recommendation.objects.filter(finding__visit__plan=seed()).count()
    elif persona == "anbien":
        expected = Recommendation.objects.filter(responsible=findings["an_bien"].agency).count()
    else:
        expected = 0
    sheet = sheet_of(client_for(persona).get(export_url("recommendation-export")))
    assert len(data_rows(sheet)) == expected


def test_recommendations_excel_and_csv(findings, monkeypatch):
    first = Recommendation.objects.get(text="Xin lỗi người dân.")
    later = first.due_date + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: later)
    client = client_for("noivu")
    sheet = sheet_of(client.get(export_url("recommendation-export")))
    assert headers(sheet) == [
        "Kiến nghị", "Đơn vị thực hiện", "Kế hoạch", "Ngày kiểm tra", "Hạn khắc phục",
        "Số lần báo cáo", "Tình trạng", "Quá hạn",
    ]  # fmt: skip
    rows = {r[0]: r for r in data_rows(sheet)}
    assert len(rows) == Recommendation.objects.count() == 2
    row = rows["Xin lỗi người dân."]
    assert row[1] == "Ủy ban nhân dân huyện An Biên" and row[2] == "23/KH-UBND"
    assert isinstance(row[4], datetime.datetime) and row[4].date() == first.due_date
    assert row[5] == 0 and row[6] == "Đang khắc phục" and row[7] == "Có"
    overdue = sheet_of(client.get(export_url("recommendation-export"), {"status": "overdue"}))
    assert [r[0] for r in data_rows(overdue)] == [
        r.text for r in Recommendation.objects.overdue(later).order_by("due_date", "pk")
    ]
    table = csv_rows(client.get(export_url("recommendation-export", "csv"), {"level": "province"}))
    assert table[0][-1] == "Quá hạn"
    assert [r[1] for r in table[1:]] == ["Sở Tư pháp"]
    assert table[1][4] == Recommendation.objects.get(
        responsible__name="Sở Tư pháp"
    ).due_date.strftime("%d/%m/%Y")


def test_recommendation_export_follows_the_page_filters(findings):
    client = client_for("noivu")
    area = ContentArea.objects.get(number=1).pk
    for params in ({"area": area}, {"level": "district"}, {"status": "done"}, {"year": "2023"}):
        page = client.get(reverse("inspections:recommendation-list"), params).context["page"]
        sheet = sheet_of(client.get(export_url("recommendation-export"), params))
        assert [r[0] for r in data_rows(sheet)] == [r.text for r in page]


# Targets ------------------------------------------------------------------------------------


def test_targets_in_the_order_of_the_plan_page(findings):
    plan = seed()
    sheet = sheet_of(client_for("anbien").get(export_url("target-export")))
    assert sheet["A1"].value == "Đối tượng kiểm tra — Kế hoạch 23/KH-UBND"
    assert headers(sheet) == ["STT", "Cơ quan, đơn vị", "Cấp", "Hình thức", "Cách kiểm tra",
                              "Báo trước", "Chuyên đề", "Lý do", "Đoàn kiểm tra"]  # fmt: skip
    rows = data_rows(sheet)
    assert len(rows) == plan.targets.count()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    page = client_for("noivu").get(reverse("inspections:plan-detail", args=[plan.pk])).context
    listed = page["rows"]  # the seed plan fits on the first page
    assert [r[1] for r in rows] == [t.agency.name for t in listed]
    kinds = [r[3] for r in rows]  # inspections by level, then re-inspections
    assert kinds == sorted(kinds, key=["Kiểm tra", "Phúc tra"].index)
    levels = [r[2] for r in rows if r[3] == "Kiểm tra"]
    assert levels == sorted(levels, key=["Cấp tỉnh", "Cấp huyện", "Cấp xã"].index)
    teams = {r[1]: r[8] for r in rows}
    assert teams["Ủy ban nhân dân huyện An Biên"] == teams["Sở Tư pháp"] == "Đoàn kiểm tra số 1"
    assert {r[5] for r in rows} <= {"Có", "Không"}
    table = csv_rows(client_for("noivu").get(export_url("target-export", "csv")))
    assert table[0][0] == "STT" and len(table) == 1 + plan.targets.count()


# Registry directories -----------------------------------------------------------------------


def test_unit_directory_export(findings):
    params = {"on": KG_2023.isoformat(), "level": Level.DISTRICT}
    sheet = sheet_of(client_for("noivu").get(export_url("unit-export"), params))
    assert sheet["A1"].value == "Đơn vị hành chính có hiệu lực ngày 01/06/2023 (Cấp: Cấp huyện)"
    assert headers(sheet) == ["Mã", "Tên", "Cấp", "Loại", "Trực thuộc", "Hiệu lực từ",
                              "Hiệu lực đến"]  # fmt: skip
    expected = (
        AdministrativeUnit.objects.valid_on(KG_2023)
        .filter(level=Level.DISTRICT, province__code__in=KIEN_GIANG_LINEAGE)
        .count()
    )
    rows = data_rows(sheet)
    assert len(rows) == expected > 0
    an_bien = next(r for r in rows if r[1] == "Huyện An Biên")
    assert an_bien[0] == "908" and an_bien[2] == "Cấp huyện" and an_bien[3] == "Huyện"
    assert an_bien[4] == "Tỉnh Kiên Giang"
    assert isinstance(an_bien[6], datetime.datetime) and an_bien[6].date() == datetime.date(
        2025, 6, 30
    )
    table = csv_rows(client_for("noivu").get(export_url("unit-export", "csv"), params))
    assert len(table) == 1 + expected
    assert ["908", "Huyện An Biên"] in [r[:2] for r in table]
    # Another province exports its own units only.
    outsider = data_rows(sheet_of(client_for(OUTSIDER).get(export_url("unit-export"))))
    assert [r[1] for r in outsider] == ["Tỉnh Cà Mau"]


def test_agency_directory_export(findings):
    params = {"on": KG_2023.isoformat(), "level": Level.COMMUNE, "kind": "committee", "q": ""}
    sheet = sheet_of(client_for("noivu").get(export_url("agency-export"), params))
    assert headers(sheet) == ["Mã", "Tên", "Cấp", "Loại", "Đơn vị hành chính", "Trực thuộc",
                              "Hiệu lực từ", "Hiệu lực đến"]  # fmt: skip
    expected = (
        Agency.objects.valid_on(KG_2023)
        .filter(unit__level=Level.COMMUNE, kind="committee", province__code__in=KIEN_GIANG_LINEAGE)
        .count()
    )
    rows = data_rows(sheet)
    assert len(rows) == expected > 0
    assert {r[2] for r in rows} == {"Cấp xã"} and {r[3] for r in rows} == {"Ủy ban nhân dân"}
    page = client_for("noivu").get(reverse("units:agency-list"), params).context["page"]
    assert page.paginator.count == expected
    searched = sheet_of(client_for("noivu").get(export_url("agency-export"), {"q": "tu phap"}))
    assert [r[1] for r in data_rows(searched)] == ["Sở Tư pháp"]


def test_an_invalid_directory_filter_is_ignored_in_the_export_like_on_the_page():
    """An invalid date gives today's list; the valid filters still apply, as on every list."""
    params = {"on": "31/02/2023", "level": Level.PROVINCE}
    page = client_for("noivu").get(reverse("units:unit-list"), params).context["page"]
    sheet = sheet_of(client_for("noivu").get(export_url("unit-export"), params))
    assert len(data_rows(sheet)) == page.paginator.count > 0
    assert {r[2] for r in data_rows(sheet)} == {"Cấp tỉnh"}
    assert sheet["A1"].value.endswith("(Cấp: Cấp tỉnh)")  # the date left out, as invalid


# Query counts: the same at two data sizes ---------------------------------------------------


def count_queries(persona, url, params=None) -> int:
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["noivu", "doanvien", "anbien"])
@pytest.mark.parametrize("extra", [0, 9])
def test_finding_and_recommendation_exports_query_count(team, visit, persona, extra):  # noqa: F811
    for i in range(extra + 1):
        recommend(visit, text=f"Kiến nghị {i}")
    issue_notice(visit.plan, visit.agency)
    assert Finding.objects.count() == extra + 1
    # session, user, membership (scope), lineage, the rows; session refresh
    for name in ("finding-export", "recommendation-export"):
        assert count_queries(persona, export_url(name)) == 5 + SESSION_OVERHEAD
        assert count_queries(persona, export_url(name, "csv"), {"year": 2023}) == 5 + 3


@pytest.mark.parametrize("extra", [0, 10])
def test_targets_export_query_count(team, extra):  # noqa: F811
    plan, _notes = services.plan_copy(
        source=seed(), year=2024, document_date=datetime.date(2024, 3, 1), by=user("noivu")
    )
    if extra:
        taken = plan.targets.values_list("agency_id", flat=True)
        communes = (
            Agency.objects.valid_on(plan.document_date)
            .filter(kind="committee", unit__level=Level.COMMUNE, province=plan.province)
            .exclude(pk__in=taken)[:extra]
        )
        added = services.plan_targets_add(plan=plan, agencies=communes, kind=TargetKind.INSPECTION)
        for target in added:
            target.content_areas.set(ContentArea.objects.all()[:2])
    url = reverse("reports:target-export", args=[plan.pk, "xlsx"])
    rows = data_rows(sheet_of(client_for("noivu").get(url)))
    assert len(rows) == plan.targets.count() == seed().targets.count() + extra
    # session, user, membership, lineage, plan, targets (with agency, unit, parent, team,
    # earlier target), their thematic areas; session refresh
    assert count_queries("noivu", url) == 7 + SESSION_OVERHEAD


@pytest.mark.parametrize("extra", [0, 200])
def test_directory_exports_query_count(extra):
    _add_communes(extra)
    params = {"on": KG_2023.isoformat()}
    # session, user, membership, lineage, the rows; session refresh
    for name in ("unit-export", "agency-export"):
        assert count_queries("noivu", export_url(name), params) == 5 + SESSION_OVERHEAD
