"""Error pages (400, 403, 404, 405, 500 and a refused form) are Vietnamese, in the product's layout,
say what happened and offer the way back; the status codes stay; nothing internal is shown.
pytest-django runs with DEBUG off, as production does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.views.defaults import server_error

from cchc import urls as project_urls
from cchc.test import client_for

pytestmark = pytest.mark.django_db

# Phrases of Django's own English pages, none of which may show.
ENGLISH = (
    "Bad Request",
    "Forbidden",
    "Not Found",
    "Server Error",
    "CSRF verification failed",
    "The requested resource",
    "Traceback",
)


def _boom(request):
    raise RuntimeError("secret internals: password=hunter2 at /srv/cchc/views.py")


# The project's URLs plus one that fails, for the 500 page.
urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]


def assert_vietnamese_error_page(response, status: int, heading: str, *, signed_in: bool) -> None:
    assert not settings.DEBUG
    assert response.status_code == status
    text = response.content.decode()
    assert '<html lang="vi">' in text
    assert heading in text
    assert 'href="/">' in text or f'href="{reverse("home")}"' in text  # back home
    assert ("Đăng nhập" in text) is not signed_in  # signing in is offered to the anonymous
    assert "navbar-cchc" in text and "Phần mềm kiểm tra công tác cải cách hành chính" in text
    for phrase in ENGLISH:
        assert phrase not in text, phrase


def test_400_for_a_host_the_server_does_not_serve():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert_vietnamese_error_page(response, 400, "Yêu cầu không hợp lệ", signed_in=False)
    assert "evil.example" not in response.text


def test_403_when_a_role_may_not_act():
    # A leader may read plans but not create one (units.access.require_role).
    response = client_for("lanhdao").get(reverse("inspections:plan-create"))
    assert_vietnamese_error_page(
        response, 403, "Không có quyền thực hiện thao tác này", signed_in=True
    )
    assert reverse("logout") in response.text


def test_404_for_a_page_that_does_not_exist():
    response = Client().get("/khong-co-trang-nay/")
    assert_vietnamese_error_page(response, 404, "Không tìm thấy trang", signed_in=False)
    assert "khong-co-trang-nay" not in response.text  # the path is not echoed


def test_404_for_a_record_outside_the_scope_says_nothing_of_it():
    response = client_for("camau").get(reverse("units:unit-detail", args=[1]))
    assert_vietnamese_error_page(response, 404, "Không tìm thấy trang", signed_in=True)
    assert "matches the given query" not in response.text


def test_405_for_the_address_of_a_button_opened_in_the_address_bar():
    plan_pk = 1
    response = client_for("noivu").get(reverse("inspections:plan-submit", args=[plan_pk]))
    assert_vietnamese_error_page(
        response, 405, "Địa chỉ này chỉ dùng cho một nút bấm", signed_in=True
    )
    assert response["Allow"] == "POST"
    head = client_for("noivu").head(reverse("inspections:plan-submit", args=[plan_pk]))
    assert head.status_code == 405 and head.content == b""


@override_settings(ROOT_URLCONF=__name__)
def test_500_without_internals():
    response = Client(raise_request_exception=False).get("/boom/")
    assert_vietnamese_error_page(response, 500, "Máy chủ gặp lỗi", signed_in=False)
    for internal in ("hunter2", "RuntimeError", "/srv/cchc", "secret internals"):
        assert internal not in response.text


def test_500_page_needs_neither_the_database_nor_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/")  # no user, no session: as bare as a failed request
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Máy chủ gặp lỗi" in response.content.decode()


def test_a_refused_form_says_how_to_send_it_again():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "thuba", "password": "x"})
    assert_vietnamese_error_page(response, 403, "Không gửi được biểu mẫu", signed_in=False)
    assert "cho phép cookie" in response.text  # no cookie was sent: the advice says so
    client.get(reverse("login"))  # now with the cookie, but without the form's token
    stale = client.post(reverse("login"), {"username": "thuba", "password": "x"})
    assert stale.status_code == 403
    assert "tải lại trang, nhập lại và gửi lại" in stale.text
