"""Login throttling: django-axes, with a success that clears only the signed-in account's failures.

Axes keeps one `AccessAttempt` row per account and address (and user agent) that failed, and,
with `AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`, counts two things independently:
the failures of an account from every address, and the failures from an address whatever the
accounts. Either reaching `AXES_FAILURE_LIMIT` within `AXES_COOLOFF_TIME` locks.

Its stock reset on success deletes every row matching *either* parameter, i.e. every failure
from the signed-in address too, the failures against other accounts included: an insider with
a valid account could guess a colleague's password forever by signing in as themself every four
guesses. Here a success deletes only the signed-in account's own rows (from every address: the
right password proves the account's holder), so the other accounts' failures still count for
those accounts and for the address.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.http import HttpRequest


class AccountScopedResetHandler(AxesDatabaseHandler):
    """`AxesDatabaseHandler` whose reset on success (`AXES_RESET_ON_SUCCESS`) is account-scoped."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
