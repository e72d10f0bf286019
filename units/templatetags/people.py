from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A Vietnamese name in its own order: family and middle names (last_name), then given name."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
