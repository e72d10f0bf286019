"""What every page of the round does alike: say why a step was refused, and read ids posted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

# The largest key a row can have (a 64-bit signed integer); a larger number matches nothing.
MAX_ID = 2**63 - 1


def refused(request: HttpRequest, error: ValidationError) -> None:
    """Each reason a service refused the step, as an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def form_errors(request: HttpRequest, form) -> None:
    """A form's errors as messages, each after its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def posted_ids(values: list[str]) -> list[int]:
    """The ids among `values` from a form or the query string; anything else (a word, a number
    too large for a key) is ignored, so a tampered field selects nothing instead of failing."""
    return [int(v) for v in values if v.isdecimal() and len(v) < 20 and int(v) <= MAX_ID]
