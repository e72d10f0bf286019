"""Signals the inspection round sends for other apps to act on (the dependency stays one way:
`reports` listens to `inspections`, never the reverse)."""

from django.dispatch import Signal

# Sent after a document has been issued (numbered), with `document`: the issued instance.
document_issued = Signal()
