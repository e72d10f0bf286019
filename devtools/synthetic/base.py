"""What every part of the generator shares: the reserved codes and the mark, the parameters, and
the `Writer` that draws random choices and writes rows in batches."""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from devtools.synthetic.words import FAMILY, GIVEN, MIDDLE
from inspections.models import Submission
from units.models import Agency

CODE_PREFIX = "TN"  # "thử nghiệm": official codes are digits only
MARK = "Dữ liệu tổng hợp (generate_data)"
LAST_YEAR = 2025  # rounds run up to the last full year, so every round is finished
BATCH = 2000
BLOB_NAME = "synthetic/tai-lieu-mau.pdf"
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# The stored-file fields of every synthetic file row: they all point at the one blob.
FILE_FIELDS = {
    "file": BLOB_NAME,
    "file_size": len(PDF),
    "file_sha256": hashlib.sha256(PDF).hexdigest(),
    "content_type": "application/pdf",
}


@dataclass(frozen=True)
class Params:
    """What a province is generated with; kept in its note, so a later run can tell."""

    seed: int = 1
    scale: float = 1.0
    years: int = 5

    def note(self) -> str:
        return (
            f"{MARK}: seed={self.seed}, scale={self.scale:g}, years={self.years}, "
            f"last_year={LAST_YEAR}. Không phải đơn vị hành chính thật."
        )

    @classmethod
    def from_note(cls, note: str) -> Params | None:
        match = re.search(r"seed=(-?\d+), scale=([\d.e+-]+), years=(\d+)", note)
        if MARK not in note or not match:
            return None
        return cls(int(match[1]), float(match[2]), int(match[3]))

    @property
    def first_year(self) -> int:
        return LAST_YEAR - self.years + 1


def province_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:02d}"


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextmanager
def stamps_as_given() -> Iterator[None]:
    """Let `bulk_create` keep the historical dates given to auto_now/auto_now_add fields.

    Those fields stamp "now" on insert, which would date a 2021 submission today. They are
    switched off while the rows are written (a management command or a test: one thread), and
    every such field is given a value explicitly, so a forgotten one fails loudly as NULL.
    """
    fields = [
        field
        for model in apps.get_app_config("inspections").get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def ensure_blob() -> None:
    """Store the one tiny PDF every synthetic file row points at (once; never deleted)."""
    storage = Submission._meta.get_field("file").storage
    if not storage.exists(BLOB_NAME):
        storage.save(BLOB_NAME, ContentFile(PDF))


class Writer:
    """Random choices of one province and its rows, written in batches, with the numbers its
    issuers' registers have given."""

    def __init__(self, rng: random.Random, calendar, scale: float) -> None:
        self.rng = rng
        self.calendar = calendar
        self.scale = scale
        self.counts: Counter = Counter()
        self.registers: dict[tuple[int, int, str], int] = {}
        self.issued: dict[tuple[int, int, str], set[int]] = {}

    def bulk(self, objs: list) -> list:
        if objs:
            model = type(objs[0])
            model.objects.bulk_create(objs, batch_size=BATCH)
            self.counts[model._meta.label] += len(objs)
        return objs

    def number(self, issuer: Agency, day: datetime.date, symbol: str) -> int:
        """The next number of the issuer's register for the year of `day`."""
        key = (issuer.pk, day.year, symbol)
        self.registers[key] = self.registers.get(key, 0) + 1
        self.issued.setdefault(key, set()).add(self.registers[key])
        return self.registers[key]

    def typed_number(self, issuer: Agency, day: datetime.date, symbol: str, number: int) -> int:
        """A number typed in (as the seed plan's 23): the register's last number is then it."""
        key = (issuer.pk, day.year, symbol)
        self.registers[key] = max(self.registers.get(key, 0), number)
        self.issued.setdefault(key, set()).add(number)
        return number

    def workday(self, day: datetime.date) -> datetime.date:
        """`day`, or the next working day (the calendar's own rule for "due at once")."""
        return self.calendar.add_working_days(day, 0)

    def later(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def person(self) -> tuple[str, str]:
        """(family and middle name, given name) of an invented person."""
        rng = self.rng
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)}", rng.choice(GIVEN)

    def full_name(self) -> str:
        return " ".join(self.person())

    def scaled(self, low: int, high: int, minimum: int = 2) -> int:
        """About low–high, times the scale."""
        return max(minimum, round(self.rng.randint(low, high) * self.scale))
