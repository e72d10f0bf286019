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


def _filtered(request: HttpRequest, form_class, queryset):
    """Apply the directory filters; an invalid filter shows its message and the unfiltered day."""
    form = form_class(request.GET or None)
    day = today()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        day = data["on"] or day
        if data["q"]:
            queryset = queryset.search(data["q"])
        if data["level"]:
            queryset = queryset.filter(
                **{
                    "level" if queryset.model is AdministrativeUnit else "unit__level": data[
                        "level"
                    ]
                }
            )
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
    return form, day, queryset.valid_on(day)


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = AdministrativeUnit.objects.in_scope(scope.province_ids).select_related("parent")
    form, day, units = _filtered(request, UnitFilterForm, units)
    page = Paginator(units.order_by("level", "parent__code", "code"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "units/unit_list.html", {"form": form, "day": day, "page": page})


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    agencies = Agency.objects.filter(unit=unit).order_by("kind", "name")
    children = unit.children.order_by("code")
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "predecessors": unit.predecessors.select_related("parent").order_by("code"),
            "successors": unit.successors.select_related("parent").order_by("code"),
            "agencies": agencies,
        },
    )


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    agencies = Agency.objects.in_scope(scope.province_ids).select_related("unit")
    form, day, agencies = _filtered(request, AgencyFilterForm, agencies)
    page = Paginator(
        agencies.order_by("unit__level", "kind", "unit__code", "name"), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "units/agency_list.html", {"form": form, "day": day, "page": page})


@login_required
@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk)
    absorbed = agency.absorbed.select_related("unit").order_by("name")
    children = agency.children.order_by("name")
    return render(
        request,
        "units/agency_detail.html",
        {
            "agency": agency,
            "absorbed": absorbed,
            "children": children,
        },
    )
