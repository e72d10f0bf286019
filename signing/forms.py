from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.uploads import check_upload


class SignedFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF đã ký số"),
        help_text=_("Bản PDF có ô ký tải từ trang này, đã ký bằng thiết bị ký số của người ký"),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file, allowed=("pdf",))
        return file
