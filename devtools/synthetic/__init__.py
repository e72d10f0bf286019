"""Synthetic data at national scale, for the benchmark and for trying the product with a whole
country: provinces with their communes and agencies, their people, and finished inspection
rounds — plans, self-inspection, teams, visits, findings, recommendations, conclusion notices,
remediation in every state, results reports. `manage.py generate_data` runs it.

Rows are written with `bulk_create`, not through the services, so that a whole country takes a
minute rather than hours. Every figure a service computes comes from the service's own pure helper
(`due_date_of` with the holiday calendar, `coverage_rate` and `submission_figures`,
`self_inspection_recipients`, `verified_status`, the calendar's working days); the rest of what the
services guarantee is kept by construction:
- `AdministrativeUnit.province`, `Agency.province`, `Plan.province` and `search_name` are filled
  as `save()` fills them; People's Committees are named as `unit_committee_ensure` names them;
- every number (plan, team decision, outline letter, conclusion notice, results report) comes
  from its issuer's register for the year of its date; the `NumberRegister` rows end at the last,
  and each number is recorded in `IssuedNumber`;
- plans are issued through draft → submitted → approved → issued; team decisions are issued; the
  outline is sent to every target and every other department and commune;
- a submission below the threshold carries its explanation; a returned version is followed by
  a newer one;
- a visit with minutes is done; conclusion notices are approved and issued
  after the visit; remediation is reported after the notice, in versions with files and
  verifications, and a recommendation's status is its latest verification's (open when none).

Synthetic provinces are coded TN01…TN99 ("thử nghiệm"): official codes are digits only, so they
never collide with the registry `load_reference_data` loads. Each carries `MARK` and its
parameters in its note, and has no district (the two-tier model of July 2025). Each province
draws from its own random generator (seed and code), so it comes out the same whatever is
generated beside it. Files are not written per row: every file field points at one shared tiny
PDF (`BLOB_NAME`) in private storage.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction

from devtools.synthetic.base import (
    BLOB_NAME,
    CODE_PREFIX,
    LAST_YEAR,
    MARK,
    Params,
    Writer,
    ensure_blob,
    province_code,
    stamps_as_given,
)
from devtools.synthetic.inventory import delete, existing, states, summary, synthetic_provinces
from devtools.synthetic.registry import province_build
from devtools.synthetic.rounds import Rounds
from inspections.models import ContentFramework, Holiday, IssuedNumber, NumberRegister

SEED_PLAN = settings.BASE_DIR / "fixtures" / "plans" / "kh-23-ubnd-2023-kien-giang.json"

__all__ = [
    "BLOB_NAME",
    "CODE_PREFIX",
    "LAST_YEAR",
    "MARK",
    "Params",
    "delete",
    "ensure_blob",
    "existing",
    "generate",
    "province_code",
    "states",
    "summary",
    "synthetic_provinces",
]


def generate(
    *,
    numbers: Iterable[int],
    params: Params,
    progress: Callable[[str, Counter], None] | None = None,
) -> Counter:
    """Generate the provinces numbered `numbers` (TNnn), each in its own transaction; returns
    the rows written per model. `progress(code, counts)` is called after each province."""
    framework = ContentFramework.objects.order_by("-valid_from").first()
    areas = {a.number: a for a in framework.areas.all()} if framework else {}
    if not areas:
        raise ValueError("Chưa có lĩnh vực CCHC: chạy `manage.py load_content_areas` trước.")
    calendar = Holiday.objects.calendar()
    body = json.loads(SEED_PLAN.read_text(encoding="utf-8"))["items"]
    ensure_blob()
    total: Counter = Counter()
    with stamps_as_given():
        for number in numbers:
            code = province_code(number)
            # Not for secrets: synthetic data must be the same for the same seed.
            writer = Writer(random.Random(f"{params.seed}:{code}"), calendar, params.scale)  # nosec B311
            with transaction.atomic():
                province = province_build(writer, number, params)
                rounds = Rounds(writer, province, areas, body)
                for year in range(params.first_year, LAST_YEAR + 1):
                    rounds.build(year)
                registers = writer.bulk(
                    [
                        NumberRegister(issuer_id=issuer, year=year, symbol=symbol, last_number=n)
                        for (issuer, year, symbol), n in sorted(writer.registers.items())
                    ]
                )
                writer.bulk(
                    [
                        IssuedNumber(register_id=register.pk, number=number)
                        for register in registers
                        for number in sorted(
                            writer.issued[(register.issuer_id, register.year, register.symbol)]
                        )
                    ]
                )
            total.update(writer.counts)
            if progress:
                progress(code, writer.counts)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The planner's statistics of tables that just grew by hundreds of thousands of rows;
        # autovacuum would get there, but later than a benchmark run straight after.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return total
