"""Signals the inspection round sends for other apps to act on (the dependency stays one way:
`reports` listens to `inspections`, never the reverse)."""

from django.dispatch import Signal

# Sent inside the transaction that issues a document (numbers it, sends the outline letter, or —
# for minutes — issues the conclusion notice resting on them), with `document`: the issued
# instance. Receivers that write files wait for the commit (`transaction.on_commit`).
document_issued = Signal()
