"""`create_province_staff`: a province's first Home Affairs staff account, or a clear refusal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cchc.test import client_for
from units.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "Ca-Mau-dat-mui-2026"  # nosec B105 - test database only


def test_creates_a_staff_account_bound_to_the_home_affairs_department(monkeypatch):
    monkeypatch.setenv("CCHC_STAFF_PASSWORD", PASSWORD)
    call_command(
        "create_province_staff", "noivu-camau-2", province="96", full_name="Lê Thị Hoa",
        noinput=True, stdout=None,
    )  # fmt: skip
    user = get_user_model().objects.get(username="noivu-camau-2")
    assert user.check_password(PASSWORD) and not user.is_staff
    assert (user.first_name, user.last_name) == ("Hoa", "Lê Thị")
    membership = Membership.objects.get(user=user)
    assert membership.role == "staff" and membership.province.name == "Tỉnh Cà Mau"
    assert membership.agency.name == "Sở Nội vụ"
    assert client_for("noivu-camau-2").get("/plans/new/").status_code == 200


@pytest.mark.parametrize(
    ("username", "province", "password", "message"),
    [
        ("x-1", "40", PASSWORD, "Không có tỉnh mã 40"),  # Nghệ An: not in the shipped fixtures
        ("x-2", "91", "", "CCHC_STAFF_PASSWORD"),
        ("camau", "96", PASSWORD, "Đã có tài khoản"),
        ("x-3", "96", "12345678", "quá phổ biến"),
    ],
)
def test_refusals_say_what_to_do_and_create_nothing(
    monkeypatch, username, province, password, message
):
    monkeypatch.setenv("CCHC_STAFF_PASSWORD", password)
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_province_staff", username, province=province, noinput=True)
    assert get_user_model().objects.count() == users
