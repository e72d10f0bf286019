"""The world of `world.py`, built once per module inside a transaction that is rolled back when
the module ends (each test runs in a savepoint of it, as usual), with its files in a temporary
folder."""

from __future__ import annotations

import pytest
from django.db import transaction

from cchc.tests.world import World, build_world


@pytest.fixture(scope="module")
def module_private_files(tmp_path_factory):
    """`private_files` (see the root conftest) for a whole module."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage
    from django.db.models import FileField

    from inspections.models import private_storage

    storage = FileSystemStorage(location=tmp_path_factory.mktemp("private"))
    with pytest.MonkeyPatch.context() as patch:
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, FileField) and field.storage is private_storage():
                    patch.setattr(field, "storage", storage)
        yield storage.location


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_private_files) -> World:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
