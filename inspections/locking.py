"""Optimistic locking: when two people edit the same object, the second save is refused instead
of silently overwriting the first.

A locked model carries a `version` (`Versioned`). Its edit form sends back the version it was
loaded with in a hidden field (`VersionedForm`, or `posted_version` for a form without a model
form). Before writing, the save claims the row with `claim(instance, version)`: one
`UPDATE … SET version = version + 1 WHERE pk = … AND version = …`. The database runs that
statement atomically (on PostgreSQL the second of two concurrent updates waits for the first to
commit, then re-checks the condition), so of two saves loaded at the same version exactly one
matches; the other raises `StaleEdit`, whose message says who changed the object and when (from
its history). Call `claim` inside the transaction that writes, so a refused save changes nothing.

The version counts edits through these forms only; workflow steps (submit, approve, issue) are
guarded by their status checks instead, which refuse an edit of a document no longer in draft.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.templatetags.people import person_name

FIELD = "version"


class Versioned(models.Model):
    """How many times the object was saved through a locked form; 0 until then (and for an
    object the form has not seen yet, which does not exist)."""

    version = models.PositiveIntegerField(gettext_lazy("phiên bản"), default=0, editable=False)

    class Meta:
        abstract = True


class StaleEdit(ValidationError):
    """The object changed after the form was loaded; nothing was saved."""


def stale_message(instance: models.Model | None) -> str:
    """“Người khác (…) đã sửa … lúc …; tải lại trang …”, from the object's latest history row."""
    if instance is None or instance.pk is None:
        return _("Trang này đã cũ: tải lại trang để xem thay đổi rồi sửa lại.")
    last = instance.history.select_related("history_user").first()
    what = instance._meta.verbose_name
    if last is None:
        return _("Người khác đã sửa %(what)s này; tải lại trang để xem thay đổi rồi sửa lại.") % {
            "what": what
        }
    who = (
        _("Người khác (%s)") % person_name(last.history_user)
        if last.history_user
        else _("Người khác")
    )
    when = timezone.localtime(last.history_date).strftime("%H:%M ngày %d/%m/%Y")
    return _(
        "%(who)s đã sửa %(what)s này lúc %(when)s; tải lại trang để xem thay đổi rồi sửa lại."
    ) % {"who": who, "what": what, "when": when}


def claim(instance: Versioned, version: int) -> None:
    """Take the right to save `instance`, loaded by its form at `version`, or raise `StaleEdit`.

    A new (unsaved) instance is created at version 1, so a second form that saw no object yet
    (version 0) is refused once the first has created it.
    """
    if instance.pk is None:
        if version != 0:
            raise StaleEdit(stale_message(None))
        instance.version = 1
        return
    claimed = (
        type(instance)
        ._base_manager.filter(pk=instance.pk, version=version)
        .update(version=version + 1)
    )
    if not claimed:
        raise StaleEdit(stale_message(instance))
    instance.version = version + 1


def posted_version(data: Mapping[str, str]) -> int:
    """The version a plain (non-model) form was loaded with; a page without one is refused."""
    try:
        version = int(data.get(FIELD, ""))
    except ValueError:
        version = -1
    if version < 0:
        raise StaleEdit(stale_message(None))
    return version


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was loaded with and claims it when saving."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        if data.get(FIELD) is None:
            self._errors.pop(FIELD, None)
            if self.instance.pk:
                # Missing or garbled: said with the form's other errors, not on a hidden field.
                self.add_error(None, stale_message(None))
            else:
                data[FIELD] = 0  # nothing to overwrite yet
        return data

    def save(self, commit: bool = True):
        with transaction.atomic():
            claim(self.instance, self.cleaned_data[FIELD])
            return super().save(commit=commit)
