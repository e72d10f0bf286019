"""The Django admin of the round. Every tracked record shows its history (read-only: a past
version is never restored over the current one, which could reopen an issued document), and
nothing issued or submitted can be deleted here: issued plans, decisions, notices and results
reports, sent outlines, what a unit submitted, remediation reports, verifications and every
evidence file. Drafts can still be deleted. What an issued conclusion notice rests on (the
visit, its minutes, findings and recommendations) and the issued notices and reports themselves
cannot be changed here either: a correction is an amending notice, made through the product."""

from __future__ import annotations

import itertools

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from inspections.history import changes_between
from inspections.locking import Versioned
from inspections.models import (
    EDITABLE_STATUSES,
    AmendmentTarget,
    CommuneChoice,
    ConclusionNotice,
    ContentArea,
    ContentFramework,
    DecisionStatus,
    Finding,
    FindingEvidence,
    Holiday,
    IssuedRendition,
    LegalDocument,
    Minutes,
    NoticeStatus,
    NumberRegister,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanAmendment,
    PlanBasis,
    PlanItem,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    Recommendation,
    RemediationFile,
    RemediationReport,
    ReportRequest,
    RequestMessage,
    ResultsReport,
    SentReminder,
    Submission,
    SubmissionAttachment,
    Team,
    TeamMember,
    TeamTarget,
    Verification,
    Visit,
    VisitStatus,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """The change history, to read only."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """What changed, said as the product's history pages say it (`inspections/history.py`):
        the fields' Vietnamese names and values as a reader writes them, not column names and
        stored codes ("status: draft → submitted")."""
        records = list(historical_records)
        for record in records:  # the list prints a missing reason as "None"
            record.history_change_reason = record.history_change_reason or ""
        for newer, older in itertools.pairwise(records):
            newer.history_delta_changes = [
                {"field": change.label, "old": change.old, "new": change.new}
                for change in changes_between(older, newer)
            ]

    def save_model(self, request, obj, form, change):
        if change and isinstance(obj, Versioned):
            obj.version += 1  # a product form opened before this change will not overwrite it
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # no revert, even by a hand-made request
        return super().history_form_view(request, object_id, version_id, extra_context)


class KeptAdmin(HistoryAdmin):
    """A record made by the product's pages (which check its files), never deleted through the
    product (the database protects it too)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def plan_is_draft(plan: Plan | None) -> bool:
    """A plan still being written (draft, or returned to be corrected) — never an issued one."""
    return plan is None or plan.status in EDITABLE_STATUSES


class ContentAreaInline(admin.TabularInline):
    model = ContentArea
    extra = 0


@admin.register(ContentFramework)
class ContentFrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    inlines = [ContentAreaInline]


@admin.register(ContentArea)
class ContentAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["name"]
    list_select_related = ["framework"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "symbol", "issued_on", "kind", "issuer_name", "title", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["number", "symbol", "title", "issuer_name"]
    list_select_related = ["province"]
    date_hierarchy = "issued_on"


@admin.register(NumberRegister)
class NumberRegisterAdmin(admin.ModelAdmin):
    list_display = ["issuer", "year", "symbol", "last_number"]
    list_filter = ["year", "symbol"]
    search_fields = ["issuer__name"]
    list_select_related = ["issuer"]
    raw_id_fields = ["issuer"]


class DraftPlanInline(admin.TabularInline):
    """A part of the plan, deleted only while the plan is a draft."""

    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        return plan_is_draft(obj) and super().has_delete_permission(request, obj)


class PlanTargetInline(DraftPlanInline):
    model = PlanTarget
    fk_name = "plan"
    raw_id_fields = ["agency", "follows_up"]


class PlanTeamAgencyInline(DraftPlanInline):
    model = PlanTeamAgency
    raw_id_fields = ["agency"]


class PlanBasisInline(DraftPlanInline):
    model = PlanBasis
    raw_id_fields = ["document"]


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["__str__", "year", "status", "issuer", "document_date"]
    list_filter = ["status", "year", "province"]
    search_fields = ["summary", "number", "issuer__name"]
    list_select_related = ["issuer"]
    raw_id_fields = ["issuer", "standing_agency"]
    readonly_fields = ["number", "status"]
    inlines = [PlanBasisInline, PlanTeamAgencyInline, PlanTargetInline, PlanTransitionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return plan_is_draft(obj) and super().has_delete_permission(request, obj)


class PartOfPlanAdmin(HistoryAdmin):
    """An item or a target: deleted only while its plan is a draft."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or plan_is_draft(obj.plan)) and super().has_delete_permission(
            request, obj
        )


@admin.register(PlanItem)
class PlanItemAdmin(PartOfPlanAdmin):
    list_display = ["__str__", "plan", "parent", "order", "generated"]
    list_filter = ["generated"]
    search_fields = ["heading", "text"]
    list_select_related = ["plan", "parent"]
    raw_id_fields = ["plan", "parent"]


@admin.register(PlanTarget)
class PlanTargetAdmin(PartOfPlanAdmin):
    list_display = ["agency", "plan", "kind", "mode", "announced"]
    list_filter = ["kind", "mode", "announced"]
    search_fields = ["agency__name", "plan__summary"]
    list_select_related = ["agency", "plan"]
    raw_id_fields = ["plan", "agency", "follows_up"]


@admin.register(PlanTransition)
class PlanTransitionAdmin(admin.ModelAdmin):
    list_display = ["plan", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["plan", "by"]
    search_fields = ["plan__summary", "note"]

    def has_change_permission(self, request, obj=None):
        return False  # the record of who did what is never rewritten

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


class OutlineSectionInline(admin.TabularInline):
    model = OutlineSection
    extra = 0


class OutlineFieldInline(admin.TabularInline):
    model = OutlineField
    extra = 0


@admin.register(Outline)
class OutlineAdmin(HistoryAdmin):
    list_display = ["plan", "target_deadline", "sent_at", "letter_number"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    inlines = [OutlineSectionInline, OutlineFieldInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Once sent, the outline went out with a numbered covering letter.
        sent = obj is not None and obj.sent_at is not None
        return not sent and super().has_delete_permission(request, obj)


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["agency", "plan", "is_target", "deadline"]
    list_filter = ["is_target", "plan__year"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "plan"]
    raw_id_fields = ["plan", "agency"]


class SubmissionAttachmentInline(admin.TabularInline):
    model = SubmissionAttachment
    extra = 0
    readonly_fields = ["file", "file_name", "file_size", "file_sha256", "content_type"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # submitted files are never deleted through the product


@admin.register(Submission)
class SubmissionAdmin(KeptAdmin):
    list_display = ["request", "deliverable", "version", "submitted_at", "late", "status"]
    list_filter = ["deliverable", "status", "late", "below_threshold"]
    search_fields = ["request__agency__name", "file_name"]
    list_select_related = ["request__agency", "request__plan"]
    readonly_fields = [
        "request", "deliverable", "version", "submitted_by", "submitted_at", "late", "values",
        "coverage", "below_threshold", "file", "file_name", "file_size", "file_sha256",
        "content_type",
    ]  # fmt: skip
    inlines = [SubmissionAttachmentInline]  # nothing a unit submitted is deleted


@admin.register(RequestMessage)
class RequestMessageAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "from_unit", "created_at"]
    list_select_related = ["request__agency", "author"]
    search_fields = ["body"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """What the reminder engine sent, read-only: a row is how it knows not to send again."""

    list_display = ["day", "key", "content_type", "object_id", "user", "address"]
    list_select_related = ["user", "content_type"]
    list_filter = ["key", "content_type", "day"]
    search_fields = ["address", "user__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def team_is_draft(team: Team | None) -> bool:
    return team is None or team.decision_status == DecisionStatus.DRAFT


class DraftTeamInline(admin.TabularInline):
    """Members and targets change only until the decision forming the team is issued."""

    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        return team_is_draft(obj) and super().has_delete_permission(request, obj)


class TeamMemberInline(DraftTeamInline):
    model = TeamMember
    raw_id_fields = ["user", "agency"]


class TeamTargetInline(DraftTeamInline):
    model = TeamTarget
    raw_id_fields = ["target"]


@admin.register(Team)
class TeamAdmin(HistoryAdmin):
    list_display = ["name", "plan", "decision_number", "decision_status"]
    list_filter = ["decision_status"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    inlines = [TeamMemberInline, TeamTargetInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return team_is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(CommuneChoice)
class CommuneChoiceAdmin(admin.ModelAdmin):
    list_display = ["agency", "target", "chosen_by", "chosen_at", "seed"]
    list_select_related = ["agency", "target__agency", "chosen_by"]
    raw_id_fields = ["target", "agency"]


class RecordOfVisitAdmin(HistoryAdmin):
    """A visit and what it recorded: neither changed nor deleted once the conclusion notice
    resting on it is issued (the models refuse it too; see `RestsOnNotice`). A record added here
    to a frozen visit is refused by the model's `clean()`, with the notice's number."""

    def frozen(self, obj) -> bool:
        return obj.frozen_by() is not None

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and self.frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self.frozen(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Visit)
class VisitAdmin(RecordOfVisitAdmin):
    list_display = ["agency", "date", "start_time", "team", "announced", "status"]
    list_filter = ["status", "announced", "mode"]
    search_fields = ["agency__name", "place"]
    list_select_related = ["agency", "team"]
    raw_id_fields = ["plan", "team", "target", "agency"]
    date_hierarchy = "date"

    def frozen(self, obj) -> bool:
        return obj.is_frozen

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status == VisitStatus.DONE:
            return False  # it took place: its minutes are the record
        return super().has_delete_permission(request, obj)


@admin.register(Minutes)
class MinutesAdmin(RecordOfVisitAdmin):
    list_display = ["visit", "recorded_by", "updated_at"]
    list_select_related = ["visit__agency", "recorded_by"]
    raw_id_fields = ["visit"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    raw_id_fields = ["responsible"]
    readonly_fields = ["due_date"]
    extra = 0

    # `obj` is the finding: its recommendations are frozen with it.
    def has_add_permission(self, request, obj=None) -> bool:
        frozen = obj is not None and obj.frozen_by() is not None
        return not frozen and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        frozen = obj is not None and obj.frozen_by() is not None
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        frozen = obj is not None and obj.frozen_by() is not None
        return not frozen and super().has_delete_permission(request, obj)


class FindingEvidenceInline(admin.TabularInline):
    model = FindingEvidence
    extra = 0
    fields = readonly_fields = ["file", "file_name", "file_size", "uploaded_by", "uploaded_at"]
    can_delete = False  # evidence files are never deleted through the product

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # through the visit page, which checks the file


@admin.register(Finding)
class FindingAdmin(RecordOfVisitAdmin):
    list_display = ["__str__", "visit", "kind", "severity", "content_area"]
    list_filter = ["kind", "severity", "content_area"]
    search_fields = ["description"]
    list_select_related = ["visit__agency", "content_area"]
    raw_id_fields = ["visit"]
    inlines = [RecommendationInline, FindingEvidenceInline]


@admin.register(Recommendation)
class RecommendationAdmin(RecordOfVisitAdmin):
    list_display = ["__str__", "responsible", "due_date", "status"]
    list_filter = ["status", "deadline_kind"]
    search_fields = ["text", "responsible__name"]
    list_select_related = ["responsible"]
    raw_id_fields = ["finding", "responsible"]
    readonly_fields = ["due_date"]


class DraftDocumentAdmin(HistoryAdmin):
    """A document of the approval path: deleted only as a draft, never changed once issued."""

    def has_change_permission(self, request, obj=None) -> bool:
        issued = obj is not None and obj.status == NoticeStatus.ISSUED
        return not issued and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        draft = obj is None or obj.status == NoticeStatus.DRAFT
        return draft and super().has_delete_permission(request, obj)


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(DraftDocumentAdmin):
    list_display = ["agency", "plan", "number", "status", "issued_on"]
    list_filter = ["status"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "plan"]
    raw_id_fields = ["plan", "agency"]
    readonly_fields = ["amends", "number", "issued_on", "status", "approved_by"]


class AmendmentTargetInline(admin.TabularInline):
    """The targets an amendment adds or removes: changed only while it is a draft."""

    model = AmendmentTarget
    extra = 0
    raw_id_fields = ["agency"]

    def has_add_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


@admin.register(PlanAmendment)
class PlanAmendmentAdmin(DraftDocumentAdmin):
    list_display = ["plan", "form", "number", "status", "issued_on"]
    list_filter = ["status", "form"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    readonly_fields = ["number", "issued_on", "status", "approved_by", "return_reason"]
    inlines = [AmendmentTargetInline]


@admin.register(ResultsReport)
class ResultsReportAdmin(DraftDocumentAdmin):
    list_display = ["plan", "number", "status", "issued_on"]
    list_filter = ["status"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "issuer"]
    readonly_fields = ["number", "issued_on", "status", "approved_by"]


class RemediationFileInline(admin.TabularInline):
    model = RemediationFile
    extra = 0
    fields = readonly_fields = ["file", "file_name", "file_size", "uploaded_by", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RemediationReport)
class RemediationReportAdmin(KeptAdmin):
    list_display = ["recommendation", "version", "submitted_by", "submitted_at", "late"]
    list_filter = ["late"]
    list_select_related = ["recommendation", "submitted_by"]
    readonly_fields = ["recommendation", "version", "text", "submitted_by", "submitted_at",
                       "late"]  # fmt: skip
    inlines = [RemediationFileInline]


@admin.register(Verification)
class VerificationAdmin(KeptAdmin):
    list_display = ["recommendation", "done", "verified_by", "verified_at"]
    list_filter = ["done"]
    list_select_related = ["recommendation", "verified_by"]
    readonly_fields = ["recommendation", "report", "done", "note", "verified_by", "verified_at"]


@admin.register(IssuedRendition)
class IssuedRenditionAdmin(admin.ModelAdmin):
    """The files kept at issue, with their hashes: to read only, never replaced or deleted."""

    list_display = ["title", "content_type", "object_id", "rendered_at", "pdf_sha256"]
    list_filter = ["content_type"]
    search_fields = ["title", "pdf_sha256", "docx_sha256"]
    list_select_related = ["content_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
