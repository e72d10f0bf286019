"""The client's address of a request: the one rule every part of the product uses.

Without a reverse proxy the client is the peer of the connection (`REMOTE_ADDR`), and an
`X-Forwarded-For` header is ignored: anyone can send one. Behind `TRUSTED_PROXY_COUNT` proxies
(`AXES_IPWARE_PROXY_COUNT` in the environment, as the deployment guide says) each proxy appends
the address it received the request from, so the client is the N-th entry from the right of
`X-Forwarded-For`; whatever the client wrote further left is ignored, so it cannot choose its
own address. A header shorter than the chain, or an entry that is not an address, means the
request did not come through every proxy: the connection's peer is used instead.

Login throttling (`AXES_CLIENT_IP_CALLABLE`), the logs (`ClientAddressLogFilter`, through
`ClientAddressMiddleware`) and the change history (`inspections.models.history`) all read it
here.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent `request`, as a normalised IP address string (None
    when the server was not told one, e.g. on a Unix socket without a proxy)."""
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        chain = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [hop for hop in chain if hop]
        if len(chain) >= proxies:
            forwarded = _address(chain[-proxies])
            if forwarded:
                return forwarded
    return _address(peer)


def _address(value: str) -> str | None:
    """`value` as a canonical IP address (IPv6 brackets and an IPv4 port tolerated), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# The address of the request being served, for log lines written while it is (see LOGGING).
_current: ContextVar[str | None] = ContextVar("client_address", default=None)


class ClientAddressMiddleware:
    """Works the client's address out once per request (`request.client_address`) and makes it
    available to every log line written while the request is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_address = client_address(request)
        token = _current.set(request.client_address)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class ClientAddressLogFilter(logging.Filter):
    """Adds `client_address` to every log record: the address of the request being served (or
    of the request the record is about, as Django's request logger gives it), else "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        address = getattr(request, "client_address", None) if request is not None else None
        record.client_address = address or _current.get() or "-"
        return True
