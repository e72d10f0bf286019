"""Mail of the round: every mail is rendered from templates (`templates/emails/<name>_subject.txt`,
`<name>.txt`, `<name>.html`, in Vietnamese), one message per person, with absolute links built
from `SITE_URL`. The reminder digests are sent by `inspections/reminders.py`; the workflow mails
(approval requested, returned, issued) by `workflow_step`, which the services call on commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from inspections.models import (
    ConclusionNotice,
    NoticeStatus,
    Plan,
    PlanStatus,
    ResultsReport,
)
from units.models import AdministrativeUnit, Role
from units.templatetags.people import person_name

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """An address a mail client can open: `SITE_URL` followed by the path."""
    return settings.SITE_URL.rstrip("/") + path


def send(name: str, users: Iterable, context: dict[str, Any]) -> int:
    """Render `emails/<name>*` for each user with an address (the template gets `user`) and send
    one message each; returns how many were sent."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not user.email or not user.is_active:
                continue
            values = {
                **context,
                "user": user,
                "name": person_name(user),
                "settings_url": absolute(reverse("account-settings")),
            }
            subject = render_to_string(f"emails/{name}_subject.txt", values)
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=render_to_string(f"emails/{name}.txt", values),
                to=[user.email],
            )
            message.attach_alternative(render_to_string(f"emails/{name}.html", values), "text/html")
            message.send()
            sent += 1
    return sent


# Workflow mails ---------------------------------------------------------------------------------


def _plan_of(document: models.Model) -> Plan:
    return document if isinstance(document, Plan) else document.plan


def document_url(document: models.Model) -> str:
    if isinstance(document, Plan):
        return absolute(reverse("inspections:plan-detail", args=[document.pk]))
    if isinstance(document, ConclusionNotice):
        return absolute(reverse("inspections:conclusion-detail", args=[document.pk]))
    return absolute(reverse("inspections:results-report", args=[document.plan_id]))


def document_title(document: models.Model) -> str:
    if isinstance(document, Plan):
        return f"Kế hoạch {document.number_display or ''} — {document.summary}".replace("  ", " ")
    if isinstance(document, ConclusionNotice):
        return f"{document.kind_label} — {document.agency.name}"
    return f"Báo cáo kết quả kiểm tra — Kế hoạch {document.plan.number_display}"


def author_of(document: models.Model):
    """Who drafted the document: the plan's creator; for the other documents the person who last
    sent it for approval, as its history recorded (None when unknown)."""
    if isinstance(document, Plan):
        return document.created_by
    sent = (
        document.history.filter(status=NoticeStatus.SUBMITTED)
        .exclude(history_user=None)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    return sent.history_user if sent else None


def people_of_province(province_id: int, role: str) -> list:
    """Active users of `role` whose province is the document's or one that succeeded it (the
    leaders of new An Giang approve Kiên Giang's documents). Two queries."""
    provinces = AdministrativeUnit.objects.heir_ids(province_id)
    return list(
        get_user_model().objects.filter(
            is_active=True, membership__role=role, membership__province_id__in=provinces
        )
    )


def unit_people(agency_id: int) -> list:
    return list(get_user_model().objects.filter(is_active=True, membership__agency_id=agency_id))


def _recipients(document: models.Model, status: str) -> tuple[str, list]:
    """Which mail a step sends, and to whom."""
    author = author_of(document)
    if status == PlanStatus.SUBMITTED:  # the same value for every document
        return "approval_requested", people_of_province(_plan_of(document).province_id, Role.LEADER)
    if status in (PlanStatus.RETURNED, NoticeStatus.DRAFT):
        return "returned", [author] if author else []
    if status == PlanStatus.ISSUED:
        people = [author] if author else []
        if isinstance(document, ConclusionNotice):
            people += unit_people(document.agency_id)
        return "issued", list(dict.fromkeys(people))
    return "", []


def _send_step(model: type[models.Model], pk: int, status: str, note: str, by_id: int | None):
    document = model.objects.get(pk=pk)
    name, users = _recipients(document, status)
    if not name:
        return
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    send(
        name,
        [u for u in users if by is None or u.pk != by.pk],  # not to the person who acted
        {
            "document": document,
            "title": document_title(document),
            "url": document_url(document),
            "note": note,
            "by": person_name(by) if by else "",
        },
    )


def workflow_step(document: models.Model, status: str, *, by=None, note: str = "") -> None:
    """After the step that moved `document` to `status` is committed, mail whom it concerns:
    submitted → the leaders (approval requested); returned → the author, with the reason;
    issued → the author and, for a conclusion notice, the unit's people. A failure to send is
    logged and never undoes the step."""
    if not isinstance(document, (Plan, ConclusionNotice, ResultsReport)):
        return
    args = (type(document), document.pk, status, note, getattr(by, "pk", None))
    transaction.on_commit(lambda: _send_step(*args), robust=True)
