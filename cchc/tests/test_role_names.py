"""Roles are named only through `units.models.Role`: no role's value as a string in the code or
the templates, so that a search for `Role.LEADER` finds every rule about leaders.

A role value is flagged where it can only mean a role: compared (`==`, `in`), a key of a
dictionary, a keyword argument about roles (`role=`, `membership__role__in=`), or next to another
role value in a tuple, list or set. `"team"` alone stays free: it is also a field's name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from units.models import Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cchc", "units", "inspections", "reports", "devtools")
VALUES = {role.value for role in Role}
FIELD_NAMES = {"team"}  # role values that are also names of fields


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            # Not the load tool's own environment (devtools/loadtest/.venv, git-ignored).
            if "migrations" in parts or "tests" in parts or ".venv" in parts:
                continue
            yield path


def _role_value(node) -> bool:
    return isinstance(node, ast.Constant) and node.value in VALUES


def _members(node) -> list:
    return list(node.elts) if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]


def _literals(tree: ast.AST) -> list[int]:
    """Line numbers of role values written as strings."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Role":
            node.body = []  # the enum itself
    for node in ast.walk(tree):
        found = []
        if isinstance(node, ast.Compare):
            about_roles = "role" in ast.unparse(node)
            for side in (node.left, *node.comparators):
                found += [
                    n
                    for n in _members(side)
                    if _role_value(n) and (about_roles or n.value not in FIELD_NAMES)
                ]
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None and _role_value(k)]
            if len(keys) > 1 or any(k.value not in FIELD_NAMES for k in keys):
                found += keys
        elif isinstance(node, ast.keyword) and node.arg and "role" in node.arg:
            found += [n for n in _members(node.value) if _role_value(n)]
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = [n for n in node.elts if _role_value(n)]
            if len({n.value for n in values}) > 1:
                found += values
        lines += [n.lineno for n in found]
    return sorted(set(lines))


def test_no_role_value_as_a_string_in_the_code():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in _literals(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == [], "Use units.models.Role instead of the role's value: " + ", ".join(found)


TEMPLATE_ROLE = re.compile(
    r"\{%[^%]*[\"'](" + "|".join(sorted(VALUES)) + r")[\"'][^%]*%\}|\brole\s*(==|!=|in)\s*[\"']"
)


def test_no_role_value_as_a_string_in_the_templates():
    found = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts and TEMPLATE_ROLE.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Test the scope (scope.is_reporter) or a view's flag instead: " + ", ".join(
        found
    )


def test_the_check_finds_a_role_literal():
    """The check itself: each shape it must catch, and a field named `team` it must leave."""
    caught = """
if scope.role == "leader": pass
if scope.role in ("staff", "team"): pass
wanted = {"staff": 1}
Membership.objects.filter(role="reporter")
Membership.objects.filter(membership__role__in=["team"])
"""
    assert _literals(ast.parse(caught)) == [2, 3, 4, 5, 6]
    left = """
Visit.objects.select_related("team", "agency")
if name not in ("team", "bases"): pass
message % {"team": team.name, "agency": agency.name}
"""
    assert _literals(ast.parse(left)) == []
