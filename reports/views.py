"""Documents leaving the system, served only after the same access check as the page they print."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from inspections.access import get_plan_for_user
from reports.plan_document import plan_document, plan_for_document
from reports.rendering import render_docx, render_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content: bytes, content_type: str, name: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    document = plan_document(plan_for_document(plan.pk))
    return _file(render_pdf(document), "application/pdf", f"{document.title}.pdf", inline=True)


@login_required
@require_GET
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    document = plan_document(plan_for_document(plan.pk))
    return _file(render_docx(document), DOCX, f"{document.title}.docx", inline=False)
