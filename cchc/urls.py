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
    path("", include("reports.urls")),
    path("signing/", include("signing.urls")),
    path("admin/", admin.site.urls),
]
