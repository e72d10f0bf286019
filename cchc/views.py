from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inspections.models import Plan
from inspections.todo import todos_for
from reports.dashboard import dashboard, may_view
from units.access import scope_for
from units.models import AdministrativeUnit, Agency, Level, Membership, today


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's starting page: who they are, and their part of the registry."""
    scope = scope_for(request.user)
    membership = (
        Membership.objects.select_related("agency", "province").filter(user=request.user).first()
    )
    day = today()
    counts = (
        AdministrativeUnit.objects.in_scope(scope.province_ids)
        .valid_on(day)
        .aggregate(
            provinces=Count("pk", filter=Q(level=Level.PROVINCE)),
            districts=Count("pk", filter=Q(level=Level.DISTRICT)),
            communes=Count("pk", filter=Q(level=Level.COMMUNE)),
        )
    )
    agencies = (
        Agency.objects.in_scope(scope.province_ids)
        .valid_on(day)
        .exclude(kind=Agency.Kind.COMMITTEE)
        .count()
    )
    plans = (
        Plan.objects.visible_to(request.user).select_related("issuer").order_by("-year", "-pk")[:5]
    )
    # The dashboard's key figures of the latest round (a unit: its own); four queries.
    summary = dashboard(scope, summary=True) if may_view(scope) else None
    return render(
        request,
        "home.html",
        {
            "membership": membership,
            "counts": counts,
            "agencies": agencies,
            "day": day,
            "plans": plans,
            "todos": todos_for(request.user),
            "summary": summary,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF_FAILURE_VIEW): 403, in Vietnamese, saying how to send it again.
    Django's reason is English and technical: it only chooses which advice to give."""
    return render(
        request,
        "403_csrf.html",
        {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "no_referer": reason == REASON_NO_REFERER},
        status=403,
    )
