"""Every document type of a round, built from the demo round of 2023 (the seed plan 23/KH-UBND,
two teams, visits, minutes, notices, the results report) and rendered as PDF and Word, for the
tests that read the files back. Shared by test_document_forms and test_word_parity."""

from __future__ import annotations

import html
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from reports.documents import OfficialDocument
from reports.samples import TYPES

__all__ = [
    "ALL_TYPES",
    "MM",
    "TYPES",
    "Rendered",
    "pdf_pages",
    "pdf_text",
    "render_round",
    "split_numbers",
]

MM = 72 / 25.4
# Every type, and the seed plan issued by a decision (the decision with the plan attached).
ALL_TYPES = (*TYPES, "plan_decision")


@dataclass(frozen=True)
class Rendered:
    document: OfficialDocument
    pdf: Path
    docx: Path


class _Rollback(Exception):
    pass


def build_round_documents() -> dict[str, OfficialDocument]:
    """One document of each type from the demo round (the database must hold it)."""
    from inspections.models import Plan
    from reports.samples import document_builders

    builders = document_builders(Plan.objects.get(year=2023, number=23))
    assert tuple(builders) == TYPES, tuple(builders)
    return {name: build() for name, build in builders.items()}


def _amend_the_seed_plan() -> None:
    """An issued amendment of the seed plan (the demo round has none): a department added."""
    import datetime

    from django.contrib.auth import get_user_model

    from inspections import services
    from inspections.models import Plan
    from units.models import Agency, Level

    User = get_user_model()

    plan = Plan.objects.get(year=2023, number=23)
    day = datetime.date(2023, 9, 1)
    staff, leader = User.objects.get(username="noivu"), User.objects.get(username="lanhdao")
    amendment = services.amendment_start(plan=plan, by=staff)
    services.amendment_save(
        amendment=amendment,
        version=None,
        content="Bổ sung một sở vào danh sách đối tượng kiểm tra năm 2023.",
        signer_name="Nguyễn Thanh Nhân",
    )
    department = (
        Agency.objects.filter(province_id=plan.province_id, unit__level=Level.PROVINCE)
        .exclude(kind=Agency.Kind.COMMITTEE)
        .exclude(pk__in=plan.targets.values("agency_id"))
        .valid_on(day)
        .order_by("name")
        .first()
    )
    services.amendment_target_add(amendment=amendment, agency=department, reason="Theo chỉ đạo.")
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=leader, approve=True)
    services.amendment_issue(amendment=amendment, day=day, confirm=True, by=staff)


def _plan_issued_by_decision() -> OfficialDocument:
    """The seed plan as if issued by the chairman's decision 23/QĐ-UBND (its symbol says so)."""
    from inspections.models import Plan
    from reports.plan_document import plan_document, plan_for_document

    plan = Plan.objects.get(year=2023, number=23)
    Plan.objects.filter(pk=plan.pk).update(symbol="QĐ-UBND")
    return plan_document(plan_for_document(plan.pk))


def render_round(folder: Path, blocker) -> dict[str, Rendered]:
    """Load the demo round in a transaction, render every type, and roll the round back so that
    the other tests of the session find the database as it was."""
    from reports.rendering import render_docx, render_pdf

    rendered: dict[str, Rendered] = {}
    with blocker.unblock():
        try:
            with transaction.atomic():
                call_command("load_demo_round", stdout=io.StringIO())
                _amend_the_seed_plan()
                documents = build_round_documents()
                documents["plan_decision"] = _plan_issued_by_decision()
                for name, document in documents.items():
                    pdf, docx = folder / f"{name}.pdf", folder / f"{name}.docx"
                    pdf.write_bytes(render_pdf(document))
                    docx.write_bytes(render_docx(document))
                    rendered[name] = Rendered(document, pdf, docx)
                raise _Rollback
        except _Rollback:
            pass
    return rendered


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


WORD_RE = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def body(self) -> list[Word]:
        """The words below the top margin (the page number stands in it)."""
        return [w for w in self.words if w.y_min > 19 * MM]

    def fill(self) -> float:
        """How much of the text area's height the text uses, from its top edge."""
        top = (30 if self.landscape else 20) * MM
        area = self.height - top - 20 * MM
        words = self.body()
        return (max(w.y_max for w in words) - top) / area if words else 0.0


def nfc(text: str) -> str:
    # Word's non-breaking hyphen comes out of LibreOffice as U+2011: the same "-" to a reader.
    return unicodedata.normalize("NFC", text).replace("\u2011", "-")


def pdf_pages(path: Path) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        Page(
            float(width),
            float(height),
            [
                Word(nfc(html.unescape(m[4])), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in WORD_RE.findall(body)
            ],
        )
        for width, height, body in PAGE_RE.findall(out)
    ]


def pdf_text(path: Path) -> str:
    """The text in reading order, every run of whitespace one space."""
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(nfc(out).split())


def bold_runs(path: Path) -> list[tuple[str, bool, float]]:
    """(text, set in a bold font, font size) of every text run, in the order drawn (pypdf)."""
    from pypdf import PdfReader

    runs: list[tuple[str, bool, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            name = str(font.get("/BaseFont", ""))
            runs.append((nfc(text), "Bold" in name, size * tm[0] if tm[0] else size))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


# What is left at a line's end when a number and its symbol or a date is cut: "30/", "30/TB-",
# "06/08/" (pdftotext cuts words at spaces and line ends only).
SPLIT_NUMBER = re.compile(r"\d+/(?:\w+[-/])?$")


def split_numbers(path: Path) -> list[str]:
    return [w.text for page in pdf_pages(path) for w in page.words if SPLIT_NUMBER.search(w.text)]
