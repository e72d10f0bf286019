"""The synthetic data generator at a tiny scale: every kind of record in every state, within every
constraint and the invariants the services keep, the same for the same seed, removable without
touching the real registry; and the benchmark runs on it and writes its figures as JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max
from django.utils import timezone

from devtools import bench, synthetic
from inspections import services
from inspections.models import (
    ConclusionNotice,
    Deliverable,
    Finding,
    NumberRegister,
    Outline,
    Plan,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ReportRequest,
    ResultsReport,
    ReviewStatus,
    Submission,
    Team,
    Verification,
    Visit,
    VisitStatus,
)
from units.models import AdministrativeUnit, Agency, Membership
from units.text import fold

pytestmark = pytest.mark.django_db

# Large enough for re-inspections in the second year (a tenth of about twelve targets).
TINY = synthetic.Params(seed=7, scale=0.3, years=2)


@pytest.fixture
def province(private_files) -> AdministrativeUnit:
    synthetic.generate(numbers=[1], params=TINY)
    return synthetic.synthetic_provinces().get(code="TN01")


def test_every_kind_of_record_in_every_state(province):
    counts = synthetic.summary(["TN01"])["counts"]
    assert all(counts.values()), counts
    assert counts["plans"] == TINY.years
    assert 8 <= counts["findings"] / counts["visits"] <= 12  # about ten per visited target
    states = synthetic.states(["TN01"])
    assert set(states["recommendations"]) == {"open", "done", "not_done"}
    assert set(states["submissions"]) == {"submitted", "returned", "accepted"}
    assert set(states["late_submissions"]) == set(states["below_threshold"]) == {"True", "False"}
    assert set(states["findings"]) == {"strength", "shortcoming", "good_model"}
    assert set(states["targets"]) == {"inspection", "reinspection"}
    assert states["plans"] == {"issued": TINY.years}
    assert states["visits"] == {"done": counts["visits"]}
    assert states["notices"] == {"issued": counts["conclusion_notices"]}
    assert states["results_reports"] == {"issued": TINY.years}
    # Requests: every target, and every unit the service says must report besides.
    for plan in Plan.objects.filter(province=province):
        asked = set(plan.requests.values_list("agency", flat=True))
        targets = set(plan.targets.values_list("agency", flat=True))
        others = {a.pk for a in services.self_inspection_recipients(plan)}
        assert asked == targets | others
        assert set(plan.requests.filter(is_target=True).values_list("agency", flat=True)) == targets


def test_reserved_codes_and_marked_provinces(province):
    assert synthetic.Params.from_note(province.note) == TINY
    units = AdministrativeUnit.objects.filter(province=province)
    assert all(u.code.startswith("TN01X") for u in units)
    real = AdministrativeUnit.objects.exclude(pk=province.pk).exclude(province=province)
    assert not real.filter(code__startswith=synthetic.CODE_PREFIX).exists()
    assert all(code.isdigit() for code in real.values_list("code", flat=True))


def test_every_row_satisfies_the_model_constraints(province):
    plans = Plan.objects.filter(province=province)
    rows = [
        *AdministrativeUnit.objects.filter(province=province),
        *Agency.objects.filter(province=province),
        *Membership.objects.filter(province=province).select_related("agency", "province"),
        *plans,
        *ReportRequest.objects.filter(plan__in=plans),
        *Submission.objects.filter(request__plan__in=plans),
        *Team.objects.filter(plan__in=plans).prefetch_related("members"),
        *Visit.objects.filter(plan__in=plans),
        *Finding.objects.filter(visit__plan__in=plans),
        *Recommendation.objects.filter(finding__visit__plan__in=plans),
        *ConclusionNotice.objects.filter(plan__in=plans),
        *RemediationReport.objects.filter(recommendation__finding__visit__plan__in=plans),
        *ResultsReport.objects.filter(plan__in=plans),
    ]
    for team in (r for r in rows if isinstance(r, Team)):
        rows += list(team.members.all())
    for row in rows:
        row.full_clean()


def test_the_invariants_the_services_keep(province):
    plans = Plan.objects.filter(province=province)
    # Denormalised province and folded names, as save() fills them.
    for unit in AdministrativeUnit.objects.filter(province=province):
        assert unit.parent_id == province.pk and unit.search_name == fold(unit.name)
    for agency in Agency.objects.filter(province=province).select_related("unit"):
        assert agency.unit.province_root == province
    for plan in plans.select_related("issuer"):
        assert plan.province_id == plan.issuer.province_id
        assert plan.status == PlanStatus.ISSUED and plan.number
        assert list(plan.transitions.values_list("to_status", flat=True)) == [
            "draft", "submitted", "approved", "issued",
        ]  # fmt: skip
    # Every register ends at the last number its documents carry.
    issued = defaultdict(int)
    numbers = defaultdict(list)
    for issuer, year, symbol, number in [
        *plans.values_list("issuer", "document_date__year", "symbol", "number"),
        *Team.objects.filter(plan__in=plans).values_list(
            "plan__issuer", "decision_date__year", "decision_symbol", "decision_number"
        ),
        *ConclusionNotice.objects.filter(plan__in=plans).values_list(
            "plan__issuer", "issued_on__year", "symbol", "number"
        ),
        *ResultsReport.objects.filter(plan__in=plans).values_list(
            "issuer", "issued_on__year", "symbol", "number"
        ),
        *Outline.objects.filter(plan__in=plans).values_list(
            "plan__standing_agency", "letter_date__year", "letter_symbol", "letter_number"
        ),
    ]:
        issued[(issuer, year, symbol)] = max(issued[(issuer, year, symbol)], number)
        numbers[(issuer, year, symbol)].append(number)
    registers = NumberRegister.objects.filter(issuer__province=province)
    assert {(r.issuer_id, r.year, r.symbol): r.last_number for r in registers} == dict(issued)
    # … and records each number once, as `number_allocate` does.
    recorded = defaultdict(list)
    for register in registers.prefetch_related("issued"):
        key = (register.issuer_id, register.year, register.symbol)
        recorded[key] = [n.number for n in register.issued.all()]
    assert recorded == {key: sorted(given) for key, given in numbers.items()}
    # Submissions: coverage, flags and versions as submission_create and review leave them.
    for submission in Submission.objects.filter(request__plan__in=plans).select_related(
        "request__plan__outline"
    ):
        request = submission.request
        coverage = None
        if submission.deliverable == Deliverable.REPORT:
            coverage = services.coverage_of(request.plan.outline, submission.values)
            assert coverage is not None
            # submission_create refuses a coverage below the threshold without an explanation.
            assert bool(submission.explanation) == submission.below_threshold
        assert services.submission_figures(
            coverage=coverage,
            threshold=request.plan.self_inspection_threshold,
            day=timezone.localtime(submission.submitted_at).date(),
            deadline=request.deadline,
        ) == {
            "coverage": submission.coverage,
            "below_threshold": submission.below_threshold,
            "late": submission.late,
        }
        latest = request.submissions.filter(deliverable=submission.deliverable).aggregate(
            m=Max("version")
        )["m"]
        if submission.status == ReviewStatus.RETURNED:
            assert submission.version < latest
        else:
            assert submission.version == latest
    # Visits with minutes are done; recommendations have the due date recommendation_add gives.
    for visit in Visit.objects.filter(plan__in=plans):
        assert visit.status == VisitStatus.DONE and visit.minutes
    for recommendation in Recommendation.objects.filter(
        finding__visit__plan__in=plans
    ).select_related("finding__visit"):
        assert recommendation.due_date == services.due_date_of(
            start=recommendation.finding.visit.date,
            kind=recommendation.deadline_kind,
            date=recommendation.deadline_date,
            count=recommendation.deadline_count,
        )
        # Status is the latest verification's; remediation comes after the issued notice.
        latest = Verification.objects.filter(recommendation=recommendation).first()
        expected = (
            RecommendationStatus.OPEN if latest is None else services.verified_status(latest.done)
        )
        assert recommendation.status == expected
        notice = ConclusionNotice.objects.get(
            plan=recommendation.finding.visit.plan, agency=recommendation.finding.visit.agency
        )
        assert notice.issued_on > recommendation.finding.visit.date
        for report in recommendation.reports.all():
            assert timezone.localtime(report.submitted_at).date() > notice.issued_on


def test_same_seed_same_data_and_removal_leaves_the_registry(province):
    real = AdministrativeUnit.objects.exclude(code__startswith="TN").count()
    first = synthetic.summary(["TN01"])
    synthetic.delete([province.pk])
    assert synthetic.summary(["TN01"])["counts"] == dict.fromkeys(first["counts"], 0)
    assert AdministrativeUnit.objects.exclude(code__startswith="TN").count() == real
    synthetic.generate(numbers=[1], params=TINY)
    assert synthetic.summary(["TN01"]) == first
    synthetic.delete(synthetic.synthetic_provinces().values_list("pk", flat=True))
    synthetic.generate(numbers=[1], params=synthetic.Params(seed=8, scale=0.3, years=2))
    assert synthetic.summary(["TN01"])["digest"] != first["digest"]


def test_command_refuses_present_data_unless_told(private_files):
    out = StringIO()
    options = {"provinces": 1, "first": 98, "scale": 0.05, "years": 1, "stdout": out}
    call_command("generate_data", **options)
    assert "Đã sinh 1 tỉnh" in out.getvalue()
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_data", **options)
    call_command("generate_data", keep=True, **options)
    assert "đã có đủ" in out.getvalue()
    with pytest.raises(CommandError, match="tham số khác"):
        call_command("generate_data", keep=True, **{**options, "seed": 2})
    call_command("generate_data", replace=True, digest=True, **{**options, "seed": 2})
    assert "digest" in out.getvalue()
    assert synthetic.existing(["TN98"]) == {"TN98": synthetic.Params(seed=2, scale=0.05, years=1)}


def test_bench_runs_quickly_and_writes_json(private_files, tmp_path):
    synthetic.generate(numbers=[1], params=synthetic.Params(seed=1, scale=0.05, years=1))
    synthetic.generate(numbers=[2], params=synthetic.Params(seed=1, scale=0.15, years=1))
    output = tmp_path / "bench.json"
    call_command("bench", quick=True, output=str(output), stdout=StringIO(), stderr=StringIO())
    result = json.loads(output.read_text(encoding="utf-8"))
    assert set(result["sizes"]) == {"1×", "10×"}
    assert result["sizes"]["1×"]["data"]["province"] == "TN01"
    assert result["sizes"]["10×"]["data"]["province"] == "TN02"
    for size in result["sizes"].values():
        pages = size["pages"]
        assert set(pages) == {bench.FLOOR.key, *(page.key for page in bench.PAGES)}
        for key, figures in pages.items():
            if key == "dashboard" and figures["note"]:
                continue  # being finished elsewhere: the bench reports, never fails
            assert figures["status"] == 200, (key, figures)
            assert figures["queries"] > 0 and figures["median_ms"] > 0
            if not key.endswith("-pdf"):  # served again as kept, and measured apart
                assert figures["kept_median_ms"] > 0
            else:  # and rendered once from its data, kept or not
                assert figures["render_ms"] > 0, key
    assert result["seed_plan_pdf"]["status"] == 200 and result["seed_plan_pdf"]["render_ms"] > 0
    assert result["goals"] and result["machine"]["nproc"]
    rendered = [g for g in result["goals"] if "PDF" in g["goal"] and "rendered" in g["goal"]]
    assert len(rendered) == 2 and all(g["measured"] > 0 for g in rendered)
    assert "| plan-list |" in bench.table(result)
