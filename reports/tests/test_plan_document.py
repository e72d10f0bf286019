"""The seed plan 23/KH-UBND rendered from data: every sentence of the original, in the official
format, as PDF and as Word."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from cchc.test import client_for
from inspections.models import Plan, PlanItem, PlanStatus, PlanTarget, TargetKind
from reports.plan_document import plan_document, plan_for_document
from reports.rendering import render_docx, render_pdf
from units.models import Agency, Level

pytestmark = pytest.mark.django_db

ORIGINAL = settings.BASE_DIR / "fixtures" / "plans" / "KH-23-UBND-2023-KienGiang.txt"
# Where the product deliberately differs from the scanned original (typos and Decree 30 forms).
CORRECTIONS = {
    "Số: 23 /KH-UBND": "Số: 23/KH-UBND",
    "tháng 08 năm": "tháng 8 năm",
    "tổ chức thực kiểm tra": "tổ chức thực hiện kiểm tra",
    "Phục tra": "Phúc tra",
    "giải quyết. / *eml*": "giải quyết./.",
}
MM = 72 / 25.4


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _original_lines() -> list[str]:
    lines = []
    for line in ORIGINAL.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        for wrong, right in CORRECTIONS.items():
            line = line.replace(wrong, right)
        lines.append(_norm(line))
    return lines


@pytest.fixture(scope="module")
def seed_files(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        plan = Plan.objects.get(year=2023, number=23)
        document = plan_document(plan_for_document(plan.pk))
    return render_pdf(document), render_docx(document)


@pytest.fixture(scope="module")
def pdf_path(seed_files, tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "plan.pdf"
    path.write_bytes(seed_files[0])
    return path


def _without_page_numbers(text: str) -> str:
    """pdftotext puts the page number (alone on its line) where the page turns, inside a
    paragraph that runs on; it is not part of the text."""
    return "\n".join(line for line in text.splitlines() if not line.strip().isdigit())


def test_pdf_carries_every_line_of_the_original_in_order(pdf_path):
    """Every line of the seed, 100 %, after the corrections listed in CORRECTIONS (and in
    reports/README.md); the body in the seed's order."""
    text = _norm(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    flowing = _norm(
        _without_page_numbers(
            subprocess.run(
                ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
    )
    lines = _original_lines()
    missing = [line for line in lines if line not in flowing and line not in text]
    assert missing == []
    # From the title to the last paragraph the lines come in the seed's order.
    body = lines[lines.index("KẾ HOẠCH") : lines.index("Nơi nhận:")]
    position = 0
    for line in body:
        found = flowing.find(line, position)
        assert found >= 0, line
        position = found + len(line)


def test_pdf_signature_block_is_complete(pdf_path):
    flowing = _norm(
        subprocess.run(
            ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for line in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thanh Nhân"):
        assert line in flowing


def test_pdf_page_format(seed_files, pdf_path):
    reader = PdfReader(io.BytesIO(seed_files[0]))
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        )
    assert len(reader.pages) >= 2
    fonts = subprocess.run(
        ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def _words(pdf_path, page: int):
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(x0), float(y0), float(x1), word)
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            html,
        )
    ]


def test_left_text_edge_is_30_mm_and_page_numbers_start_on_page_2(pdf_path):
    page2 = _words(pdf_path, 2)
    left = min(x0 for x0, _y, _x1, _w in page2)
    assert abs(left - 30 * MM) <= 1 * MM
    top_of_page_2 = [w for x0, y0, x1, w in page2 if y0 < 20 * MM]
    assert top_of_page_2 == ["2"]
    top_of_page_1 = [w for x0, y0, x1, w in _words(pdf_path, 1) if y0 < 20 * MM]
    assert top_of_page_1 == []


def test_word_file_has_the_same_headings_and_margins(seed_files):
    doc = Document(io.BytesIO(seed_files[1]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert margins == [20, 20, 30, 15]
    paragraphs = [_norm(p.text) for p in doc.paragraphs]
    for heading in (
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, ĐỐI TƯỢNG, THỜI GIAN KIỂM TRA",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Mục đích",
        "2. Yêu cầu",
    ):
        assert heading in paragraphs
    body = " ".join(paragraphs)
    districts = "U Minh Thượng, Vĩnh Thuận, An Biên, Giang Thành, Kiên Lương"
    assert f"- Cấp huyện: Ủy ban nhân dân các huyện: {districts}." in body
    cells = " ".join(_norm(c.text) for t in doc.tables for row in t.rows for c in row.cells)
    assert "Số: 23/KH-UBND" in cells and "Nguyễn Thanh Nhân" in cells


# Query counts ---------------------------------------------------------------------------------


def _grow(plan: Plan, n: int) -> None:
    """n more announced targets (communes not yet targeted) and n more points of the body, each
    with placeholders that read the plan's team and standing agency."""
    day = plan.document_date
    taken = plan.targets.values_list("agency_id", flat=True)
    communes = (
        Agency.objects.valid_on(day)
        .filter(province=plan.province, kind=Agency.Kind.COMMITTEE, unit__level=Level.COMMUNE)
        .exclude(pk__in=taken)
        .order_by("unit__code")[:n]
    )
    assert len(communes) == n
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, agency=agency, kind=TargetKind.INSPECTION, order=100 + i)
        for i, agency in enumerate(communes)
    )
    section = plan.items.filter(parent=None).first()
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            parent=section,
            order=100 + i,
            heading=f"Nội dung bổ sung {i}",
            text="Thành phần: [thành phần đoàn]; thường trực: [cơ quan thường trực], năm [năm].",
        )
        for i in range(n)
    )


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_plan_document_download_query_count(fmt, extra):
    """The plan is loaded once, by the access check, and the rest in a fixed number of queries
    whatever the size of the plan (a draft: rendered at each download)."""
    plan = Plan.objects.get(year=2023, number=23)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    _grow(plan, extra)
    client = client_for("noivu")
    path = reverse(f"reports:plan-{fmt}", args=[plan.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # session, user, membership, lineage; the plan with its issuer, standing agency and their
    # units (once, by the access check); its body, its announced targets, its team's agencies
    # (2), its legal bases; the session's save (3: savepoint, update, release)
    assert len(queries) == 13
