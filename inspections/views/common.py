"""What every page of the round does alike: say why a step was refused, and read ids posted."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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


def wants_section(request: HttpRequest, element: str) -> bool:
    """An htmx request for the table `element` alone (a section's link, a page, the filters);
    a history restore after a cache miss asks for the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == element and not htmx.history_restore_request


def plan_section(request: HttpRequest, filters, rows, *, param: str, counts=None) -> dict:
    """What a per-plan table shows (`includes/plan_section_head.html`): one page of `rows` (the
    filtered rows, in the page's order), the filter form, the count of each section of `param`
    with their sum, and the address of "all" (the other filters kept). A fixed number of
    queries and a bounded page, whatever the size of the plan."""
    counts = filters.status_counts() if counts is None else counts
    data = request.GET.copy()
    for name in (param, "page"):
        data.pop(name, None)
    return {
        "form": filters.form,
        "page": Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": counts,
        "all_count": sum(c.count for c in counts),
        "all_url": "?" + data.urlencode(),
        "section_chosen": any(c.current for c in counts),
    }
