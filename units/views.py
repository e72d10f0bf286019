from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from units.access import get_agency_for_user, get_unit_for_user, scope_for
from units.forms import AgencyFilterForm, UnitFilterForm
from units.models import AdministrativeUnit, Agency, today


def _directory(request: HttpRequest, form_class, queryset, ordering, template: str):
    """A registry list: filters, as-of date (today by default), pages.

    An invalid filter shows its message and today's list.
    """
    form = form_class(request.GET or None)
    day = today()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        day = data["on"] or day
        if data["q"]:
            queryset = queryset.search(data["q"])
        if data["level"]:
            level_field = "level" if queryset.model is AdministrativeUnit else "unit__level"
            queryset = queryset.filter(**{level_field: data["level"]})
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
    page = Paginator(queryset.valid_on(day).order_by(*ordering), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, template, {"form": form, "day": day, "page": page})


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = AdministrativeUnit.objects.in_scope(scope.province_ids).select_related("parent")
    return _directory(
        request, UnitFilterForm, units, ("level", "parent__code", "code"), "units/unit_list.html"
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.order_by("code"),
            "predecessors": unit.predecessors.select_related("parent").order_by("code"),
            "successors": unit.successors.select_related("parent").order_by("code"),
            "agencies": Agency.objects.filter(unit=unit).order_by("kind", "name"),
        },
    )


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    agencies = Agency.objects.in_scope(scope.province_ids).select_related("unit")
    return _directory(
        request,
        AgencyFilterForm,
        agencies,
        ("unit__level", "kind", "unit__code", "name"),
        "units/agency_list.html",
    )


@login_required
@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk)
    return render(
        request,
        "units/agency_detail.html",
        {
            "agency": agency,
            "absorbed": agency.absorbed.select_related("unit").order_by("name"),
            "children": agency.children.order_by("name"),
        },
    )
