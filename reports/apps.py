from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Văn bản và báo cáo")

    def ready(self) -> None:
        from inspections.signals import document_issued, plan_amending
        from reports.issued import keep_before_amending, store_on_issue

        # Every issued document is rendered once and kept (reports/issued.py).
        document_issued.connect(store_on_issue, dispatch_uid="reports.store_on_issue")
        # The plan's issued text is kept before an amendment applies its changes.
        plan_amending.connect(keep_before_amending, dispatch_uid="reports.keep_before_amending")
