"""The change history (django-simple-history) of the round's records: who, when, and from where.

Every historical model gets the client's address of the request that made the change
(`history_address`, empty for changes made outside a request: commands, imports), worked out by
the one rule of `cchc.client`, the same address login throttling and the logs record.
This is the way simple-history documents for extra fields: an abstract base for the historical
models and its `pre_create_historical_record` signal.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from cchc.client import client_address


class AddressedHistoricalModel(models.Model):
    history_address = models.GenericIPAddressField(_("địa chỉ"), null=True, blank=True)

    class Meta:
        abstract = True


class RecordedHistory(HistoricalRecords):
    """`HistoricalRecords` whose rows also keep the client's address."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("bases", [AddressedHistoricalModel])
        super().__init__(*args, **kwargs)


@receiver(pre_create_historical_record)
def _record_client_address(sender, history_instance, **kwargs) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and hasattr(history_instance, "history_address"):
        history_instance.history_address = client_address(request)
