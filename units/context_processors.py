from __future__ import annotations

from units.access import scope_for


def membership(request):
    """The signed-in user's role, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_for(user)}
