"""Signals the inspection round sends for other apps to act on (the dependency stays one way:
`reports` listens to `inspections`, never the reverse)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

# Sent inside the transaction that issues a document (numbers it, sends the outline letter, or —
# for minutes — issues the conclusion notice resting on them), with `document`: the issued
# instance. Receivers that write files wait for the commit (`transaction.on_commit`).
document_issued = Signal()


@contextmanager
def issued_as_loaded_data() -> Iterator[None]:
    """Documents issued inside are data being loaded (the demo round, test fixtures): nothing
    listens, so none is rendered now; each is kept at its first download, or by
    `manage.py freeze_issued_documents`. For commands and test set-up, not for requests."""
    receivers = document_issued.receivers
    document_issued.receivers = []
    document_issued.sender_receivers_cache.clear()
    try:
        yield
    finally:
        document_issued.receivers = receivers
        document_issued.sender_receivers_cache.clear()


# Sent inside the transaction that issues an amendment of a plan, before its changes are applied
# to the plan, with `plan`: the plan as it was issued, for `reports` to keep its files first.
plan_amending = Signal()
