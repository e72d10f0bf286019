"""What every page of the round does alike: say why a step was refused, read ids posted, page a
list, show a record's history on demand."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.access import may_see_history

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


# The history section's list (`inspections/_history.html`), loaded when the section is opened.
HISTORY = "history-entries"


class History:
    """A page's "Lịch sử thay đổi" section (`inspections.history`), for staff and administrators.
    It grows with every change of the record (a plan: every target added, each edit), and is
    read far less often than the page: its entries are computed when asked for, by htmx when
    the section is opened (`answer`), or with `?history=1` without script (the whole page with
    the section open). `compute`: the record's entries, e.g. `lambda: plan_history(plan)`."""

    def __init__(self, request: HttpRequest, compute) -> None:
        self.request = request
        self.compute = compute
        self.allowed = may_see_history(request.user)

    def answer(self) -> HttpResponse | None:
        """The list alone when htmx asks for it (the section opened), otherwise None."""
        if self.request.method != "GET" or not (
            self.allowed and wants_section(self.request, HISTORY)
        ):
            return None
        return render(self.request, "inspections/_history.html#entries", self.context())

    def context(self) -> dict:
        if not self.allowed:
            return {"history": None}
        if self.request.GET.get("history") or wants_section(self.request, HISTORY):
            return {"history": self.compute(), "history_shown": True}
        return {"history": [], "history_shown": False}
