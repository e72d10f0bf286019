"""Forms of the reports app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Level

SEARCH_MAX_LENGTH = 100


class DashboardFilterForm(forms.Form):
    """Year and level of the dashboard; both optional (latest year, every level). The search
    (`q`) and the page (`page`) choose the units shown in the ranking and its comparison."""

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
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "id": "f-q"}),
        error_messages={
            "max_length": _(
                "Từ khóa tìm đơn vị dài %(show_value)d ký tự, tối đa %(limit_value)d ký tự. "
                "Hãy rút gọn, ví dụ chỉ gõ tên đơn vị."
            ),
        },
    )
    page = forms.IntegerField(
        label=_("Trang"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Số trang phải là số, ví dụ 2: đang xem trang đầu."),
            "min_value": _("Số trang bắt đầu từ 1: đang xem trang đầu."),
        },
    )

    # Filters of the figures (the rest choose rows of the ranking).
    FIGURE_FIELDS = ("year", "level")
