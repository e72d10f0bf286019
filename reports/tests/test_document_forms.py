"""Every document type of the demo round, read back from its PDF as a civil servant reads it:
the Decree 30 elements of each model (authority line, "QUYẾT ĐỊNH:", bold articles, V/v under
the number, named parties), the rule under the issuer, the "Lưu:" line, dates, numbers never cut,
table headers never broken and no page nearly empty."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from reports.documents import BlockStyle
from reports.rendering import MIN_PAGE_FILL, NATION, _text_width, block_line
from reports.tests.round_documents import (
    ALL_TYPES,
    MM,
    TYPES,
    bold_runs,
    nfc,
    pdf_pages,
    pdf_text,
    render_round,
    split_numbers,
)

pytestmark = pytest.mark.django_db

LEFT, RIGHT = 30 * MM, (210 - 15) * MM
HEADER_SPLIT_X = LEFT + 0.4 * (RIGHT - LEFT)
# Types generated wholly from data: their dates are all in the dd/mm/yyyy form.
GENERATED = ("decision", "outline", "schedule", "minutes", "conclusion", "results")
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
ISSUED = ("plan", "plan_decision", "decision", "outline", "schedule", "conclusion", "results")


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker, tmp_path_factory):
    return render_round(tmp_path_factory.mktemp("round"), django_db_blocker)


def _rules(path, page_number: int = 0) -> list[tuple[float, float, float]]:
    """Thin filled rectangles (the rules) on a page as (x0, x1, y from the top), in points."""
    reader = PdfReader(path)
    page = reader.pages[page_number]
    height = float(page.mediabox.height)
    stream = ContentStream(page.get_contents(), reader)
    ctm = [1.0, 0, 0, 1.0, 0, 0]
    stack, found = [], []
    for operands, operator in stream.operations:
        if operator == b"q":
            stack.append(list(ctm))
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            m = ctm
            ctm = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            x0, y0 = ctm[0] * x + ctm[4], ctm[3] * y + ctm[5]
            x1, y1 = ctm[0] * (x + w) + ctm[4], ctm[3] * (y + h) + ctm[5]
            if abs(y1 - y0) <= 1.5 and abs(x1 - x0) > 10:
                rule = (round(min(x0, x1), 1), round(max(x0, x1), 1), height - max(y0, y1))
                # A border may be drawn as several rectangles on the same spot.
                if not any(r[:2] == rule[:2] and abs(r[2] - rule[2]) < 2 for r in found):
                    found.append(rule)
    return found


@pytest.mark.parametrize("name", ALL_TYPES)
def test_the_rule_under_the_issuer_is_a_third_to_a_half_of_its_name(files, name):
    document = files[name].document
    widest = max(
        float(_text_width(line.upper(), size=13, bold=True)) / 12700
        for line in document.issuer_lines
    )
    (page,) = pdf_pages(files[name].pdf)[:1]
    last_word = document.issuer_lines[-1].split()[-1]
    issuer_bottom = min(
        w.y_max for w in page.words if w.text == last_word and w.x_max < HEADER_SPLIT_X
    )
    rules = _rules(files[name].pdf)
    under_issuer = [r for r in rules if r[1] < HEADER_SPLIT_X and 0 < r[2] - issuer_bottom < 12]
    assert len(under_issuer) == 1, under_issuer
    x0, x1, _y = under_issuer[0]
    assert widest / 3 <= x1 - x0 <= widest / 2
    # Centred under the name.
    centre = (LEFT + HEADER_SPLIT_X) / 2
    assert abs((x0 + x1) / 2 - centre) < 1 * MM


@pytest.mark.parametrize("name", ALL_TYPES)
def test_no_number_or_date_is_cut_across_lines(files, name):
    assert split_numbers(files[name].pdf) == []


@pytest.mark.parametrize("name", ALL_TYPES)
def test_no_page_but_the_last_is_nearly_empty(files, name):
    pages = pdf_pages(files[name].pdf)
    fills = [round(page.fill(), 2) for page in pages]
    assert all(fill >= MIN_PAGE_FILL for fill in fills[:-1]), fills


@pytest.mark.parametrize("name", ALL_TYPES)
def test_table_header_words_are_whole(files, name):
    words = {w.text for page in pdf_pages(files[name].pdf) for w in page.words}
    for appendix in files[name].document.appendices:
        for column in appendix.columns:
            for word in column.split():
                assert word in words, (appendix.label, column)


@pytest.mark.parametrize("name", [n for n in ALL_TYPES if n != "minutes"])
def test_lưu_line_names_the_records_office_the_drafting_unit_and_copies(files, name):
    text = pdf_text(files[name].pdf)
    assert re.search(r"- Lưu: VT, [^\s,()]+ \(\d+b\)\.", text), text[-300:]


@pytest.mark.parametrize("name", GENERATED)
def test_dates_in_running_text_are_dd_mm_yyyy(files, name):
    text = pdf_text(files[name].pdf)
    assert re.findall(r"(?<![\d/])(?:\d/\d{1,2}|\d{1,2}/\d)/\d{4}\b", text) == []


@pytest.mark.parametrize("name", ALL_TYPES)
def test_no_doubled_words(files, name):
    text = pdf_text(files[name].pdf)
    assert re.findall(r"\b([^\W\d]\w*(?: \w+){0,2}) \1\b", text) == []


@pytest.mark.parametrize("name", ISSUED)
def test_an_issued_document_carries_its_number_and_date(files, name):
    (page,) = pdf_pages(files[name].pdf)[:1]
    header = " ".join(w.text for w in page.words if w.y_max < 60 * MM)
    assert re.search(r"Số: \d{2,}/[\w-]+", header), header
    assert re.search(r"ngày \d{2} tháng \d{1,2} năm \d{4}", header), header


@pytest.mark.parametrize("name", ("schedule", "minutes"))
def test_schedule_notices_and_minutes_are_numbered_in_the_team_s_registers(files, name):
    """Issued through the lifecycle (the demo round issues both): numbered, never a draft."""
    assert re.match(r"Số: \d{2,}/(TB|BB)-ĐKT$", files[name].document.number_symbol)
    assert not files[name].document.draft


# Decision forming a team ---------------------------------------------------------------------


def test_decision_has_authority_line_bases_with_dates_and_centred_bold_decides(files):
    path = files["decision"].pdf
    page = pdf_pages(path)[0]
    text = pdf_text(path)
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG" in text
    summary = text.index("Về việc thành lập")
    assert summary < text.index("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH") < text.index("Căn cứ Luật")
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;" in text
    # The authority line and "QUYẾT ĐỊNH:" are centred on the text area.
    rows: dict[int, list] = {}
    for word in page.words:
        rows.setdefault(round(word.y_min), []).append(word)
    for line in ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG", "QUYẾT ĐỊNH:"):
        (row,) = [r for r in rows.values() if " ".join(w.text for w in r) == line]
        centre = (min(w.x_min for w in row) + max(w.x_max for w in row)) / 2
        assert abs(centre - (LEFT + RIGHT) / 2) < 2 * MM, line
    runs = bold_runs(path)
    assert any(t.strip() == "QUYẾT ĐỊNH:" and bold for t, bold, _s in runs)
    for label in ("Điều 1.", "Điều 2.", "Điều 3."):
        assert any(t.strip() == label and bold for t, bold, _s in runs), label
    # The text of an article is regular.
    assert any(t.startswith(" Thành lập") and not bold for t, bold, _s in runs)


def test_decision_lists_members_by_name_title_agency_and_role_and_carries_như_điều_3(files):
    text = pdf_text(files["decision"].pdf)
    assert "1. Ông/Bà Lê Văn Hùng, Phó Giám đốc, Sở Nội vụ — Trưởng đoàn;" in text
    assert "— Thư ký." in text
    assert "- Như Điều 3;" in text
    assert text.count("cải cách hành chính năm 2023") == text.count(
        "công tác cải cách hành chính năm 2023"
    )
    assert "năm 2023 công tác" not in text


# Covering letter and outline -----------------------------------------------------------------


def test_letter_has_v_v_under_the_number_in_the_left_column_at_12_pt(files):
    path = files["outline"].pdf
    page = pdf_pages(path)[0]
    number = next(w for w in page.words if w.text == "Số:")
    vv = next(w for w in page.words if w.text == "V/v")
    assert vv.y_min > number.y_max  # under the number
    line = [w for w in page.words if abs(w.y_min - vv.y_min) < 1]
    assert max(w.x_max for w in line) < HEADER_SPLIT_X  # in the left column
    assert 11.5 <= vv.y_max - vv.y_min <= 13.5  # a 12 pt line's box, not a 14 pt title's
    assert not any(t.startswith("V/v") and bold for t, bold, _s in bold_runs(path))
    text = pdf_text(path)
    assert "Kính gửi:" in text
    assert "tự kiểm tra kiểm tra" not in text


def test_letter_states_no_deadline_before_its_own_date(files):
    text = pdf_text(files["outline"].pdf)
    for day, month, year in re.findall(r"trước ngày (\d{2})/(\d{2})/(\d{4})", text):
        assert (int(year), int(month), int(day)) >= (2023, 8, 15)


def test_outline_is_the_letters_appendix_with_content_areas_and_the_coverage_table(files):
    text = pdf_text(files["outline"].pdf)
    assert "ĐỀ CƯƠNG" in text
    assert "(Kèm theo Công văn số 01/SNV-CCHC ngày 15 tháng 8 năm 2023 của Sở Nội vụ)" in text
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Cải cách thể chế",
        "2. Cải cách thủ tục hành chính",
        "BIỂU SỐ LIỆU",
    ):
        assert heading in text, heading
    assert text.count("Số liệu:") >= 6  # figures to give under every content area
    assert "Tổng số phòng, ban, đơn vị trực thuộc" in text
    assert "Kế hoạch yêu cầu đạt từ 30% trở lên" in text


# Schedule notice -----------------------------------------------------------------------------


def test_schedule_notice_is_the_teams_own(files):
    document = files["schedule"].document
    text = pdf_text(files["schedule"].pdf)
    assert document.issuer_lines == ["ĐOÀN KIỂM TRA SỐ 1"]
    assert "TB-ĐKT" in document.number_symbol
    assert "TM. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN" in text
    assert document.title.startswith("TB-lich-kiem-tra-doan-1-")


# Minutes -------------------------------------------------------------------------------------


def test_minutes_open_with_time_and_place_and_name_both_sides(files):
    path = files["minutes"].pdf
    text = pdf_text(path)
    assert re.search(r"Hôm nay, vào lúc 08 giờ, ngày \d{2}/\d{2}/2023, tại Trụ sở ", text)
    # The header of the minutes has no place-and-date line.
    assert not re.search(r"ngày \d{2} tháng", text)
    team = text[text.index("1. Đoàn kiểm tra") : text.index("2. Đơn vị được kiểm tra")]
    for name in ("Lê Văn Hùng", "Phạm Minh Tâm", "Nguyễn Thị Thu"):
        assert f"Ông/Bà {name}, " in team, name
    unit = text[text.index("2. Đơn vị được kiểm tra") : text.index("II. NỘI DUNG")]
    assert "Ông/Bà Trần Văn Nam, Phó Giám đốc" in unit
    closing = text[text.index("ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA") :]
    assert "Trần Văn Nam" in closing and "Lê Văn Hùng" in closing


# Conclusion notice ---------------------------------------------------------------------------


def test_conclusion_lists_are_punctuated(files):
    text = pdf_text(files["conclusion"].pdf)
    assert ". (" not in text and ".)." not in text
    assert "như sau." not in text
    items = re.findall(r"- ([^-]+?)([;.])(?= -| \d\. | Nơi nhận|$)", text)
    assert items and all(mark in ";." for _t, mark in items)


# Results report ------------------------------------------------------------------------------


def test_results_report_period_comes_from_the_visit_dates(files):
    document = files["results"].document
    visits = {d for row in document.appendices[0].rows for d in DATE.findall(row[4])}
    dates = sorted(visits, key=lambda d: d.split("/")[::-1])
    text = pdf_text(files["results"].pdf)
    assert f"Từ ngày {dates[0]} đến ngày {dates[-1]}, đoàn kiểm tra đã kiểm tra" in text
    assert "từ tháng" not in text.lower()


def test_results_report_appendix_header_stt_never_wraps(files):
    words = [w.text for page in pdf_pages(files["results"].pdf) for w in page.words]
    assert "ST" not in words and words.count("STT") >= 3


def test_nation_line_stays_whole(files):
    for name in TYPES:
        assert NATION in pdf_text(files[name].pdf), name


def _page_lines(path) -> list[list[str]]:
    """Each page's lines as laid out, the page number left out."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [" ".join(line.split()) for line in page.splitlines() if line.strip()][1:]
        if i
        else [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        for i, page in enumerate(nfc(out).split("\f"))
        if page.strip()
    ]


@pytest.mark.parametrize("name", ALL_TYPES)
def test_no_heading_ends_a_page(files, name):
    document = files[name].document
    headings = [
        block_line(b)
        for b in document.blocks
        if b.style in (BlockStyle.SECTION, BlockStyle.ITEM, BlockStyle.CENTRED)
    ]
    pages = _page_lines(files[name].pdf)
    for number, lines in enumerate(pages[:-1], start=1):
        last = lines[-1]
        assert not any(h == last or h.startswith(last) for h in headings), (number, last)


@pytest.mark.parametrize("name", ALL_TYPES)
def test_the_signature_never_stands_alone_on_a_page(files, name):
    document = files[name].document
    signer = (document.signature or document.signatures[-1]).signer_name
    ending = " ".join(block_line(document.blocks[-1]).split()[-3:])
    pages = _page_lines(files[name].pdf)
    (page,) = [p for p in pages if any(signer in line for line in p)][-1:]
    assert ending in " ".join(page)


def test_the_plans_first_page_is_full(files):
    """The heading II and its first point no longer leave a third of page 1 empty."""
    assert pdf_pages(files["plan"].pdf)[0].fill() > 0.9


def test_a_plan_issued_by_decision_is_the_decision_with_the_plan_attached(files):
    path = files["plan_decision"].pdf
    text = pdf_text(path)
    for expected in (
        "Số: 23/QĐ-UBND",
        "QUYẾT ĐỊNH Về việc ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2023",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
        "Căn cứ Kế hoạch số 272/KH-UBND ngày 23/12/2022 của Ủy ban nhân dân tỉnh về công tác "
        "cải cách hành chính (CCHC) năm 2023;",
        "QUYẾT ĐỊNH: Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra công tác cải "
        "cách hành chính năm 2023.",
        "- Như Điều 3;",
        "KẾ HOẠCH Kiểm tra công tác cải cách hành chính năm 2023 (Ban hành kèm theo Quyết định "
        "số 23/QĐ-UBND ngày 06 tháng 8 năm 2023 của Chủ tịch Ủy ban nhân dân tỉnh Kiên Giang)",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Văn phòng Ủy ban nhân dân tỉnh.",
    ):
        assert expected in text, expected
    # The decision comes first and is signed; the plan starts a page of its own after it.
    pages = _page_lines(path)
    plan_page = next(i for i, p in enumerate(pages) if "KẾ HOẠCH" in p)
    assert any("Nguyễn Thanh Nhân" in line for p in pages[:plan_page] for line in p)
    assert not any("Nguyễn Thanh Nhân" in line for p in pages[plan_page:] for line in p)
    assert any(t.strip() == "Điều 1." and bold for t, bold, _s in bold_runs(path))
