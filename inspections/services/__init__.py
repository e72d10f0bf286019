"""Workflows that touch several models, one module per part of the round (re-exported here).

Each function validates, runs in a transaction and records what happened. A refused step raises
`ValidationError` with a Vietnamese message that says what is wrong and how to fix it, and
changes nothing.
"""

from inspections.services.plans import (
    number_allocate,
    plan_approve,
    plan_copy,
    plan_create,
    plan_issue,
    plan_return,
    plan_submit,
    plan_targets_add,
    plan_warnings,
    require_editable,
    target_problems,
)
from inspections.services.self_inspection import (
    PROGRESS_STATES,
    ProgressRow,
    Todo,
    coverage_of,
    not_requested,
    outline_send,
    outline_sender,
    plan_progress,
    reminders_due,
    request_message_post,
    self_inspection_recipients,
    submission_create,
    submission_review,
    todo_for,
    unanswered,
)

__all__ = [
    "PROGRESS_STATES",
    "ProgressRow",
    "Todo",
    "coverage_of",
    "not_requested",
    "number_allocate",
    "outline_send",
    "outline_sender",
    "plan_approve",
    "plan_copy",
    "plan_create",
    "plan_issue",
    "plan_progress",
    "plan_return",
    "plan_submit",
    "plan_targets_add",
    "plan_warnings",
    "reminders_due",
    "request_message_post",
    "require_editable",
    "self_inspection_recipients",
    "submission_create",
    "submission_review",
    "target_problems",
    "todo_for",
    "unanswered",
]
