from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations of the whole site (no models): orphan files, backup and restore."""

    name = "cchc.ops"
    label = "ops"
    verbose_name = _("Vận hành")
