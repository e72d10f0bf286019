"""Amendments of an issued plan: start, edit the draft (wording, values, targets added or
removed), submit, approve or return with a reason, issue. The rules are in
`services.amendments`; the document is served by `reports`."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections import services
from inspections.access import can, get_plan_for_role
from inspections.forms import (
    AmendmentEditForm,
    AmendmentRemovalForm,
    AmendmentTargetForm,
)
from inspections.history import amendment_history
from inspections.models import AmendmentForm, IssuedRendition, NoticeStatus, PlanAmendment
from inspections.services.lifecycle import may
from inspections.views.common import History, form_errors, refused
from inspections.views.plans import _to_plan
from units.access import scope_for
from units.models import Role


def _amendment(request: HttpRequest, amendment_pk: int) -> PlanAmendment:
    amendments = PlanAmendment.objects.visible_to(scope_for(request.user)).select_related(
        "plan__issuer", "approved_by"
    )
    return get_object_or_404(amendments, pk=amendment_pk)


def _to_amendment(amendment: PlanAmendment, anchor: str = "") -> HttpResponse:
    return redirect(reverse("inspections:amendment-detail", args=[amendment.pk]) + anchor)


@login_required
@require_POST
def amendment_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    form = request.POST.get("form")
    try:
        amendment = services.amendment_start(
            plan=plan,
            by=request.user,
            form=form if form in AmendmentForm.values else AmendmentForm.PLAN,
        )
    except ValidationError as error:
        refused(request, error)
        return _to_plan(plan)
    return _to_amendment(amendment)


@login_required
@require_http_methods(["GET", "POST"])
def amendment_detail(request: HttpRequest, amendment_pk: int) -> HttpResponse:
    amendment = _amendment(request, amendment_pk)
    history = History(request, lambda: amendment_history(amendment))
    if answer := history.answer():
        return answer
    plan = amendment.plan
    staff = can(request.user, Role.STAFF)
    editable = staff and amendment.is_draft
    if request.method == "POST" and not editable:
        if not staff:
            raise PermissionDenied
        messages.error(request, _("Văn bản điều chỉnh không còn là dự thảo nên không sửa được."))
        return _to_amendment(amendment)
    form = AmendmentEditForm(request.POST or None, instance=amendment) if editable else None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version, team = data.pop("version"), list(data.pop("team"))
            try:
                services.amendment_save(amendment=amendment, version=version, team=team, **data)
            except ValidationError as error:
                refused(request, error)
            else:
                messages.success(request, _("Đã lưu."))
                return _to_amendment(amendment)
        else:
            form_errors(request, form)
    changes = amendment.target_changes.select_related("agency__unit").order_by("action", "pk")
    if not can(request.user, Role.STAFF, Role.LEADER):
        # Unannounced additions are recorded in the system only, for staff and leaders.
        changes = changes.filter(announced=True)
    issued = amendment.status == NoticeStatus.ISSUED
    return render(
        request,
        "inspections/amendment_detail.html",
        {
            "amendment": amendment,
            "plan": plan,
            "form": form,
            "changes": changes,
            "team": amendment.team.order_by("name") if amendment.changes_team else None,
            "target_form": AmendmentTargetForm(plan=plan) if editable else None,
            "removal_form": AmendmentRemovalForm(plan=plan) if editable else None,
            "can_submit": editable,
            "can_decide": may(request.user, "amendment", "approve")
            and amendment.status == NoticeStatus.SUBMITTED,
            "can_issue": may(request.user, "amendment", "issue")
            and amendment.status == NoticeStatus.APPROVED,
            "issued": issued,
            "rendition": IssuedRendition.objects.of(amendment).first() if issued else None,
            **history.context(),
        },
    )


def _staff_draft_step(
    request: HttpRequest, amendment_pk: int, action: Callable[[PlanAmendment], str]
) -> HttpResponse:
    """A change of the draft's targets by staff; `action` returns the success message."""
    amendment = _amendment(request, amendment_pk)
    if not can(request.user, Role.STAFF):
        raise PermissionDenied
    try:
        done = action(amendment)
    except ValidationError as error:
        refused(request, error)
    else:
        if done:
            messages.success(request, done)
    return _to_amendment(amendment, "#doi-tuong")


@login_required
@require_POST
def amendment_target_add(request: HttpRequest, amendment_pk: int) -> HttpResponse:
    def add(amendment: PlanAmendment) -> str:
        form = AmendmentTargetForm(request.POST, plan=amendment.plan)
        if not form.is_valid():
            form_errors(request, form)
            return ""
        change = services.amendment_target_add(amendment=amendment, **form.cleaned_data)
        return _("Đã đề xuất bổ sung %s.") % change.agency.name

    return _staff_draft_step(request, amendment_pk, add)


@login_required
@require_POST
def amendment_target_remove(request: HttpRequest, amendment_pk: int) -> HttpResponse:
    def remove(amendment: PlanAmendment) -> str:
        form = AmendmentRemovalForm(request.POST, plan=amendment.plan)
        if not form.is_valid():
            form_errors(request, form)
            return ""
        target = form.cleaned_data["target"]
        services.amendment_target_remove(amendment=amendment, target=target)
        return _("Đã đề xuất đưa %s ra khỏi danh sách.") % target.agency.name

    return _staff_draft_step(request, amendment_pk, remove)


@login_required
@require_POST
def amendment_change_delete(
    request: HttpRequest, amendment_pk: int, change_pk: int
) -> HttpResponse:
    def drop(amendment: PlanAmendment) -> str:
        change = get_object_or_404(amendment.target_changes, pk=change_pk)
        services.amendment_change_drop(amendment=amendment, change=change)
        return _("Đã bỏ đề xuất.")

    return _staff_draft_step(request, amendment_pk, drop)
