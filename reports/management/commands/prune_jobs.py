"""Remove background jobs that ended long ago, with their files (`reports.jobs.jobs_remove`)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.jobs import jobs_remove
from reports.models import Job


class Command(BaseCommand):
    help = (
        "Xóa các việc chạy nền đã kết thúc (xong hoặc không thành công) quá số ngày cho trước, "
        "cùng tệp kết quả của chúng (danh sách tải về, tệp ZIP, dự thảo). Việc đang chờ hoặc "
        "đang chạy không bị xóa; văn bản đã ban hành được lưu riêng, không bị ảnh hưởng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="xóa việc kết thúc quá số ngày này (mặc định 30)"
        )

    def handle(self, *args, **options):
        days = options["days"]
        if days < 1:
            raise CommandError(
                f"--days phải là số ngày từ 1 trở lên (đã nhập {days}): việc vừa xong có thể "
                "còn người chưa tải tệp."
            )
        removed = jobs_remove(
            Job.objects.all(), ended_before=timezone.now() - datetime.timedelta(days=days)
        )
        self.stdout.write(f"Đã xóa {removed} việc chạy nền kết thúc quá {days} ngày.")
