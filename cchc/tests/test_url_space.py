"""The URL space: `reports` is mounted at the root beside `inspections` (README, Decisions: URLs
name records, not apps). Every named route of every app resolves back to itself, so no route of
one app shadows another's."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

SAMPLES = {IntConverter: "7"}


def _named_routes(patterns, namespace: str = "", converters=None):
    """(view name, sample path arguments) of every named route."""
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            args = {name: SAMPLES.get(type(c), "pdf") for name, c in found.items()}
            yield f"{namespace}{entry.name}", args


def test_every_named_route_resolves_to_itself():
    routes = list(_named_routes(get_resolver().url_patterns))
    names = {name for name, _args in routes}
    assert {"reports:plan-pdf", "inspections:plan-detail", "reports:finding-export"} <= names
    for name, kwargs in routes:
        if name.startswith("admin:"):
            continue
        path = reverse(name, kwargs=kwargs)
        assert resolve(path).view_name == name, (name, path, resolve(path).view_name)
