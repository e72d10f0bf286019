"""List uploaded files that no row refers to, and rows whose file is missing.

Exits with status 1 when it finds either (so a cron job or a monitor can alert). With
`--delete-orphan-files` the unreferenced files are deleted (never a row); the run then fails only
if rows with missing files remain. Files younger than `--older-than` minutes are left alone: an
upload in progress writes its file a moment before its row is committed.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from cchc.ops.files import files_check


class Command(BaseCommand):
    help = (
        "Tìm tệp đã tải lên mà không bản ghi nào tham chiếu (tệp mồ côi) và bản ghi có tệp bị "
        "mất; thoát với mã 1 khi có."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphan-files",
            action="store_true",
            help="Xóa các tệp mồ côi (không bao giờ xóa bản ghi).",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="PHÚT",
            help="Chỉ xét tệp cũ hơn số phút này (mặc định 60; tệp mới có thể đang được tải lên).",
        )

    def handle(self, *args, delete_orphan_files: bool, older_than: int, **options):
        check = files_check(older_than=datetime.timedelta(minutes=older_than))
        if check.unreferenced:
            verb = "đã xóa" if delete_orphan_files else "không bản ghi nào tham chiếu"
            self.stdout.write(f"Tệp mồ côi ({verb}): {len(check.unreferenced)}")
            for storage, name in check.unreferenced:
                self.stdout.write(f"  {name}")
                if delete_orphan_files:
                    storage.delete(name)
        if check.missing:
            self.stdout.write(f"Bản ghi có tệp bị mất: {len(check.missing)}")
            for missing in check.missing:
                self.stdout.write(f"  {missing}")
        if check.too_recent:
            self.stdout.write(
                f"Bỏ qua {check.too_recent} tệp mới hơn {older_than} phút (có thể đang tải lên)."
            )
        problems = len(check.missing) + (0 if delete_orphan_files else len(check.unreferenced))
        if problems:
            raise CommandError(f"Có {problems} vấn đề về tệp: xem danh sách ở trên.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Không có tệp mồ côi hay tệp bị mất."))
