from __future__ import annotations

from django.contrib import admin

from inspections.models import (
    ContentArea,
    ContentFramework,
    LegalDocument,
    NumberRegister,
    Plan,
    PlanBasis,
    PlanItem,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
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
