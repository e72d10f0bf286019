"""Benchmark the key pages and documents at 1× and 10× of one province's data against the
framework floor (see `devtools/bench.py`); `make bench` prepares the PostgreSQL database first.
Prints a table and writes every figure to a JSON file. Reports, never asserts."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools import bench, throughput


class Command(BaseCommand):
    help = (
        "Đo số truy vấn, thời gian (trung vị, p95) và bộ nhớ của các trang, văn bản chính ở "
        "cỡ dữ liệu 1× và 10× một tỉnh, so với trang tối thiểu /healthz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base", help="tỉnh thử nghiệm cỡ 1× (mặc định: tỉnh nhỏ nhất)")
        parser.add_argument("--large", help="tỉnh thử nghiệm cỡ lớn (mặc định: tỉnh lớn nhất)")
        parser.add_argument("--repeat", type=int, default=30, help="số lần đo mỗi trang HTML")
        parser.add_argument(
            "--repeat-documents", type=int, default=10, help="số lần đo mỗi văn bản PDF (1×)"
        )
        parser.add_argument(
            "--repeat-large-documents", type=int, default=1, help="số lần đo mỗi PDF cỡ lớn"
        )
        parser.add_argument(
            "--pages", help="chỉ đo các trang này, cách nhau dấu phẩy (ví dụ plan-detail,dashboard)"
        )
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument(
            "--quick", action="store_true", help="mỗi trang một lần (để kiểm thử lệnh)"
        )
        parser.add_argument(
            "--throughput-seconds",
            type=float,
            default=10,
            help="số giây đo mỗi trang qua gunicorn 2 worker (0: bỏ phần đo lưu lượng)",
        )
        parser.add_argument(
            "--throughput-clients", type=int, default=4, help="số client đồng thời (vòng kín)"
        )
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "bench-results" / "bench.json"),
            help="tệp JSON kết quả",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        load_at_start = [round(x, 2) for x in os.getloadavg()]
        if connection.vendor != "postgresql":
            self.stderr.write(
                f"Lưu ý: đang đo trên {connection.vendor}; số liệu của README đo trên "
                "PostgreSQL (make bench)."
            )
        quick = options["quick"]
        repeat = 1 if quick else options["repeat"]
        repeat_documents = 1 if quick else options["repeat_documents"]
        repeat_large = 1 if quick else options["repeat_large_documents"]
        warmup = 0 if quick else options["warmup"]
        try:
            base, large = bench.choose_sizes(options["base"], options["large"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        only = [key.strip() for key in (options["pages"] or "").split(",") if key.strip()]
        unknown = set(only) - {page.key for page in [*bench.PAGES, bench.SEED_PLAN]}
        if unknown:
            keys = ", ".join(page.key for page in [*bench.PAGES, bench.SEED_PLAN])
            raise CommandError(f"Không có trang {', '.join(sorted(unknown))}; có: {keys}.")
        runner = bench.Bench(
            repeat=repeat, repeat_documents=repeat_documents, warmup=warmup, only=only
        )
        runner.trace_documents = not quick  # tracing a PDF's rendering triples its time
        sizes = [bench.size_for("1×", base)]
        if large:
            sizes.append(bench.size_for("10×", large))
        for size in sizes:
            if size.label != "1×":
                runner.repeat_documents = repeat_large
                runner.trace_documents = False
            self.stdout.write(f"Đo {size.label}: {size.province.code} {size.describe()}")
            runner.run_size(size)
        runner.repeat_documents, runner.trace_documents = repeat_documents, not quick
        seed_plan, reader = bench.seed_plan_reader()
        seed = None
        if seed_plan is not None and (not only or bench.SEED_PLAN.key in only):
            seed = runner.measure(bench.SEED_PLAN, reader, [seed_plan.pk], record=seed_plan)
        result = bench.report(
            sizes,
            seed,
            started,
            {
                "repeat": repeat,
                "repeat_documents": repeat_documents,
                "repeat_large_documents": repeat_large,
                "warmup": warmup,
                "load_average_at_start": load_at_start,
            },
        )
        seconds = 0 if quick else options["throughput_seconds"]
        if seconds > 0:
            self.stdout.write(f"Đo lưu lượng qua gunicorn ({seconds:g} s mỗi trang)…")
            result["throughput"] = throughput.measure(
                bench.throughput_targets(sizes[0]),
                seconds=seconds,
                clients=options["throughput_clients"],
            )
            result["goals"] += bench.throughput_goals(result["throughput"])
            self.stdout.write("… và khi không lưu tạm trang (mỗi yêu cầu dựng lại trang)…")
            result["throughput_rendered"] = throughput.measure(
                bench.throughput_targets(sizes[0]),
                seconds=seconds,
                clients=options["throughput_clients"],
                page_cache=False,
            )
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write("")
        self.stdout.write(bench.table(result))
        if "throughput" in result:
            self.stdout.write("")
            self.stdout.write(throughput.table(result["throughput"]))
            self.stdout.write(
                f"{result['throughput']['server']} · {result['throughput']['client']} · tải "
                f"{result['throughput']['load_average_before'][0]} → "
                f"{result['throughput']['load_average_after'][0]} · RSS worker tối đa "
                f"{result['throughput']['worker_peak_rss_mib']} MiB (mục tiêu ≤ "
                f"{bench.WORKER_RSS_GOAL_MIB} MiB)"
            )
        if "throughput_rendered" in result:
            self.stdout.write("")
            self.stdout.write("Không lưu tạm trang (PAGE_CACHE_SECONDS=0), để so sánh:")
            self.stdout.write(throughput.table(result["throughput_rendered"]))
        self.stdout.write("")
        for size in sizes:
            for key, measure in size.measures.items():
                if measure.note:
                    self.stdout.write(f"{size.label} {key}: {measure.note}")
        for goal in result["goals"]:
            if not goal["met"]:
                self.stdout.write(f"Chưa đạt: {goal['goal']} (đo được {goal['measured']})")
        machine = result["machine"]
        self.stdout.write(
            f"{result['date']} · {machine['nproc']} × {machine['cpu']} · {machine['database']} · "
            f"tải {load_at_start[0]} → {machine['load_average'][0]} · "
            f"RSS tối đa {result['peak_rss_mib']} MiB · {result['duration_s']} s · {output}"
        )
