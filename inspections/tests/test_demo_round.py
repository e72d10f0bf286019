"""The demo round that `make run` loads: complete, coherent and loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from inspections.models import (
    ConclusionNotice,
    IssuedNumber,
    Minutes,
    Outline,
    Recommendation,
    RemediationReport,
    ResultsReport,
    Submission,
    Team,
    Visit,
)
from inspections.tests.factories import seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _in_order(rows) -> bool:
    """(date, number) pairs sorted by number have their dates in order too."""
    days = [day for day, _number in sorted(rows, key=lambda row: row[1])]
    return days == sorted(days)


def _the_chain_reads_as_a_records_office_s(plan) -> None:
    """Every issued document numbered and dated, in the chain's order; in each register the
    numbers follow the dates; no warning had to be confirmed."""
    report = ResultsReport.objects.get(plan=plan)
    outline = Outline.objects.get(plan=plan)
    teams = list(Team.objects.filter(plan=plan))
    minutes = list(Minutes.objects.filter(visit__plan=plan).select_related("visit"))
    notices = list(ConclusionNotice.objects.filter(plan=plan))
    assert outline.letter_number and plan.document_date <= outline.letter_date
    for team in teams:
        assert team.decision_number and plan.document_date <= team.decision_date
        assert team.schedule_number and team.decision_date <= team.schedule_date
        assert team.schedule_date <= min(v.date for v in team.visits.all())
    assert all(m.number and m.issued_on == m.visit.date for m in minutes)
    visit_days = {}
    for m in minutes:
        visit_days.setdefault(m.visit.agency_id, []).append(m.issued_on)
    for notice in notices:
        assert notice.number and max(visit_days[notice.agency_id]) <= notice.issued_on
    assert report.number and max(n.issued_on for n in notices) <= report.issued_on
    assert _in_order([(m.issued_on, m.number) for m in minutes])
    assert _in_order([(n.issued_on, n.number) for n in notices])
    assert not IssuedNumber.objects.exclude(warning="").exists()


def test_the_demo_round_is_complete_and_loaded_once():
    out = io.StringIO()
    call_command("load_demo_round", stdout=out)
    plan = seed()
    visits = Visit.objects.filter(plan=plan)
    assert visits.exists() and not visits.exclude(status="done").exists()
    # Every target visited, districts with the plan's number of communes.
    assert set(visits.values_list("target", flat=True)) == set(
        plan.targets.values_list("pk", flat=True)
    )
    for target in plan.targets.filter(agency__unit__level="district"):
        assert target.communes.count() == plan.communes_per_district
    # Every visited unit has an issued notice; the results report is issued.
    notices = ConclusionNotice.objects.filter(plan=plan)
    assert notices.count() == visits.values("agency").distinct().count()
    assert not notices.exclude(status="issued").exists()
    assert ResultsReport.objects.get(plan=plan).status == "issued"
    _the_chain_reads_as_a_records_office_s(plan)
    # Self-inspection in every state, dated in 2023.
    submissions = Submission.objects.filter(request__plan=plan)
    assert submissions.filter(late=True).exists() and submissions.filter(late=False).exists()
    assert submissions.filter(below_threshold=True).exists()
    assert plan.requests.exclude(submissions__isnull=False).exists()
    assert {s.submitted_at.year for s in submissions} == {2023}
    # Recommendations in every state, with remediation reports.
    statuses = set(
        Recommendation.objects.filter(finding__visit__plan=plan).values_list("status", flat=True)
    )
    assert statuses == {"open", "done", "not_done"}
    assert RemediationReport.objects.exists()
    # A second run changes nothing.
    counts = (Visit.objects.count(), ConclusionNotice.objects.count(), Submission.objects.count())
    call_command("load_demo_round", stdout=out)
    assert (Visit.objects.count(), ConclusionNotice.objects.count(),
            Submission.objects.count()) == counts  # fmt: skip
    assert "đã có" in out.getvalue()
