"""The leaders' dashboard page (kept apart from `views.py`, which serves documents and files)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.pagecache.cache import kept_page
from reports.dashboard import dashboard_charts, dashboard_kept, may_view
from reports.forms import DashboardFilterForm
from units.access import scope_for
from units.models import Level


@login_required
@require_GET
@kept_page
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The round's figures for the viewer's scope, filtered by year and level. Staff, leaders,
    team members and administrators; a unit's reporter sees only its own unit's figures."""
    scope = scope_for(request.user)
    if not may_view(scope):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET)
    form.is_valid()  # an invalid filter shows its message and is ignored; the other one applies
    filters = form.cleaned_data
    board = dashboard_kept(scope, year=filters.get("year"), level=filters.get("level") or "")
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "board": board,
            "charts": dashboard_charts(board),
            "levels": Level.choices,
        },
    )
