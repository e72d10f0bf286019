"""Load the content-area frameworks shipped in fixtures/content-areas.csv. Safe to run again."""

from __future__ import annotations

import csv
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from inspections.models import ContentArea, ContentFramework


class Command(BaseCommand):
    help = "Nạp các bộ lĩnh vực CCHC (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        path = settings.BASE_DIR / "fixtures" / "content-areas.csv"
        with path.open(encoding="utf-8") as fh, transaction.atomic():
            for row in csv.DictReader(fh):
                framework, _ = ContentFramework.objects.update_or_create(
                    code=row["framework_code"],
                    defaults={
                        "name": row["framework_name"],
                        "basis": row["basis"],
                        "valid_from": datetime.date.fromisoformat(row["valid_from"]),
                        "valid_to": datetime.date.fromisoformat(row["valid_to"]),
                    },
                )
                ContentArea.objects.update_or_create(
                    framework=framework, number=int(row["number"]), defaults={"name": row["name"]}
                )
        self.stdout.write(f"Lĩnh vực CCHC: {ContentArea.objects.count()}")
