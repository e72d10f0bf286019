"""The leaders' dashboard: every figure equals a count made here with plain ORM filters, every
viewer sees only their scope, every figure links to a list the viewer may open, and the page
costs the same number of queries at two data sizes."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from cchc.test import AG_2026, PAGE_VERSION, client_for
from inspections import services
from inspections.models import (
    ConclusionNotice,
    ContentArea,
    FieldKind,
    FieldRole,
    Finding,
    FindingKind,
    Outline,
    OutlineField,
    Plan,
    PlanStatus,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    ReportRequest,
    Submission,
    TeamRole,
    Visit,
    VisitStatus,
)
from inspections.tests.test_uploads import pdf_bytes
from inspections.uploads import check_upload
from reports.dashboard import dashboard
from reports.exports import FIRST_DATA_ROW
from reports.models import Job, JobKind
from units.access import scope_for
from units.models import Agency, Level
from units.services import agency_by_ref
from units.text import fold

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

DAY = datetime.date(2023, 8, 6)
PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed
URL = "/dashboard/"

# Seed targets the builder visits, in order (districts and departments of Kiên Giang 2023).
VISITED = ["908/UBND", "91/STP", "910/UBND", "91/SNgV", "913/UBND", "91/TTr", "914/UBND"]


def user(name):
    return get_user_model().objects.get(username=name)


def seed() -> Plan:
    return Plan.objects.get(year=2023, number=23)


def target(ref: str) -> PlanTarget:
    return seed().targets.get(agency=agency_by_ref(ref, DAY))


def pdf():
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    upload.checked = check_upload(upload)
    return upload


def area(number: int) -> ContentArea:
    return ContentArea.objects.filter(number=number).order_by("-framework__valid_from").first()


def issue_notice(plan, agency):
    notice = services.conclusion_prepare(plan=plan, agency=agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    return notice


def recommend(finding, status, responsible=None, due=datetime.date(2023, 12, 1)):
    recommendation = services.recommendation_add(
        finding=finding, responsible=responsible or finding.visit.agency, text="Khắc phục.",
        deadline_kind="date", deadline_date=due,
    )  # fmt: skip
    if status != RecommendationStatus.OPEN:
        services.remediation_verify(
            recommendation=recommendation, by=user("doanvien"),
            done=status == RecommendationStatus.DONE, note="Chưa đủ hồ sơ.",
        )  # fmt: skip
    return recommendation


def findings_of(visit, n: int):
    """n findings of each kind on the visit, in changing content areas (one without an area),
    with recommendations open, done and not done, some due in the future."""
    by = user("doanvien")
    for i in range(n):
        services.finding_add(
            visit=visit, by=by, kind=FindingKind.STRENGTH, description="Ưu điểm.",
            content_area=area(1 + i % 7),
        )  # fmt: skip
        services.finding_add(
            visit=visit, by=by, kind=FindingKind.GOOD_MODEL, description="Mô hình hay.",
            content_area=None if i == 0 else area(2),
        )  # fmt: skip
        shortcoming = services.finding_add(
            visit=visit, by=by, kind=FindingKind.SHORTCOMING, severity="moderate",
            description="Tồn tại.", content_area=area(3 + i % 3),
        )  # fmt: skip
        recommend(shortcoming, RecommendationStatus.OPEN)
        recommend(shortcoming, RecommendationStatus.DONE)
        recommend(shortcoming, RecommendationStatus.NOT_DONE)
        recommend(shortcoming, RecommendationStatus.OPEN, due=datetime.date(2099, 1, 1))


def build(extra: int = 0) -> dict:
    """The seed plan's round: a team with every target; visits done, scheduled and cancelled;
    a commune chosen in An Biên and visited; findings and recommendations; notices issued to
    An Biên and Thứ Ba (not to Sở Tư pháp); the outline sent and reports submitted on time,
    late, with and without coverage. `extra` adds more of everything. Plus a 2024 plan of the
    same province and a 2023 plan of Cà Mau, which An Giang's staff must never see."""
    plan = seed()
    noivu = user("noivu")
    team = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=noivu)
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=list(plan.targets.all()))
    an_bien = target("908/UBND")
    thu_ba = agency_by_ref("30985/UBND", DAY)
    services.communes_choose(target=an_bien, agencies=[thu_ba], by=noivu)

    def visit(ref, day, agency=None):
        t = target(ref)
        return services.visit_schedule(
            team=team, target=t, agency=agency or t.agency, date=day,
            start_time=datetime.time(8), end_time=datetime.time(11), place="Hội trường",
        )  # fmt: skip

    refs = VISITED[: 3 + min(extra, len(VISITED) - 3)]
    visits = {ref: visit(ref, datetime.date(2023, 9, 4 + i)) for i, ref in enumerate(refs)}
    commune = visit("908/UBND", datetime.date(2023, 9, 20), agency=thu_ba)
    for v in (visits["908/UBND"], commune, *list(visits.values())[3:]):
        services.minutes_save(
            visit=v, by=user("doanvien"), team_attendees="Đoàn", unit_attendees="Đơn vị",
            checked="Hồ sơ",
        )  # fmt: skip
    # A cancelled visit does not make its target scheduled.
    cancelled = visit("902/UBND", datetime.date(2023, 9, 15))
    Visit.objects.filter(pk=cancelled.pk).update(status=VisitStatus.CANCELLED)
    findings_of(visits["908/UBND"], 1 + extra)
    findings_of(commune, 1)
    findings_of(visits["91/STP"], 1)  # no notice: Sở Tư pháp sees none of it
    for ref in refs[3:]:
        findings_of(visits[ref], 1)
    issue_notice(plan, an_bien.agency)
    issue_notice(plan, thu_ba)

    outline = Outline.objects.create(plan=plan, target_deadline=datetime.date(2099, 7, 15))
    total_f = OutlineField.objects.create(
        outline=outline, order=1, label="Tổng số", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_TOTAL,
    )  # fmt: skip
    done_f = OutlineField.objects.create(
        outline=outline, order=2, label="Đã tự kiểm tra", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_DONE,
    )  # fmt: skip
    services.outline_send(outline=outline, by=noivu, day=plan.document_date)
    requests = list(ReportRequest.objects.filter(plan=plan).order_by("pk"))
    # Targets are due in 2099 (on time), the others were due 30/6/2023 (late).
    figures = [(10, 4), (10, 2), (10, 6), (10, 9), (10, 10), None, (10, 1), (20, 20)]
    submitters = [r for r in requests if r.agency.unit.code == "908"]
    submitters += [r for r in requests if r.is_target and r not in submitters][: 5 + extra]
    submitters += [r for r in requests if not r.is_target][: 3 + extra]
    for i, request in enumerate(submitters):
        pair = figures[i % len(figures)]
        values = {str(total_f.pk): pair[0], str(done_f.pk): pair[1]} if pair else {}
        services.submission_create(
            request=request, by=noivu, deliverable="report", file=pdf(), values=values,
            explanation="Đang sắp xếp bộ máy.",
        )  # fmt: skip
        if i % 3 == 1:  # a second version, so that "latest" matters
            services.submission_create(
                request=request, by=noivu, deliverable="report", file=pdf(),
                values={str(total_f.pk): 10, str(done_f.pk): 8},
            )  # fmt: skip

    later, _notes = services.plan_copy(
        source=plan, year=2024, document_date=datetime.date(2024, 2, 1), by=noivu
    )
    services.plan_submit(plan=later, by=noivu)
    services.plan_approve(plan=later, by=user("lanhdao"))
    services.plan_issue(plan=later, by=noivu)

    ca_mau_agency = agency_by_ref("96/SNV", AG_2026)
    ca_mau = Plan.objects.create(
        issuer=ca_mau_agency, year=2023, number=7, status=PlanStatus.ISSUED, place="Cà Mau",
        document_date=DAY, summary="Kiểm tra CCHC tỉnh Cà Mau", created_by=user("camau"),
    )  # fmt: skip
    PlanTarget.objects.create(plan=ca_mau, agency=ca_mau_agency)
    ReportRequest.objects.create(plan=ca_mau, agency=ca_mau_agency, deadline=DAY)
    return {"plan": plan, "later": later, "ca_mau": ca_mau}


# Independent counts --------------------------------------------------------------------------


def provinces_of(persona):
    return scope_for(user(persona)).province_ids


def expected(persona: str, year: int, level: str = "") -> dict:
    """The dashboard's figures counted from the database with plain filters."""
    today = timezone.localdate()
    provinces = provinces_of(persona)
    plans = Plan.objects.filter(status=PlanStatus.ISSUED, year=year)
    if provinces is not None:
        plans = plans.filter(province_id__in=provinces)
    targets = PlanTarget.objects.filter(plan__in=plans)
    requests = ReportRequest.objects.filter(plan__in=plans)
    findings = Finding.objects.filter(visit__plan__in=plans)
    recommendations = Recommendation.objects.filter(finding__visit__plan__in=plans)
    if level:
        targets = targets.filter(agency__unit__level=level)
        requests = requests.filter(agency__unit__level=level)
        findings = findings.filter(visit__agency__unit__level=level)
        recommendations = recommendations.filter(responsible__unit__level=level)
    scope = scope_for(user(persona))
    if not scope.is_admin and scope.role == "reporter":
        # A unit: its own requests; its own findings and the recommendations addressed to it,
        # once the notice to the visited unit is issued.
        def issued(visit):
            return ConclusionNotice.objects.filter(
                plan=visit.plan, agency=visit.agency, status="issued"
            ).exists()

        requests = requests.filter(agency_id=scope.agency_id)
        mine = [f.pk for f in findings.filter(visit__agency_id=scope.agency_id) if issued(f.visit)]
        findings = findings.filter(pk__in=mine)
        addressed = recommendations.filter(responsible_id=scope.agency_id)
        recommendations = recommendations.filter(
            pk__in=[r.pk for r in addressed if issued(r.finding.visit)]
        )
    concluded = 0
    for t in targets:
        concluded += ConclusionNotice.objects.filter(
            plan=t.plan, agency=t.agency, status="issued"
        ).exists()
    out = {
        "targets": targets.count(),
        "scheduled": targets.filter(visits__status__in=["scheduled", "done"]).distinct().count(),
        "visited": targets.filter(visits__status="done").distinct().count(),
        "concluded": concluded,
        "requests": requests.count(),
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "overdue": 0,
        "lt50": 0,
        "lt80": 0,
        "lt100": 0,
        "full": 0,
        "no_figure": 0,
        "below_threshold": 0,
        "findings": findings.count(),
        "recs": recommendations.count(),
        "done": recommendations.filter(status="done").count(),
        "not_done": recommendations.filter(status="not_done").count(),
        "open": recommendations.filter(status="open").count(),
        "rec_overdue": recommendations.filter(
            status__in=["open", "not_done"], due_date__lt=today
        ).count(),
    }
    for request in requests:
        reports = list(Submission.objects.filter(request=request, deliverable="report"))
        if not reports:
            out["overdue"] += request.deadline < today
            continue
        out["submitted"] += 1
        on_time = any(not s.late for s in reports)
        out["on_time"] += on_time
        out["late"] += not on_time
        latest = max(reports, key=lambda s: s.version)
        out["below_threshold"] += latest.below_threshold
        c = latest.coverage
        if c is None:
            out["no_figure"] += 1
        elif c < 50:
            out["lt50"] += 1
        elif c < 80:
            out["lt80"] += 1
        elif c < 100:
            out["lt100"] += 1
        else:
            out["full"] += 1
    by_area_kind = {}
    for f in findings:
        key = (f.content_area_id, f.kind)
        by_area_kind[key] = by_area_kind.get(key, 0) + 1
    out["by_area_kind"] = by_area_kind
    out["by_level"] = {
        lvl: findings.filter(visit__agency__unit__level=lvl).count() for lvl in Level.values
    }
    return out


def board_for(persona, **filters):
    return dashboard(scope_for(user(persona)), **filters)


def values(figures: dict) -> dict:
    return {k: f.value for k, f in figures.items()}


# Figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["admin", "noivu", "lanhdao", "doanvien", "anbien", "tuphap", "thuba", "camau"]
)
@pytest.mark.parametrize("level", ["", Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
def test_every_figure_equals_an_independent_count(persona, level):
    """Scoping of every figure, too: the same counts restricted to what the persona may see."""
    build(extra=1)
    board = board_for(persona, year=2023, level=level)
    want = expected(persona, 2023, level)
    if persona in ("admin", "noivu", "lanhdao", "doanvien"):
        # The data exercise every figure (the seed has no commune target, but a chosen commune).
        assert (want["targets"] or level == Level.COMMUNE) and want["findings"] and want["recs"]
    if persona in ("anbien", "thuba") and not level:
        assert want["findings"] and want["recs"] and want["requests"] <= 1
    if board.is_unit:
        assert not board.round and not board.ranking
    else:
        assert values(board.round) == {
            k: want[k] for k in ("targets", "scheduled", "visited", "concluded")
        }
    s = values(board.self_inspection)
    assert s["requests"] == want["requests"]
    assert s["submitted"] == want["submitted"]
    assert s["on_time"] == want["on_time"]
    assert s["late"] == want["late"]
    assert s["not_submitted"] == want["requests"] - want["submitted"]
    assert s["overdue"] == want["overdue"]
    if want["requests"]:
        assert s["rate"] == round(want["submitted"] * 100 / want["requests"], 1)
    assert values(board.coverage) == {
        k: want[k] for k in ("lt50", "lt80", "lt100", "full", "no_figure", "below_threshold")
    }
    r = values(board.remediation)
    assert (r["total"], r["done"], r["not_done"], r["open"], r["overdue"]) == (
        want["recs"], want["done"], want["not_done"], want["open"], want["rec_overdue"],
    )  # fmt: skip
    assert r["unresolved"] == want["open"] + want["not_done"]
    if want["recs"]:
        assert r["rate"] == round(want["done"] * 100 / want["recs"], 1)
    assert board.findings_total.value == want["findings"]
    kinds = list(FindingKind)
    got = {}
    for row in board.findings_by_area:
        area_id = row.key
        for kind in kinds:
            if row.counts[kind].value:
                got[(area_id, kind.value)] = row.counts[kind].value
        assert row.total.value == sum(c.value for c in row.counts.values())
    assert got == want["by_area_kind"]
    by_level = {lvl: n for lvl, n in want["by_level"].items() if n}
    assert {row.key: row.total.value for row in board.findings_by_level} == by_level


def test_the_default_year_is_the_latest_with_an_issued_plan():
    build()
    board = board_for("noivu")
    assert board.year == 2024
    assert board.years == [2024, 2023]
    assert values(board.round)["targets"] == PlanTarget.objects.filter(plan__year=2024).count()


def test_comparison_of_years():
    build()
    board = board_for("noivu", year=2023)
    rows = {row.year: row.figures for row in board.comparison}
    assert set(rows) == {2023, 2024}
    for year, figures in rows.items():
        want = expected("noivu", year)
        assert figures["targets"].value == want["targets"]
        assert figures["findings"].value == want["findings"]
        rate = round(want["submitted"] * 100 / want["requests"], 1) if want["requests"] else None
        assert figures["submission_rate"].value == rate
        rate = round(want["done"] * 100 / want["recs"], 1) if want["recs"] else None
        assert figures["remediation_rate"].value == rate


def test_ranking_follows_the_stated_rule():
    build(extra=1)
    board = board_for("noivu", year=2023)
    assert board.ranking_rule.startswith("Xếp theo tỷ lệ khắc phục")
    rows = board.ranking
    plans = Plan.objects.filter(year=2023, status="issued", province_id__in=provinces_of("noivu"))
    recommendations = Recommendation.objects.filter(finding__visit__plan__in=plans)
    requests = ReportRequest.objects.filter(plan__in=plans)
    agencies = set(recommendations.values_list("responsible", flat=True)) | set(
        requests.values_list("agency", flat=True)
    )
    assert {r.agency_id for r in rows} == agencies
    for row in rows:
        mine = recommendations.filter(responsible_id=row.agency_id)
        assert (row.recommendations, row.done) == (mine.count(), mine.filter(status="done").count())
        theirs = requests.filter(agency_id=row.agency_id)
        on_time = theirs.filter(
            submissions__deliverable="report", submissions__late=False
        ).distinct()
        assert (row.requests, row.on_time) == (theirs.count(), on_time.count())
    keys = [r.sort_key for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert rows[0].rank == 1
    for before, after in itertools.pairwise(rows):  # dense: ties share a rank, then the next
        tie = after.sort_key == before.sort_key
        assert after.rank == (before.rank if tie else before.rank + 1)
        assert (before.tied and after.tied) if tie else True
    for row in rows:
        assert row.tied == (sum(1 for r in rows if r.rank == row.rank) > 1)
    # A unit without recommendations is not 100 % remedied: it comes after every unit with some.
    without = [r for r in rows if not r.recommendations]
    assert without and all(r.remediation_rate is None for r in without)
    assert rows[-len(without) :] == without


def test_ranking_shows_ties_units_without_recommendations_and_links_to_the_rows():
    build(extra=1)
    client = client_for("noivu")
    response = client.get(URL, {"year": 2023})
    board = response.context["board"]
    assert "đồng hạng" in response.text and "không có kiến nghị" in response.text
    # Every figure of a unit opens exactly the rows behind it.
    for row in board.ranking:
        if row.recommendations:
            listed = client.get(row.links["recommendations"]).context["page"].paginator.count
            assert listed == row.recommendations
            done = client.get(row.links["done"]).context["page"].paginator.count
            assert done == row.done
        requests = client.get(row.links["requests"]).context["page"].paginator.count
        assert requests == row.requests
        found = client.get(row.links["findings"]).context["page"].paginator.count
        assert found == row.findings


def test_findings_of_a_commune_count_under_the_commune():
    build()
    board = board_for("noivu", year=2023)
    by_name = {r.name: r for r in board.ranking}
    thu_ba = agency_by_ref("30985/UBND", DAY)
    an_bien = agency_by_ref("908/UBND", DAY)
    assert by_name[thu_ba.name].findings == Finding.objects.filter(visit__agency=thu_ba).count()
    assert by_name[an_bien.name].findings == Finding.objects.filter(visit__agency=an_bien).count()
    commune = next(r for r in board.findings_by_level if r.key == "commune")
    assert commune.total.value == Finding.objects.filter(visit__agency=thu_ba).count()


# Each unit beside its previous round ---------------------------------------------------------


def later_round(year: int, agencies, day) -> Plan:
    """An issued plan of `year` (new An Giang from 2026) with a self-inspection request to each
    agency, so that they are ranked."""
    plan = Plan.objects.create(
        issuer=agency_by_ref("91/SNV", day), year=year, number=5, status=PlanStatus.ISSUED,
        place="An Giang", document_date=day, summary=f"Kiểm tra CCHC năm {year}",
        created_by=user("noivu"),
    )  # fmt: skip
    for agency in agencies:
        PlanTarget.objects.create(plan=plan, agency=agency)
        ReportRequest.objects.create(plan=plan, agency=agency, deadline=day)
    return plan


def independent(agencies, year: int) -> dict[str, int]:
    """A unit's figures of `year` counted with plain filters (staff of An Giang see them all)."""
    plans = Plan.objects.filter(year=year, status=PlanStatus.ISSUED)
    recommendations = Recommendation.objects.filter(
        finding__visit__plan__in=plans, responsible__in=agencies
    )
    requests = ReportRequest.objects.filter(plan__in=plans, agency__in=agencies)
    return {
        "recommendations": recommendations.count(),
        "done": recommendations.filter(status=RecommendationStatus.DONE).count(),
        "requests": requests.count(),
        "on_time": requests.filter(submissions__deliverable="report", submissions__late=False)
        .distinct()
        .count(),
        "findings": Finding.objects.filter(
            visit__plan__in=plans, visit__agency__in=agencies
        ).count(),
    }


def figures_of(earlier) -> dict[str, int]:
    return {
        "recommendations": earlier.recommendations, "done": earlier.done,
        "requests": earlier.requests, "on_time": earlier.on_time, "findings": earlier.findings,
    }  # fmt: skip


def assert_links_open_the_rows(client, earlier) -> None:
    figures = figures_of(earlier)
    for key in ("recommendations", "done", "requests", "findings"):
        listed = client.get(earlier.links[key]).context["page"].paginator.count
        assert listed == figures[key], key


def test_a_unit_is_compared_with_its_own_previous_round():
    build(extra=1)
    an_bien = agency_by_ref("908/UBND", DAY)
    later_round(2024, [an_bien], datetime.date(2024, 2, 1))
    board = board_for("noivu", year=2024)
    (row,) = [r for r in board.ranking if r.agency_id == an_bien.pk]
    assert row.earlier.year == 2023 and row.earlier.predecessors == ()
    want = independent([an_bien], 2023)
    assert want["findings"] and want["recommendations"]
    assert figures_of(row.earlier) == want
    assert row.on_time_change == round(0 - row.earlier.on_time_rate, 1)
    assert_links_open_the_rows(client_for("noivu"), row.earlier)
    # A year without an earlier round has nothing to compare with.
    assert all(r.earlier is None for r in board_for("noivu", year=2023).ranking)


def test_a_commune_of_2026_is_compared_with_the_communes_it_was_formed_from():
    build(extra=1)
    thu_ba = agency_by_ref("30985/UBND", DAY)
    an_bien = agency_by_ref("908/UBND", DAY)
    heir_unit = thu_ba.unit.successors.get(level=Level.COMMUNE)
    heir = Agency.objects.valid_on(AG_2026).get(unit=heir_unit, kind=Agency.Kind.COMMITTEE)
    later_round(2026, [heir], AG_2026)
    board = board_for("noivu", year=2026)
    (row,) = [r for r in board.ranking if r.agency_id == heir.pk]
    # Its predecessors: the committees of the communes it was formed from; the abolished
    # district whose territory it also took (a successor link of the registry) is not a commune.
    formed_from = Agency.objects.filter(
        kind=Agency.Kind.COMMITTEE, unit__in=heir_unit.predecessors.filter(level=Level.COMMUNE),
        valid_to__lt=AG_2026,
    )  # fmt: skip
    assert thu_ba in formed_from and heir_unit.predecessors.filter(pk=an_bien.unit_id).exists()
    assert row.earlier.predecessors == tuple(sorted(a.name for a in formed_from))
    assert an_bien.name not in row.earlier.predecessors
    # Its previous round is 2023 (the 2024 plan has no figure of these communes).
    assert row.earlier.year == 2023
    want = independent(formed_from, 2023)
    assert want["findings"] and want["recommendations"]
    assert figures_of(row.earlier) == want
    client = client_for("noivu")
    assert_links_open_the_rows(client, row.earlier)
    html = client.get(URL, {"year": 2026}).text
    assert "So sánh với lần kiểm tra trước của từng đơn vị" in html
    assert f"gồm: {'; '.join(row.earlier.predecessors)}" in unescape(html)
    for link in row.earlier.links.values():
        assert f'href="{escape(link)}"' in html


@pytest.mark.parametrize("extra", [0, 4])
def test_query_count_with_the_reform_comparison_does_not_grow(extra):
    build(extra)
    thu_ba = agency_by_ref("30985/UBND", DAY)
    heir_unit = thu_ba.unit.successors.get(level=Level.COMMUNE)
    communes = Agency.objects.valid_on(AG_2026).filter(
        kind=Agency.Kind.COMMITTEE, unit__province=heir_unit.province, unit__level=Level.COMMUNE
    )
    heir = communes.get(unit=heir_unit)
    later_round(2026, [heir, *communes.exclude(pk=heir.pk)[: 2 + 10 * extra]], AG_2026)
    # As for 2023 (below): the lineage of the ranked units is one query, however many units and
    # reorganisations (the communes of 2025, those they were formed from, and theirs)
    assert _queries("noivu", {"year": 2026}) == 4 + PAGE_VERSION + 1 + 13 + 3


# Scope --------------------------------------------------------------------------------------


def test_a_reporter_sees_only_their_unit():
    build(extra=1)
    anbien = scope_for(user("anbien"))
    board = board_for("anbien", year=2023)
    assert board.is_unit and not board.round and not board.ranking and not board.by_plan
    mine = ReportRequest.objects.filter(plan=seed(), agency_id=anbien.agency_id)
    assert board.self_inspection["requests"].value == mine.count() == 1
    assert board.self_inspection["submitted"].value == 1
    findings = Finding.objects.filter(visit__plan=seed(), visit__agency_id=anbien.agency_id)
    assert board.findings_total.value == findings.count() > 0
    recs = Recommendation.objects.filter(
        finding__visit__plan=seed(), responsible_id=anbien.agency_id
    )
    assert board.remediation["total"].value == recs.count() > 0
    assert board.remediation["done"].value == recs.filter(status="done").count()
    for row in board.comparison:
        assert "targets" not in row.figures


def test_a_reporter_sees_no_finding_before_the_notice_is_issued():
    build()
    board = board_for("tuphap", year=2023)
    assert Finding.objects.filter(visit__agency__members__user__username="tuphap").exists()
    assert board.findings_total.value == 0
    assert board.remediation["total"].value == 0
    assert board.self_inspection["requests"].value == 1


def test_another_province_sees_none_of_an_giang():
    data = build(extra=1)
    board = board_for("camau", year=2023)
    assert [p.pk for p in board.plans] == [data["ca_mau"].pk]
    assert board.years == [2023]
    assert values(board.round) == {"targets": 1, "scheduled": 0, "visited": 0, "concluded": 0}
    assert board.self_inspection["requests"].value == 1
    assert board.findings_total.value == 0
    assert board.remediation["total"].value == 0
    assert [r.name for r in board.ranking] == [data["ca_mau"].issuer.name]
    page = client_for("camau").get(URL, {"year": 2023}).text
    for name in ("An Biên", "Tư pháp", "23/KH-UBND", "Kiên Giang", "Thứ Ba"):
        assert name not in page
    # And An Giang's staff never see Cà Mau's plan.
    assert data["ca_mau"].pk not in [p.pk for p in board_for("noivu", year=2023).plans]
    assert "Cà Mau" not in client_for("noivu").get(URL, {"year": 2023}).text


def test_administrators_see_every_province():
    data = build()
    board = board_for("admin", year=2023)
    assert {p.pk for p in board.plans} == {data["plan"].pk, data["ca_mau"].pk}
    assert len(board.by_plan) == 2


# Pages, permissions, links ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("tuphap", 200), ("anbien", 200), ("camau", 200)],
)  # fmt: skip
def test_permission_matrix(persona, status):
    build()
    assert client_for(persona).get(URL).status_code == status


def test_anonymous_goes_to_login():
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused():
    get_user_model().objects.create_user("khach", password="x")
    assert client_for("khach").get(URL).status_code == 403


def test_only_get():
    assert client_for("noivu").post(URL).status_code == 405


def test_the_url():
    assert reverse("reports:dashboard") == URL


HREF = re.compile(r'href="([^"#]+)"')


def _links(html: str) -> set[str]:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return {unescape(h) for h in HREF.findall(main)}


@pytest.mark.parametrize("persona", ["noivu", "lanhdao", "doanvien", "anbien", "tuphap", "admin"])
def test_every_link_opens_for_the_viewer(persona):
    build()
    client = client_for(persona)
    page = client.get(URL, {"year": 2023})
    links = _links(page.text)
    assert any("finding" in link for link in links) or persona == "tuphap"
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


def test_links_carry_the_filters():
    build()
    board = board_for("noivu", year=2023, level=Level.DISTRICT)
    assert board.remediation["overdue"].href == (
        reverse("inspections:recommendation-list") + "?status=overdue&year=2023&level=district"
    )
    plan = seed()
    assert board.round["scheduled"].href == reverse("inspections:schedule", args=[plan.pk])
    assert board.self_inspection["late"].href == reverse("inspections:progress", args=[plan.pk])
    strength = board.findings_by_area[0].counts[FindingKind.STRENGTH].href
    assert strength.startswith(reverse("inspections:finding-list") + "?year=2023&level=district")
    assert "kind=strength" in strength


def test_a_reporter_is_linked_to_their_own_lists_only():
    build()
    board = board_for("anbien", year=2023)
    assert board.self_inspection["submitted"].href == reverse("requests:request-list")


def test_the_page_shows_the_figures_charts_and_text_alternatives():
    build(extra=1)
    response = client_for("lanhdao").get(URL, {"year": 2023, "level": "district"})
    html = response.text
    board = response.context["board"]
    assert board.level == "district" and board.year == 2023
    assert html.count('role="img"') >= 5
    assert html.count("<title id=") == html.count('role="img"')
    assert "<table" in html and "Xếp hạng đơn vị" in html
    assert "style=" not in html and "<script>" not in html.replace("<script src=", "")
    for figures in (board.round, board.self_inspection, board.remediation):
        for figure in figures.values():
            assert f'href="{escape(figure.href)}"' in html


def test_an_invalid_filter_is_explained_and_ignored():
    build()
    response = client_for("noivu").get(URL, {"year": "abc", "level": "tinh"})
    assert response.status_code == 200
    assert "Năm phải là số" in response.text
    assert "Chọn cấp tỉnh, cấp huyện hoặc cấp xã" in response.text
    assert response.context["board"].year == 2024


def test_a_valid_filter_applies_beside_an_invalid_one():
    build()
    response = client_for("noivu").get(URL, {"year": 2023, "level": "tinh"})
    assert response.context["board"].year == 2023
    assert response.context["board"].level == ""


def test_a_year_without_a_plan_says_so():
    build()
    response = client_for("noivu").get(URL, {"year": 2030})
    assert "Năm 2030 chưa có kế hoạch kiểm tra nào đã ban hành" in response.text


def test_nothing_to_show_before_any_plan():
    Plan.objects.update(status=PlanStatus.DRAFT)
    response = client_for("noivu").get(URL)
    assert response.status_code == 200
    assert response.context["board"].year is None


# Query counts -------------------------------------------------------------------------------


def _queries(persona: str, params=None, *, kept: bool = False) -> int:
    """The queries of the dashboard computed (`kept`: served from the figures kept)."""
    client = client_for(persona)
    client.get(URL, params or {})  # warm the session (and the CSRF cookie)
    caches["pages"].clear()  # the page rendered, not served as kept (cchc/pagecache)
    if not kept:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 4])
def test_query_count_does_not_grow(extra, settings):
    settings.PAGE_SIZE = 5  # several pages of the ranking, at both sizes
    build(extra)
    # session, user, membership (scope), lineage; the data version read by the page cache, then
    # by the figures kept (`dashboard_kept`);
    # issued plans of the provinces (years and the round), targets, requests, recommendations,
    # findings, per year: targets, findings, requests, recommendations; ranking:
    # recommendations, requests and findings by unit and year, the ranked units' lineage (one
    # recursive query); session refresh (3)
    assert _queries("noivu", {"year": 2023}) == 4 + PAGE_VERSION + 1 + 13 + 3
    assert _queries("noivu", {"year": 2023, "level": "district"}) == 4 + PAGE_VERSION + 1 + 13 + 3
    # Asked again with nothing changed: the data version, and the figures kept.
    assert _queries("noivu", {"year": 2023}, kept=True) == 4 + PAGE_VERSION + 1 + 3
    # A page of the ranking, a search: the figures kept are paged and searched in Python.
    assert _queries("noivu", {"year": 2023, "page": 2}) == 4 + PAGE_VERSION + 1 + 13 + 3
    searched = {"year": 2023, "page": 2, "q": "huyen"}
    assert _queries("noivu", searched, kept=True) == 4 + PAGE_VERSION + 1 + 3


@pytest.mark.parametrize("extra", [0, 4])
def test_query_count_for_a_reporter_does_not_grow(extra):
    build(extra)
    # session, user, membership, lineage; the data version (page cache, figures kept);
    # plans, requests,
    # recommendations, findings; per year: findings, requests, recommendations; session refresh
    assert _queries("anbien", {"year": 2023}) == 4 + PAGE_VERSION + 1 + 7 + 3
    assert _queries("anbien", {"year": 2023}, kept=True) == 4 + PAGE_VERSION + 1 + 3


# Home page ----------------------------------------------------------------------------------


def test_the_home_page_shows_the_key_figures():
    build()
    response = client_for("lanhdao").get("/")
    summary = response.context["summary"]
    assert summary.year == 2024 and summary.round and not summary.findings_by_area
    assert "Số liệu chính — năm 2024" in response.text
    assert f'href="{escape(summary.remediation["overdue"].href)}"' in response.text
    assert reverse("reports:dashboard") in response.text


def test_a_unit_s_home_shows_its_own_figures():
    build()
    response = client_for("anbien").get("/")
    summary = response.context["summary"]
    assert summary.is_unit and not summary.round
    assert "Số liệu của đơn vị" in response.text
    mine = ReportRequest.objects.filter(agency__members__user__username="anbien", plan__year=2024)
    assert summary.self_inspection["requests"].value == mine.count()


def test_home_without_a_role_has_no_figures():
    get_user_model().objects.create_user("khach", password="x")
    response = client_for("khach").get("/")
    assert response.context["summary"] is None
    assert reverse("reports:dashboard") not in response.text


@pytest.mark.parametrize("extra", [0, 4])
def test_home_query_count_does_not_grow_with_the_round(extra):
    build(extra)
    client = client_for("lanhdao")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # session, user, membership (scope), lineage, membership with agency, unit counts, agency
    # count, recent plans; key figures: targets, requests, recommendations, the round's plan;
    # to-do (a leader, `inspections.todo`): plans, conclusion notices and results reports
    # waiting for approval, one count each; session refresh (3)
    assert len(queries) == 12 + 3 + 3


# Figures kept ---------------------------------------------------------------------------------


def test_figures_kept_are_recomputed_as_soon_as_the_data_changes():
    build()
    client = client_for("noivu")
    first = client.get(URL, {"year": 2023}).context["board"]
    again = client.get(URL, {"year": 2023}).context["board"]
    assert again.remediation["done"].value == first.remediation["done"].value
    recommendation = Recommendation.objects.filter(
        finding__visit__plan__year=2023, status=RecommendationStatus.OPEN
    ).first()
    recommendation.status = RecommendationStatus.DONE  # as a verification records it
    recommendation.save(update_fields=["status"])
    changed = client.get(URL, {"year": 2023}).context["board"]
    assert changed.remediation["done"].value == first.remediation["done"].value + 1
    # A row deleted changes the key too.
    alone = Finding.objects.filter(visit__plan__year=2023).exclude(
        pk__in=Recommendation.objects.values("finding")
    )
    alone.filter(pk=alone.order_by("pk").last().pk).delete()
    fewer = client.get(URL, {"year": 2023}).context["board"]
    assert sum(r.total.value for r in fewer.findings_by_area) == (
        sum(r.total.value for r in changed.findings_by_area) - 1
    )
    # A bulk update, which records no history, changes the key too (the data version).
    other = Recommendation.objects.filter(
        finding__visit__plan__year=2023, status=RecommendationStatus.OPEN
    ).first()
    Recommendation.objects.filter(pk=other.pk).update(status=RecommendationStatus.DONE)
    bulk = client.get(URL, {"year": 2023}).context["board"]
    assert bulk.remediation["done"].value == fewer.remediation["done"].value + 1


def test_figures_kept_are_each_viewers_own():
    build()
    staff = client_for("noivu").get(URL, {"year": 2023}).context["board"]
    unit = client_for("anbien").get(URL, {"year": 2023}).context["board"]
    assert not staff.is_unit and unit.is_unit and unit.ranking == []


# The ranking a page at a time ------------------------------------------------------------------

RANKING = "ranking-section"
HTMX = {"HX-Request": "true", "HX-Target": RANKING}


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _names(html: str) -> list[str]:
    """The units named in a table's row headers, in order."""
    return [
        unescape(n) for n in re.findall(r'<th scope="row">\s*<a href="[^"]+">([^<]+)</a>', html)
    ]


def test_the_ranking_is_shown_a_page_at_a_time_with_its_whole_list_ranks(settings):
    settings.PAGE_SIZE = 4
    build(extra=1)
    client = client_for("noivu")
    response = client.get(URL, {"year": 2023, "page": 2})
    board, page = response.context["board"], response.context["page"]
    assert len(board.ranking) > 2 * 4
    assert page.object_list == board.ranking[4:8]  # ranks and ties as in the whole list
    html = response.text
    ranking, comparison = _section(html, "s-ranking"), _section(html, "s-unit-years")
    ranks = re.findall(r'<td class="text-end text-nowrap">(\d+)', ranking)
    assert [int(r) for r in ranks] == [r.rank for r in board.ranking[4:8]]
    names = [r.name for r in board.ranking[4:8]]
    assert _names(ranking) == names and _names(comparison) == names  # the same units in both
    assert f"{len(board.ranking)} đơn vị" in ranking and "đang xem 5–8" in ranking
    assert 'href="?year=2023&amp;page=1"' in ranking and 'href="?year=2023&amp;page=3"' in ranking
    # The last page holds the rest, the ranks carried on.
    last = client.get(URL, {"year": 2023, "page": page.paginator.num_pages}).context["page"]
    assert last.object_list[-1] == board.ranking[-1]


def test_the_pages_keep_the_year_the_level_and_the_search(settings):
    settings.PAGE_SIZE = 1
    build(extra=1)
    response = client_for("noivu").get(URL, {"year": 2023, "level": "district", "q": "huyen"})
    page = response.context["page"]
    assert page.paginator.num_pages > 1
    assert all("huyen" in r.search_name for r in page.paginator.object_list)
    assert 'href="?year=2023&amp;level=district&amp;q=huyen&amp;page=2"' in response.text
    # The search keeps the year and the level of the figures.
    search = response.text[response.text.index('role="search" aria-label="Tìm đơn vị') :]
    search = search[: search.index("</form>")]
    assert 'name="year" value="2023"' in search and 'name="level" value="district"' in search


def test_the_ranking_is_searched_without_diacritics_or_case_keeping_ranks():
    build(extra=1)
    client = client_for("noivu")
    board = client.get(URL, {"year": 2023}).context["board"]
    an_bien = agency_by_ref("908/UBND", DAY)
    whole = next(r for r in board.ranking if r.agency_id == an_bien.pk)
    for query in ("an bien", "AN BIÊN", "  huyện   an Bien "):
        response = client.get(URL, {"year": 2023, "q": query})
        rows = response.context["page"].object_list
        assert whole in rows, query  # with its rank in the whole ranking
        assert all(all(w in r.search_name for w in fold(query).split()) for r in rows)
        assert _names(_section(response.text, "s-unit-years")) == [r.name for r in rows]
    # "Sở" and "so" alike; every unit whose folded name has the word.
    rows = client.get(URL, {"year": 2023, "q": "so"}).context["page"].paginator.object_list
    assert rows == [r for r in board.ranking if "so" in fold(r.name)]
    response = client.get(URL, {"year": 2023, "q": "Không có tên này"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    assert "Không có đơn vị nào có tên khớp “Không có tên này”" in unescape(response.text)
    assert "So sánh với lần kiểm tra trước của từng đơn vị" not in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [({"page": "abc"}, "Số trang phải là số"), ({"page": "0"}, "Số trang bắt đầu từ 1"),
     ({"page": "-3"}, "Số trang bắt đầu từ 1"), ({"page": "1.5"}, "Số trang phải là số"),
     ({"page": "999"}, "Không có trang 999: đang xem trang cuối"),
     ({"page": "9" * 30}, "đang xem trang cuối"),
     ({"q": "x" * 101}, "Từ khóa tìm đơn vị dài 101 ký tự, tối đa 100 ký tự")],
)  # fmt: skip
def test_a_bad_page_or_search_is_explained_and_the_ranking_still_shown(params, message, settings):
    settings.PAGE_SIZE = 4
    build()
    response = client_for("noivu").get(URL, {"year": 2023, **params})
    assert response.status_code == 200
    ranking = _section(response.text, "s-ranking")
    assert message in ranking
    page = response.context["page"]
    assert page.paginator.count == len(response.context["board"].ranking)  # the search ignored
    assert page.number in (1, page.paginator.num_pages) and page.object_list
    assert response.context["board"].year == 2023  # the figures' filters still apply
    assert "Bộ lọc không hợp lệ được bỏ qua" not in response.text  # that is the figures' alert


def test_htmx_gets_the_ranking_block_alone(settings):
    settings.PAGE_SIZE = 4
    build(extra=1)
    client = client_for("noivu")
    response = client.get(URL, {"year": 2023, "page": 2}, headers=HTMX)
    assert next(t.name for t in response.templates) == "reports/_ranking_section.html"
    html = response.text
    assert html.lstrip().startswith(f'<div id="{RANKING}" hx-target="this"')
    assert "<html" not in html and "Tiến độ đợt kiểm tra" not in html
    assert _names(html) == 2 * [r.name for r in response.context["page"]]
    # Its links and search are plain links and a plain form, boosted by htmx when it runs.
    assert 'hx-boost="true"' in html and 'href="?year=2023&amp;page=3"' in html
    whole = client.get(URL, {"year": 2023, "page": 2})
    assert html.strip() in whole.text  # the same block as on the whole page
    # Another element, or a history restore, gets the whole page.
    other = client.get(URL, {"year": 2023}, headers={"HX-Request": "true", "HX-Target": "main"})
    assert "<html" in other.text
    restore = client.get(
        URL, {"year": 2023}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text
    # A unit has no ranking: the whole page, its own figures.
    unit = client_for("anbien").get(URL, {"year": 2023}, headers=HTMX)
    assert "<html" in unit.text and RANKING not in unit.text


@pytest.mark.parametrize("extra", [0, 4])
def test_the_htmx_block_costs_as_many_queries_at_both_sizes(extra, settings):
    settings.PAGE_SIZE = 3
    build(extra)
    client = client_for("noivu")
    client.get(URL, {"year": 2023})
    cache.clear()
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"year": 2023, "page": 2}, headers=HTMX).status_code == 200
    assert len(queries) == 4 + PAGE_VERSION + 1 + 13 + 3  # as the whole page (above)


# The whole ranking as a download --------------------------------------------------------------

EXPORT_CSV = reverse("reports:dashboard-export", args=["csv"])
EXPORT_XLSX = reverse("reports:dashboard-export", args=["xlsx"])


def _csv_rows(response) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if "Hạng" in row)
    return rows[header + 1 :]


def test_the_download_holds_the_whole_ranking_with_the_comparison(settings):
    settings.PAGE_SIZE = 4
    build(extra=1)
    client = client_for("noivu")
    board = client.get(URL, {"year": 2023}).context["board"]
    response = client.get(EXPORT_CSV, {"year": 2023, "page": 2})  # never one page
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [(int(r[0]), r[2]) for r in rows] == [(r.rank, r.name) for r in board.ranking]
    for line, row in zip(rows, board.ranking, strict=True):
        assert line[1] == ("Có" if row.tied else "Không")
        assert [int(v) for v in line[3:5]] == [row.recommendations, row.done]
        assert [int(v) for v in (line[6], line[7], line[9])] == [row.requests, row.on_time,
                                                                 row.findings]  # fmt: skip
    sheet = load_workbook(io.BytesIO(client.get(EXPORT_XLSX, {"year": 2023}).content)).active
    assert "Xếp hạng đơn vị năm 2023" in sheet.cell(1, 1).value
    names = [sheet.cell(r, 3).value for r in range(FIRST_DATA_ROW, sheet.max_row + 1)]
    assert names == [r.name for r in board.ranking]
    # With the search of the page: its rows, ranks kept.
    found = _csv_rows(client.get(EXPORT_CSV, {"year": 2023, "q": "an bien"}))
    wanted = [r for r in board.ranking if "an bien" in r.search_name]
    assert wanted and [(int(r[0]), r[2]) for r in found] == [(r.rank, r.name) for r in wanted]


def test_the_download_carries_the_previous_round():
    build()
    thu_ba = agency_by_ref("30985/UBND", DAY)
    heir_unit = thu_ba.unit.successors.get(level=Level.COMMUNE)
    heir = Agency.objects.valid_on(AG_2026).get(kind=Agency.Kind.COMMITTEE, unit=heir_unit)
    later_round(2026, [heir], AG_2026)
    client = client_for("noivu")
    row = next(
        r
        for r in client.get(URL, {"year": 2026}).context["board"].ranking
        if r.agency_id == heir.pk
    )
    line = next(r for r in _csv_rows(client.get(EXPORT_CSV, {"year": 2026})) if r[2] == row.name)
    e = row.earlier
    assert int(line[10]) == e.year and line[11] == "; ".join(e.predecessors)
    assert [int(v) for v in (line[12], line[13], line[16], line[17], line[20])] == [
        e.recommendations, e.done, e.requests, e.on_time, e.findings
    ]  # fmt: skip


def test_a_large_ranking_download_is_a_job_with_the_same_rows(settings):
    build()
    client = client_for("noivu")
    inline = client.get(EXPORT_CSV, {"year": 2023})
    settings.EXPORT_INLINE_MAX_ROWS = 3
    response = client.get(EXPORT_CSV, {"year": 2023})
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:job", args=[job.pk]
    )
    assert job.params["export"] == "ranking" and job.params["query"] == "year=2023"
    done = client.get(reverse("reports:job-download", args=[job.pk]))
    assert b"".join(done.streaming_content) == inline.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 200),
     ("tuphap", 404), ("anbien", 404), ("camau", 200)],
)  # fmt: skip
def test_the_download_s_permission_matrix(persona, status):
    build()
    response = client_for(persona).get(EXPORT_CSV, {"year": 2023})
    assert response.status_code == status
    if persona == "camau":  # their own province only
        text = response.content.decode("utf-8-sig")
        assert "An Biên" not in text and Plan.objects.get(number=7, year=2023).issuer.name in text


def test_the_download_refuses_anonymous_no_role_and_post():
    response = client_for(None).get(EXPORT_CSV)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    get_user_model().objects.create_user("khach", password="x")
    assert client_for("khach").get(EXPORT_CSV).status_code == 403  # as the page
    assert client_for("noivu").post(EXPORT_CSV).status_code == 405
    assert (
        client_for("noivu").get(reverse("reports:dashboard-export", args=["pdf"])).status_code
        == 404
    )
