"""`{% signatures rendition %}`: the signatures of an issued document on its page, the links to
the signed and the original PDF, and the signing steps the user may take."""

from __future__ import annotations

from django import template

from inspections.access import can
from signing.access import OFFICE, SIGNERS, is_signable
from signing.attachments import attachment_for
from signing.models import SignatureKind, SignatureStatus, SignedVersion
from signing.services import checks_from_json, uploaded_file_signatures

register = template.Library()


@register.inclusion_tag("signing/_signatures.html", takes_context=True)
def signatures(context, rendition) -> dict:
    if rendition is None or not is_signable(rendition):
        return {"shown": False}
    request = context["request"]
    versions = list(SignedVersion.objects.of(rendition).select_related("body", "recorded_by"))
    latest = versions[0] if versions else None
    attachment = attachment_for(rendition)
    return {
        "shown": True,
        "request": request,
        "rendition": rendition,
        "latest": latest,
        "checks": checks_from_json(latest.signatures) if latest else [],
        "versions": versions,
        "can_offer": latest is None and can(request.user, *SIGNERS),
        "can_seal": latest is not None
        and latest.kind == SignatureKind.PERSON
        and latest.status == SignatureStatus.VALID
        and can(request.user, *OFFICE),
        "attachment": attachment if attachment.exists else None,
        "attachment_checks": checks_from_json(attachment.signatures),
        "can_seal_attachment": attachment.exists
        and not attachment.is_signed
        and can(request.user, *OFFICE),
    }


PDF = "application/pdf"


@register.simple_tag
def submission_signatures(submissions) -> dict:
    """The signatures of every PDF of the submissions (their files and prefetched attachments),
    by SHA-256, for `{% file_signatures %}`: one query whatever the number of files."""
    files = {}
    for submission in submissions:
        if submission.content_type == PDF:
            files[submission.file_sha256] = submission.file
        for attachment in submission.attachments.all():
            if attachment.content_type == PDF:
                files[attachment.file_sha256] = attachment.file
    return uploaded_file_signatures(files) if files else {}


@register.inclusion_tag("signing/_file_signatures.html")
def file_signatures(found: dict, digest: str) -> dict:
    """An uploaded file's signatures, or nothing for an unsigned file (accepted as it is)."""
    return {"checks": found.get(digest, [])}
