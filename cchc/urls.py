from django.contrib import admin
from django.urls import include, path

from cchc import accounts, views
from inspections.urls import request_patterns
from units import views as units_views

admin.site.site_header = "Kiểm tra công tác cải cách hành chính — Quản trị"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before Django's own: the same URL and name, with limits (cchc/accounts.py).
    path(
        "accounts/password_reset/",
        accounts.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/settings/", units_views.account_settings, name="account-settings"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("units/", include("units.urls")),
    path("plans/", include("inspections.urls")),
    path("requests/", include(request_patterns)),
    # The documents, exports and dashboard of `reports` are mounted at the root on purpose: a URL
    # names the record a file is made from (`/plans/<id>/document.pdf` beside `/plans/<id>/`,
    # `/plans/findings.xlsx` beside the list), not the app that renders it; the `reports:`
    # namespace says which app serves it. No route of one app shadows the other's (the test of
    # the URL space, cchc/tests/test_url_space.py, checks every name resolves to its own view).
    path("", include("reports.urls")),
    path("signing/", include("signing.urls")),
    path("admin/", admin.site.urls),
]
