"""The form widgets every app uses, so that no browser's English reaches a user.

- `DateInput`: a text box written dd/mm/yyyy (never `type="date"`, whose box and picker follow the
  browser's language: mm/dd/yyyy in an English browser). `static/js/forms.js` adds the slashes as
  digits are typed; the server reads dd/mm/yyyy (and yyyy-mm-dd) through the Vietnamese
  `DATE_INPUT_FORMATS` (`cchc/formats/vi`).
- `TimeInput`: a text box written hh:mm on the 24-hour clock (never `type="time"`, which shows
  "--:-- AM/PM" in an English browser); the colon is added as digits are typed.
- `FileInput`, `MultipleFileInput`: a button "Chọn tệp…" and the chosen file's name instead of the
  browser's "Choose File / No file chosen" (`templates/widgets/file_input.html`; crispy forms
  render file fields through the same template, `templates/bootstrap5/layout/field_file.html`).

Every date, time and file field of our forms uses these (`cchc/tests/test_vietnamese.py` checks).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-date-input": "",
            "title": _("Ngày/tháng/năm, ví dụ 05/09/2026"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("hh:mm"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "5",
            "data-time-input": "",
            "title": _("Giờ:phút theo 24 giờ, ví dụ 14:30"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=TIME_FORMAT)


class FileInput(forms.ClearableFileInput):
    """A file box with a Vietnamese button and the chosen file's name. Clearable, like Django's
    default for a model's file field: the "clear" box shows only for an optional field that
    already holds a file."""

    template_name = "widgets/file_input.html"


class MultipleFileInput(FileInput):
    allow_multiple_selected = True
