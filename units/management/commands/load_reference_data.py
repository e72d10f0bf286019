"""Load the registry shipped in fixtures/ (units, then agencies). Safe to run again."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

FIXTURES = settings.BASE_DIR / "fixtures"


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính và cơ quan có sẵn (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        for kind in ("units", "agencies"):
            files = sorted((FIXTURES / kind).glob("*.csv"))
            call_command("import_registry", kind, *files, stdout=self.stdout)
