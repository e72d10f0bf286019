from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = _("Ký số")

    def ready(self) -> None:
        # The download views of `reports` serve the latest signed file of an issued PDF once
        # there is one; `reports` does not import this app, it asks the providers registered.
        from reports.issued import pdf_providers
        from signing.services import latest_signed_pdf

        if latest_signed_pdf not in pdf_providers:
            pdf_providers.append(latest_signed_pdf)
