"""The approval path shared by the documents of the round after the plan (conclusion notices,
the results report): draft → submitted → approved by a leader (or back to draft) → issued with
the next number of the issuer's register. Each step refused out of order changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import mail
from inspections.locking import claim
from inspections.models import NoticeStatus
from inspections.services.plans import conflict, current_value, number_allocate
from units.models import Agency


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


def approval_decide(document: models.Model, *, by, approve: bool) -> None:
    if document.status != NoticeStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được văn bản đang chờ duyệt."))
    document.status = NoticeStatus.APPROVED if approve else NoticeStatus.DRAFT
    document.approved_by = by if approve else None
    document.save(update_fields=["status", "approved_by"])
    if not approve:
        mail.workflow_step(document, NoticeStatus.DRAFT, by=by)


def approval_issue(
    document: models.Model,
    *,
    issuer: Agency,
    day: datetime.date | None,
    numbered: Callable[[int, int], bool],
) -> None:
    """Number the approved document in the issuer's register; `numbered(n, year)` says whether
    a document of the same register already holds number n."""
    if document.status != NoticeStatus.APPROVED:
        raise ValidationError(_("Chỉ ban hành được văn bản đã được lãnh đạo duyệt."))
    day = day or timezone.localdate()
    with transaction.atomic():
        if current_value(document) != NoticeStatus.APPROVED:
            raise conflict(document._meta.verbose_name)
        document.number = number_allocate(
            issuer=issuer,
            year=day.year,
            symbol=document.symbol,
            is_taken=lambda n: numbered(n, day.year),
        )
        document.issued_on = day
        document.status = NoticeStatus.ISSUED
        document.save(update_fields=["number", "issued_on", "status"])
        mail.workflow_step(document, NoticeStatus.ISSUED)
