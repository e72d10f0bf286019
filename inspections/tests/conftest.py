"""Fixtures shared by the inspection tests: the seed plan's first team with An Biên and Sở Tư
pháp, a visit to An Biên, and the seed plan's outline (sent or not)."""

from __future__ import annotations

import datetime

import pytest

from inspections import services
from inspections.models import (
    FieldKind,
    FieldRole,
    Outline,
    OutlineField,
    OutlineSection,
    Team,
    TeamRole,
)
from inspections.tests.factories import DAY, SENT_ON, schedule, seed, target, user
from units.services import agency_by_ref


@pytest.fixture
def team() -> Team:
    """Đoàn kiểm tra số 1, led by doanvien, with An Biên district and Sở Tư pháp."""
    team = services.team_create(plan=seed(), name="Đoàn kiểm tra số 1", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target("908/UBND"), target("91/STP")])
    return team


@pytest.fixture
def visit(team):
    """The team's visit to An Biên district on 05/02/2024."""
    return schedule(team, "908/UBND", datetime.date(2024, 2, 5))


@pytest.fixture
def outline() -> Outline:
    outline = Outline.objects.create(plan=seed(), target_deadline=datetime.date(2099, 7, 15))
    OutlineSection.objects.create(outline=outline, order=1, title="Công tác chỉ đạo, điều hành")
    OutlineField.objects.create(
        outline=outline, order=1, label="Tổng số phòng, ban, đơn vị", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_TOTAL,
    )  # fmt: skip
    OutlineField.objects.create(
        outline=outline, order=2, label="Số đã tự kiểm tra", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_DONE,
    )  # fmt: skip
    OutlineField.objects.create(
        outline=outline, order=3, label="Có mô hình mới", kind=FieldKind.BOOLEAN, required=False
    )
    return outline


@pytest.fixture
def sent(outline) -> Outline:
    services.outline_send(outline=outline, by=user("noivu"), day=SENT_ON)
    return outline
