from __future__ import annotations

from django.contrib import admin

from inspections.models import (
    CommuneChoice,
    ConclusionNotice,
    ContentArea,
    ContentFramework,
    Finding,
    Holiday,
    LegalDocument,
    Minutes,
    NumberRegister,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanBasis,
    PlanItem,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    Recommendation,
    Reminder,
    ReportRequest,
    RequestMessage,
    Submission,
    SubmissionAttachment,
    Team,
    TeamMember,
    TeamTarget,
    Visit,
)


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


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    fk_name = "plan"
    raw_id_fields = ["agency", "follows_up"]
    extra = 0


class PlanTeamAgencyInline(admin.TabularInline):
    model = PlanTeamAgency
    raw_id_fields = ["agency"]
    extra = 0


class PlanBasisInline(admin.TabularInline):
    model = PlanBasis
    raw_id_fields = ["document"]
    extra = 0


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "status", "issuer", "document_date"]
    list_filter = ["status", "year", "province"]
    search_fields = ["summary", "number", "issuer__name"]
    list_select_related = ["issuer"]
    raw_id_fields = ["issuer", "standing_agency"]
    readonly_fields = ["number", "status"]
    inlines = [PlanBasisInline, PlanTeamAgencyInline, PlanTargetInline, PlanTransitionInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "parent", "order", "generated"]
    list_filter = ["generated"]
    search_fields = ["heading", "text"]
    list_select_related = ["plan", "parent"]
    raw_id_fields = ["plan", "parent"]


@admin.register(PlanTarget)
class PlanTargetAdmin(admin.ModelAdmin):
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
class OutlineAdmin(admin.ModelAdmin):
    list_display = ["plan", "target_deadline", "sent_at", "letter_number"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    inlines = [OutlineSectionInline, OutlineFieldInline]


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
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["request", "deliverable", "version", "submitted_at", "late", "status"]
    list_filter = ["deliverable", "status", "late", "below_threshold"]
    search_fields = ["request__agency__name", "file_name"]
    list_select_related = ["request__agency", "request__plan"]
    readonly_fields = [
        "request", "deliverable", "version", "submitted_by", "submitted_at", "late", "values",
        "coverage", "below_threshold", "file", "file_name", "file_size", "file_sha256",
        "content_type",
    ]  # fmt: skip
    inlines = [SubmissionAttachmentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing a unit submitted is deleted through the product


@admin.register(RequestMessage)
class RequestMessageAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "from_unit", "created_at"]
    list_select_related = ["request__agency", "author"]
    search_fields = ["body"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["request", "key", "sent_at"]
    list_select_related = ["request__agency"]
    list_filter = ["key"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    raw_id_fields = ["user", "agency"]
    extra = 0


class TeamTargetInline(admin.TabularInline):
    model = TeamTarget
    raw_id_fields = ["target"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "decision_number", "decision_status"]
    list_filter = ["decision_status"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    inlines = [TeamMemberInline, TeamTargetInline]


@admin.register(CommuneChoice)
class CommuneChoiceAdmin(admin.ModelAdmin):
    list_display = ["agency", "target", "chosen_by", "chosen_at", "seed"]
    list_select_related = ["agency", "target__agency", "chosen_by"]
    raw_id_fields = ["target", "agency"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["agency", "date", "start_time", "team", "announced", "status"]
    list_filter = ["status", "announced", "mode"]
    search_fields = ["agency__name", "place"]
    list_select_related = ["agency", "team"]
    raw_id_fields = ["plan", "team", "target", "agency"]
    date_hierarchy = "date"


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["visit", "recorded_by", "updated_at"]
    list_select_related = ["visit__agency", "recorded_by"]
    raw_id_fields = ["visit"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    raw_id_fields = ["responsible"]
    readonly_fields = ["due_date"]
    extra = 0


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "visit", "kind", "severity", "content_area"]
    list_filter = ["kind", "severity", "content_area"]
    search_fields = ["description"]
    list_select_related = ["visit__agency", "content_area"]
    raw_id_fields = ["visit"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "responsible", "due_date", "status"]
    list_filter = ["status", "deadline_kind"]
    search_fields = ["text", "responsible__name"]
    list_select_related = ["responsible"]
    raw_id_fields = ["finding", "responsible"]
    readonly_fields = ["due_date"]


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(admin.ModelAdmin):
    list_display = ["agency", "plan", "number", "status", "issued_on"]
    list_filter = ["status"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "plan"]
    raw_id_fields = ["plan", "agency"]
    readonly_fields = ["number", "issued_on", "status", "approved_by"]
