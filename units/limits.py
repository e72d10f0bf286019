"""How long typed text may be, and the Vietnamese message when it is longer.

Every free-text field has a maximum: the whole seed plan 23/KH-UBND is about 5,700 characters,
so the limits leave room for any real document while refusing a pasted book (a 200,000-character
message was once stored). The limit is checked in forms (with `maxlength` on the text box) and
in `full_clean`, so a service that writes text from the request checks it too; the database
column stays unbounded.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

NOTE = 2_000  # a note, reason, comment, list of people or recipients
MESSAGE = 5_000  # a message in a request's thread, an explanation
PROSE = 20_000  # a finding, a recommendation, a section of a plan or of the minutes
BODY = 100_000  # a whole part of the results report


def thousands(n: int) -> str:
    """200000 → "200.000", as Vietnamese writes numbers."""
    return f"{n:,}".replace(",", ".")


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    message = _(
        "Nội dung dài %(length)s ký tự, tối đa %(limit)s ký tự. Hãy rút gọn, hoặc đưa phần chi "
        "tiết vào tệp đính kèm."
    )

    def __call__(self, value) -> None:
        if len(value) > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"length": thousands(len(value)), "limit": thousands(self.limit_value)},
            )


def limit_text(field: forms.CharField, limit: int) -> forms.CharField:
    """`field` limited to `limit` characters with the Vietnamese message (Django's own
    max-length check, if any, is replaced)."""
    field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)] + [
        TextLengthValidator(limit)
    ]
    field.widget.attrs.update(field.widget_attrs(field.widget))
    return field


def text_field(limit: int, **kwargs) -> forms.CharField:
    """A form's text box of at most `limit` characters."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return limit_text(forms.CharField(**kwargs), limit)


class LimitedTextField(models.TextField):
    """A `TextField` of at most `max_length` characters, checked by its form field and by
    `full_clean` with the Vietnamese message (a plain `TextField` checks neither in full)."""

    def __init__(self, *args, max_length: int, **kwargs) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, TextLengthValidator(self.max_length)]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        return limit_text(field, self.max_length) if field is not None else None
