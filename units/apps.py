from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị và cơ quan")

    def ready(self) -> None:
        from units.permissions import name_permissions_in_vietnamese

        # After django.contrib.auth's own handler (connected first), which creates them.
        post_migrate.connect(name_permissions_in_vietnamese, dispatch_uid="units_permission_names")
