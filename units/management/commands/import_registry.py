"""Import a list of administrative units or agencies from CSV or Excel."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from units.services import ImportRejected, agencies_import, read_table, units_import


class Command(BaseCommand):
    help = (
        "Nhập danh mục đơn vị hành chính (units) hoặc cơ quan (agencies) từ tệp .csv/.xlsx. "
        "Nếu có dòng sai, không thay đổi gì và liệt kê mọi dòng sai."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["units", "agencies"])
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, kind: str, files: list[Path], **options):
        service = units_import if kind == "units" else agencies_import
        for path in files:
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp {path}.")
            with path.open("rb") as fh:
                try:
                    result = service(rows=read_table(fh, path.name))
                except ImportRejected as rejected:
                    raise CommandError(
                        f"{path.name}: không nhập gì vì có dòng sai:\n{rejected}"
                    ) from None
            self.stdout.write(f"{path.name}: {result}")
