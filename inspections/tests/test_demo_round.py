"""The demo round that `make run` loads: complete, coherent and loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from inspections.models import (
    ConclusionNotice,
    Recommendation,
    RemediationReport,
    ResultsReport,
    Submission,
    Visit,
)
from inspections.tests.factories import seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


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
