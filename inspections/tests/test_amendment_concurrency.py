"""The same amendment issued twice at the same moment (threads, each with its own connection;
SQLite and PostgreSQL): one number, its changes applied once, the other request told why, never
a server error."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import NoticeStatus, NumberRegister, Plan, PlanAmendment, PlanTarget
from inspections.tests.factories import DAY, seed, user
from inspections.tests.test_concurrency import concurrent, in_parallel, registry_committed
from units.services import agency_by_ref

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

__all__ = ["registry_committed"]  # the fixture `concurrent` asks for


@concurrent
def test_the_same_amendment_issued_twice_at_once_takes_one_number_and_applies_once():
    amendment = services.amendment_start(plan=seed(), by=user("noivu"))
    health = agency_by_ref("91/SYT", DAY)
    services.amendment_target_add(amendment=amendment, agency=health)
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=user("lanhdao"), approve=True)
    clients = [client_for("noivu") for _ in range(2)]
    url = reverse("inspections:amendment-issue", args=[amendment.pk])

    def issue(i: int) -> list[str]:
        response = clients[i].post(url, {"document_date": "15/09/2023"})
        assert response.status_code == 302, response.status_code
        return [str(m) for m in get_messages(response.wsgi_request)]

    said = in_parallel(2, issue)
    assert all(isinstance(messages, list) for messages in said), said
    flat = sorted(m for messages in said for m in messages)
    amendment = PlanAmendment.objects.get(pk=amendment.pk)
    # The second is refused and told why: it waited on the first (the conflict), or it read the
    # amendment once the first had committed (already issued) — which one depends on timing.
    assert len(flat) == 2 and "Đã ban hành; các điều chỉnh đã áp dụng vào kế hoạch." in flat, flat
    assert {
        "Một người khác vừa thay đổi văn bản điều chỉnh kế hoạch này nên thao tác của bạn không "
        "được thực hiện. Hãy tải lại trang và thử lại.",
        f"Văn bản điều chỉnh kế hoạch số {amendment.number_display} đã ban hành.",
    } & set(flat), flat
    assert amendment.status == NoticeStatus.ISSUED and amendment.number is not None
    assert PlanTarget.objects.filter(plan=seed(), agency=health).count() == 1


@concurrent
def test_a_plan_and_an_amendment_issued_at_once_take_two_numbers_of_their_one_register():
    """Two kinds, one register (Kiên Giang's committee, KH-UBND, 2023), each through its step
    view at the same moment: two consecutive numbers, neither answered 500."""
    noivu, lanhdao = user("noivu"), user("lanhdao")
    amendment = services.amendment_start(plan=seed(), by=noivu)
    services.amendment_target_add(amendment=amendment, agency=agency_by_ref("91/SYT", DAY))
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=lanhdao, approve=True)
    plan, _notes = services.plan_copy(
        source=seed(), year=2023, document_date=datetime.date(2023, 9, 1), by=noivu
    )
    services.plan_submit(plan=plan, by=noivu)
    services.plan_approve(plan=plan, by=lanhdao)
    assert amendment.symbol == plan.symbol and plan.issuer == seed().issuer
    urls = [
        reverse("inspections:amendment-issue", args=[amendment.pk]),
        reverse("inspections:plan-issue", args=[plan.pk]),
    ]
    clients = [client_for("noivu") for _ in urls]
    statuses = in_parallel(
        2, lambda i: clients[i].post(urls[i], {"document_date": "15/09/2023"}).status_code
    )
    assert statuses == [302, 302], statuses
    numbers = [
        PlanAmendment.objects.get(pk=amendment.pk).number,
        Plan.objects.get(pk=plan.pk).number,
    ]
    assert None not in numbers and sorted(numbers)[1] == sorted(numbers)[0] + 1, numbers
    register = NumberRegister.objects.get(issuer=plan.issuer, year=2023, symbol=plan.symbol)
    assert set(numbers) <= set(register.issued.values_list("number", flat=True))
