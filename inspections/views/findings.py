"""The findings of every visit the user may see, across plans: filters, pages, links to where
each finding is read in full (the visit page, or the conclusion notice for a unit)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.pagecache.cache import kept_page
from inspections.access import visit_opens
from inspections.filters import FindingFilter
from inspections.models import ConclusionNotice
from inspections.views.common import paged, shown_count


@login_required
@require_GET
@kept_page
def finding_list(request: HttpRequest) -> HttpResponse:
    filters = FindingFilter(request.GET, request=request)
    findings = filters.qs
    # Where a row links to, computed in the page query: the visit page for whoever may open it
    # (`visit_opens`), otherwise the conclusion notice; a unit its issued notice, the only place
    # it reads findings.
    notice = (
        ConclusionNotice.objects.filter(
            plan=OuterRef("visit__plan"), agency=OuterRef("visit__agency"), amends__isnull=True
        )
        .order_by()
        .values("pk")[:1]
    )
    # A finding an amending notice added is read in that notice.
    findings = findings.annotate(
        visit_open=visit_opens(request.user), notice_id=Coalesce("amendment_id", Subquery(notice))
    )
    counts = filters.status_counts()
    page = paged(findings, request.GET.get("page"), count=shown_count(filters, counts))
    return render(
        request,
        "inspections/finding_list.html",
        {"form": filters.form, "page": page, "counts": counts},
    )
