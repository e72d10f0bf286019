"""Test set-up shared by every app: the real reference data and the demo personas, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def load_reference_and_demo_data() -> None:
    call_command("load_reference_data", verbosity=0, stdout=_Null())
    call_command("load_demo_users", verbosity=0, stdout=_Null())


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped registry and the demo accounts."""
    with django_db_blocker.unblock():
        load_reference_and_demo_data()
