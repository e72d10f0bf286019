"""The rows of the registry directories, shared by each page and its download (served by
`reports`), so an export holds exactly the rows its page lists, valid on the same day."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest

from units.access import scope_for
from units.forms import AgencyFilterForm, DirectoryFilterForm, UnitFilterForm
from units.models import AdministrativeUnit, Agency, today


def _directory(
    form: DirectoryFilterForm, queryset: QuerySet, ordering: tuple[str, ...]
) -> tuple[datetime.date, QuerySet]:
    """Filters `q`, `level`, `kind` and the as-of date `on` (today by default). An invalid filter
    shows its message and today's list."""
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
    return day, queryset.valid_on(day).order_by(*ordering)


def units_filtered(
    request: HttpRequest,
) -> tuple[UnitFilterForm, datetime.date, QuerySet[AdministrativeUnit]]:
    """The units of the user's provinces matching the filters, with their parent."""
    scope = scope_for(request.user)
    units = AdministrativeUnit.objects.in_scope(scope.province_ids).select_related("parent")
    form = UnitFilterForm(request.GET or None)
    day, units = _directory(form, units, ("level", "parent__code", "code"))
    return form, day, units


def agencies_filtered(
    request: HttpRequest,
) -> tuple[AgencyFilterForm, datetime.date, QuerySet[Agency]]:
    """The agencies of the user's provinces matching the filters, with their unit and parent."""
    scope = scope_for(request.user)
    agencies = Agency.objects.in_scope(scope.province_ids).select_related("unit", "parent")
    form = AgencyFilterForm(request.GET or None)
    day, agencies = _directory(form, agencies, ("unit__level", "kind", "unit__code", "name"))
    return form, day, agencies
