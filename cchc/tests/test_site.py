"""The site as a whole: production settings, security headers, accounts, home, health."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.test import PERSONAS, client_for
from units.models import Role

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "false",
    "TESTING": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789",
    "ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    skip = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the browser tests only
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_wsgi_application_starts_with_what_it_loaded_frozen():
    """The application servers' entry point (`cchc.wsgi`) loads the URLs and leaves what it
    loaded out of the garbage collector's full passes; it still answers."""
    script = (
        "import gc; from cchc.wsgi import application; from django.urls import get_resolver; "
        "print(gc.get_freeze_count() > 10000, 'url_patterns' in vars(get_resolver()))"
    )
    result = _manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True True"


def test_uploads_can_live_on_s3_compatible_storage():
    """Several app servers share uploads through object storage when a bucket is configured
    (no network here: the storage is only built and inspected)."""
    script = (
        "from django.core.files.storage import storages; s = storages['private']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.file_overwrite)"
    )
    result = _manage(
        "shell", "-c", script, **PRODUCTION, PRIVATE_S3_BUCKET="cchc-private",
        PRIVATE_S3_ENDPOINT_URL="https://s3.example.gov.vn",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "S3Storage", "cchc-private", "https://s3.example.gov.vn", "None", "False",
    ]  # fmt: skip


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    result = _manage("check", **{**PRODUCTION, missing: ""})
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def _example_secret_key() -> str:
    example = (settings.BASE_DIR / ".env.example").read_text()
    return re.search(r"^# SECRET_KEY=(\S+)$", example, re.MULTILINE).group(1)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "SECRET_KEY is too short (1 characters)"),
        ("k" * 49, "SECRET_KEY is too short (49 characters)"),
        (_example_secret_key(), "SECRET_KEY is the example value of .env.example"),
    ],
    ids=["one-character", "49-characters", "the-example"],
)
def test_production_refuses_a_weak_secret_key(key, reason):
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # how to make a good one


def test_development_accepts_any_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": "x", "DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_security_headers_and_strict_csp():
    response = client_for(None).get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self';" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_without_nonce():
    response = client_for("noivu").get(reverse("units:unit-list"))
    nonce = response.wsgi_request.META.get("CSP_NONCE") or response.context["csp_nonce"]
    for chunk in response.text.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or f'nonce="{nonce}"' in tag
    assert "style=" not in response.text


def test_interface_is_vietnamese():
    response = client_for(None).get(reverse("login"))
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text  # Django's own Vietnamese translation


def test_login_and_logout():
    client = client_for(None)
    bad = client.post(reverse("login"), {"username": "noivu", "password": "sai"})
    assert bad.status_code == 200
    assert "mật khẩu chính xác" in bad.text
    good = client.post(reverse("login"), {"username": "noivu", "password": "cchc-demo-2026"})
    assert good.status_code == 302 and good["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logout is POST only
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_page():
    assert client_for(None).get(reverse("password_change")).status_code == 302
    response = client_for("thuba").get(reverse("password_change"))
    assert response.status_code == 200
    assert "Mật khẩu cũ" in response.text


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_home_names_the_role(persona):
    user = get_user_model().objects.get(username=persona)
    response = client_for(persona).get(reverse("home"))
    assert str(Role(user.membership.role).label) in response.text


def test_home_of_a_reporter_shows_their_agency():
    response = client_for("anbien").get(reverse("home"))
    assert "Ủy ban nhân dân huyện An Biên" in response.text


def test_home_of_an_account_without_role_says_what_to_do():
    get_user_model().objects.create_user("moi", password="x")
    response = client_for("moi").get(reverse("home"))
    assert "chưa được gán vai trò" in response.text
    assert response.context["counts"] == {"provinces": 0, "districts": 0, "communes": 0}


def test_healthz():
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_healthz_when_the_database_is_down():
    with mock.patch("cchc.views.connection.cursor", side_effect=Exception("down")):
        response = client_for(None).get("/healthz")
    assert response.status_code == 503


def test_names_are_shown_in_vietnamese_order():
    response = client_for("noivu").get(reverse("home"))
    assert "Xin chào, Trần Thị Ngọc Lan" in response.text


def test_admin_pages_of_every_model_open():
    from django.contrib import admin

    client = client_for("admin")
    for model in admin.site._registry:
        opts = model._meta
        for page in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
            response = client.get(url)
            assert response.status_code in (200, 403), url  # 403: records nobody adds by hand
