"""Who may do what in the inspection round: the one home of its access rules.

Which rows a user sees is each model's `visible_to(user_or_scope)` (`Plan`, `PlanTarget`,
`ReportRequest`, `Visit`, `Finding`, `Recommendation`, `ConclusionNotice`); this module holds
the predicates the views ask ("may record", "may verify", …) and the get-or-404/403 helpers,
named for what they return. Outside the user's provinces a record answers 404 (unit reporters see
issued plans only: a draft answers 404 to them as well); inside the scope, a role that may only
read gets 403 on changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from inspections.models import (
    ConclusionNotice,
    Plan,
    Recommendation,
    ReportRequest,
    Submission,
    TeamMember,
    Visit,
)
from inspections.services import is_team_member
from units.access import PROVINCE_ROLES, can, require_role, scope_for
from units.models import Role

__all__ = [
    "REVIEWERS",
    "can",
    "get_notice_for_user",
    "get_plan_for_role",
    "get_plan_for_user",
    "get_recommendation_for_user",
    "get_request_for_user",
    "get_submission_for_user",
    "get_visit_for_recorder",
    "get_visit_for_user",
    "is_reporter_of",
    "is_responsible_for",
    "may_open_visit",
    "may_record",
    "may_see_history",
    "may_verify",
    "visit_opens",
]


# Plans ----------------------------------------------------------------------------------------


def get_plan_for_user(user, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(user).select_related(
            "issuer__unit", "standing_agency", "created_by"
        ),
        pk=pk,
    )


def get_plan_for_role(user, pk: int, *roles: Role) -> Plan:
    """The plan if the user sees it (else 404) and has one of `roles` (else 403)."""
    plan = get_plan_for_user(user, pk)
    require_role(user, *roles)
    return plan


# Self-inspection ------------------------------------------------------------------------------


def get_request_for_user(user, pk: int) -> ReportRequest:
    """A unit sees only its own requests: another unit's answers 404."""
    requests = ReportRequest.objects.visible_to(user).select_related(
        "agency__unit", "plan__issuer", "plan__outline"
    )
    return get_object_or_404(requests, pk=pk)


def get_submission_for_user(user, request_pk: int, pk: int) -> Submission:
    request = get_request_for_user(user, request_pk)
    return get_object_or_404(request.submissions.select_related("request__plan"), pk=pk)


def is_reporter_of(user, request: ReportRequest) -> bool:
    scope = scope_for(user)
    return scope.is_reporter and scope.agency_id == request.agency_id


# Visits, findings, recommendations -------------------------------------------------------------


def get_visit_for_user(user, pk: int) -> Visit:
    """A visit of the user's scope: admin every one, staff and leaders their provinces', team
    members their team's. Anyone else gets 404, units included: they see the findings of a visit
    only through an issued conclusion notice."""
    if not can(user, *PROVINCE_ROLES):
        raise Http404
    visits = Visit.objects.visible_to(user).select_related("plan", "team", "agency__unit", "target")
    return get_object_or_404(visits, pk=pk)


def may_record(user, visit: Visit) -> bool:
    """Minutes, findings, recommendations and evidence of a visit: Home Affairs staff, or a
    member of the visit's team."""
    return can(user, Role.STAFF) or is_team_member(user, visit.team)


def get_visit_for_recorder(user, pk: int) -> Visit:
    """The visit (else 404) if the user may record its results (else 403)."""
    visit = get_visit_for_user(user, pk)
    if not may_record(user, visit):
        raise PermissionDenied
    return visit


def may_open_visit(user, visit: Visit) -> bool:
    """Whether the visit's page opens for the user (staff, leaders, the visit's team)."""
    return can(user, Role.STAFF, Role.LEADER) or is_team_member(user, visit.team)


def visit_opens(user, visit: str = "visit"):
    """`may_open_visit` as an expression over rows that reach a visit through `visit`."""
    scope = scope_for(user)
    if can(scope, Role.STAFF, Role.LEADER):
        return Value(True)
    if scope.role == Role.TEAM:
        return Exists(TeamMember.objects.filter(team=OuterRef(f"{visit}__team"), user=user))
    return Value(False)


def get_recommendation_for_user(user, pk: int) -> Recommendation:
    recommendations = Recommendation.objects.visible_to(user).select_related(
        "responsible", "finding__content_area", "finding__visit__plan", "finding__visit__agency",
        "finding__visit__team",
    )  # fmt: skip
    return get_object_or_404(recommendations, pk=pk)


def may_verify(user, recommendation: Recommendation) -> bool:
    """Whether remediation is verified by the user: whoever may record the visit's results."""
    return may_record(user, recommendation.finding.visit)


def is_responsible_for(user, recommendation: Recommendation) -> bool:
    """The reporter of the unit the recommendation is addressed to: it reports remediation."""
    scope = scope_for(user)
    return scope.is_reporter and scope.agency_id == recommendation.responsible_id


# Self-inspection reviews and change history ----------------------------------------------------

REVIEWERS = (Role.STAFF, Role.TEAM)
"""Who accepts or returns a unit's self-inspection report."""


def may_see_history(user) -> bool:
    """Home Affairs staff and administrators. Leaders judge the document they are sent and see its
    workflow steps; the team and the units see neither drafts' wording nor who typed it."""
    return can(user, Role.STAFF)


# Conclusion notices ---------------------------------------------------------------------------


def get_notice_for_user(user, pk: int) -> ConclusionNotice:
    notices = ConclusionNotice.objects.visible_to(user).select_related(
        "plan__issuer__unit", "agency", "amends"
    )
    return get_object_or_404(notices, pk=pk)
