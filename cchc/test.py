"""Personas and helpers for tests, named as in the README's demo accounts.

admin is the superuser; noivu (Home Affairs staff), lanhdao (leader), truongdoan and doanvien (team)
belong to new An Giang and see Kiên Giang's records too; tuphap, anbien and thuba report for 2023
Kiên Giang agencies; camau is staff of another province and should see nothing of An Giang.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.test import Client

from units.models import AdministrativeUnit

PERSONAS = ("admin", "noivu", "lanhdao", "truongdoan", "doanvien", "tuphap", "anbien", "thuba")
OUTSIDER = "camau"
# A kept page's view (cchc/pagecache) reads the data version once a browser holds its CSRF
# cookie, i.e. from its second request on.
PAGE_VERSION = 1

KG_2023 = datetime.date(2023, 6, 1)
AG_2026 = datetime.date(2026, 1, 1)


def client_for(username: str | None) -> Client:
    """A test client signed in as `username` (None: anonymous)."""
    client = Client()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def unit(code: str, on: datetime.date) -> AdministrativeUnit:
    """The unit with `code` valid on `on` (codes are reused: a date is always needed)."""
    return AdministrativeUnit.objects.valid_on(on).get(code=code)
