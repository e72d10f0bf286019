"""Who may see what in the registry, and the scope every app's access rules start from.

Every user belongs to a province; they see that province and every province it succeeded
(new An Giang sees Kiên Giang's records). Administrators see everything. Outside the scope an
object answers 404, so an outsider cannot even learn that it exists; inside it, a role that may
not change a record gets 403 (`require_role`). Each scoped model answers
`Model.objects.visible_to(user_or_scope)`; the inspections' predicates and get-or-404/403
helpers live in `inspections.access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from units.models import AdministrativeUnit, Agency, Membership, Role


@dataclass(frozen=True)
class Scope:
    """The provinces a user may see (None: all of them), their role, and for a unit's reporter
    their agency."""

    province_ids: frozenset[int] | None
    role: Role | str | None
    agency_id: int | None = None
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.province_ids is None

    @property
    def is_reporter(self) -> bool:
        """A unit's reporter: sees what concerns their own agency only."""
        return self.role == Role.REPORTER

    @property
    def is_department(self) -> bool:
        """Of the Department's own people (`PROVINCE_ROLES`), or an administrator."""
        return self.is_admin or self.role in PROVINCE_ROLES


PROVINCE_ROLES = (Role.STAFF, Role.LEADER, Role.TEAM)
"""The Department's own people: staff, leaders and inspection teams read every record of their
provinces (team members' visits excepted: their team's only)."""

NO_SCOPE = Scope(province_ids=frozenset(), role=None)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The user's scope, computed once per request object."""
    cached = getattr(user, "_cchc_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return NO_SCOPE
    membership = Membership.objects.select_related("province").filter(user=user).first()
    if user.is_superuser:
        scope = Scope(
            province_ids=None, role=membership.role if membership else None, user_id=user.pk
        )
    elif membership is None:
        scope = NO_SCOPE
    else:
        scope = Scope(
            province_ids=AdministrativeUnit.objects.lineage_ids(membership.province),
            role=membership.role,
            agency_id=membership.agency_id,
            user_id=user.pk,
        )
    user._cchc_scope = scope
    return scope


def as_scope(user_or_scope: AbstractBaseUser | AnonymousUser | Scope) -> Scope:
    """The scope itself, or the user's: what every `visible_to` accepts."""
    if isinstance(user_or_scope, Scope):
        return user_or_scope
    return scope_for(user_or_scope)


def can(user_or_scope, *roles: Role) -> bool:
    """Whether the user's role is one of `roles` (administrators always may)."""
    scope = as_scope(user_or_scope)
    return scope.is_admin or scope.role in roles


def require_role(user, *roles: Role) -> Scope:
    """The user's scope if their role is one of `roles` (administrators always pass), else 403."""
    scope = scope_for(user)
    if can(scope, *roles):
        return scope
    raise PermissionDenied


def get_unit_for_user(user, pk: int) -> AdministrativeUnit:
    scope = scope_for(user)
    qs = AdministrativeUnit.objects.in_scope(scope.province_ids).select_related(
        "parent", "province"
    )
    return get_object_or_404(qs, pk=pk)


def get_agency_for_user(user, pk: int) -> Agency:
    scope = scope_for(user)
    qs = Agency.objects.in_scope(scope.province_ids).select_related(
        "unit", "province", "parent", "merged_into__unit"
    )
    return get_object_or_404(qs, pk=pk)
