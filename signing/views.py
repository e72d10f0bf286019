"""The signing steps of an issued document (see services.py); each answers with the document's
page (the page it came from), or the file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from signing import attachments, services
from signing.access import OFFICE, SIGNERS, get_rendition_for_role
from signing.forms import SignedFileForm


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target or "/")


@login_required
@require_GET
def field_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued PDF with its empty signature field, for the competent person to sign."""
    rendition = get_rendition_for_role(request.user, pk, *SIGNERS)
    return _pdf(services.field_offer(rendition), f"{rendition.title}-de-ky.pdf")


@login_required
@require_GET
def original(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued PDF as issued, without signatures."""
    rendition = get_rendition_for_role(request.user, pk)
    return _pdf(services.issued_pdf(rendition), f"{rendition.title}-ban-goc.pdf")


@login_required
@require_POST
def person_upload(request: HttpRequest, pk: int) -> HttpResponse:
    rendition = get_rendition_for_role(request.user, pk, *SIGNERS)
    form = SignedFileForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return _back(request)
    try:
        version = services.person_signature_record(
            rendition=rendition, content=form.cleaned_data["file"].read(), by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Đã ghi nhận chữ ký của {version.signer_name}: {version.get_status_display()}.",
        )
    return _back(request)


@login_required
@require_POST
def body_sign(request: HttpRequest, pk: int) -> HttpResponse:
    rendition = get_rendition_for_role(request.user, pk, *OFFICE)
    try:
        version = services.body_sign(rendition=rendition, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Đã ký số bằng chứng thư của {version.body}.")
    return _back(request)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's attachments as their separate file: signed by the body once it is."""
    rendition = get_rendition_for_role(request.user, pk)
    found = attachments.attachment_for(rendition)
    if not found.exists:
        raise Http404
    suffix = "kem-theo-da-ky" if found.is_signed else "kem-theo"
    return _pdf(attachments.served_attachment(found), f"{rendition.title}-{suffix}.pdf")


@login_required
@require_POST
def attachment_sign(request: HttpRequest, pk: int) -> HttpResponse:
    rendition = get_rendition_for_role(request.user, pk, *OFFICE)
    try:
        found = attachments.attachment_sign(rendition=rendition, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Đã ký số tệp kèm theo bằng chứng thư của {found.body}.")
    return _back(request)
