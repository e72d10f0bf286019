"""Fill the database with synthetic provinces and finished inspection rounds (see
`devtools/synthetic/`), for the benchmark and for trying the product at national scale.

    manage.py generate_data                                # 34 provinces TN01–TN34, 5 years
    manage.py generate_data --provinces 1 --scale 10 --first 35   # one province ten times larger

A province already present is refused unless `--replace` (delete it with everything recorded in
it, then generate it again) or `--keep` (leave it, if it was generated with the same parameters).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from devtools import synthetic


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu tổng hợp: các tỉnh thử nghiệm TN01… (mã không trùng danh mục thật) với xã, "
        "cơ quan, tài khoản và các đợt kiểm tra đã hoàn tất."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=34, help="số tỉnh (mặc định 34)")
        parser.add_argument("--first", type=int, default=1, help="số của tỉnh đầu tiên (TNnn)")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="nhân khối lượng mỗi tỉnh: ~100×K xã, ~40×K đối tượng mỗi kế hoạch, 2×K đoàn",
        )
        parser.add_argument(
            "--years", type=int, default=5, help=f"số năm kế hoạch, đến {synthetic.LAST_YEAR}"
        )
        parser.add_argument("--seed", type=int, default=1)
        again = parser.add_mutually_exclusive_group()
        again.add_argument(
            "--replace", action="store_true", help="xóa tỉnh thử nghiệm đã có rồi sinh lại"
        )
        again.add_argument(
            "--keep", action="store_true", help="giữ tỉnh đã có (nếu cùng tham số), sinh tỉnh thiếu"
        )
        parser.add_argument(
            "--digest", action="store_true", help="in số dòng và mã băm nội dung (so sánh hai lần)"
        )

    def handle(self, *args, provinces, first, scale, years, seed, replace, keep, digest, **opts):
        if provinces < 1 or first < 1 or first + provinces - 1 > 99:
            raise CommandError(
                "Số tỉnh thử nghiệm chạy từ TN01 đến TN99: chọn --first, --provinces."
            )
        if not 0 < scale <= 50:
            raise CommandError("--scale phải lớn hơn 0 và không quá 50.")
        if not 1 <= years <= 10:
            raise CommandError("--years phải từ 1 đến 10.")
        self.verbosity = opts["verbosity"]
        params = synthetic.Params(seed=seed, scale=scale, years=years)
        numbers = range(first, first + provinces)
        codes = {synthetic.province_code(n): n for n in numbers}
        present = synthetic.existing(codes)
        foreign = sorted(code for code, found in present.items() if found is None)
        if foreign:
            raise CommandError(
                f"Đã có tỉnh mã {', '.join(foreign)} không do generate_data tạo: không ghi đè."
            )
        if present and not (replace or keep):
            raise CommandError(
                f"Đã có dữ liệu tổng hợp của {', '.join(sorted(present))}: thêm --replace để "
                "sinh lại, hoặc --keep để giữ và chỉ sinh tỉnh còn thiếu."
            )
        if keep:
            different = sorted(code for code, found in present.items() if found != params)
            if different:
                raise CommandError(
                    f"{', '.join(different)} đã sinh với tham số khác ({present[different[0]]}): "
                    "dùng --replace."
                )
            numbers = [n for code, n in codes.items() if code not in present]
        started = time.perf_counter()
        if replace and present:
            synthetic.delete(
                synthetic.synthetic_provinces()
                .filter(code__in=list(present))
                .values_list("pk", flat=True)
            )
            self.stdout.write(
                f"Đã xóa {len(present)} tỉnh thử nghiệm cũ ({time.perf_counter() - started:.1f} s)."
            )
        if not numbers:
            synthetic.ensure_blob()  # the files of kept provinces, on a new storage
            self.stdout.write("Dữ liệu tổng hợp đã có đủ, không sinh thêm.")
        else:
            total = synthetic.generate(numbers=numbers, params=params, progress=self._progress)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"Đã sinh {len(numbers)} tỉnh (seed {seed}, scale {scale:g}, {years} năm) trong "
                f"{elapsed:.1f} s: {sum(total.values()):,} dòng."
            )
            for label, count in sorted(total.items()):
                self.stdout.write(f"  {label:<36} {count:>9,}")
        if digest:
            result = synthetic.summary(codes)
            for name, count in result["counts"].items():
                self.stdout.write(f"  {name:<24} {count:>9,}")
            self.stdout.write(f"digest {result['digest']}")

    def _progress(self, code: str, counts) -> None:
        if self.verbosity >= 2:
            self.stdout.write(f"  {code}: {sum(counts.values()):,} dòng")
