"""Who may do what with plans.

Outside the user's provinces a plan answers 404; unit reporters see issued plans only (a draft
answers 404 to them as well). Inside the scope, a role that may only read gets 403 on changes.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from inspections.models import Plan, ReportRequest, Submission, Visit
from inspections.services import visits_visible
from units.access import require_role, scope_for
from units.models import Role

READERS = (Role.STAFF, Role.LEADER, Role.TEAM, Role.REPORTER)
VISIT_READERS = (Role.STAFF, Role.LEADER, Role.TEAM)


def visible_plans(user):
    scope = scope_for(user)
    if not scope.is_admin and scope.role not in READERS:
        return Plan.objects.none()
    plans = Plan.objects.in_scope(scope.province_ids)
    if not scope.is_admin and scope.role == Role.REPORTER:
        plans = plans.issued()
    return plans


def get_plan_for_user(user, pk: int) -> Plan:
    plan = get_object_or_404(
        visible_plans(user).select_related("issuer__unit", "standing_agency", "created_by"), pk=pk
    )
    return plan


def get_plan_for_role(user, pk: int, *roles: str) -> Plan:
    """The plan if the user sees it (else 404) and has one of `roles` (else 403)."""
    plan = get_plan_for_user(user, pk)
    require_role(user, *roles)
    return plan


def can(user, *roles: str) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.role in roles


def get_request_for_user(user, pk: int) -> ReportRequest:
    """A unit sees only its own requests: another unit's answers 404."""
    requests = ReportRequest.objects.visible_to(scope_for(user)).select_related(
        "agency__unit", "plan__issuer", "plan__outline"
    )
    return get_object_or_404(requests, pk=pk)


def get_submission_for_user(user, request_pk: int, pk: int) -> Submission:
    request = get_request_for_user(user, request_pk)
    return get_object_or_404(request.submissions.select_related("request__plan"), pk=pk)


def is_reporter_of(user, request: ReportRequest) -> bool:
    scope = scope_for(user)
    return scope.role == Role.REPORTER and scope.agency_id == request.agency_id


def get_visit_for_user(user, pk: int) -> Visit:
    """A visit of the user's scope: admin every one, staff and leaders their provinces', team
    members their team's. Anyone else gets 404, units included: they see the findings of a visit
    only through an issued conclusion notice."""
    scope = scope_for(user)
    if not scope.is_admin and scope.role not in VISIT_READERS:
        raise Http404
    visits = visits_visible(scope, user).select_related("plan", "team", "agency__unit", "target")
    return get_object_or_404(visits, pk=pk)
