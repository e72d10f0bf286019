"""The rows of the registry directories, shared by each page and its download (served by
`reports`), so an export holds exactly the rows its page lists, valid on the same day. The filters
are `units.filters.UnitFilter` and `AgencyFilter`."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from units.filters import AgencyFilter, DirectoryFilter, UnitFilter


def _directory(
    request: HttpRequest, filterset: type[DirectoryFilter]
) -> tuple[forms.Form, datetime.date, QuerySet]:
    """The filters' form, the as-of date and the rows. An invalid filter shows its message and
    is ignored; the others still apply (an invalid date: today's list)."""
    filters = filterset(request.GET, request=request)
    return filters.form, filters.day, filters.qs


def units_filtered(request: HttpRequest):
    """The units of the user's provinces matching the filters, with their parent."""
    return _directory(request, UnitFilter)


def agencies_filtered(request: HttpRequest):
    """The agencies of the user's provinces matching the filters, with their unit and parent."""
    return _directory(request, AgencyFilter)
