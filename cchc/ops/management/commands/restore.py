"""Restore an archive made by `backup`: `manage.py restore FILE [--force]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã tải lên từ một bản sao lưu (kiểm tra mã SHA-256 "
        "trước khi ghi); chỉ vào cơ sở dữ liệu trống, trừ khi có --force."
    )

    # No system checks before the archive is read: they open the database, which for SQLite
    # creates an empty database file even when the archive turns out to be damaged. `migrate`,
    # run by the restore once the archive is verified, runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Tệp .tar.gz do lệnh backup tạo ra.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="XÓA TOÀN BỘ dữ liệu hiện có rồi khôi phục; tệp cùng tên khác nội dung bị thay.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            summary = backup_restore(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for missing in summary.missing:
            self.stderr.write(f"Cảnh báo: tệp đã thiếu từ lúc sao lưu: {missing}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {summary.rows} bản ghi ({summary.models} bảng) và {summary.files} "
                f"tệp từ {summary.path}; số bản ghi và mã kiểm tra đều khớp."
            )
        )
