"""Operations: orphan files (`find_orphans`), and backup and restore of the database together
with the uploaded files (`backup`, `restore`), on the complete demo round."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cchc.ops.backup import row_counts
from cchc.ops.files import file_columns
from inspections.models import FindingEvidence, Submission, SubmissionAttachment

pytestmark = pytest.mark.django_db


def run(command: str, *args, **options) -> tuple[int, str]:
    """(exit status, output) of a management command."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


@pytest.fixture
def round_with_files(private_files):
    """The demo round (reports, attachments, remediation evidence, all with their files)."""
    call_command("load_demo_round", stdout=io.StringIO())
    # One file whose content differs from the demo's, to tell files apart by checksum.
    submission = Submission.objects.order_by("pk").first()
    attachment = SubmissionAttachment(
        submission=submission,
        file_name="bieu-so-lieu.pdf",
        file_size=0,
        file_sha256="",
        content_type="application/pdf",
    )
    attachment.file.save("bieu-so-lieu.pdf", ContentFile(b"%PDF-1.4\n% khac\n%%EOF\n"))
    return private_files


def flush() -> None:
    """Empty the database, as a disaster would (within the test's transaction, rolled back)."""
    connection.check_constraints()  # PostgreSQL: run pending deferred checks before TRUNCATE
    call_command("flush", interactive=False, verbosity=0)


def files_on_disk(folder) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Orphans ------------------------------------------------------------------------------------


def test_the_file_columns_cover_every_upload():
    labels = {column.label for column in file_columns()}
    assert {
        "inspections.Submission.file",
        "inspections.SubmissionAttachment.file",
        "inspections.FindingEvidence.file",
        "inspections.RemediationFile.file",
    } <= labels


def test_a_consistent_store_passes(round_with_files):
    status, output = run("find_orphans", older_than=0)
    assert status == 0, output
    assert "Không có tệp mồ côi hay tệp bị mất" in output


def test_an_unreferenced_file_and_a_missing_file_are_listed_and_fail(round_with_files):
    storage = Submission._meta.get_field("file").storage
    orphan = storage.save("self-inspection/1/1/bo-quen.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    gone = Submission.objects.order_by("pk").last()
    storage.delete(gone.file.name)
    status, output = run("find_orphans", older_than=0)
    assert status == 1
    assert "Tệp mồ côi (không bản ghi nào tham chiếu): 1" in output and orphan in output
    assert "Bản ghi có tệp bị mất: 1" in output
    assert f"inspections.Submission #{gone.pk} (file): {gone.file.name}" in output


def test_delete_orphan_files_removes_files_never_rows(round_with_files):
    storage = Submission._meta.get_field("file").storage
    orphan = storage.save("remediation/bo-quen.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    rows = row_counts()
    status, output = run("find_orphans", older_than=0, delete_orphan_files=True)
    assert status == 0, output
    assert "đã xóa" in output and orphan in output
    assert not storage.exists(orphan)
    assert row_counts() == rows
    assert run("find_orphans", older_than=0)[0] == 0
    # A missing file is reported but its row is kept, and the run still fails.
    evidence = FindingEvidence.objects.order_by("pk").first()
    if evidence is not None:
        storage.delete(evidence.file.name)
        status, output = run("find_orphans", older_than=0, delete_orphan_files=True)
        assert status == 1 and "Bản ghi có tệp bị mất: 1" in output
        assert FindingEvidence.objects.filter(pk=evidence.pk).exists()


def test_a_file_being_uploaded_is_not_an_orphan_yet(round_with_files):
    storage = Submission._meta.get_field("file").storage
    storage.save("self-inspection/dang-tai.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    status, output = run("find_orphans")  # default: only files older than 60 minutes
    assert status == 0, output
    assert "Bỏ qua 1 tệp mới hơn 60 phút" in output


def test_a_file_only_the_history_still_names_is_kept(round_with_files):
    historical = [c for c in file_columns() if c.historical and c.name == "file"]
    column = next((c for c in historical if c.model.instance_type is Submission), None)
    if column is None:
        pytest.skip("submissions have no history table")
    row = Submission.objects.order_by("pk").last()  # the demo's last one has no attachment
    name = row.file.name
    Submission.objects.filter(pk=row.pk).delete()  # as a database administrator might
    assert column.storage.exists(name)
    status, output = run("find_orphans", older_than=0, delete_orphan_files=True)
    assert status == 0, output
    assert name not in output and column.storage.exists(name)


# Backup and restore -------------------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path_factory):
    """Where archives go: not in the private storage's folder, which the tests empty."""
    return tmp_path_factory.mktemp("backups")


@pytest.fixture
def content_types_cache():
    """Flushing the database recreates the content types under new ids inside the test's
    transaction; forget them afterwards, when the rollback brings the old ones back."""
    yield
    ContentType.objects.clear_cache()


@pytest.mark.usefixtures("content_types_cache")
def test_round_trip_restores_every_row_and_every_file(round_with_files, elsewhere):
    rows = row_counts()
    files = files_on_disk(round_with_files)
    assert rows["inspections.submission"] > 0 and rows["inspections.remediationfile"] > 0
    assert len(files) > 10 and len(set(files.values())) > 1
    archive = elsewhere / "cchc.tar.gz"

    status, output = run("backup", output=archive)
    assert status == 0, output
    assert f"và {len(files)} tệp" in output

    # The manifest: row counts per model and the SHA-256 of every file.
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["models"] == rows
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == files
    assert {"data.json", "manifest.json"} | {f["path"] for f in manifest["files"]} == names
    assert not any(n.startswith(("/", "..")) or "/../" in n for n in names)

    # Disaster: the database is emptied and the files are lost.
    flush()
    for path in round_with_files.rglob("*"):
        if path.is_file():
            path.unlink()
    assert row_counts()["inspections.submission"] == 0 and files_on_disk(round_with_files) == {}

    status, output = run("restore", archive)
    assert status == 0, output
    assert "số bản ghi và mã kiểm tra đều khớp" in output
    assert row_counts() == rows
    assert files_on_disk(round_with_files) == files
    # Rows keep their ids (links stay valid) and point at their files again.
    submission = Submission.objects.order_by("pk").first()
    with submission.file.open("rb") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == submission.file_sha256
    assert run("find_orphans", older_than=0)[0] == 0
    assert get_user_model().objects.get(username="noivu").check_password("cchc-demo-2026")


def test_restore_refuses_a_database_that_is_not_empty(round_with_files, elsewhere):
    archive = elsewhere / "cchc.tar.gz"
    assert run("backup", output=archive)[0] == 0
    rows, files = row_counts(), files_on_disk(round_with_files)
    status, output = run("restore", archive)
    assert status == 1
    assert "Cơ sở dữ liệu không trống" in output and "--force" in output
    assert row_counts() == rows and files_on_disk(round_with_files) == files


@pytest.mark.usefixtures("content_types_cache")
def test_restore_with_force_replaces_the_data(round_with_files, elsewhere):
    archive = elsewhere / "cchc.tar.gz"
    assert run("backup", output=archive)[0] == 0
    rows, files = row_counts(), files_on_disk(round_with_files)
    Submission.objects.order_by("pk").last().delete()  # a change made after the backup
    status, output = run("restore", archive, force=True)
    assert status == 0, output
    assert row_counts() == rows and files_on_disk(round_with_files) == files


@pytest.mark.usefixtures("content_types_cache")
def test_a_damaged_archive_is_refused_before_anything_changes(round_with_files, elsewhere):
    archive = elsewhere / "cchc.tar.gz"
    assert run("backup", output=archive)[0] == 0
    damaged = elsewhere / "hong.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "files/000001":
                content = content.replace(b"%PDF", b"%PDX")
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    flush()
    for path in round_with_files.rglob("*"):
        if path.is_file():
            path.unlink()
    status, output = run("restore", damaged)
    assert status == 1 and "không khớp mã kiểm tra SHA-256" in output
    assert row_counts()["inspections.submission"] == 0
    assert files_on_disk(round_with_files) == {}


def test_backup_never_overwrites_and_warns_about_missing_files(round_with_files, elsewhere):
    archive = elsewhere / "cchc.tar.gz"
    gone = Submission.objects.order_by("pk").first()
    gone.file.storage.delete(gone.file.name)
    status, output = run("backup", output=archive)
    assert status == 0
    warning = "Cảnh báo: bản ghi có tệp bị mất, không sao lưu được: inspections.submission"
    assert f"{warning} #{gone.pk} (file)" in output
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert any(gone.file.name in missing for missing in manifest["missing"])
    status, output = run("backup", output=archive)
    assert status == 1 and "đã có" in output


def _damaged_archives(archive, folder) -> dict[str, object]:
    """A good archive cut in half, a file that is not gzip, a gzip that is not tar, an empty
    file, and an archive without its manifest."""
    whole = archive.read_bytes()
    cut = folder / "cat-doi.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    foreign = folder / "khong-phai.tar.gz"
    foreign.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    not_tar = folder / "khong-phai-tar.tar.gz"
    with gzip.open(not_tar, "wb") as stream:
        stream.write(b"day khong phai tar " * 100)
    empty = folder / "trong.tar.gz"
    empty.write_bytes(b"")
    no_manifest = folder / "thieu-manifest.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(no_manifest, "w:gz") as target:
        for member in source.getmembers():
            if member.name != "manifest.json":
                target.addfile(member, source.extractfile(member))
    return {
        "cut in half": cut,
        "not gzip": foreign,
        "gzip but not tar": not_tar,
        "empty": empty,
        "no manifest": no_manifest,
    }


@pytest.mark.usefixtures("content_types_cache")
def test_a_truncated_or_foreign_archive_is_said_damaged_and_changes_nothing(
    round_with_files, elsewhere
):
    archive = elsewhere / "cchc.tar.gz"
    assert run("backup", output=archive)[0] == 0
    flush()
    for path in round_with_files.rglob("*"):
        if path.is_file():
            path.unlink()
    for name, damaged in _damaged_archives(archive, elsewhere).items():
        status, output = run("restore", damaged)
        assert status == 1, (name, output)
        assert "Tệp sao lưu bị hỏng hoặc không phải tệp sao lưu của phần mềm" in output, name
        assert "Không có gì bị thay đổi" in output, name
        assert row_counts()["inspections.submission"] == 0, name
        assert files_on_disk(round_with_files) == {}, name


def _restore_into_new_sqlite(archive, folder) -> subprocess.CompletedProcess:
    """`manage.py restore` in its own process, into a SQLite database file not created yet (it
    migrates the new database from scratch: minutes when the machine runs other tests too)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'moi.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "DEBUG": "true",
        "TESTING": "false",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_a_damaged_archive_leaves_no_database_file_behind(tmp_path):
    """The probe's case: a restore into a new SQLite database left a 0-byte database file."""
    folder = tmp_path / "target"
    folder.mkdir()
    archive = tmp_path / "cat-doi.tar.gz"
    with gzip.open(archive, "wb") as stream:
        stream.write(b"\0" * 1024)  # a tar header block of zeros, then nothing
    archive.write_bytes(archive.read_bytes()[:-10])
    done = _restore_into_new_sqlite(archive, folder)
    assert done.returncode == 1, done.stderr
    assert "Tệp sao lưu bị hỏng hoặc không phải tệp sao lưu của phần mềm" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


def test_a_restore_that_fails_after_creating_the_database_removes_it(tmp_path):
    """An archive whose checksums hold but whose rows do not match its manifest: the database
    file created by the restore (migrate) is removed again."""
    folder = tmp_path / "target"
    folder.mkdir()
    data = b"[]"
    manifest = {
        "format": 1,
        "data": {"path": "data.json", "sha256": hashlib.sha256(data).hexdigest(), "size": 2},
        "files": [],
        "missing": [],
        "models": {"inspections.plan": 3},
    }
    archive = tmp_path / "lech.tar.gz"
    with tarfile.open(archive, "w:gz") as target:
        for name, content in (
            ("data.json", data),
            ("manifest.json", json.dumps(manifest).encode()),
        ):
            member = tarfile.TarInfo(name)
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    done = _restore_into_new_sqlite(archive, folder)
    assert done.returncode == 1, done.stderr
    assert "Số bản ghi sau khi khôi phục không khớp" in done.stderr
    assert list(folder.iterdir()) == []
