"""Appendices (phụ lục) of an official document: wide tables after the closing, landscape where set.

Read back from the files, like test_rendering: page sizes and text from the PDF (pypdf, poppler's
pdftotext), sections and table properties from the .docx (python-docx).
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENTATION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from reports.documents import Appendix, OfficialDocument, number_symbol
from reports.rendering import cell_is_figure, is_total_row, render_docx, render_pdf
from reports.tests.test_rendering import (
    MM,
    PAGE_H,
    PAGE_W,
    TOP,
    Word,
    flat,
    nfc,
    pdf_words,
    sample_document,
)

REFERENCE = (
    "(Kèm theo Kế hoạch số 23/KH-UBND ngày 06 tháng 8 năm 2023 của Ủy ban nhân dân tỉnh Kiên Giang)"
)
WIDE_COLUMNS = [
    "STT",
    "Cơ quan, đơn vị",
    "Cấp",
    "Hình thức",
    "Thời gian",
    "Trưởng đoàn",
    "Tình trạng",
    "Ghi chú",
]
ROWS = 60


def wide_row(i: int) -> list[str]:
    return [
        str(i),
        f"Ủy ban nhân dân xã Thạnh Lộc số {i:02d}",
        "Xã",
        "Trực tiếp" if i % 2 else "Qua báo cáo",
        f"{i % 28 + 1:02d}/9/2023",
        "Lê Văn Hùng",
        "Đã kiểm tra",
        f"Dòng ghi chú {i:02d}",
    ]


def appendix_document(*, draft: bool = False) -> OfficialDocument:
    wide = Appendix(
        label="Phụ lục I",
        title="ĐỐI TƯỢNG KIỂM TRA VÀ TÌNH TRẠNG KIỂM TRA",
        columns=WIDE_COLUMNS,
        rows=[wide_row(i) for i in range(1, ROWS + 1)]
        + [["Tổng cộng", f"{ROWS} cơ quan, đơn vị", "", "", "", "", "", ""]],
        widths=[0.6, 3, 1, 1.4, 1.3, 1.6, 1.4, 1.6],
        note="Số liệu tổng hợp đến ngày 30 tháng 9 năm 2023.",
    )
    narrow = Appendix(
        label="Phụ lục II",
        title="Thành viên Đoàn kiểm tra",
        columns=["STT", "Họ và tên", "Chức vụ, đơn vị"],
        rows=[
            ["1", "Lê Văn Hùng", "Phó Giám đốc Sở Nội vụ, Trưởng đoàn"],
            ["2", "Trần Thị Mai", "Trưởng phòng Cải cách hành chính, Sở Nội vụ"],
        ],
        landscape=False,
    )
    return replace(
        sample_document(draft=draft),
        appendices=[wide, narrow],
        issuer_name="Ủy ban nhân dân tỉnh Kiên Giang",
    )


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("appendices") / "with-appendices.pdf"
    path.write_bytes(render_pdf(appendix_document()))
    return path


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def words(pdf: Path) -> list[list[Word]]:
    return pdf_words(pdf)


def appendix_pages(pages: list[str], label: str) -> list[int]:
    """Indexes of the pages from the one that opens appendix `label` to the next appendix."""
    start = next(i for i, text in enumerate(pages) if text.startswith(label + " "))
    end = next(
        (i for i, text in enumerate(pages[start + 1 :], start + 1) if text.startswith("Phụ lục")),
        len(pages),
    )
    return list(range(start, end))


# Data ---------------------------------------------------------------------------------------------


def test_reference_line_is_built_from_the_documents_own_fields() -> None:
    assert appendix_document().appendix_reference() == REFERENCE
    letter = replace(
        sample_document(),
        parent_body="UBND TỈNH KIÊN GIANG",
        issuer_lines=["SỞ NỘI VỤ"],
        issuer_name="Sở Nội vụ",
        type_name="",
        number_symbol=number_symbol(None, "SNV-CCHC"),
    )
    assert letter.appendix_reference() == (
        "(Kèm theo Công văn số      /SNV-CCHC ngày 06 tháng 8 năm 2023 của Sở Nội vụ)"
    )
    named = replace(letter, issuer_name="Sở Nội vụ tỉnh Kiên Giang")
    assert named.appendix_reference().endswith("của Sở Nội vụ tỉnh Kiên Giang)")


def test_appendix_rejects_rows_and_widths_that_do_not_fit_the_columns() -> None:
    with pytest.raises(ValueError, match="row 2 has 1 cells for 2 columns"):
        Appendix("Phụ lục I", "X", ["A", "B"], [["1", "2"], ["3"]])
    with pytest.raises(ValueError, match="widths"):
        Appendix("Phụ lục I", "X", ["A", "B"], [], widths=[1.0])
    assert Appendix("Phụ lục I", "X", ["A", "B"], [], widths=[1, 3]).column_fractions() == [
        0.25,
        0.75,
    ]


def test_total_rows_and_figure_cells() -> None:
    assert is_total_row(["Tổng cộng", "5"]) and is_total_row(["Cộng", "5"])
    assert not is_total_row(["1", "Tổng cục Thuế"]) and not is_total_row([])
    assert cell_is_figure("12") and cell_is_figure("85,5%") and cell_is_figure("06/9/2023")
    assert not cell_is_figure("Xã") and not cell_is_figure("")


# PDF ----------------------------------------------------------------------------------------------


def test_pdf_body_portrait_then_landscape_then_portrait_appendix(
    pdf: Path, pages: list[str]
) -> None:
    reader = PdfReader(pdf)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    wide, narrow = appendix_pages(pages, "Phụ lục I"), appendix_pages(pages, "Phụ lục II")
    assert len(wide) >= 2, "60 rows span several landscape pages"
    assert len(narrow) == 1
    for index, (width, height) in enumerate(sizes):
        if index in wide:
            assert (width, height) == pytest.approx((PAGE_H, PAGE_W), abs=1)
        else:
            assert (width, height) == pytest.approx((PAGE_W, PAGE_H), abs=1)
    # The document itself is unchanged: it ends with its closing, on the page before Phụ lục I.
    assert "Nguyễn Thanh Nhân" in pages[wide[0] - 1]
    assert "Phụ lục" not in " ".join(pages[: wide[0]])


def test_pdf_appendix_heading_and_reference(pages: list[str]) -> None:
    first_wide = pages[appendix_pages(pages, "Phụ lục I")[0]]
    assert first_wide.startswith(f"Phụ lục I ĐỐI TƯỢNG KIỂM TRA VÀ TÌNH TRẠNG KIỂM TRA {REFERENCE}")
    first_narrow = pages[appendix_pages(pages, "Phụ lục II")[0]]
    assert first_narrow.startswith(f"Phụ lục II THÀNH VIÊN ĐOÀN KIỂM TRA {REFERENCE}")


def test_pdf_header_row_on_every_appendix_page_and_every_row_once(
    pages: list[str],
) -> None:
    wide = appendix_pages(pages, "Phụ lục I")
    header = " ".join(WIDE_COLUMNS)
    for index in wide:
        assert header in pages[index], f"page {index + 1} lacks the header row"
    text = " ".join(pages[i] for i in wide)
    for i in range(1, ROWS + 1):
        assert text.count(f"Thạnh Lộc số {i:02d}") == 1, i
        assert f"Dòng ghi chú {i:02d}" in text
    assert "Tổng cộng 60 cơ quan, đơn vị" in text
    assert "Số liệu tổng hợp đến ngày 30 tháng 9 năm 2023." in pages[wide[-1]]
    narrow = pages[appendix_pages(pages, "Phụ lục II")[0]]
    assert "STT Họ và tên Chức vụ, đơn vị" in narrow
    assert "Trưởng phòng Cải cách hành chính, Sở Nội vụ" in narrow


def test_pdf_rows_are_not_split_across_pages(pages: list[str]) -> None:
    # A row split by a page break would leave its unit on one page and its note on the next.
    for index in appendix_pages(pages, "Phụ lục I"):
        units = re.findall(r"Thạnh Lộc số (\d\d)", pages[index])
        notes = re.findall(r"Dòng ghi chú (\d\d)", pages[index])
        assert units and units == notes, index


def test_pdf_landscape_margins_keep_the_binding_edge_at_the_top(
    words: list[list[Word]], pages: list[str]
) -> None:
    index = appendix_pages(pages, "Phụ lục I")[1]  # a continuation page: the table from the top
    body = [w for w in words[index] if w.y_min > 25 * MM]
    assert min(w.y_min for w in body) == pytest.approx(30 * MM, abs=3 * MM)
    assert min(w.x_min for w in body) == pytest.approx(20 * MM, abs=3 * MM)
    assert max(w.x_max for w in body) <= PAGE_H - 20 * MM


def test_pdf_page_numbers_continue_into_the_appendices(words: list[list[Word]]) -> None:
    assert not [w for w in words[0] if w.y_max < TOP]
    for number, page in enumerate(words[1:], start=2):
        # Landscape pages have a 30 mm top margin, portrait pages 20 mm.
        in_margin = [w.text for w in page if w.y_max < 25 * MM]
        assert in_margin == [str(number)]


def test_pdf_draft_mark_on_appendix_pages_too() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(appendix_document(draft=True))))
    assert all("DỰ THẢO" in nfc(page.extract_text()) for page in reader.pages)


# Word ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(appendix_document())))


def test_docx_one_section_per_appendix_landscape_where_set(word: docx.document.Document) -> None:
    body, wide, narrow = word.sections
    assert body.orientation == WD_ORIENTATION.PORTRAIT
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert wide.orientation == WD_ORIENTATION.LANDSCAPE
    assert (round(wide.page_width.mm), round(wide.page_height.mm)) == (297, 210)
    margins = (wide.top_margin, wide.bottom_margin, wide.left_margin, wide.right_margin)
    assert [round(m.mm) for m in margins] == [30, 20, 20, 20]
    assert narrow.orientation == WD_ORIENTATION.PORTRAIT
    assert (round(narrow.page_width.mm), round(narrow.page_height.mm)) == (210, 297)
    margins = (narrow.top_margin, narrow.bottom_margin, narrow.left_margin, narrow.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    for section in (wide, narrow):
        assert section.start_type == 2  # WD_SECTION_START.NEW_PAGE
        # The appendix's first page is numbered: only the document's page 1 is not.
        assert not section.different_first_page_header_footer
        assert "PAGE" in section.header._element.xml
        assert section.header._element.xml.count("PAGE") == 1
    # The main section is exactly as before.
    assert body.different_first_page_header_footer


def test_docx_landscape_header_centres_the_number_on_the_wide_text_area(
    word: docx.document.Document,
) -> None:
    paragraph = word.sections[1].header.paragraphs[0]
    stops = {
        round(stop.position.mm): stop.alignment.name
        for stop in paragraph.paragraph_format.tab_stops
    }
    assert stops[round(257 / 2)] == "CENTER"
    assert stops[257] == "RIGHT"
    assert stops[round(165 / 2)] == "CLEAR"


def test_docx_appendix_heading_table_and_note(word: docx.document.Document) -> None:
    texts = [nfc(p.text) for p in word.paragraphs]
    start = texts.index("Phụ lục I")
    assert texts[start + 1 : start + 3] == ["ĐỐI TƯỢNG KIỂM TRA VÀ TÌNH TRẠNG KIỂM TRA", REFERENCE]
    label, title, reference = word.paragraphs[start : start + 3]
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in (label, title))
    assert all(run.bold for p in (label, title) for run in p.runs)
    assert all(run.italic for run in reference.runs)
    note = word.paragraphs[texts.index("Số liệu tổng hợp đến ngày 30 tháng 9 năm 2023.")]
    assert all(run.italic for run in note.runs)
    assert texts.count(REFERENCE) == 2


def test_docx_appendix_table_repeats_its_header_and_holds_every_row(
    word: docx.document.Document,
) -> None:
    table = next(t for t in word.tables if nfc(t.rows[0].cells[0].text) == "STT")
    header, *body = table.rows
    assert [nfc(c.text) for c in header.cells] == WIDE_COLUMNS
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for c in header.cells for p in c.paragraphs for run in p.runs)
    assert [[nfc(c.text) for c in row.cells] for row in body[:ROWS]] == [
        wide_row(i) for i in range(1, ROWS + 1)
    ]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in body)
    sizes = {
        run.font.size
        for row in table.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
    }
    assert sizes == {Pt(12)}
    total = body[-1]
    assert nfc(total.cells[0].text) == "Tổng cộng"
    assert all(run.bold for c in total.cells for p in c.paragraphs for run in p.runs)
    assert not any(run.bold for c in body[0].cells for p in c.paragraphs for run in p.runs)
    # Full width of the landscape text area (257 mm), in the given proportions.
    widths = [c.width.mm for c in header.cells]
    assert sum(widths) == pytest.approx(257, abs=0.5)
    assert widths[1] / widths[0] == pytest.approx(5, rel=0.01)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    # Figures centred, text left.
    first = body[0].cells
    assert first[0].paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first[1].paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_docx_portrait_appendix_table_spans_the_portrait_text_area(
    word: docx.document.Document,
) -> None:
    table = word.tables[-1]
    assert [nfc(c.text) for c in table.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ, đơn vị"]
    assert sum(c.width.mm for c in table.rows[0].cells) == pytest.approx(165, abs=0.5)
    assert nfc(table.rows[2].cells[1].text) == "Trần Thị Mai"


def test_docx_without_appendices_has_one_section() -> None:
    plain = docx.Document(io.BytesIO(render_docx(sample_document())))
    assert len(plain.sections) == 1
