"""Who may do what with an issued document's signatures.

The document's plan decides the scope (outside the user's provinces: 404). Reading the unsigned
original and the attachment file: whoever reads the plan for a plan and the outline's covering
letter, staff, leaders and the team for the other documents (units get the signed file through
the document's usual link). Offering the field and taking
back the person's signature: staff and leaders. The body's signature: staff (the records office).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from inspections.access import get_plan_for_role
from inspections.models import ConclusionNotice, IssuedRendition, Outline, Plan, ResultsReport, Team
from units.access import PROVINCE_ROLES
from units.models import Role

# Documents signed by one competent person and the body (the minutes, signed by the parties, are
# not signed here).
SIGNABLE = (Plan, Team, Outline, ConclusionNotice, ResultsReport)
SIGNERS = (Role.STAFF, Role.LEADER)
OFFICE = (Role.STAFF,)
ORIGINAL_READERS = PROVINCE_ROLES
# Documents the units read too (the plan; the outline's covering letter once sent, with the
# outline attached): their original and their attachment file are theirs to read as well.
READ_BY_UNITS = (Plan, Outline)


SIGNABLE_MODELS = frozenset(model._meta.model_name for model in SIGNABLE)


def is_signable(rendition: IssuedRendition) -> bool:
    """By its content type (cached): no query for the document itself."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(rendition.content_type_id)
    return content_type.app_label == "inspections" and content_type.model in SIGNABLE_MODELS


def signable_document(rendition: IssuedRendition):
    document = rendition.document
    # By its exact model, as `is_signable`: a team's schedule notice (a proxy) is not signed here.
    return document if type(document) in SIGNABLE else None


def document_plan_id(document) -> int:
    return document.pk if isinstance(document, Plan) else document.plan_id


def get_rendition_for_role(user, pk: int, *roles: str) -> IssuedRendition:
    """The issued document's kept files if the user sees its plan (else 404) and has one of
    `roles` (else 403); a document that is not signed here answers 404. Without `roles`: those
    who may read its unsigned original."""
    rendition = get_object_or_404(IssuedRendition.objects.select_related("content_type"), pk=pk)
    document = signable_document(rendition)
    if document is None:
        raise Http404
    if not roles:
        roles = (
            (*PROVINCE_ROLES, Role.REPORTER)
            if isinstance(document, READ_BY_UNITS)
            else ORIGINAL_READERS
        )
    get_plan_for_role(user, document_plan_id(document), *roles)
    return rendition
