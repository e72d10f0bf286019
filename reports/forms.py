"""Forms of the reports app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Level


class DashboardFilterForm(forms.Form):
    """Year and level of the dashboard; both optional (latest year, every level)."""

    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số, ví dụ 2023."),
            "min_value": _("Chọn một năm từ 2000 trở đi."),
            "max_value": _("Chọn một năm trước 2100."),
        },
    )
    level = forms.ChoiceField(
        label=_("Cấp đơn vị"),
        required=False,
        choices=[("", _("Mọi cấp")), *Level.choices],
        error_messages={"invalid_choice": _("Chọn cấp tỉnh, cấp huyện hoặc cấp xã.")},
    )
