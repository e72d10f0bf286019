"""Email units about their deadlines: self-inspection reports and the remediation of
recommendations. Safe to run twice: each reminder goes out once.

Run it daily (cron or a systemd timer): `manage.py send_reminders`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inspections.models import RecommendationReminder, Reminder
from inspections.services import recommendation_reminders_due, reminders_due
from inspections.text import short_date

FOOTER = "Thư này được gửi tự động từ phần mềm kiểm tra công tác cải cách hành chính."


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn nộp báo cáo tự kiểm tra và hạn khắc phục kiến nghị "
        "(chạy lại không gửi trùng)."
    )

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
        self.users = get_user_model().objects.filter(is_active=True).exclude(email="")
        sent = 0
        for request, key in reminders_due(today, days):
            sent += self._send(
                request.agency,
                lambda recipients, request=request, key=key: Reminder.objects.create(
                    request=request, key=key, recipients=recipients
                ),
                self._report_subject(request, key),
                self._report_body(request, key),
            )
        for recommendation, key in recommendation_reminders_due(today, days):
            sent += self._send(
                recommendation.responsible,
                lambda recipients, r=recommendation, key=key: RecommendationReminder.objects.create(
                    recommendation=r, key=key, recipients=recipients
                ),
                self._remediation_subject(recommendation, key),
                self._remediation_body(recommendation, key),
            )
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")

    def _send(self, agency, record: Callable[[str], object], subject: str, body: str) -> int:
        """Record the reminder first, so that a second run (even a concurrent one) finds it and
        skips; then mail the unit's active users."""
        recipients = list(
            self.users.filter(membership__agency=agency).values_list("email", flat=True)
        )
        try:
            with transaction.atomic():
                record(", ".join(recipients))
                if recipients:
                    send_mail(
                        subject=subject, message=body, from_email=None, recipient_list=recipients
                    )
        except IntegrityError:
            return 0
        return 1

    @staticmethod
    def _report_subject(request, key) -> str:
        if key == "overdue":
            return f"[CCHC] Quá hạn nộp báo cáo tự kiểm tra — {request.plan.number_display}"
        return f"[CCHC] Sắp đến hạn nộp báo cáo tự kiểm tra — {request.plan.number_display}"

    @staticmethod
    def _report_body(request, key) -> str:
        deadline = short_date(request.deadline)
        state = "đã quá hạn" if key == "overdue" else "sắp đến hạn"
        link = reverse("requests:request-detail", args=[request.pk])
        return (
            f"Kính gửi {request.agency.name},\n\n"
            f"Báo cáo tự kiểm tra theo Kế hoạch {request.plan.number_display} "
            f"({request.plan.summary}) {state}: hạn nộp ngày {deadline}.\n"
            f"Đơn vị nộp báo cáo tại: {link}\n\n{FOOTER}"
        )

    @staticmethod
    def _remediation_subject(recommendation, key) -> str:
        if key == "overdue":
            return "[CCHC] Quá hạn khắc phục kiến nghị sau kiểm tra"
        return "[CCHC] Sắp đến hạn khắc phục kiến nghị sau kiểm tra"

    @staticmethod
    def _remediation_body(recommendation, key) -> str:
        plan = recommendation.finding.visit.plan
        state = "đã quá hạn" if key == "overdue" else "sắp đến hạn"
        link = reverse("inspections:recommendation-detail", args=[recommendation.pk])
        return (
            f"Kính gửi {recommendation.responsible.name},\n\n"
            f"Kiến nghị sau kiểm tra theo Kế hoạch {plan.number_display}: “{recommendation.text}” "
            f"{state}: hạn khắc phục ngày {short_date(recommendation.due_date)}.\n"
            f"Đơn vị báo cáo kết quả khắc phục tại: {link}\n\n{FOOTER}"
        )
