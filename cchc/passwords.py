"""Password validators: Django's, with every message in Vietnamese."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length. Its error message changed placeholder (`%d`) and Django's
    Vietnamese catalogue still translates the old one, so the stock message shows in English."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: mật khẩu phải có ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }
