"""Create the demo accounts listed in fixtures/demo-users.csv. Development only."""

from __future__ import annotations

import csv
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units.models import Agency, Membership
from units.services import agency_by_ref

# Published in the README; the accounts are created only with DEBUG on (checked below).
DEMO_PASSWORD = "cchc-demo-2026"  # nosec B105
DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo-users.csv"


class Command(BaseCommand):
    help = "Tạo tài khoản mẫu (chỉ khi DEBUG bật; không bao giờ dùng trên máy thật)."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError(
                "Tài khoản mẫu chỉ được tạo khi DEBUG=true: không tạo tài khoản mẫu trên máy thật."
            )
        User = get_user_model()
        created = 0
        with DEMO_FILE.open(encoding="utf-8") as fh, transaction.atomic():
            for row in csv.DictReader(fh):
                last, _, first = row["full_name"].rpartition(" ")
                user, is_new = User.objects.get_or_create(
                    username=row["username"],
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "is_staff": row["superuser"] == "yes",
                        "is_superuser": row["superuser"] == "yes",
                    },
                )
                if is_new:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    created += 1
                if row["role"]:
                    agency = self._agency(row["agency"], row["on"])
                    Membership.objects.update_or_create(
                        user=user,
                        defaults={
                            "role": row["role"],
                            "agency": agency,
                            "province": agency.province,
                            "title": row["title"],
                        },
                    )
        self.stdout.write(f"Tài khoản mẫu: {created} mới; mật khẩu {DEMO_PASSWORD}")

    @staticmethod
    def _agency(ref: str, on: str) -> Agency:
        try:
            return agency_by_ref(ref, datetime.date.fromisoformat(on))
        except Agency.DoesNotExist:
            raise CommandError(f"Không có cơ quan {ref} ngày {on}: nạp danh mục trước.") from None
