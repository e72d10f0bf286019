"""Error answers Django gives without a page, given one in Vietnamese.

Django renders 400, 403, 404 and 500 from templates, but a view decorated with `require_POST`
(or `require_GET`, `require_http_methods`) answers a wrong method with an empty 405. Someone who
opens the address of a button in the address bar then sees a blank page; here they see what
happened and the ways back. The `Allow` header is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method != "HEAD":
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
