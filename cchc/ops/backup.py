"""Backup and restore of the database together with the uploaded files, in one archive.

The archive is a tar.gz of three parts:

- `data.json`: every row of every app, as Django's `dumpdata` writes it (natural keys for content
  types and users' permissions, primary keys kept so that links stay valid), without what
  `migrate` recreates (content types, permissions) or what has no value after a restore
  (sessions, django-axes' login counters and logs, the password-reset limits' counters, the
  page cache's data version: the restore's own writes move it);
- `files/…`: every uploaded file a row refers to, under a neutral member name;
- `manifest.json`: the row count of every model, the SHA-256 and size of `data.json` and of every
  file with the storage column and name it goes back to.

JSON through Django rather than `pg_dump`, because the same archive then restores into SQLite or
PostgreSQL and needs no client tools of the right version. The database is read in one
transaction (repeatable read on PostgreSQL) so the rows are a consistent snapshot.

A restore reads the whole archive and checks every checksum before it opens the database (a
damaged or foreign file is refused with a Vietnamese message, and nothing is created), writes
the files, then loads the rows and compares the counts in one transaction; if anything fails,
the rows roll back, the files it wrote are removed, and so is a SQLite database file it created.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

from cchc.ops.files import FileColumn, file_columns, sha256_of

FORMAT = 1
# Recreated by `migrate`, or worthless after a restore.
EXCLUDED_APPS = ("contenttypes", "sessions", "axes", "pagecache")
EXCLUDED_MODELS = ("auth.permission", "units.passwordresetrequest")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def in_scope(model: type[models.Model]) -> bool:
    meta = model._meta
    return (
        meta.managed
        and not meta.proxy
        and meta.app_label not in EXCLUDED_APPS
        and meta.label_lower not in EXCLUDED_MODELS
    )


def scope_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if in_scope(model)]


def row_counts() -> dict[str, int]:
    """Rows of every model in the backup's scope, by lower-case label ("inspections.plan")."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in sorted(scope_models(), key=lambda m: m._meta.label_lower)
    }


@dataclass(frozen=True)
class Summary:
    path: Path
    rows: int
    models: int
    files: int
    missing: list[str]


# Backup -------------------------------------------------------------------------------------


def backup_create(path: Path) -> Summary:
    """Write the archive to `path` (through a temporary file beside it, so a failed backup never
    leaves a half archive under the final name)."""
    columns = {column.label.lower(): column for column in file_columns()}
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        _dump(data)
        with data.open("rb") as stream:
            objects = json.load(stream)
        counts = Counter(obj["model"] for obj in objects)
        models_counted = {model._meta.label_lower: 0 for model in scope_models()} | dict(counts)
        files, missing = _referenced_files(objects, columns)

        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connection.vendor,
            "data": {"path": "data.json", **_digest(data)},
            "models": dict(sorted(models_counted.items())),
            "files": [],
            "missing": missing,
        }
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(data, arcname="data.json")
                for number, (column, name) in enumerate(files, start=1):
                    member = f"files/{number:06d}"
                    entry = _add_file(archive, column, name, member)
                    manifest["files"].append(entry)
                _add_bytes(
                    archive,
                    "manifest.json",
                    json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
                )
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(path, sum(counts.values()), len(models_counted), len(files), missing)


def _dump(target: Path) -> None:
    """dumpdata in one read transaction, so that rows refer only to rows of the same moment."""
    # Inside a caller's transaction (the tests'), that transaction already fixes what is seen.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            exclude=[*EXCLUDED_APPS, *EXCLUDED_MODELS],
            natural_foreign=True,
            use_base_manager=True,  # every row, whatever a default manager hides
            format="json",
            output=str(target),
            verbosity=0,
        )


def _referenced_files(
    objects: list[dict], columns: dict[str, FileColumn]
) -> tuple[list[tuple[FileColumn, str]], list[str]]:
    """(column, name) of every file the rows name, once per storage and name; and the rows
    whose file is not there."""
    by_model: dict[str, list[FileColumn]] = {}
    for label, column in columns.items():
        by_model.setdefault(label.rsplit(".", 1)[0], []).append(column)
    seen: set[tuple[int, str]] = set()
    files: list[tuple[FileColumn, str]] = []
    missing: list[str] = []
    for obj in objects:
        for column in by_model.get(obj["model"], ()):
            name = obj["fields"].get(column.name)
            if not name:
                continue
            if (id(column.storage), name) not in seen and column.storage.exists(name):
                seen.add((id(column.storage), name))
                files.append((column, name))
            elif (id(column.storage), name) not in seen and not column.historical:
                missing.append(f"{obj['model']} #{obj.get('pk')} ({column.name}): {name}")
    return files, missing


def _add_file(archive: tarfile.TarFile, column: FileColumn, name: str, member: str) -> dict:
    storage = column.storage
    digest = sha256_of(storage, name)
    size = storage.size(name)
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    with storage.open(name, "rb") as stream:
        archive.addfile(info, stream)
    return {"path": member, "column": column.label, "name": name, "sha256": digest, "size": size}


def _add_bytes(archive: tarfile.TarFile, member: str, content: bytes) -> None:
    info = tarfile.TarInfo(member)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


# Restore ------------------------------------------------------------------------------------


DAMAGED = (
    "Tệp sao lưu bị hỏng hoặc không phải tệp sao lưu của phần mềm ({detail}). Không có gì bị "
    "thay đổi; hãy dùng một bản sao lưu khác (lệnh backup tạo ra)."
)
# What a truncated, corrupt or foreign file raises while it is read as a tar.gz.
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, KeyError, TypeError)


def backup_restore(path: Path, *, force: bool = False) -> Summary:
    """Restore the archive into an empty database (or, with `force`, after emptying it).

    The whole archive is read and checked before the database is opened: a damaged file is
    refused without a connection, so not even an empty SQLite database file is created. A
    SQLite database file that did not exist before is removed if the restore then fails."""
    manifest = archive_verified(path)
    fresh = _missing_sqlite_file()
    try:
        with tarfile.open(path, "r:gz") as archive:
            _restore(archive, manifest, force)
    except BaseException:
        if fresh is not None:
            connection.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        raise
    counts = manifest["models"]
    return Summary(
        path, sum(counts.values()), len(counts), len(manifest["files"]), manifest["missing"]
    )


def archive_verified(path: Path) -> dict[str, Any]:
    """The archive's manifest, once every part is read and matches its size and SHA-256;
    `BackupError` (in Vietnamese) for anything else. Touches neither the database nor files."""
    if not path.is_file():
        raise BackupError(f"Không thấy tệp sao lưu {path}.")
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.getmembers()  # reads to the end: a truncated file fails here
            manifest = _read_manifest(archive)
            _verify(archive, manifest)
    except UNREADABLE as error:
        raise BackupError(DAMAGED.format(detail=_reason(error))) from error
    return manifest


def _reason(error: BaseException) -> str:
    if isinstance(error, EOFError | zlib.error) or "truncated" in str(error).lower():
        return "tệp bị cắt cụt"
    if "gzip" in str(error).lower():
        return "không phải tệp .tar.gz"
    if isinstance(error, tarfile.TarError):
        return "nội dung nén không phải tệp lưu trữ tar"
    return f"không đọc được: {type(error).__name__}"


def _missing_sqlite_file() -> Path | None:
    """The SQLite database file a restore would create, if it does not exist yet."""
    settings = connection.settings_dict
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    name = Path(settings["NAME"])
    return None if name.exists() else name


def _restore(archive: tarfile.TarFile, manifest: dict[str, Any], force: bool) -> None:
    columns = {column.label: column for column in file_columns()}
    unknown = {entry["column"] for entry in manifest["files"]} - set(columns)
    unknown_models = [label for label in manifest["models"] if not _model_exists(label)]
    if unknown or unknown_models:
        raise BackupError(
            "Bản sao lưu có dữ liệu của mô hình hoặc cột tệp mà phiên bản phần mềm này không "
            f"có ({', '.join(sorted(unknown | set(unknown_models)))}): hãy khôi phục bằng "
            "đúng phiên bản đã tạo bản sao lưu."
        )
    call_command("migrate", interactive=False, verbosity=0)
    _require_empty(force)

    written: list[tuple[FileColumn, str]] = []
    try:
        for entry in manifest["files"]:
            if _restore_file(archive, entry, columns[entry["column"]], force):
                written.append((columns[entry["column"]], entry["name"]))
        with tempfile.TemporaryDirectory() as work:
            data = Path(work) / "data.json"
            data.write_bytes(_member(archive, "data.json").read())
            _load(data, manifest["models"])
    except BaseException:
        for column, name in written:
            column.storage.delete(name)
        raise


def _member(archive: tarfile.TarFile, name: str):
    try:
        stream = archive.extractfile(name)
    except KeyError:
        stream = None
    if stream is None:
        raise BackupError(DAMAGED.format(detail=f"thiếu phần {name}"))
    return stream


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.loads(_member(archive, "manifest.json").read())
    except ValueError as error:
        raise BackupError(DAMAGED.format(detail="manifest.json không đọc được")) from error
    if not isinstance(manifest, dict) or not {"data", "files", "models", "missing"} <= set(
        manifest
    ):
        raise BackupError(DAMAGED.format(detail="manifest.json thiếu thông tin"))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Định dạng sao lưu {manifest.get('format')!r} không được hỗ trợ (cần {FORMAT})."
        )
    return manifest


def _verify(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every part is there with the size and SHA-256 the manifest gives, before anything is
    written."""
    for entry in [manifest["data"], *manifest["files"]]:
        stream = _member(archive, entry["path"])
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda stream=stream: stream.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
            what = entry.get("name", entry["path"])
            raise BackupError(
                f"Bản sao lưu bị hỏng: {what} không khớp mã kiểm tra SHA-256. Không có gì bị "
                "thay đổi; hãy dùng một bản sao lưu khác."
            )


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError, ImproperlyConfigured):
        return False
    return True


def _require_empty(force: bool) -> None:
    filled = {label: count for label, count in row_counts().items() if count}
    if not filled:
        return
    if not force:
        sample = ", ".join(f"{label} ({count})" for label, count in list(filled.items())[:5])
        raise BackupError(
            "Cơ sở dữ liệu không trống (ví dụ: "
            f"{sample}): chỉ khôi phục vào cơ sở dữ liệu mới tạo (chạy migrate trên cơ sở dữ "
            "liệu trống), hoặc thêm --force để XÓA TOÀN BỘ dữ liệu hiện có rồi khôi phục."
        )
    if connection.in_atomic_block:
        # PostgreSQL refuses to TRUNCATE tables with deferred checks pending in the transaction.
        connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def _restore_file(archive: tarfile.TarFile, entry: dict, column: FileColumn, force: bool) -> bool:
    """Put one file back under its exact name; False if an identical file is already there."""
    storage, name = column.storage, entry["name"]
    if storage.exists(name):
        if sha256_of(storage, name) == entry["sha256"]:
            return False
        if not force:
            raise BackupError(
                f"Tệp {name} đã có trong kho tệp với nội dung khác: hãy khôi phục vào kho tệp "
                "trống, hoặc thêm --force để thay."
            )
        storage.delete(name)
    saved = storage.save(name, File(_member(archive, entry["path"]), name=name))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"Kho tệp không lưu được {name} đúng tên (đã lưu thành {saved}).")
    return True


def _load(data: Path, expected: dict[str, int]) -> None:
    with transaction.atomic():
        call_command("loaddata", str(data), verbosity=0)
        counts = row_counts()
        wrong = {
            label: (count, counts.get(label, 0))
            for label, count in expected.items()
            if counts.get(label, 0) != count
        }
        if wrong:
            detail = ", ".join(f"{label}: {a} → {b}" for label, (a, b) in sorted(wrong.items()))
            raise BackupError(f"Số bản ghi sau khi khôi phục không khớp bản sao lưu ({detail}).")
