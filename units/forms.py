from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from units.models import Membership
from units.widgets import FileInput


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.csv hoặc .xlsx)"),
        help_text=_("Dòng đầu là tên cột. Nếu có dòng sai, không có gì thay đổi."),
        widget=FileInput,
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                _("Chỉ nhận tệp .csv hoặc .xlsx: hãy lưu tệp dưới dạng đó.")
            )
        limit = settings.IMPORT_MAX_BYTES
        if file.size > limit:
            size = f"{limit / (1024 * 1024):.3f}".rstrip("0").rstrip(".").replace(".", ",")
            raise forms.ValidationError(
                _(
                    "Tệp lớn hơn giới hạn %(limit)s MB: hãy chia danh mục thành nhiều tệp nhỏ rồi "
                    "nhập lần lượt."
                ),
                params={"limit": size},
            )
        return file


class MailSettingsForm(forms.ModelForm):
    """What mail a person wants from the product (their own settings page)."""

    class Meta:
        model = Membership
        fields = ["receives_reminders"]
