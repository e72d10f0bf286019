"""Load every province of Vietnam, before and after the 2025 reform, from `vietnam-provinces`."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from units.national import national_registry_load


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính cả nước trước và sau 01/07/2025 (thư viện "
        "vietnam-provinces), kèm quan hệ kế thừa, UBND và các sở theo danh mục chuẩn. Chạy lại "
        "không thay đổi gì; giữ nguyên bản ghi có sẵn và bản ghi quản trị viên đã sửa."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--changes-from",
            metavar="dd/mm/yyyy",
            help="Ngày hiệu lực của các thay đổi khi nạp bản thư viện mới hơn (mặc định: ngày "
            "dữ liệu của thư viện).",
        )

    def handle(self, *args, changes_from: str | None = None, verbosity: int = 1, **options):
        day = None
        if changes_from:
            try:
                day = datetime.datetime.strptime(changes_from, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(
                    f"--changes-from “{changes_from}” không phải ngày: viết dd/mm/yyyy."
                ) from None
        report = national_registry_load(changes_from=day)
        if verbosity:
            for line in report.lines(verbose=verbosity > 1):
                self.stdout.write(line)
