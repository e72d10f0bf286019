"""The names of Django's permissions in Vietnamese. Django writes them in English into the
database when it creates them ("Can add plan"), and the admin shows them as written (a group's or
a user's permissions): after each app's migration its default permissions are named from the
action and the model's Vietnamese name ("Thêm kế hoạch kiểm tra")."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "add": _("Thêm"),
    "change": _("Sửa"),
    "delete": _("Xóa"),
    "view": _("Xem"),
}


def name_permissions_in_vietnamese(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The default permissions of the app just migrated (`sender`), named in Vietnamese (one
    query to read them, one to write those that change)."""
    from django.contrib.auth.models import Permission

    models = {model._meta.model_name: model._meta for model in sender.get_models()}
    changed = []
    with translation.override("vi"):
        for permission in (
            Permission.objects.using(using)
            .filter(content_type__app_label=sender.label)
            .select_related("content_type")
        ):
            meta = models.get(permission.content_type.model)
            action = permission.codename.removesuffix(f"_{permission.content_type.model}")
            if meta is None or action not in ACTIONS or action not in meta.default_permissions:
                continue
            name = f"{ACTIONS[action]} {meta.verbose_name}"[:255]
            if permission.name != name:
                permission.name = name
                changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])
