from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Văn bản và báo cáo")

    def ready(self) -> None:
        from inspections.models import ResultsReport
        from inspections.signals import document_issued
        from reports.issued import store_results_files

        document_issued.connect(store_results_files, sender=ResultsReport)
