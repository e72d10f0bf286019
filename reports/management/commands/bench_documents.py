"""Measure how long the seed plan's documents take to build and render. Reports, never asserts."""

from __future__ import annotations

import resource
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from inspections.models import Plan
from reports.plan_document import plan_document, plan_for_document
from reports.rendering import render_docx, render_pdf


class Command(BaseCommand):
    help = "Đo thời gian dựng và xuất PDF, Word của kế hoạch mẫu 23/KH-UBND."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)

    def handle(self, *args, repeat: int, **options):
        plan = Plan.objects.filter(year=2023, number=23).first()
        if plan is None:
            raise CommandError("Chưa có kế hoạch mẫu: chạy `make run` hoặc load_seed_plan trước.")
        for name, render in (("pdf", render_pdf), ("docx", render_docx)):
            times = []
            for _ in range(repeat + 1):  # the first run warms up fonts and templates
                reset_queries()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    document = plan_document(plan_for_document(plan.pk))
                size = len(render(document))
                times.append(time.perf_counter() - start)
            times = times[1:]
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            self.stdout.write(
                f"plan 23/KH-UBND {name}: median {statistics.median(times) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, {len(queries)} queries, {size / 1024:.0f} KiB, "
                f"{repeat} runs"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory of the process: {peak:.0f} MiB")
