from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cchc.pagecache.cache import kept_page
from units.access import get_agency_for_user, get_unit_for_user
from units.forms import MailSettingsForm
from units.lists import agencies_filtered, units_filtered
from units.models import Agency, Membership


def _page(request: HttpRequest, form, day, queryset, template: str) -> HttpResponse:
    """A registry list: filters, as-of date, pages."""
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"form": form, "day": day, "page": page})


@login_required
@require_GET
@kept_page
def unit_list(request: HttpRequest) -> HttpResponse:
    form, day, units = units_filtered(request)
    return _page(request, form, day, units, "units/unit_list.html")


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
    form, day, agencies = agencies_filtered(request)
    return _page(request, form, day, agencies, "units/agency_list.html")


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


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own settings: whether they receive the daily reminder digest.
    An account without a role (an administrator) has nothing to set and is told so."""
    membership = Membership.objects.filter(user=request.user).first()
    # An unticked box posts nothing: the form is bound whenever the method is POST.
    data = request.POST if request.method == "POST" else None
    form = MailSettingsForm(data, instance=membership) if membership else None
    if form is not None and form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu cài đặt."))
        return redirect("account-settings")
    return render(request, "units/account_settings.html", {"form": form})
