from __future__ import annotations

from django.contrib import admin

from signing.models import RevocationList, SignedVersion, SigningBody, TrustRoot


@admin.register(SigningBody)
class SigningBodyAdmin(admin.ModelAdmin):
    list_display = ("agency", "seal_diameter_mm", "pkcs12_file", "pkcs11_key_label")
    autocomplete_fields = ("agency",)
    fields = ("agency", "seal", "seal_diameter_mm", "pkcs12_file", "pkcs11_key_label")


@admin.register(TrustRoot)
class TrustRootAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "added_at")
    fields = ("name", "certificate", "active")


@admin.register(RevocationList)
class RevocationListAdmin(admin.ModelAdmin):
    """CRLs for validation on a server that cannot reach the responders (signing/README.md)."""

    list_display = ("name", "issuer", "this_update", "next_update", "active", "added_at")
    fields = ("name", "file", "active", "issuer", "this_update", "next_update")
    readonly_fields = ("issuer", "this_update", "next_update")


@admin.register(SignedVersion)
class SignedVersionAdmin(admin.ModelAdmin):
    """The record of what was signed: read only (a signed file is never edited)."""

    list_display = ("rendition", "kind", "signer_name", "signed_at", "status", "recorded_by")
    list_filter = ("kind", "status")
    readonly_fields = [field.name for field in SignedVersion._meta.fields if field.name != "id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
