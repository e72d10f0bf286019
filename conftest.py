"""Test set-up shared by every app: the real reference data and the demo personas, loaded once."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command


def load_reference_and_demo_data() -> None:
    call_command("load_reference_data", verbosity=0, stdout=_Null())
    call_command("load_content_areas", verbosity=0, stdout=_Null())
    call_command("load_holidays", verbosity=0, stdout=_Null())
    call_command("load_demo_users", verbosity=0, stdout=_Null())
    call_command("load_seed_plan", verbosity=0, stdout=_Null())


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped registry and the demo accounts."""
    from inspections.signals import issued_as_loaded_data

    # The seed plan, issued by its loader, is not rendered now (into the real private folder)
    # but kept at its first download, in the test's own folder.
    with issued_as_loaded_data(), django_db_blocker.unblock():
        load_reference_and_demo_data()


@pytest.fixture(scope="session", autouse=True)
def _private_folder_of_this_run(tmp_path_factory):
    """Private storage writes to a temporary folder of this run (of each pytest-xdist worker),
    never to the checkout's `private/`: two runs, or two workers, never share a file. The
    storage object is kept (file fields hold it), only its location changes."""
    from django.core.files.storage import FileSystemStorage

    from inspections.models import private_storage

    storage = private_storage()
    if not isinstance(storage, FileSystemStorage):
        yield
        return
    kept = storage._location
    storage._location = str(tmp_path_factory.mktemp("private"))
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)
    yield
    storage._location = kept
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)


@pytest.fixture(scope="module")
def national_registry(django_db_setup, django_db_blocker):
    """The whole country from `vietnam-provinces` on top of the shipped registry, for the tests
    of one module; rolled back when the module ends, because the other tests count the units of
    the shipped registry. Yields the load's report."""
    from django.db import connection, transaction

    from units.national import national_registry_load

    with django_db_blocker.unblock(), transaction.atomic():
        report = national_registry_load()
        # Check the deferred foreign keys of the load now, at this level: otherwise PostgreSQL
        # checks them again at the end of every test (each test's savepoint is rolled back).
        connection.check_constraints()
        yield report
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the dashboard keeps its figures there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Every file field in private storage writes to a temporary folder instead (a field's
    storage is bound when the model is imported, so settings cannot redirect it)."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage
    from django.db.models import FileField

    from inspections.models import private_storage

    storage = FileSystemStorage(location=tmp_path)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and field.storage is private_storage():
                monkeypatch.setattr(field, "storage", storage)
    return tmp_path


# Browser tests drive Debian's Chromium (never a downloaded browser) against live_server; the ORM
# is then used from the thread that runs Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# What every browser test module sets as `pytestmark`.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.environ.get("CI"),
        reason="Chromium is not installed (apt-get install chromium); CI always runs this test",
    ),
]


@pytest.fixture
def site(live_server):
    """The live server's URL, with the registry and demo accounts loaded (idempotent): the
    transactional tests before this one may have emptied the database."""
    from inspections.signals import issued_as_loaded_data

    with issued_as_loaded_data():
        load_reference_and_demo_data()
    return live_server.url


def sign_in(page, site: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("cchc-demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def signed_in(browser, site: str, username: str):
    """A new browser context (its own cookies) with `username` signed in: one per person."""
    page = browser.new_context().new_page()
    sign_in(page, site, username)
    return page


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: they run on live_server in transactions that empty the database when
    they end (the other tests rely on the registry loaded once per session). pytest-playwright
    parametrizes every test by browser, which otherwise interleaves them."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def spied(monkeypatch, settings, tmp_path):
    """Counts the multipart parses and the temporary upload files; the temporary folder is a
    fresh one, so that nothing written there can be missed (the body-limit tests)."""
    from django.core.files import uploadhandler
    from django.http.multipartparser import MultiPartParser

    temporary = tmp_path / "upload-tmp"
    temporary.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    seen = {"parses": 0, "temporary_files": 0, "folder": temporary}
    parse = MultiPartParser.parse

    def counted_parse(self):
        seen["parses"] += 1
        return parse(self)

    class CountedTemporaryFile(uploadhandler.TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            seen["temporary_files"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(MultiPartParser, "parse", counted_parse)
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", CountedTemporaryFile)
    return seen
