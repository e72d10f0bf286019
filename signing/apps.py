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

        # An issued document's attachment file is cut from its PDF when the PDF is kept (at
        # issue, or in the background job that renders it), not when a page first shows it.
        from django.db.models.signals import post_save

        from inspections.models import IssuedRendition

        post_save.connect(
            _keep_attachment, sender=IssuedRendition, dispatch_uid="signing-attachment"
        )


def _keep_attachment(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.pdf:
        from signing.attachments import attachment_for

        attachment_for(instance)
