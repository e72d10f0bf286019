"""Saving checked uploads so that a failure leaves neither a half record nor an orphan file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.http import FileResponse


def checked_fields(upload) -> dict[str, Any]:
    """The facts `check_upload` found, as the fields of a stored file record."""
    checked = upload.checked
    return {
        "file_name": checked.name,
        "file_size": checked.size,
        "file_sha256": checked.sha256,
        "content_type": checked.content_type,
    }


@contextmanager
def files_saved_atomically() -> Iterator[Callable[[models.Model, Any], None]]:
    """A transaction whose `save(record, upload)` writes the upload into `record.file` and saves
    the record; if anything in the block fails, the rows roll back and every file written is
    deleted."""
    written = []

    def save(record: models.Model, upload) -> None:
        record.file.save(upload.checked.name, upload, save=False)
        written.append(record.file)
        record.save()

    try:
        with transaction.atomic():
            yield save
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def stored_file_response(record) -> FileResponse:
    """Download a stored file under the name it was checked with (the caller checks access)."""
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.file_name,
        content_type=record.content_type,
    )
