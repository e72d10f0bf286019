"""Mail each person the deadlines of their unit that are near or past — self-inspection reports
and the remediation of recommendations — in one digest a day (`inspections/reminders.py`).
Safe to run twice: each reminder goes to each person once, and nobody gets two digests a day.

Run it daily (cron or a systemd timer): `manage.py send_reminders`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections.reminders import DEFAULT_DAYS, send_digests


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn nộp báo cáo tự kiểm tra và hạn khắc phục kiến nghị, mỗi người tối đa "
        "một thư tổng hợp mỗi ngày (chạy lại không gửi trùng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            nargs="+",
            default=getattr(settings, "REMINDER_DAYS", list(DEFAULT_DAYS)),
            help="Nhắc trước hạn bao nhiêu ngày (mặc định 7 và 1).",
        )

    def handle(self, *args, days: list[int], **options):
        sent = send_digests(timezone.localdate(), days)
        self.stdout.write(f"Đã gửi {sent} thư nhắc hạn.")
