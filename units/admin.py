from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.forms import ImportForm
from units.models import AdministrativeUnit, Agency, Membership, UnitSuccession
from units.services import (
    ImportRejected,
    agencies_import,
    read_table,
    unit_committee_ensure,
    units_import,
)


class ImportFromFileMixin:
    """Adds “Nhập từ tệp” to a changelist: the same import as `manage.py import_registry`."""

    change_list_template = "admin/units/change_list_import.html"
    import_service = None
    import_columns: tuple[str, ...] = ()

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{info[0]}_{info[1]}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = type(self).import_service(rows=read_table(upload, upload.name))
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                self.message_user(request, _("Đã nhập: %s.") % result, messages.SUCCESS)
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập %s từ tệp") % self.model._meta.verbose_name_plural,
            "form": form,
            "errors": errors,
            "columns": self.import_columns,
        }
        return TemplateResponse(request, "admin/units/import.html", context)


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    raw_id_fields = ["predecessor"]
    extra = 0
    verbose_name = gettext_lazy("đơn vị trước")
    verbose_name_plural = gettext_lazy("đơn vị trước (hình thành từ)")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ImportFromFileMixin, admin.ModelAdmin):
    import_service = staticmethod(units_import)
    import_columns = ("code", "name", "short_name", "level", "kind", "parent_code", "valid_from",
                      "valid_to", "predecessor_codes", "note")  # fmt: skip
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]
    # Only the provinces in use: a plain filter would list every one of the ~14,000 units.
    list_filter = ["level", "kind", ("province", admin.RelatedOnlyFieldListFilter), "source",
                   "valid_from", "valid_to"]  # fmt: skip
    readonly_fields = ["source"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    inlines = [SuccessionInline]
    ordering = ["level", "code", "valid_from"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        unit_committee_ensure(unit=obj)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "predecessor__code", "successor__name", "successor__code"]
    list_filter = ["successor__level", "predecessor__level"]
    list_select_related = ["predecessor", "successor"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Agency)
class AgencyAdmin(ImportFromFileMixin, admin.ModelAdmin):
    import_service = staticmethod(agencies_import)
    import_columns = ("unit_code", "code", "name", "short_name", "abbreviation", "kind", "parent",
                      "valid_from", "valid_to", "merged_into", "note")  # fmt: skip
    list_display = ["name", "abbreviation", "kind", "unit", "valid_from", "valid_to", "merged_into"]
    list_filter = ["kind", ("province", admin.RelatedOnlyFieldListFilter), "unit__level", "source",
                   "valid_to"]  # fmt: skip
    readonly_fields = ["source"]
    search_fields = ["name", "search_name", "abbreviation", "code", "unit__name"]
    list_select_related = ["unit", "merged_into"]
    raw_id_fields = ["unit", "parent", "merged_into"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province", "agency", "title"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    list_select_related = ["user", "province", "agency"]
    raw_id_fields = ["user", "province", "agency"]


class MembershipInline(admin.StackedInline):
    model = Membership
    raw_id_fields = ["province", "agency"]
    can_delete = False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CchcUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_select_related = ["membership"]
    list_filter = ["membership__role", "is_active", "is_superuser"]

    @admin.display(description=gettext_lazy("Vai trò"), ordering="membership__role")
    def role(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else ""


class AttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed sign-ins with its two computed columns named in Vietnamese (its own
    names are the methods' English names; the rest is translated in `locale/vi`)."""

    @admin.display(description=gettext_lazy("Hết hạn khóa lúc"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.display(description=gettext_lazy("Tình trạng"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AttemptAdmin)
