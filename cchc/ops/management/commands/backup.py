"""Save the database and the uploaded files into one archive: `manage.py backup [--output F]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu cùng các tệp đã tải lên vào một tệp .tar.gz (kèm bảng kê số bản "
        "ghi và mã SHA-256 của từng tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Tệp sao lưu cần tạo (mặc định cchc-backup-<ngày giờ>.tar.gz ở thư mục hiện tại).",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            output = Path(f"cchc-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        if output.exists():
            raise CommandError(f"{output} đã có: chọn tên khác, không ghi đè bản sao lưu cũ.")
        try:
            summary = backup_create(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for missing in summary.missing:
            self.stderr.write(f"Cảnh báo: bản ghi có tệp bị mất, không sao lưu được: {missing}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {summary.rows} bản ghi ({summary.models} bảng) và {summary.files} "
                f"tệp vào {summary.path}."
            )
        )
