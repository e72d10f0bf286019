"""Concurrent writes (issue 14, item 5): requests that arrive at the same moment, each from its own
thread with its own database connection, as under gunicorn. None answers 500; numbers and
versions stay distinct and consecutive; a request that truly conflicts (the same plan issued
twice) is refused with a Vietnamese message and changes nothing.

Runs on SQLite (the test database is a file, so each thread has its own connection) and on
PostgreSQL."""

from __future__ import annotations

import datetime
import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connections, transaction
from django.urls import reverse
from pypdf import PdfWriter

from cchc.conflicts import is_lock_timeout
from cchc.test import client_for
from conftest import load_reference_and_demo_data
from inspections import services
from inspections.models import (
    IssuedNumber,
    Minutes,
    NumberRegister,
    Plan,
    PlanStatus,
    PlanTransition,
    RemediationFile,
    RemediationReport,
    Submission,
)
from inspections.tests.factories import seed, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


# The threads' connections see only what is committed: these tests commit (and the tables are
# emptied after each, so the registry and demo accounts are loaded again first).
def concurrent(test):
    marks = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("registry_committed")]
    for mark in marks:
        test = mark(test)
    return test


PARALLEL = 6


def _pdf() -> bytes:
    """A real one-page PDF (whatever the upload check parses, it passes)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


def pdf_file(name: str) -> io.BytesIO:
    """A file to post with the test client (which sends its `name` as the file name)."""
    stream = io.BytesIO(PDF)
    stream.name = name
    return stream


@pytest.fixture
def registry_committed(transactional_db):
    load_reference_and_demo_data()


def in_parallel(count: int, work: Callable[[int], object]) -> list[object]:
    """`work(0)` … `work(count - 1)` in `count` threads released at the same moment; each
    answer, or the exception a thread met (as its repr, so that one assertion shows them all)."""
    barrier = threading.Barrier(count)

    def run(i: int) -> object:
        try:
            barrier.wait(timeout=60)
            return work(i)
        except Exception as error:
            return repr(error)
        finally:
            connections.close_all()  # this thread's connection, or the test database stays busy

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def approved_plans(count: int) -> list[Plan]:
    noivu, lanhdao = user("noivu"), user("lanhdao")
    plans = []
    for i in range(count):
        plan, _notes = services.plan_copy(
            source=seed(), year=2026, document_date=datetime.date(2026, 1, 4), by=noivu
        )
        plan.summary = f"Kiểm tra chuyên đề số {i + 1}"
        plan.save()
        services.plan_submit(plan=plan, by=noivu)
        services.plan_approve(plan=plan, by=lanhdao)
        plans.append(plan)
    return plans


def issue_through_the_page(client, plan: Plan):
    return client.post(
        reverse("inspections:plan-issue", args=[plan.pk]), {"document_date": "2026-01-05"}
    )


@concurrent
def test_six_plans_issued_at_the_same_moment_get_six_consecutive_numbers():
    plans = approved_plans(PARALLEL)
    clients = [client_for("noivu") for _ in plans]
    statuses = in_parallel(
        PARALLEL, lambda i: issue_through_the_page(clients[i], plans[i]).status_code
    )
    assert statuses == [302] * PARALLEL
    issued = Plan.objects.filter(pk__in=[p.pk for p in plans])
    assert set(issued.values_list("status", flat=True)) == {PlanStatus.ISSUED}
    assert sorted(issued.values_list("number", flat=True)) == list(range(1, PARALLEL + 1))
    register = NumberRegister.objects.get(issuer=plans[0].issuer, year=2026, symbol="KH-UBND")
    assert register.last_number == PARALLEL
    assert sorted(register.issued.values_list("number", flat=True)) == list(range(1, 7))


@concurrent
def test_the_same_plan_issued_twice_at_once_takes_one_number_and_says_why_once():
    (plan,) = approved_plans(1)
    clients = [client_for("noivu") for _ in range(2)]

    def issue(i: int) -> list[str]:
        response = issue_through_the_page(clients[i], plan)
        assert response.status_code == 302, response.status_code
        return [str(m) for m in get_messages(response.wsgi_request)]

    said = in_parallel(2, issue)
    assert all(isinstance(messages, list) for messages in said), said
    flat = sorted(m for messages in said for m in messages)
    # The second is refused and told why: it waited on the first (the conflict), or it read the
    # plan once the first had committed (already issued) — which one depends on timing.
    assert len(flat) == 2 and "Đã ban hành kế hoạch số 01/KH-UBND." in flat, flat
    assert {
        "Một người khác vừa thay đổi kế hoạch kiểm tra này nên thao tác của bạn không được thực "
        "hiện. Hãy tải lại trang và thử lại.",
        "Kế hoạch kiểm tra số 01/KH-UBND đã ban hành.",
    } & set(flat), flat
    plan.refresh_from_db()
    assert (plan.status, plan.number) == (PlanStatus.ISSUED, 1)
    register = NumberRegister.objects.get(issuer=plan.issuer, year=2026, symbol="KH-UBND")
    assert register.last_number == 1
    assert PlanTransition.objects.filter(plan=plan, to_status=PlanStatus.ISSUED).count() == 1


@concurrent
def test_six_uploads_of_one_units_report_at_once_get_six_consecutive_versions(sent):
    request = seed().requests.get(agency__members__user__username="anbien")
    total, done = sent.fields.filter(role__in=["coverage_total", "coverage_done"]).order_by("order")
    clients = [client_for("anbien") for _ in range(PARALLEL)]

    def upload(i: int) -> int:
        return (
            clients[i]
            .post(
                reverse("requests:submission-create", args=[request.pk]),
                {
                    "deliverable": "report",
                    f"f{total.pk}": "10",
                    f"f{done.pk}": "9",
                    "file": pdf_file(f"bao-cao-{i}.pdf"),
                },
            )
            .status_code
        )

    assert in_parallel(PARALLEL, upload) == [302] * PARALLEL
    versions = Submission.objects.filter(request=request).values_list("version", flat=True)
    assert sorted(versions) == list(range(1, PARALLEL + 1))


@concurrent
def test_six_remediation_reports_at_once_get_six_consecutive_versions(visit):
    finding = services.finding_add(
        visit=visit, by=user("doanvien"), kind="shortcoming", severity="moderate",
        description="Tồn tại: chậm trả kết quả.",
    )  # fmt: skip
    recommendation = services.recommendation_add(
        finding=finding, responsible=visit.agency, text="Xin lỗi người dân.",
        deadline_kind="working_days", deadline_count=15,
    )  # fmt: skip
    notice = services.conclusion_prepare(plan=visit.plan, agency=visit.agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    clients = [client_for("anbien") for _ in range(PARALLEL)]

    def report(i: int) -> int:
        return (
            clients[i]
            .post(
                reverse("inspections:remediation-create", args=[recommendation.pk]),
                {"text": f"Đã xin lỗi (lần {i})", "files": pdf_file("mc.pdf")},
            )
            .status_code
        )

    assert in_parallel(PARALLEL, report) == [302] * PARALLEL
    reports = RemediationReport.objects.filter(recommendation=recommendation)
    assert sorted(reports.values_list("version", flat=True)) == list(range(1, PARALLEL + 1))
    assert RemediationFile.objects.filter(report__in=reports).count() == PARALLEL


def test_the_register_refuses_a_number_twice_in_the_database():
    """Not a lookup before the insert: even when the caller's check misses a document, the
    register's issued numbers are unique (and a refused number changes nothing)."""
    issuer = seed().issuer
    with transaction.atomic():
        services.number_allocate(
            issuer=issuer, year=2030, symbol="KH-UBND", number=7, is_taken=lambda n: False
        )
    refused = pytest.raises(ValidationError, match="Số 07/KH-UBND đã cấp trong năm 2030")
    with refused, transaction.atomic():
        services.number_allocate(
            issuer=issuer, year=2030, symbol="KH-UBND", number=7, is_taken=lambda n: False
        )
    register = NumberRegister.objects.get(issuer=issuer, year=2030, symbol="KH-UBND")
    assert list(register.issued.values_list("number", flat=True)) == [7]
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedNumber.objects.create(register=register, number=7)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("database is locked"), 503),
        (IntegrityError("UNIQUE constraint failed: inspections_submission.version"), 409),
    ],
)
def test_a_database_conflict_left_over_is_a_vietnamese_page_not_a_500(monkeypatch, error, status):
    (plan,) = approved_plans(1)

    def conflicting(**kwargs):
        raise error

    monkeypatch.setattr(services, "plan_issue", conflicting)
    response = issue_through_the_page(client_for("noivu"), plan)
    assert response.status_code == status
    text = response.content.decode()
    assert "Một người khác vừa thay đổi" in text or "Hệ thống đang bận" in text
    assert "Hãy tải lại trang và thử lại" in text
    plan.refresh_from_db()
    assert (plan.status, plan.number) == (PlanStatus.APPROVED, None)


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("message", "sqlstate", "busy"),
    [
        ("database is locked", None, True),  # SQLite, after SQLITE_TIMEOUT
        ("could not serialize access", "40001", True),  # PostgreSQL serialization failure
        ("deadlock detected", "40P01", True),
        ("could not obtain lock", "55P03", True),  # lock_timeout / NOWAIT
        ("connection refused", "08006", False),  # the server is down: stays a 500
        ("no such table: x", None, False),
    ],
)
def test_which_database_errors_are_a_busy_page(message, sqlstate, busy):
    error = OperationalError(message)
    if sqlstate:
        error.__cause__ = _DriverError(sqlstate)
    assert is_lock_timeout(error) is busy


@concurrent
def test_six_minutes_issued_at_the_same_moment_take_six_numbers_of_one_register():
    """Six documents, one register (the committee's BB-ĐKT of 2024): six distinct numbers,
    none answered 500, none lost (`lifecycle.issue`)."""
    plan, noivu = seed(), user("noivu")
    team = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=noivu)
    targets = list(plan.targets.order_by("order", "pk")[:PARALLEL])
    services.team_targets_assign(team=team, targets=targets)
    visits = [
        services.visit_schedule(
            team=team, target=t, agency=t.agency, date=datetime.date(2024, 2, 5),
            start_time=datetime.time(7 + i), end_time=datetime.time(8 + i), place="Hội trường",
        )
        for i, t in enumerate(targets)
    ]  # fmt: skip
    for visit in visits:
        services.minutes_save(
            visit=visit, by=noivu, team_attendees="Đoàn", unit_attendees="Đơn vị", checked="Hồ sơ"
        )
    clients = [client_for("noivu") for _ in visits]
    statuses = in_parallel(
        PARALLEL,
        lambda i: (
            clients[i].post(reverse("inspections:minutes-issue", args=[visits[i].pk])).status_code
        ),
    )
    assert statuses == [302] * PARALLEL
    numbers = Minutes.objects.filter(visit__in=visits).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, PARALLEL + 1))
    register = NumberRegister.objects.get(issuer=plan.issuer, year=2024, symbol="BB-ĐKT")
    assert sorted(register.issued.values_list("number", flat=True)) == list(range(1, 7))
