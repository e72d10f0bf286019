"""Load the announced days off and làm bù days from fixtures/holidays.csv. Safe to run again;
days an administrator added or renamed in the admin are kept."""

from __future__ import annotations

import csv

from django.conf import settings
from django.core.management.base import BaseCommand

from inspections.models import Holiday
from inspections.workdays import load_csv

HOLIDAYS = settings.BASE_DIR / "fixtures" / "holidays.csv"


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ, Tết và ngày làm bù (chạy lại không tạo trùng, không ghi đè)."

    def handle(self, *args, **options):
        load_csv(HOLIDAYS)  # refuses a bad file before anything is written
        with HOLIDAYS.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        existing = {d.isoformat() for d in Holiday.objects.values_list("date", flat=True)}
        new = [
            Holiday(date=row["date"], name=row["name"], kind=row["kind"])
            for row in rows
            if row["date"] and row["date"] not in existing
        ]
        Holiday.objects.bulk_create(new)
        self.stdout.write(f"Ngày nghỉ, làm bù: {len(new)} mới, {Holiday.objects.count()} tất cả")
