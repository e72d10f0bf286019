"""The forgotten-password form, limited per address and per account.

Django's form sends a mail to every active account with the address typed, as often as it is
submitted. Here, within `PASSWORD_RESET_WINDOW` seconds:

- one address may submit the form `PASSWORD_RESET_REQUESTS_PER_ADDRESS` times; beyond that it
  is answered 429 with a Vietnamese message, whatever address was typed (the limit counts
  submissions, not accounts, so it says nothing about which accounts exist);
- one account receives at most `PASSWORD_RESET_MAILS_PER_ACCOUNT` mails, from whatever
  addresses; further requests send nothing but get the same answer as every other request, so
  the answer never tells whether an account exists.

The request itself only counts the submission and hands the typed address to a background task
(`send_password_reset`), which looks the accounts up, makes the links and sends the mails: the
answer takes the same time whether the address has an account or not, and a slow mail server
never holds it up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.tasks import task
from django.template.response import TemplateResponse
from django.utils import timezone

from cchc.client import client_address
from units.models import PasswordResetRequest


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.PASSWORD_RESET_WINDOW)


class LimitedPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, leaving out the accounts that already had their mails for the window."""

    def get_users(self, email: str) -> Iterator:
        recent = PasswordResetRequest.objects.recent(_window())
        for user in super().get_users(email):
            if recent.filter(user=user).count() >= settings.PASSWORD_RESET_MAILS_PER_ACCOUNT:
                continue
            PasswordResetRequest.objects.create(user=user)
            yield user


@task
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """The accounts with this address (within their limits), their links and mails."""
    form = LimitedPasswordResetForm({"email": email})
    if form.is_valid():
        view = LimitedPasswordResetView
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=view.subject_template_name,
            email_template_name=view.email_template_name,
            html_email_template_name=view.html_email_template_name,
            from_email=view.from_email,
        )


class LimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm

    def form_valid(self, form) -> HttpResponse:
        send_password_reset.enqueue(
            form.cleaned_data["email"], self.request.get_host(), self.request.is_secure()
        )
        return HttpResponseRedirect(self.get_success_url())

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        address = client_address(request)
        with transaction.atomic():
            # Rows older than the window count for nothing any more.
            PasswordResetRequest.objects.filter(
                requested_at__lte=timezone.now() - _window()
            ).delete()
            submitted = PasswordResetRequest.objects.recent(_window()).filter(
                address=address, user=None
            )
            if submitted.count() >= settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS:
                return TemplateResponse(
                    request,
                    "registration/password_reset_limited.html",
                    {"minutes": settings.PASSWORD_RESET_WINDOW // 60},
                    status=429,
                )
            PasswordResetRequest.objects.create(address=address)
        return super().post(request, *args, **kwargs)
