"""What the reminder engine (`inspections/reminders.py`) has sent: one row per deadline, kind of
reminder and person, so that a second run sends nothing twice and nobody gets two digests a day."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """A reminder of one deadline (a self-inspection request, a recommendation, …) sent to one
    person in the digest of `day`. `key` says which reminder: `before-N` N days before, or
    `overdue`. Rows migrated from before the engine may have no user (only an address)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại việc")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("mã việc"))
    deadline = GenericForeignKey("content_type", "object_id")
    key = models.CharField(_("loại nhắc"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    address = models.CharField(_("địa chỉ thư"), max_length=254, blank=True)
    day = models.DateField(_("ngày gửi"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("lời nhắc đã gửi")
        verbose_name_plural = _("lời nhắc đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "key", "user"],
                name="inspections_reminder_once_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["user", "day"], name="inspections_reminder_digest"),
            models.Index(fields=["content_type", "object_id"], name="inspections_reminder_of"),
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.address or self.user_id}"
