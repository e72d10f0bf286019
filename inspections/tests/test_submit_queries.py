"""Plan submission checks every target against the plan's province and date: the number of
queries is the same for 5 targets as for 40 (pinned)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import PlanItem, PlanStatus
from inspections.tests.factories import seed, user
from units.models import Agency

pytestmark = pytest.mark.django_db

# session, user, membership, lineage, the plan; the checks: targets, items, the targets with
# their agencies and units, the plan's province, its lineage, whether it had districts; the
# transition (savepoint, insert, the issuer's province, update, history, release); session
# refresh (3)
QUERIES = 20


def plan_with_targets(count: int):
    model = seed()
    day = model.document_date
    plan = services.plan_create(
        by=user("noivu"), issuer=model.issuer, year=2023, place=model.place, document_date=day,
        summary="Kiểm tra công tác cải cách hành chính", signer_name="Nguyễn Thanh Nhân",
    )  # fmt: skip
    PlanItem.objects.create(plan=plan, order=1, heading="MỤC ĐÍCH, YÊU CẦU")
    agencies = [
        a
        for a in Agency.objects.filter(province_id=model.province_id).order_by("pk")
        if a.is_valid_on(day)
    ][:count]
    assert len(agencies) == count
    services.plan_targets_add(plan=plan, agencies=agencies)
    return plan


@pytest.mark.parametrize("count", [5, 40])
def test_submission_queries_do_not_grow_with_targets(count):
    plan = plan_with_targets(count)
    client = client_for("noivu")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("inspections:plan-submit", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED, [m.message for m in response.wsgi_request._messages]
    assert len(queries) == QUERIES, "\n".join(q["sql"][:150] for q in queries)
