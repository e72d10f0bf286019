"""Rendered pages kept while the data is unchanged (cchc/pagecache): a page is served again only
to the same user and session, for the same address and htmx target, on the same day, while no
write happened anywhere; its CSP nonce is never sent twice."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from cchc.localserver import database_url
from cchc.pagecache import version
from cchc.test import client_for
from conftest import load_reference_and_demo_data
from inspections.models import Plan
from inspections.tests.factories import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()


def _warm(client, url):
    """The first answer sets the CSRF cookie (a new key); the second is the one kept."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    return response


def _nonce(response) -> str:
    return re.search(r'nonce="([^"]+)"', response.text).group(1)


def test_a_page_is_served_again_with_a_new_nonce():
    client = client_for("noivu")
    url = reverse("inspections:plan-detail", args=[seed().pk])
    first = _warm(client, url)
    again = client.get(url)
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert _nonce(again) != _nonce(first)
    assert f"'nonce-{_nonce(again)}'" in again["Content-Security-Policy"]
    assert again.text.replace(_nonce(again), "N") == first.text.replace(_nonce(first), "N")


def test_any_write_makes_the_page_stale():
    client = client_for("noivu")
    plan = seed()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    _warm(client, url)
    # A queryset update sends no model signal: the connection sees it all the same.
    Plan.objects.filter(pk=plan.pk).update(summary="Tên kế hoạch đã sửa để kiểm thử")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Tên kế hoạch đã sửa để kiểm thử" in response.text


def test_a_page_is_kept_for_its_user_only():
    url = reverse("inspections:plan-list")
    _warm(client_for("noivu"), url)
    other = client_for("lanhdao")
    # Without a CSRF cookie yet: rendered for this browser, and not kept (its tokens are for
    # the cookie this answer sets).
    assert "X-Page-Cache" not in other.get(url)
    assert other.get(url)["X-Page-Cache"] == "miss"
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "X-Page-Cache" not in anonymous


def test_the_htmx_table_and_the_page_are_kept_apart():
    client = client_for("noivu")
    url = reverse("inspections:plan-detail", args=[seed().pk])
    page = _warm(client, url)
    table = client.get(url, headers={"HX-Request": "true", "HX-Target": "targets-section"})
    assert table["X-Page-Cache"] == "miss"
    assert len(table.content) < len(page.content)


def test_a_page_showing_a_message_is_not_kept():
    client = client_for("noivu")
    url = reverse("inspections:plan-list")
    _warm(client, url)
    storage = CookieStorage(None)
    client.cookies[CookieStorage.cookie_name] = storage._encode([_message("Đã lưu kế hoạch.")])
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "Đã lưu kế hoạch." in response.text
    # Shown once: the next answer is the kept page again, without it.
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Đã lưu kế hoạch." not in response.text


def _message(text):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    return Message(constants.SUCCESS, text)


def test_nothing_is_kept_when_turned_off():
    client = client_for("noivu")
    url = reverse("inspections:plan-list")
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)


def test_a_change_of_settings_makes_the_page_stale():
    client = client_for("noivu")
    url = reverse("inspections:plan-list")
    _warm(client, url)
    with override_settings(PAGE_SIZE=1):
        assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    ("sql", "write"),
    [
        ('SELECT "inspections_plan"."id" FROM "inspections_plan"', False),
        ("  select 1", False),
        ('SAVEPOINT "s1"', False),
        ('UPDATE "inspections_plan" SET "summary" = %s', True),
        ('INSERT INTO "inspections_finding" ("visit_id") VALUES (%s)', True),
        ('DELETE FROM "inspections_recommendation" WHERE id = 1', True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('TRUNCATE "inspections_plan"', True),
        ("WITH x AS (SELECT 1) UPDATE inspections_plan SET year = 2", True),
        ("WITH RECURSIVE x AS (SELECT 1) SELECT * FROM x", False),
    ],
)
def test_what_counts_as_a_write(sql, write):
    assert version.is_write(sql) is write


@pytest.mark.django_db(transaction=True)
def test_the_shared_version_moves_once_after_a_commit_and_never_after_a_rollback():
    def shared():
        return version.current()[0]

    before = shared()
    with transaction.atomic():
        Plan.objects.filter(year=2023).update(summary="Sửa lần một")
        Plan.objects.filter(year=2023).update(summary="Sửa lần hai")
        assert shared() == before  # not before the commit
    assert shared() == before + 1
    local = version.local()
    with transaction.atomic():
        Plan.objects.filter(year=2023).update(summary="Sửa rồi bỏ")
        transaction.set_rollback(True)
    assert shared() == before + 1
    assert version.local() > local  # this process counts it, to be safe


@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_makes_the_page_stale():
    """Another gunicorn worker, or another server sharing the database, writes: this process's
    kept page is not served again."""
    load_reference_and_demo_data()  # a transactional test before this one emptied the tables
    client = client_for("noivu")
    plan = seed()
    url = reverse("inspections:plan-detail", args=[plan.pk])
    _warm(client, url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    connection.close()  # SQLite: let the other process write
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url(), DEBUG="true")
    code = (
        "from inspections.models import Plan\n"
        f"Plan.objects.filter(pk={plan.pk}).update(summary='Sửa từ một tiến trình khác')\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    local = version.local()
    response = client.get(url)
    assert version.local() == local  # nothing written here: the shared version told
    assert response["X-Page-Cache"] == "miss"
    assert "Sửa từ một tiến trình khác" in response.text
