"""The inspection round's models, one module per part of the round (re-exported here)."""

from inspections.models.plans import (
    EDITABLE_STATUSES,
    Plan,
    PlanBasis,
    PlanItem,
    PlanQuerySet,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    TargetKind,
    TargetMode,
    letter,
    point_label,
    roman,
)
from inspections.models.reference import (
    ContentArea,
    ContentFramework,
    LegalDocument,
    NumberRegister,
)
from inspections.models.self_inspection import (
    Deliverable,
    FieldKind,
    FieldRole,
    Outline,
    OutlineField,
    OutlineSection,
    Reminder,
    ReportRequest,
    ReportRequestQuerySet,
    RequestMessage,
    ReviewStatus,
    Submission,
    SubmissionAttachment,
    attachment_path,
    private_storage,
    submission_path,
)

__all__ = [
    "EDITABLE_STATUSES", "ContentArea", "ContentFramework", "Deliverable", "FieldKind",
    "FieldRole", "LegalDocument", "NumberRegister", "Outline", "OutlineField", "OutlineSection",
    "Plan", "PlanBasis", "PlanItem", "PlanQuerySet", "PlanStatus", "PlanTarget", "PlanTeamAgency",
    "PlanTransition", "Reminder", "ReportRequest", "ReportRequestQuerySet", "RequestMessage",
    "ReviewStatus", "Submission", "SubmissionAttachment", "TargetKind", "TargetMode",
    "attachment_path", "letter", "point_label", "private_storage", "roman", "submission_path",
]  # fmt: skip
