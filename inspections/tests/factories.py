"""Builders shared by the inspection tests (the fixtures using them are in conftest.py)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from inspections import services
from inspections.models import Plan, PlanTarget
from units.services import agency_by_ref

DAY = datetime.date(2023, 8, 6)
# The covering letter's date: the plan's standing body, Sở Nội vụ of Kiên Giang, no longer exists
# today, so letters of the seed round are dated in 2023.
SENT_ON = datetime.date(2023, 8, 10)


def seed() -> Plan:
    """The seed plan 23/KH-UBND of Kiên Giang, 2023."""
    return Plan.objects.get(year=2023, number=23)


def user(name):
    return get_user_model().objects.get(username=name)


def target(ref: str) -> PlanTarget:
    return seed().targets.get(agency=agency_by_ref(ref, DAY))


def schedule(team, ref, day, announced=True):
    """A visit of `team` to the seed target `ref` (e.g. "908/UBND"), 8:00–11:00."""
    return services.visit_schedule(
        team=team, target=target(ref), agency=target(ref).agency, date=day,
        start_time=datetime.time(8), end_time=datetime.time(11), place="Hội trường",
        announced=announced,
    )  # fmt: skip
