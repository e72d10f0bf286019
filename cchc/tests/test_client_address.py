"""One client address everywhere (cchc/client.py): what login throttling records (see
test_auth.py) is also what the change history and the log lines record, behind a proxy too; and
the whole chain holds on gunicorn in production mode behind a forwarded header."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from cchc.client import ClientAddressLogFilter
from cchc.localserver import free_port
from cchc.test import AG_2026, client_for
from inspections.models import Plan, PlanTeamAgency
from units.services import agency_by_ref

PROXY = "10.9.9.9"
PASSWORD = "Mật khẩu của máy chủ thử 2026"


def _plan_data() -> dict:
    return {
        "issuer": agency_by_ref("91/UBND", AG_2026).pk,
        "year": 2026,
        "symbol": "KH-UBND",
        "place": "An Giang",
        "document_date": "2026-03-02",
        "summary": "Kiểm tra CCHC năm 2026 (địa chỉ)",
        "self_inspection_threshold": "50",
        "archive_copies": 1,
        "team": [agency_by_ref("91/SNV", AG_2026).pk],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "forwarded", "recorded"),
    [(1, "192.0.2.66, 203.0.113.44", "203.0.113.44"), (0, "203.0.113.44", PROXY)],
    ids=["behind-a-proxy", "spoofed-without-proxy"],
)
def test_the_change_history_records_the_client_address(proxies, forwarded, recorded):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        response = client_for("noivu").post(
            reverse("inspections:plan-create"),
            _plan_data(),
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    assert response.status_code == 302
    plan = Plan.objects.get(summary=_plan_data()["summary"])
    created = plan.history.get()
    assert created.history_user.username == "noivu"
    assert created.history_address == recorded
    # Each row of the change made by that request carries it.
    team_rows = PlanTeamAgency.history.filter(plan_id=plan.pk)
    assert team_rows.exists()
    assert {row.history_address for row in team_rows} == {recorded}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_log_lines_name_the_client_address_throttling_records():
    from axes.models import AccessAttempt

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ClientAddressLogFilter())
    handler.setFormatter(logging.Formatter("[%(client_address)s] %(name)s: %(message)s"))
    axes_logger = logging.getLogger("axes")
    axes_logger.addHandler(handler)
    try:
        from django.test import Client

        Client().post(
            reverse("login"),
            {"username": "thuba", "password": "sai"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.45",
        )
        Client().get("/khong-co/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.46")
    finally:
        axes_logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "[203.0.113.45] axes" in logged and PROXY not in logged
    assert AccessAttempt.objects.get().ip_address == "203.0.113.45"


def test_the_console_log_handler_carries_the_filter():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["client_address"]
    assert "%(client_address)s" in settings.LOGGING["formatters"][handler["formatter"]]["format"]


# On gunicorn, in production mode, behind a forwarded header ----------------------------------


@pytest.fixture
def gunicorn_behind_proxy(tmp_path):
    """gunicorn with the production settings and AXES_IPWARE_PROXY_COUNT=1, on its own SQLite
    database (migrated, two accounts): it is reached from 127.0.0.1, as from a proxy."""
    env = {
        **{
            k: v for k, v in os.environ.items() if k not in ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "TESTING": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATIC_COMPRESS": "false",
        "AXES_IPWARE_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    accounts = (
        "from django.contrib.auth import get_user_model; U = get_user_model(); "
        f"[U.objects.create_user(n, password={PASSWORD!r}) for n in ('thuba', 'camau')]"
    )
    for command in (
        ["migrate", "-v0"],
        ["shell", "-c", accounts],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *command], cwd=settings.BASE_DIR, env=env, check=True)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{url}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield url, tmp_path / "server.log"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


class _Browser(requests.Session):
    """Production cookies are Secure; the server speaks plain HTTP on loopback."""

    def prepare_request(self, request):
        for cookie in self.cookies:
            cookie.secure = False
        return super().prepare_request(request)


def _sign_in(url: str, username: str, password: str, forwarded_for: str) -> int:
    browser = _Browser()
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"}
    page = browser.get(f"{url}/accounts/login/", headers=headers, timeout=30)
    token = browser.cookies["csrftoken"]
    answer = browser.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={
            **headers,
            "Referer": f"https://127.0.0.1:{url.rsplit(':', 1)[1]}/accounts/login/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert page.status_code == 200
    return answer.status_code


def test_on_gunicorn_behind_a_proxy_one_clients_failures_lock_only_that_client(
    gunicorn_behind_proxy,
):
    url, server_log = gunicorn_behind_proxy
    limit = settings.AXES_FAILURE_LIMIT
    answers = [_sign_in(url, "khong-co", "sai", "203.0.113.50") for _ in range(limit)]
    assert answers[:-1] == [200] * (limit - 1) and answers[-1] == 429
    assert _sign_in(url, "thuba", PASSWORD, "203.0.113.50") == 429
    # Another client through the same proxy signs in.
    assert _sign_in(url, "camau", PASSWORD, "198.51.100.60") == 302
    logged = server_log.read_text()
    assert "[203.0.113.50] axes" in logged and "[127.0.0.1] axes" not in logged
