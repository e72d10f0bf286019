"""What every page of the round does alike: say why a step was refused, and read ids posted."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
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


def paged(rows, number, load=None, count: int | None = None) -> Page:
    """The page `number` of `rows` (in their order) in two queries: the page's keys first, from
    a narrow query, then the page's rows with all they show. Sorting every row of the filters
    with its joined, wide columns to keep fifty grew with the data (at 10x: 20,000 findings,
    430 targets with their plans and teams); the keys sort in a fraction of it. `load`: what
    reads the page's rows from their keys instead (a dict by key); `count`: the number of
    `rows` when the caller knows it (no query to count them)."""
    paginator = Paginator(rows.values_list("pk", flat=True), settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not queried
    page = paginator.get_page(number)
    keys = list(page.object_list)
    if load is None:
        found = {row.pk: row for row in rows.filter(pk__in=keys)} if keys else {}
    else:
        found = load(keys)
    page.object_list = [found[key] for key in keys if key in found]  # none deleted meanwhile
    return page


def shown_count(filters, counts) -> int | None:
    """How many rows a list shows, from its counts by status (`status_counts`, one query): the
    chosen status's, or, none chosen, all the other filters keep."""
    chosen = [c.count for c in counts if c.current]
    return chosen[0] if chosen else getattr(filters, "other_total", None)


def plan_section(
    request: HttpRequest, filters, rows, *, param: str, counts=None, load=None
) -> dict:
    """What a per-plan table shows (`includes/plan_section_head.html`): one page of `rows` (the
    filtered rows, in the page's order), the filter form, the count of each section of `param`
    with their sum, and the address of "all" (the other filters kept); `load` as `paged`. A
    fixed number of queries and a bounded page, whatever the size of the plan."""
    counts = filters.status_counts() if counts is None else counts
    data = request.GET.copy()
    for name in (param, "page"):
        data.pop(name, None)
    return {
        "form": filters.form,
        "page": paged(rows, request.GET.get("page"), load, shown_count(filters, counts)),
        "counts": counts,
        "all_count": sum(c.count for c in counts),
        "all_url": "?" + data.urlencode(),
        "section_chosen": any(c.current for c in counts),
    }
