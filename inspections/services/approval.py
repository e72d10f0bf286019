"""The approval path shared by the documents of the round after the plan (conclusion notices,
the results report): draft → submitted → approved by a leader (or returned to draft with a
reason); the issue itself is `lifecycle.issue`, as for every document. Each step refused out of
order changes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from inspections import mail
from inspections.locking import claim
from inspections.models import NoticeStatus


def approval_submit(document: models.Model, *, version: int | None = None, **fields) -> None:
    """Send the draft to the leader with its final wording (fields left None are kept).

    With `version` (the document's when the page was loaded), wording changed by someone else
    since is not overwritten: the step is refused (`locking.StaleEdit`)."""
    if document.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Chỉ gửi duyệt được bản dự thảo."))
    changed = {name: value for name, value in fields.items() if value is not None}
    with transaction.atomic():
        if version is not None:
            claim(document, version)
        for name, value in changed.items():
            setattr(document, name, value)
        # The wording comes straight from the page: a value too long is refused, not cut.
        document.clean_fields(
            exclude=[f.name for f in document._meta.fields if f.name not in changed]
        )
        document.status = NoticeStatus.SUBMITTED
        document.save(update_fields=[*changed, "status", "version"])
        mail.workflow_step(document, NoticeStatus.SUBMITTED)


def approval_decide(document: models.Model, *, by, approve: bool, reason: str = "") -> None:
    """A leader approves the submitted document, or returns it to draft with a reason that is
    kept on the document and shown to its author until it is submitted again."""
    if document.status != NoticeStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được văn bản đang chờ duyệt."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(_("Ghi lý do trả lại để người soạn biết cần sửa gì."))
    document.status = NoticeStatus.APPROVED if approve else NoticeStatus.DRAFT
    document.approved_by = by if approve else None
    document.return_reason = "" if approve else reason
    document.clean_fields(
        exclude=[f.name for f in document._meta.fields if f.name != "return_reason"]
    )
    document.save(update_fields=["status", "approved_by", "return_reason"])
    if not approve:
        mail.workflow_step(document, NoticeStatus.DRAFT, by=by, note=reason)
