from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a Vietnamese name in the admin (its own has none: "Axes"); its strings
    are translated in `locale/vi`."""

    verbose_name = _("Đăng nhập sai")
