"""Where the uploaded files are and which rows refer to them, for every app at once.

Nothing here knows the apps' models: the file columns are found through the app registry, so a
new FileField is covered without a change. A column is a FileField, or its copy in a history
table (django-simple-history stores the name as text there), since a file that only the history
still names must be kept too.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class FileColumn:
    model: type[models.Model]
    name: str  # the column holding the stored file's name
    storage: Storage
    historical: bool = False  # a history table's copy: it keeps a file, never misses one

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def rows(self) -> Iterator[tuple[object, str]]:
        """(pk, stored name) of every row that names a file."""
        names = (
            self.model._default_manager.exclude(**{self.name: ""})
            .exclude(**{f"{self.name}__isnull": True})
            .values_list("pk", self.name)
            .order_by("pk")
        )
        yield from names.iterator()


def file_columns() -> list[FileColumn]:
    """Every column of every installed model that holds the name of a stored file."""
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        original = getattr(model, "instance_type", None)  # simple-history's historical model
        source = original if isinstance(original, type) else model
        for candidate in source._meta.concrete_fields:
            if isinstance(candidate, models.FileField):
                columns.append(
                    FileColumn(model, candidate.attname, candidate.storage, source is not model)
                )
    return columns


def storages_of(columns: list[FileColumn]) -> list[Storage]:
    """The distinct storages the columns write to (one object each, in a stable order)."""
    seen: dict[int, Storage] = {}
    for column in columns:
        seen.setdefault(id(column.storage), column.storage)
    return list(seen.values())


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, recursively (nothing when the storage is still empty)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from stored_names(storage, f"{folder}/{name}" if folder else name)


def sha256_of(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class MissingFile:
    column: FileColumn
    pk: object
    name: str

    def __str__(self) -> str:
        return f"{self.column.model._meta.label} #{self.pk} ({self.column.name}): {self.name}"


@dataclass
class FilesCheck:
    """What find_orphans reports: files nobody refers to, rows whose file is gone, and files
    too young to judge (an upload may be between writing its file and committing its row)."""

    unreferenced: list[tuple[Storage, str]] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)
    too_recent: int = 0

    @property
    def clean(self) -> bool:
        return not self.unreferenced and not self.missing


def files_check(*, older_than: datetime.timedelta) -> FilesCheck:
    """Compare the files in every storage used by a file column with the names in the rows."""
    columns = file_columns()
    result = FilesCheck()
    cutoff = timezone.now() - older_than
    for storage in storages_of(columns):
        present = set(stored_names(storage))
        referenced: set[str] = set()
        for column in columns:
            if column.storage is not storage:
                continue
            for pk, name in column.rows():
                referenced.add(name)
                if name not in present and not column.historical:
                    result.missing.append(MissingFile(column, pk, name))
        for name in sorted(present - referenced):
            if older_than and storage.get_modified_time(name) > cutoff:
                result.too_recent += 1
            else:
                result.unreferenced.append((storage, name))
    return result
