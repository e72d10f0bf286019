"""Two application servers (gunicorn processes on two ports) against one PostgreSQL database and
one shared storage location, as in the multi-server deployment of the README: a file uploaded
through one is served by the other, and plan numbers issued concurrently through both are never
duplicated. PostgreSQL only: SQLite is a single-machine database."""

from __future__ import annotations

import concurrent.futures
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from cchc.localserver import database_url, free_port
from conftest import load_reference_and_demo_data
from inspections import services
from inspections.models import Outline, OutlineField, Plan, Submission
from inspections.tests.factories import seed, user
from inspections.tests.test_uploads import pdf_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two servers need a shared PostgreSQL database"
    ),
]
PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed


@pytest.fixture(autouse=True)
def _data(db):
    load_reference_and_demo_data()  # a transactional test before this one emptied the tables


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_setup):
    """Two gunicorn servers with the production settings, sharing the test database and one
    upload folder (started once for the module)."""
    tmp_path = tmp_path_factory.mktemp("servers")
    storage = tmp_path / "shared-uploads"
    storage.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(storage),
        # The servers and this process share sessions (signed with the key) through the database.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "TESTING": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATIC_COMPRESS": "false",
    }
    # As a deployment does before starting the servers (production serves hashed static files).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True,
    )  # fmt: skip
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cchc.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(100):
                try:
                    if requests.get(f"{url}/healthz", timeout=10).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.1)
            else:
                pytest.fail(f"{url} did not start")
        yield urls, storage
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


class PlainHttpSession(requests.Session):
    """Production cookies are Secure; these servers speak plain HTTP on loopback, so the cookies
    they set (the session renewed on every request, the CSRF token) must still be sent back."""

    def prepare_request(self, request):
        for cookie in self.cookies:
            cookie.secure = False
        return super().prepare_request(request)


def _session_for(username: str) -> requests.Session:
    """A browser-like session signed in as `username` (the session lives in the shared DB)."""
    account = user(username)
    store = SessionStore()
    store[SESSION_KEY] = str(account.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = account.get_session_auth_hash()
    store.save()
    session = PlainHttpSession()
    session.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key, domain="127.0.0.1")
    return session


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.ok, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_a_file_uploaded_through_one_server_is_served_by_the_other(servers):
    (first, second), storage = servers
    outline = Outline.objects.create(plan=seed(), target_deadline=datetime.date(2099, 7, 15))
    fields = OutlineField.objects
    total = fields.create(
        outline=outline, order=1, label="Tổng", kind="number", role="coverage_total"
    )
    done = fields.create(outline=outline, order=2, label="Đã", kind="number", role="coverage_done")
    services.outline_send(outline=outline, by=user("noivu"), day=seed().document_date)
    request = seed().requests.get(agency__members__user__username="anbien")
    unit = _session_for("anbien")
    page = f"{first}/requests/{request.pk}/"
    response = unit.post(
        f"{first}/requests/{request.pk}/submit/",
        data={
            "csrfmiddlewaretoken": _csrf(unit, page),
            "deliverable": "report",
            f"f{total.pk}": "10",
            f"f{done.pk}": "9",
        },
        files={"file": ("bao-cao.pdf", PDF, "application/pdf")},
        headers={"Referer": page},
        timeout=30,
    )
    assert response.ok, response.status_code
    assert response.url.endswith(f"/requests/{request.pk}/"), response.url
    submission = Submission.objects.get(request=request)
    assert any(p.is_file() for p in Path(storage).rglob("*"))
    served = unit.get(f"{second}/requests/{request.pk}/files/{submission.pk}/", timeout=10)
    assert served.ok and served.content == PDF


def test_numbers_issued_concurrently_through_both_servers_are_never_duplicated(servers):
    (first, second), _storage = servers
    noivu, lanhdao = user("noivu"), user("lanhdao")
    plans = []
    for i in range(6):
        plan, _notes = services.plan_copy(
            source=seed(), year=2026, document_date=datetime.date(2026, 1, 4), by=noivu
        )
        plan.summary = f"Kiểm tra chuyên đề số {i + 1}"
        plan.save()
        services.plan_submit(plan=plan, by=noivu)
        services.plan_approve(plan=plan, by=lanhdao)
        plans.append(plan)
    staff = [_session_for("noivu"), _session_for("noivu")]
    tokens = [
        _csrf(s, f"{url}/plans/{plans[0].pk}/")
        for s, url in zip(staff, (first, second), strict=True)
    ]

    def issue(i: int) -> int:
        side = i % 2
        url = (first, second)[side]
        response = staff[side].post(
            f"{url}/plans/{plans[i].pk}/issue/",
            data={"csrfmiddlewaretoken": tokens[side], "document_date": "2026-01-05"},
            headers={"Referer": f"{url}/plans/{plans[i].pk}/"},
            timeout=30,
        )
        return response.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(issue, range(6)))
    assert all(status < 500 for status in statuses), statuses
    issued = Plan.objects.filter(pk__in=[p.pk for p in plans])
    numbers = sorted(issued.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_a_page_kept_by_one_server_is_not_served_once_the_other_writes(servers):
    """Each server keeps rendered pages in its own memory (cchc/pagecache); a write through the
    other one bumps the data version in the shared database, so the kept page is never served
    again."""
    (first, second), _storage = servers
    plan, _notes = services.plan_copy(
        source=seed(), year=2026, document_date=datetime.date(2026, 1, 4), by=user("noivu")
    )
    services.plan_submit(plan=plan, by=user("noivu"))
    services.plan_approve(plan=plan, by=user("lanhdao"))
    reader, writer = _session_for("noivu"), _session_for("noivu")
    page = f"{first}/plans/{plan.pk}/"
    answers = [reader.get(page, timeout=10) for _ in range(8)]  # both workers keep it
    assert all(a.ok for a in answers)
    assert "hit" in [a.headers.get("X-Page-Cache") for a in answers]
    token = _csrf(writer, f"{second}/plans/{plan.pk}/")
    issued = writer.post(
        f"{second}/plans/{plan.pk}/issue/",
        data={"csrfmiddlewaretoken": token, "document_date": "2026-01-05"},
        headers={"Referer": f"{second}/plans/{plan.pk}/"},
        timeout=30,
    )
    assert issued.ok, issued.status_code
    plan.refresh_from_db()
    assert plan.number is not None
    for _ in range(6):
        answer = reader.get(page, timeout=10)
        assert answer.ok
        assert plan.number_display in answer.text
