"""Measure how long each document type takes to build and render, on the seed plan 23/KH-UBND
and its demo round (`load_demo_round`). Reports, never asserts."""

from __future__ import annotations

import resource
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Plan
from reports.rendering import render_docx, render_pdf
from reports.samples import document_builders


class Command(BaseCommand):
    help = (
        "Đo thời gian dựng và xuất PDF, Word của từng loại văn bản trên kế hoạch mẫu 23/KH-UBND "
        "và đợt kiểm tra mẫu (load_demo_round)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--types", default="", help="Các loại, cách nhau dấu phẩy (mặc định: tất cả)"
        )

    def handle(self, *args, repeat: int, types: str, **options):
        plan = Plan.objects.filter(year=2023, number=23).first()
        if plan is None:
            raise CommandError("Chưa có kế hoạch mẫu: chạy `make run` hoặc load_seed_plan trước.")
        builders = document_builders(plan)
        wanted = [t.strip() for t in types.split(",") if t.strip()] or list(builders)
        missing = [t for t in wanted if t not in builders]
        if missing:
            raise CommandError(
                f"Không có dữ liệu cho: {', '.join(missing)}. Chạy load_demo_round trước."
            )
        for kind in wanted:
            for name, render in (("pdf", render_pdf), ("docx", render_docx)):
                times = []
                for _ in range(repeat + 1):  # the first run warms up fonts and templates
                    start = time.perf_counter()
                    with CaptureQueriesContext(connection) as queries:
                        document = builders[kind]()
                    size = len(render(document))
                    times.append(time.perf_counter() - start)
                times = times[1:]
                p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
                self.stdout.write(
                    f"{kind} {name}: median {statistics.median(times) * 1000:.0f} ms, "
                    f"p95 {p95 * 1000:.0f} ms, {len(queries)} queries, {size / 1024:.0f} KiB, "
                    f"{repeat} runs"
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory of the process: {peak:.0f} MiB")
