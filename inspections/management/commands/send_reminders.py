"""Email units about self-inspection deadlines. Safe to run twice: each reminder goes out once.

Run it daily (cron or a systemd timer): `manage.py send_reminders`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inspections.models import Reminder
from inspections.services import reminders_due
from inspections.text import short_date


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn nộp báo cáo tự kiểm tra (chạy lại không gửi trùng)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            nargs="+",
            default=getattr(settings, "REMINDER_DAYS", [7, 1]),
            help="Nhắc trước hạn bao nhiêu ngày (mặc định 7 và 1).",
        )

    def handle(self, *args, days: list[int], **options):
        today = timezone.localdate()
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        sent = 0
        for request, key in reminders_due(today, days):
            recipients = list(
                users.filter(membership__agency=request.agency).values_list("email", flat=True)
            )
            try:
                with transaction.atomic():
                    # Recorded first: a second run (even a concurrent one) finds it and skips.
                    Reminder.objects.create(
                        request=request, key=key, recipients=", ".join(recipients)
                    )
                    if recipients:
                        send_mail(
                            subject=self._subject(request, key),
                            message=self._body(request, key),
                            from_email=None,
                            recipient_list=recipients,
                        )
            except IntegrityError:
                continue
            sent += 1
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")

    @staticmethod
    def _subject(request, key) -> str:
        if key == "overdue":
            return f"[CCHC] Quá hạn nộp báo cáo tự kiểm tra — {request.plan.number_display}"
        return f"[CCHC] Sắp đến hạn nộp báo cáo tự kiểm tra — {request.plan.number_display}"

    @staticmethod
    def _body(request, key) -> str:
        deadline = short_date(request.deadline)
        state = "đã quá hạn" if key == "overdue" else "sắp đến hạn"
        link = reverse("requests:request-detail", args=[request.pk])
        return (
            f"Kính gửi {request.agency.name},\n\n"
            f"Báo cáo tự kiểm tra theo Kế hoạch {request.plan.number_display} "
            f"({request.plan.summary}) {state}: hạn nộp ngày {deadline}.\n"
            f"Đơn vị nộp báo cáo tại: {link}\n\n"
            "Thư này được gửi tự động từ phần mềm kiểm tra công tác cải cách hành chính."
        )
