"""Accounts under attack and in everyday use: login throttling (django-axes), password rules,
sessions that end after inactivity, and password reset by email."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.db.models import F
from django.tasks import task_backends
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts import send_password_reset
from cchc.test import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "cchc-demo-2026"
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED = settings.AXES_HTTP_RESPONSE_CODE  # 429 Too Many Requests


def login(username: str, password: str, address: str = "10.0.0.1", client: Client | None = None):
    return (client or Client()).post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


# Throttling ---------------------------------------------------------------------------------


def test_failures_for_one_account_lock_it_from_every_address():
    for i in range(LIMIT - 1):
        assert login("thuba", "sai", address=f"10.0.1.{i}").status_code == 200
    locked = login("thuba", "sai", address="10.0.1.99")
    assert locked.status_code == LOCKED
    # Even the right password, from an address that never failed, is refused while locked.
    assert login("thuba", PASSWORD, address="10.0.2.1").status_code == LOCKED
    # Other accounts are not affected.
    assert signed_in(login("anbien", PASSWORD, address="10.0.2.1"))


def test_failures_from_one_address_lock_every_account_there():
    for i in range(LIMIT):
        login(f"khong-co-{i}", "sai", address="10.0.3.1")
    assert login("thuba", PASSWORD, address="10.0.3.1").status_code == LOCKED
    # The accounts themselves are not locked: from elsewhere they sign in.
    assert signed_in(login("thuba", PASSWORD, address="10.0.3.2"))


def test_the_lockout_page_is_vietnamese_and_says_what_to_do():
    for _i in range(LIMIT):
        response = login("tuphap", "sai")
    assert response.status_code == LOCKED
    assert '<html lang="vi">' in response.text
    assert "Tạm khóa đăng nhập" in response.text
    assert "Hãy thử lại sau ít phút" in response.text
    assert reverse("password_reset") in response.text
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_success_resets_the_count():
    for _i in range(LIMIT - 1):
        login("anbien", "sai")
    assert signed_in(login("anbien", PASSWORD))
    assert not AccessAttempt.objects.filter(username="anbien").exists()
    for _i in range(LIMIT - 1):
        login("anbien", "sai")
    assert signed_in(login("anbien", PASSWORD))


def test_the_lock_ends_after_the_cool_off():
    for _i in range(LIMIT):
        login("thuba", "sai")
    assert login("thuba", PASSWORD).status_code == LOCKED
    # Time passes: age the recorded failures beyond the cool-off period.
    later = settings.AXES_COOLOFF_TIME + 0.1
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(hours=later))
    assert signed_in(login("thuba", PASSWORD))


def test_failures_are_recorded_and_logged_without_the_password(caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _i in range(LIMIT):
            login("lanhdao", "mat-khau-sai-bi-mat", address="10.0.4.7")
    attempt = AccessAttempt.objects.get(username="lanhdao")
    assert attempt.ip_address == "10.0.4.7"
    assert attempt.failures_since_start == LIMIT
    assert "mat-khau-sai-bi-mat" not in attempt.post_data
    failures = AccessFailureLog.objects.filter(username="lanhdao", ip_address="10.0.4.7")
    assert failures.count() == LIMIT
    assert failures.filter(locked_out=True).exists()
    logged = caplog.text
    assert "Locking out" in logged and "lanhdao" in logged
    assert "mat-khau-sai-bi-mat" not in logged
    # The failure log is kept after a later success (the counters are not).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(days=1))
    assert signed_in(login("lanhdao", PASSWORD, address="10.0.4.7"))
    assert AccessFailureLog.objects.filter(username="lanhdao").count() == LIMIT


# Passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("12345678", "Mật khẩu này quá phổ biến."),
        ("83920175", "Mật khẩu này hoàn toàn là số."),
        ("a7#k", "Mật khẩu quá ngắn: mật khẩu phải có ít nhất 8 ký tự."),
        ("password", "Mật khẩu này quá phổ biến."),
        ("thuba2023", "Mật khẩu quá giống với"),
    ],
)
def test_a_weak_password_is_refused_in_vietnamese(weak, message):
    client = client_for("thuba")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert message in response.text
    assert get_user_model().objects.get(username="thuba").check_password(PASSWORD)


def test_a_strong_password_is_accepted_and_the_session_survives():
    client = client_for("thuba")
    new = "Thứ Ba mùa nước nổi 2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="thuba").check_password(new)
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_old_password_is_refused_in_vietnamese():
    response = client_for("thuba").post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "x9!Kq-long-enough", "new_password2": "x"},
    )
    assert "Mật khẩu cũ không chính xác" in response.text


# Sessions -----------------------------------------------------------------------------------


def test_a_session_ends_after_inactivity_and_activity_keeps_it_alive():
    client = Client()
    assert signed_in(login("noivu", PASSWORD, client=client))
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # Active until just before the limit: each request pushes the expiry forward.
    Session.objects.update(expire_date=F("expire_date") - age + datetime.timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    assert session.expire_date > datetime.datetime.now(datetime.UTC) + age * 0.99
    # Inactive beyond the limit: the session is gone and the user must sign in again.
    Session.objects.update(expire_date=F("expire_date") - age - datetime.timedelta(minutes=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Password reset -----------------------------------------------------------------------------


def test_password_reset_by_email_end_to_end():
    user = get_user_model().objects.get(username="anbien")
    user.email = "vanphong@anbien.kiengiang.gov.vn"
    user.save(update_fields=["email"])
    client = Client()
    form = client.get(reverse("password_reset"))
    assert "Quên mật khẩu" in form.text
    response = client.post(
        reverse("password_reset"), {"email": "VanPhong@anbien.kiengiang.gov.vn"}, follow=True
    )
    assert "Nếu thư điện tử này có tài khoản" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vanphong@anbien.kiengiang.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "tài khoản “anbien”" in message.body  # the user name, in case it was forgotten
    assert "bỏ qua thư này" in message.body and "you" not in message.body
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    # The link leads to a form (after Django's redirect that hides the token from the Referer).
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Đặt mật khẩu mới" in page.text
    set_url = page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Mật khẩu này quá phổ biến." in weak.text
    new = "An Biên, sông Cái Lớn 2026"
    done = client.post(set_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert "Đã đặt mật khẩu mới" in done.text

    assert signed_in(login("anbien", new))
    assert login("anbien", PASSWORD).status_code == 200  # the old one no longer works
    # The link works once.
    again = Client().get(link, follow=True)
    assert "Đường dẫn không còn dùng được" in again.text


def test_an_unknown_email_gets_the_same_neutral_answer():
    known = get_user_model().objects.get(username="thuba")
    known.email = "thuba@kiengiang.gov.vn"
    known.save(update_fields=["email"])
    answers = []
    for email in ("thuba@kiengiang.gov.vn", "ai-do@example.com"):
        response = Client().post(reverse("password_reset"), {"email": email})
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1] == (302, reverse("password_reset_done"))
    assert [m.to for m in mail.outbox] == [["thuba@kiengiang.gov.vn"]]


def test_the_request_hands_the_lookup_and_the_mail_to_a_background_task():
    """Known or unknown, the request does the same work (same queries) and sends nothing
    itself: the task looks the account up and mails it."""
    known = get_user_model().objects.get(username="thuba")
    known.email = "thuba@kiengiang.gov.vn"
    known.save(update_fields=["email"])
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    queries = []
    with override_settings(TASKS=dummy):
        backend = task_backends["default"]
        for email in ("thuba@kiengiang.gov.vn", "ai-do@example.com"):
            with CaptureQueriesContext(connection) as captured:
                Client().post(reverse("password_reset"), {"email": email})
            queries.append(len(captured))
        assert mail.outbox == []
        assert [r.args for r in backend.results] == [
            ["thuba@kiengiang.gov.vn", "testserver", False],
            ["ai-do@example.com", "testserver", False],
        ]
    assert queries[0] == queries[1]
    send_password_reset.call("thuba@kiengiang.gov.vn", "testserver", False)
    assert [m.to for m in mail.outbox] == [["thuba@kiengiang.gov.vn"]]


# Throttling against an insider ---------------------------------------------------------------
# One address, one valid account of one's own, and the wish to guess somebody else's password.


def test_a_success_clears_only_the_signed_in_accounts_own_failures():
    """4 wrong passwords for lanhdao, then a correct sign-in as thuba, over and over: the
    successes must not wipe lanhdao's failures, so lanhdao locks after 5 wrong guesses."""
    answered = []
    for _round in range(4):
        for _i in range(LIMIT - 1):
            answered.append(login("lanhdao", "doan-mo", address="10.0.5.1").status_code)
        login("thuba", PASSWORD, address="10.0.5.1")
    assert answered.count(200) == LIMIT - 1, answered  # the 5th wrong guess already locks
    assert set(answered[LIMIT - 1 :]) == {LOCKED}
    # lanhdao is locked from everywhere, even with the right password…
    assert login("lanhdao", PASSWORD, address="10.0.5.2").status_code == LOCKED
    # …and thuba's own failures alone were cleared by its successes.
    assert not AccessAttempt.objects.filter(username="thuba").exists()
    assert AccessAttempt.objects.get(username="lanhdao", ip_address="10.0.5.1")


def test_failures_over_many_accounts_lock_the_address_despite_successes_there():
    """13 failures over 13 accounts from one address, with the insider's own correct sign-in
    between them: the address locks at the 5th failure, whatever the accounts."""
    answers = []
    for i in range(13):
        answers.append(login(f"nguoi-{i}", "doan-mo", address="10.0.6.1").status_code)
        if i % 4 == 3:
            login("thuba", PASSWORD, address="10.0.6.1")
    assert answers[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(answers[LIMIT - 1 :]) == {LOCKED}, answers
    # Locked for every account at that address, the insider's own included…
    assert login("thuba", PASSWORD, address="10.0.6.1").status_code == LOCKED
    # …but none of those accounts is locked elsewhere (each failed once).
    assert signed_in(login("thuba", PASSWORD, address="10.0.6.2"))


def test_a_success_clears_the_accounts_failures_from_every_address():
    for i in range(LIMIT - 1):
        login("anbien", "sai", address=f"10.0.7.{i}")
    assert signed_in(login("anbien", PASSWORD, address="10.0.7.99"))
    assert not AccessAttempt.objects.filter(username="anbien").exists()
    # The addresses that failed keep no count of anbien's: each may fail LIMIT - 1 more times.
    assert signed_in(login("anbien", PASSWORD, address="10.0.7.0"))


# The client's address behind a reverse proxy ------------------------------------------------

PROXY = "10.9.9.9"  # the reverse proxy: every request reaches the app from it


def login_via(username: str, password: str, forwarded_for: str, remote: str = PROXY):
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_clients_failures_do_not_lock_another_client():
    for _i in range(LIMIT):
        login_via("khong-co", "sai", forwarded_for="203.0.113.7")
    # The first client's address is locked…
    assert login_via("thuba", PASSWORD, forwarded_for="203.0.113.7").status_code == LOCKED
    # …not the proxy's, through which camau signs in from elsewhere.
    assert signed_in(login_via("camau", PASSWORD, forwarded_for="198.51.100.20"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_client_cannot_choose_its_address():
    """What the client writes into X-Forwarded-For comes first; the proxy appends the address it
    saw. Only the entry the proxy wrote counts, so varying the rest changes nothing."""
    answers = [
        login_via("khong-co", "sai", forwarded_for=f"192.0.2.{i}, 203.0.113.8").status_code
        for i in range(LIMIT)
    ]
    assert answers[-1] == LOCKED
    assert login_via("thuba", PASSWORD, forwarded_for="1.2.3.4, 203.0.113.8").status_code == LOCKED


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right():
    for _i in range(LIMIT):
        login_via("khong-co", "sai", forwarded_for="6.6.6.6, 203.0.113.9, 10.9.9.8")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert signed_in(login_via("camau", PASSWORD, forwarded_for="198.51.100.21, 10.9.9.8"))


def test_without_a_proxy_a_forwarded_header_is_ignored():
    """No proxy configured: X-Forwarded-For is whatever the client wants, so it is not read —
    varying it neither escapes the address lock nor blames someone else."""
    assert settings.TRUSTED_PROXY_COUNT == 0
    answers = [
        login_via("khong-co", "sai", forwarded_for=f"192.0.2.{i}", remote="203.0.113.10")
        for i in range(LIMIT)
    ]
    assert answers[-1].status_code == LOCKED
    spoofed = login_via("thuba", PASSWORD, forwarded_for="198.51.100.1", remote="203.0.113.10")
    assert spoofed.status_code == LOCKED
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.10"}
    # The address named in the header is not locked.
    assert signed_in(login("thuba", PASSWORD, address="192.0.2.0"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_request_that_bypassed_the_proxy_is_judged_by_its_peer():
    from django.test import RequestFactory

    from cchc.client import client_address

    factory = RequestFactory()
    assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.5")) == "10.0.0.5"
    bad = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="nonsense")
    assert client_address(bad) == "10.0.0.5"
    v6 = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="2001:DB8::0:1")
    assert client_address(v6) == "2001:db8::1"


# Limits of the forgotten-password form ------------------------------------------------------


def reset(email: str, address: str = "10.0.8.1"):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def thuba_mail():
    user = get_user_model().objects.get(username="thuba")
    user.email = "thuba@kiengiang.gov.vn"
    user.save(update_fields=["email"])
    return user.email


NEUTRAL = (302, reverse("password_reset_done"))


def test_one_account_gets_at_most_its_mails_whatever_the_addresses(thuba_mail):
    per_account = settings.PASSWORD_RESET_MAILS_PER_ACCOUNT
    answers = [reset(thuba_mail, address=f"10.0.9.{i}") for i in range(10)]
    # Every request gets the same answer as for an unknown address…
    assert {(r.status_code, r["Location"]) for r in answers} == {NEUTRAL}
    assert (reset("ai-do@example.com").status_code, reset("x@example.com")["Location"]) == NEUTRAL
    # …but only the first few send a mail.
    assert len(mail.outbox) == per_account
    assert {tuple(m.to) for m in mail.outbox} == {(thuba_mail,)}


def test_one_address_may_ask_only_so_often_whatever_the_accounts(thuba_mail):
    per_address = settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS
    for i in range(per_address):
        assert reset(f"nguoi-{i}@example.com", address="10.0.8.2")["Location"] == NEUTRAL[1]
    refused = reset(thuba_mail, address="10.0.8.2")
    assert refused.status_code == 429
    assert "quá nhiều yêu cầu đặt lại mật khẩu" in refused.text
    assert mail.outbox == []
    # Another address is not affected.
    assert reset(thuba_mail, address="10.0.8.3")["Location"] == NEUTRAL[1]
    assert len(mail.outbox) == 1


@override_settings(PASSWORD_RESET_MAILS_PER_ACCOUNT=1)
def test_the_limits_end_with_their_window(thuba_mail):
    from units.models import PasswordResetRequest

    reset(thuba_mail)
    reset(thuba_mail)
    assert len(mail.outbox) == 1
    window = datetime.timedelta(seconds=settings.PASSWORD_RESET_WINDOW + 1)
    PasswordResetRequest.objects.update(requested_at=F("requested_at") - window)
    reset(thuba_mail)
    assert len(mail.outbox) == 2
    # The expired rows were removed; only this window's are kept.
    assert PasswordResetRequest.objects.count() == 2


def test_a_failed_sign_in_says_the_same_whatever_was_wrong():
    """Wrong password, unknown account, inactive account: one generic message (nothing tells
    which accounts exist)."""
    inactive = get_user_model().objects.get(username="doanvien")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    def error(username: str, password: str) -> str:
        response = login(username, password, address=f"10.0.10.{len(username)}")
        assert response.status_code == 200
        return re.search(r'<div class="alert[^>]*>(.*?)</div>', response.text, re.S).group(1)

    wrong_password = error("thuba", "sai")
    assert "mật khẩu" in wrong_password.lower()
    assert error("khong-co-ai", "sai") == wrong_password
    assert error("doanvien", PASSWORD) == wrong_password
