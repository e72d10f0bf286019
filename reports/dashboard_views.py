"""The leaders' dashboard page (kept apart from `views.py`, which serves documents and files)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.pagecache.cache import kept_page
from inspections.views.common import wants_section
from reports.dashboard import (
    Dashboard,
    dashboard_charts,
    dashboard_kept,
    may_view,
    ranking_matching,
)
from reports.forms import DashboardFilterForm
from units.access import scope_for
from units.models import Level

# The element of the ranking and its comparison: htmx asks for it alone (a page, a search).
RANKING_SECTION = "ranking-section"


def ranking_section(form: DashboardFilterForm, board: Dashboard) -> dict:
    """One page of the ranked units (those the search keeps, each with its rank in the whole
    ranking), shown in the ranking and in the comparison with the previous round, and what went
    wrong with the search or the page number (the page is then the first, or the last)."""
    filters = form.cleaned_data
    query = filters.get("q") or ""
    rows = ranking_matching(board.ranking, query)
    paginator = Paginator(rows, settings.PAGE_SIZE)
    asked = filters.get("page") or 1
    page = paginator.get_page(asked)
    errors = [e for name in ("q", "page") for e in form.errors.get(name, [])]
    if page.number != asked:
        errors.append(
            _("Không có trang %(asked)s: đang xem trang cuối (trang %(last)s).")
            % {"asked": asked, "last": page.number}
        )
    return {"page": page, "query": query, "ranking_errors": errors}


@login_required
@require_GET
@kept_page
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The round's figures for the viewer's scope, filtered by year and level. Staff, leaders,
    team members and administrators; a unit's reporter sees only its own unit's figures. The
    ranking and its comparison show one page of units at a time (`?page=`, `?q=` searches
    them); htmx may ask for that block alone."""
    scope = scope_for(request.user)
    if not may_view(scope):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET)
    form.is_valid()  # an invalid filter shows its message and is ignored; the other ones apply
    filters = form.cleaned_data
    board = dashboard_kept(scope, year=filters.get("year"), level=filters.get("level") or "")
    context = {"board": board, "form": form, **ranking_section(form, board)}
    if board.ranking_rule and wants_section(request, RANKING_SECTION):
        return render(request, "reports/_ranking_section.html", context)
    return render(
        request,
        "reports/dashboard.html",
        {
            **context,
            "filter_errors": [
                e for name in DashboardFilterForm.FIGURE_FIELDS for e in form.errors.get(name, [])
            ],
            "charts": dashboard_charts(board),
            "levels": Level.choices,
        },
    )
