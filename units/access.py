"""Who may see what in the registry.

Every user belongs to a province; they see that province and every province it succeeded
(new An Giang sees Kiên Giang's records). Administrators see everything. Outside the scope an
object answers 404, so an outsider cannot even learn that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from units.models import AdministrativeUnit, Agency, Membership, Role


@dataclass(frozen=True)
class Scope:
    """The provinces a user may see (None: all of them) and their role."""

    province_ids: frozenset[int] | None
    role: str | None
    agency_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.province_ids is None

    @property
    def is_reporter(self) -> bool:
        """A unit's reporter: sees what concerns their own agency only."""
        return self.role == Role.REPORTER


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
        scope = Scope(province_ids=None, role=membership.role if membership else None)
    elif membership is None:
        scope = NO_SCOPE
    else:
        scope = Scope(
            province_ids=AdministrativeUnit.objects.lineage_ids(membership.province),
            role=membership.role,
            agency_id=membership.agency_id,
        )
    user._cchc_scope = scope
    return scope


def require_role(user, *roles: str) -> Scope:
    """The user's scope if their role is one of `roles` (administrators always pass), else 403."""
    scope = scope_for(user)
    if scope.is_admin or scope.role in roles:
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
