"""The issued record as files: every issued document (plan, team decision, outline letter,
minutes once frozen, conclusion notice and its amendments, results report) is rendered once, PDF
and Word, and kept here with the SHA-256 of each file. Downloads serve these bytes forever,
whatever changes later in the data (a unit renamed, a plan title corrected).

One row per document, keyed by its content type and id, so that one mechanism serves every kind
of document. `inspections` owns the table; `reports`, which renders documents, fills it in (on
the `document_issued` signal, or at the first download of a document issued before)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.models.self_inspection import private_storage


def rendition_path(instance: IssuedRendition, filename: str) -> str:
    return f"issued/{instance.content_type_id}/{instance.object_id}/{filename}"


class IssuedRenditionQuerySet(models.QuerySet):
    def of(self, document: models.Model) -> IssuedRenditionQuerySet:
        # By app and model name rather than the cached content type id: one query whether or
        # not the content type is cached yet. A proxy (`ScheduleNotice`) is a document of its
        # own: its own content type, not its concrete model's.
        meta = document._meta
        return self.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=document.pk,
        )


class IssuedRendition(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("mã văn bản"))
    document = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("tên văn bản"), max_length=300)
    pdf = models.FileField(
        _("tệp PDF"), upload_to=rendition_path, storage=private_storage, max_length=300
    )
    pdf_sha256 = models.CharField(_("SHA-256 của tệp PDF"), max_length=64)
    docx = models.FileField(
        _("tệp Word"), upload_to=rendition_path, storage=private_storage, max_length=300
    )
    docx_sha256 = models.CharField(_("SHA-256 của tệp Word"), max_length=64)
    rendered_at = models.DateTimeField(_("kết xuất lúc"), auto_now_add=True)

    objects = IssuedRenditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản văn bản đã ban hành")
        verbose_name_plural = _("bản văn bản đã ban hành")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="inspections_rendition_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title
