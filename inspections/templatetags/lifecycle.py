"""The issue form of every document: date, paper number and the confirmation of a paper
record that breaks the chain's order (`services.lifecycle.issue`)."""

from __future__ import annotations

from django import template

from inspections.forms import IssueForm

register = template.Library()


@register.inclusion_tag("inspections/_issue_fields.html")
def issue_fields(initial_day=None, prefix: str = "issue", button: str = "") -> dict:
    """The fields and button inside a page's issue form. `initial_day`: the date proposed
    (empty: today); `prefix` keeps the ids apart when a page has several issue forms."""
    return {
        "form": IssueForm(initial={"document_date": initial_day}, auto_id=f"id_{prefix}_%s"),
        "button": button,
    }
