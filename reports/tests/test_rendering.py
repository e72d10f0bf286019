"""The Decree 30/2020 renderer, checked on the files it writes: page geometry, text, fonts, fields.

Measurements are read back from the real PDF (pypdf, and poppler's pdftotext/pdffonts, which
`make test` installs) and the real .docx (python-docx), because what matters is what the recipient
opens, not the HTML or the calls that produced it. No database: documents are plain data.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from pypdf import PdfReader

from reports.documents import (
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    nd30_date,
    number_symbol,
)
from reports.rendering import block_line, render_docx, render_pdf

MM = 72 / 25.4  # PDF points per millimetre
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
LEFT, RIGHT, TOP = 30 * MM, PAGE_W - 15 * MM, 20 * MM  # text area edges: 85.04, 552.76, 56.69
TEXT_CENTRE = (LEFT + RIGHT) / 2


def sample_document(*, draft: bool = False) -> OfficialDocument:
    """A provincial inspection plan long enough for three pages, with every block style."""
    section, item, subitem, paragraph, bullet = (
        BlockStyle.SECTION,
        BlockStyle.ITEM,
        BlockStyle.SUBITEM,
        BlockStyle.PARAGRAPH,
        BlockStyle.BULLET,
    )
    blocks = [
        Block(section, "MỤC ĐÍCH, YÊU CẦU", "I."),
        Block(item, "Mục đích", "1."),
        Block(
            subitem,
            "Tập trung kiểm tra việc triển khai thực hiện các nhiệm vụ cải cách hành chính theo "
            "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 và Kế hoạch "
            "cải cách hành chính năm 2023 của Ủy ban nhân dân tỉnh; kịp thời phát hiện những khó "
            "khăn, vướng mắc để hướng dẫn, tháo gỡ.",
            "a)",
        ),
        Block(
            subitem,
            "Đánh giá kết quả đạt được, những tồn tại, hạn chế và nguyên nhân; chấn chỉnh kỷ luật, "
            "kỷ cương hành chính, nâng cao trách nhiệm người đứng đầu cơ quan, đơn vị trong việc "
            "thực hiện nhiệm vụ cải cách hành chính, góp phần cải thiện Chỉ số cải cách hành chính "
            "(PAR INDEX) và Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) của tỉnh.",
            "b)",
        ),
        Block(item, "Yêu cầu", "2."),
        Block(
            paragraph,
            "Việc kiểm tra phải được tiến hành nghiêm túc, khách quan, đúng trọng tâm, trọng điểm, "
            "không gây khó khăn, phiền hà cho cơ quan, đơn vị được kiểm tra; kết thúc kiểm tra có "
            "thông báo kết luận, chỉ rõ ưu điểm, tồn tại, hạn chế và trách nhiệm khắc phục.",
        ),
        Block(
            paragraph,
            "Các cơ quan, đơn vị được kiểm tra chuẩn bị đầy đủ báo cáo, hồ sơ, tài liệu theo đề "
            "cương; bố trí lãnh đạo và công chức có liên quan làm việc với Đoàn kiểm tra; thực "
            "hiện nghiêm túc các kiến nghị sau kiểm tra và báo cáo kết quả khắc phục đúng thời "
            "hạn.",
        ),
        Block(section, "NỘI DUNG, ĐỐI TƯỢNG, THỜI GIAN KIỂM TRA", "II."),
        Block(item, "Nội dung kiểm tra", "1."),
        Block(
            subitem,
            "Công tác chỉ đạo, điều hành cải cách hành chính: việc ban hành kế hoạch, tuyên "
            "truyền, kiểm tra, khen thưởng; việc thực hiện chế độ báo cáo định kỳ và đột xuất; "
            "việc tự đánh giá, chấm điểm Chỉ số cải cách hành chính của cơ quan, đơn vị.",
            "a)",
        ),
        Block(
            subitem,
            "Cải cách thể chế và thủ tục hành chính: rà soát, kiểm tra văn bản quy phạm pháp luật; "
            "niêm yết, công khai thủ tục hành chính; tiếp nhận, giải quyết hồ sơ trên Hệ thống "
            "thông tin giải quyết thủ tục hành chính của tỉnh; tình trạng hồ sơ trễ hạn và việc "
            "xin lỗi người dân, doanh nghiệp.",
            "b)",
        ),
        Block(
            subitem,
            "Cải cách tổ chức bộ máy, chế độ công vụ và tài chính công: sắp xếp tổ chức, tinh giản "
            "biên chế; vị trí việc làm; tuyển dụng, sử dụng, đánh giá, xếp loại công chức, viên "
            "chức; thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập.",
            "c)",
        ),
        Block(
            subitem,
            "Xây dựng, phát triển Chính quyền điện tử, Chính quyền số: ứng dụng công nghệ thông "
            "tin, cung cấp dịch vụ công trực tuyến toàn trình, số hóa hồ sơ, kết quả giải quyết "
            "thủ tục hành chính, thanh toán trực tuyến và sử dụng chữ ký số.",
            "d)",
        ),
        Block(
            subitem,
            "Phúc tra việc khắc phục các tồn tại, hạn chế đã nêu trong thông báo kết luận kiểm tra "
            "năm 2022 tại các cơ quan, đơn vị được kiểm tra lại.",
            "đ)",
        ),
        Block(item, "Đối tượng kiểm tra", "2."),
        Block(bullet, "Cấp tỉnh: Sở Tài nguyên và Môi trường, Sở Giao thông vận tải, Sở Y tế."),
        Block(bullet, "Cấp huyện: Ủy ban nhân dân huyện Giồng Riềng, thành phố Hà Tiên.", "-"),
        Block(
            bullet,
            "Cấp xã: mỗi huyện kiểm tra 02 xã do Đoàn kiểm tra chọn ngẫu nhiên, thông báo trước "
            "01 ngày làm việc.",
            "-",
        ),
        Block(item, "Thời gian kiểm tra", "3."),
        Block(
            paragraph,
            "Từ tháng 8 đến tháng 10 năm 2023. Lịch kiểm tra cụ thể do Sở Nội vụ thông báo đến cơ "
            "quan, đơn vị được kiểm tra chậm nhất 05 ngày làm việc trước ngày kiểm tra.",
        ),
        Block(section, "TỔ CHỨC THỰC HIỆN", "III."),
        Block(
            paragraph,
            "Giao Sở Nội vụ chủ trì, phối hợp với Văn phòng Ủy ban nhân dân tỉnh, Sở Tư pháp, Sở "
            "Thông tin và Truyền thông, Sở Tài chính tham mưu Chủ tịch Ủy ban nhân dân tỉnh thành "
            "lập Đoàn kiểm tra; xây dựng đề cương báo cáo, thông báo lịch kiểm tra; tổng hợp kết "
            "quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 11 năm 2023.",
        ),
        Block(
            paragraph,
            "Thủ trưởng các cơ quan, đơn vị được kiểm tra có trách nhiệm chuẩn bị báo cáo theo đề "
            "cương, gửi về Sở Nội vụ trước ngày làm việc với Đoàn kiểm tra ít nhất 03 ngày; cung "
            "cấp đầy đủ hồ sơ, tài liệu và chịu trách nhiệm về tính chính xác của số liệu báo cáo.",
        ),
        Block(
            paragraph,
            "Kinh phí thực hiện kiểm tra được bố trí từ nguồn kinh phí cải cách hành chính năm "
            "2023 giao cho Sở Nội vụ theo quy định hiện hành về quản lý, sử dụng ngân sách nhà "
            "nước. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản "
            "ánh về Sở Nội vụ để tổng hợp, báo cáo Ủy ban nhân dân tỉnh xem xét, quyết định.",
        ),
    ]
    return OfficialDocument(
        parent_body="",
        issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"],
        number_symbol=number_symbol(23, "KH-UBND"),
        place_date=nd30_date("Kiên Giang", datetime.date(2023, 8, 6)),
        type_name="KẾ HOẠCH",
        summary="Kiểm tra công tác cải cách hành chính năm 2023",
        bases=[
            "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương "
            "trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
            "Căn cứ Kế hoạch số 258/KH-UBND ngày 29 tháng 12 năm 2022 của Ủy ban nhân dân tỉnh "
            "về cải cách hành chính năm 2023.",
        ],
        preamble=[
            "Ủy ban nhân dân tỉnh ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2023 "
            "như sau:"
        ],
        blocks=blocks,
        signature=Signature(
            authority_lines=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            signer_name="Nguyễn Thanh Nhân",
        ),
        recipients=["Bộ Nội vụ (để b/c);", "TT. Tỉnh ủy;", "Lưu: VT, bntam (1b)."],
        draft=draft,
        title="KH-23-UBND-2023",
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """NFC with every run of whitespace made one space: line breaks are layout, not text."""
    return " ".join(nfc(text).split())


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


def pdf_words(path: Path) -> list[list[Word]]:
    """Every word of every page with its box in points (origin top left), from pdftotext -bbox."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.split("<page ")[1:]
    return [
        [
            Word(nfc(html.unescape(m[4])), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
            for m in WORD_RE.findall(page)
        ]
        for page in pages
    ]


def find(words: list[Word], text: str) -> Word:
    matches = [w for w in words if w.text == text]
    assert matches, f"{text!r} not on the page"
    return matches[0]


@pytest.fixture(scope="module")
def pdf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """The sample rendered once as final and once as draft, written to disk for poppler."""
    folder = tmp_path_factory.mktemp("nd30")
    files = {}
    for draft in (False, True):
        path = folder / f"sample-{'draft' if draft else 'final'}.pdf"
        path.write_bytes(render_pdf(sample_document(draft=draft)))
        files[draft] = path
    return files


@pytest.fixture(scope="module")
def pdf(pdf_files: dict[bool, Path]) -> Path:
    return pdf_files[False]


@pytest.fixture(scope="module")
def words(pdf: Path) -> list[list[Word]]:
    return pdf_words(pdf)


# PDF ----------------------------------------------------------------------------------------------


def test_pdf_is_a4_portrait_and_runs_to_three_pages(pdf: Path) -> None:
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(PAGE_W, abs=1)
        assert float(page.mediabox.height) == pytest.approx(PAGE_H, abs=1)


def test_pdf_first_page_carries_the_header_title_and_signature(pdf: Path) -> None:
    reader = PdfReader(pdf)
    first = flat(reader.pages[0].extract_text())
    for text in (
        "Số: 23/KH-UBND",
        "Kiên Giang, ngày 06 tháng 8 năm 2023",
        "KẾ HOẠCH",
        "Kiểm tra công tác cải cách hành chính năm 2023",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "TỈNH KIÊN GIANG",
    ):
        assert text in first
    everything = flat(" ".join(page.extract_text() for page in reader.pages))
    for text in ("Nguyễn Thanh Nhân", "Nơi nhận:", "- Lưu: VT, bntam (1b).", "TM. ỦY BAN NHÂN DÂN"):
        assert text in everything


def test_pdf_vietnamese_text_round_trips(pdf: Path) -> None:
    text = flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode())
    assert "Phúc tra việc khắc phục" in text
    assert "Giồng Riềng, thành phố Hà Tiên" in text
    for block in sample_document().blocks:
        if block.style in (BlockStyle.SECTION, BlockStyle.ITEM):  # one line each: never broken
            assert flat(block_line(block)) in text


MINUTES_OPENING = (
    "Thực hiện Kế hoạch số 23/KH-UBND ngày 06/08/2023 của Ủy ban nhân dân tỉnh Kiên Giang về "
    "kiểm tra công tác cải cách hành chính năm 2023; Quyết định số 01/QĐ-UBND ngày 25/08/2023 "
    "của Chủ tịch Ủy ban nhân dân tỉnh Kiên Giang về việc thành lập Đoàn kiểm tra số 1 công "
    "tác cải cách hành chính năm 2023."
)


def test_pdf_numbers_stay_whole_without_breaking_the_lines_after_them(tmp_path: Path) -> None:
    """The minutes' opening once printed "tỉnh" alone on its line: the numbers were kept whole by
    inline boxes, after which WeasyPrint broke the line wrongly. Every line but the paragraph's
    last is full, and no number or date is split."""
    document = replace(sample_document(), preamble=[MINUTES_OPENING])
    path = tmp_path / "opening.pdf"
    path.write_bytes(render_pdf(document))
    layout = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(path), "-"], capture_output=True, text=True
    ).stdout
    start = layout.index("Thực hiện Kế hoạch")
    lines = [line.strip() for line in layout[start:].splitlines()]
    paragraph = lines[: next(i for i, line in enumerate(lines) if line.endswith("năm 2023.")) + 1]
    assert flat(" ".join(paragraph)) == flat(MINUTES_OPENING)
    assert len(paragraph) >= 3
    for line in paragraph[:-1]:
        assert len(line.split()) >= 8, f"a short line in a justified paragraph: {line!r}"
    for whole in ("23/KH-UBND", "06/08/2023", "01/QĐ-UBND", "25/08/2023"):
        assert any(whole in line for line in paragraph), whole
    assert "\u2060" not in layout  # the joiners print nothing and are not in the text


def test_pdf_text_area_is_30_mm_from_the_left_and_15_mm_from_the_right(
    words: list[list[Word]],
) -> None:
    # Page 2 is all body text: no header table, and continuation lines start at the margin.
    body = [w for w in words[1] if w.y_min > TOP]
    assert min(w.x_min for w in body) == pytest.approx(LEFT, abs=1 * MM)
    # Justified lines end on the right margin.
    assert max(w.x_max for w in body) == pytest.approx(RIGHT, abs=1 * MM)


def test_pdf_page_number_is_centred_in_the_top_margin_from_page_2(
    words: list[list[Word]],
) -> None:
    assert not [w for w in words[0] if w.y_max < TOP], "page 1 has no page number"
    for number, page in enumerate(words[1:], start=2):
        in_margin = [w for w in page if w.y_max < TOP]
        assert [w.text for w in in_margin] == [str(number)]
        mark = in_margin[0]
        assert (mark.x_min + mark.x_max) / 2 == pytest.approx(TEXT_CENTRE, abs=10)


def test_pdf_header_columns_and_closing_block_sit_where_the_decree_puts_them(
    words: list[list[Word]],
) -> None:
    first, last = words[0], words[-1]
    # Number (left column) and place/date (right column) on one line, each in its own column.
    number, place = find(first, "Số:"), find(first, "Kiên")
    assert number.y_max == pytest.approx(place.y_max, abs=2)
    assert number.x_max < LEFT + 0.4 * (RIGHT - LEFT) < place.x_min
    # The title is centred on the text area.
    title = [w for w in first if w.text in ("KẾ", "HOẠCH")]
    assert (title[0].x_min + title[-1].x_max) / 2 == pytest.approx(TEXT_CENTRE, abs=3)
    # Recipients on the left and signature on the right, level at the top.
    recipients, authority = find(last, "Nơi"), find(last, "TM.")
    assert recipients.x_min == pytest.approx(LEFT, abs=1)
    assert authority.x_min > TEXT_CENTRE
    assert recipients.y_min == pytest.approx(authority.y_min, abs=3)
    # Room for signature and seal (about 3 cm) between the last authority line and the name.
    holder, signer = find(last, "PHÓ"), find(last, "Nguyễn")
    assert signer.y_min - holder.y_max >= 25 * MM
    assert signer.x_min > TEXT_CENTRE


def test_pdf_embeds_the_vendored_liberation_serif_in_all_four_styles(pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    assert rows
    # Columns from the right: emb sub uni object-number generation (the name never has spaces).
    assert all(row[-5] == "yes" for row in rows), out.stdout
    names = {row[0].split("+", 1)[-1] for row in rows}
    # "LiberationSerif-Vendored…" can only come from the @font-face files: a system Liberation
    # Serif would be named "Liberation-Serif…".
    assert names == {
        "LiberationSerif-Vendored",
        "LiberationSerif-Vendored-Bold",
        "LiberationSerif-Vendored-Italic",
        "LiberationSerif-Vendored-Bold-Italic",
    }


def test_pdf_title_metadata(pdf: Path) -> None:
    assert PdfReader(pdf).metadata.title == "KH-23-UBND-2023"


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "https://example.com/x.css", "file:///srv/../etc/hostname"],
)
def test_pdf_renderer_reads_nothing_outside_static(url: str) -> None:
    from reports.rendering import STATIC_DIR, _static_fetcher

    fetcher = _static_fetcher()
    with pytest.raises(ValueError, match="only files under static"):
        fetcher.fetch(url)
    css = fetcher.fetch((STATIC_DIR / "documents" / "official.css").as_uri())
    assert b"@font-face" in css.read()
    css.close()


def test_pdf_draft_is_marked_on_every_page_and_final_on_none(pdf_files: dict[bool, Path]) -> None:
    draft, final = PdfReader(pdf_files[True]), PdfReader(pdf_files[False])
    assert all("DỰ THẢO" in nfc(page.extract_text()) for page in draft.pages)
    assert not any("DỰ THẢO" in nfc(page.extract_text()) for page in final.pages)


# Word ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(sample_document())))


def test_docx_page_is_a4_with_the_decree_margins(word: docx.document.Document) -> None:
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [20, 20, 30, 15]


def test_docx_page_number_field_in_the_header_but_not_on_page_1(
    word: docx.document.Document,
) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer is True
    header_xml = section.header._element.xml
    assert re.search(r'<w:fldSimple w:instr="\s*PAGE\s*"', header_xml) or re.search(
        r"<w:instrText[^>]*>\s*PAGE\s*<", header_xml
    )
    assert "PAGE" not in section.first_page_header._element.xml
    centre = next(p for p in section.header.paragraphs if "PAGE" in p._p.xml)
    assert "DỰ THẢO" not in centre.text


def test_docx_header_table_holds_issuer_number_nation_and_date(
    word: docx.document.Document,
) -> None:
    table = word.tables[0]
    issuer, nation = (nfc(cell.text) for cell in table.rows[0].cells)
    number, place = (nfc(cell.text) for cell in table.rows[1].cells)
    assert "ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG" in issuer
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in nation
    assert "Độc lập - Tự do - Hạnh phúc" in nation
    assert number == "Số: 23/KH-UBND"
    assert place == "Kiên Giang, ngày 06 tháng 8 năm 2023"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_docx_body_has_every_block_in_order_formatted_as_the_decree_says(
    word: docx.document.Document,
) -> None:
    paragraphs = word.paragraphs
    texts = [nfc(p.text) for p in paragraphs]
    assert texts.index("KẾ HOẠCH") < texts.index("Kiểm tra công tác cải cách hành chính năm 2023")
    position = -1
    for block in sample_document().blocks:
        line = nfc(block_line(block))
        position = texts.index(line, position + 1)
        paragraph = paragraphs[position]
        fmt = paragraph.paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(fmt.first_line_indent.cm, 2) == 1  # stored in twips: 567 = 1.0001 cm
        assert fmt.space_after == Pt(6)
        bold = block.style in (BlockStyle.SECTION, BlockStyle.ITEM)
        assert all(bool(run.bold) == bold for run in paragraph.runs), line
        assert all(run.font.size == Pt(14) for run in paragraph.runs)
    basis = paragraphs[texts.index(nfc(sample_document().bases[0]))]
    assert all(run.italic for run in basis.runs)


def test_docx_closing_table_puts_recipients_left_and_signature_right(
    word: docx.document.Document,
) -> None:
    table = word.tables[-1]
    recipients, signature = table.rows[0].cells
    assert nfc(recipients.text).split("\n") == [
        "Nơi nhận:",
        "- Bộ Nội vụ (để b/c);",
        "- TT. Tỉnh ủy;",
        "- Lưu: VT, bntam (1b).",
    ]
    assert nfc(signature.text).split("\n") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thanh Nhân",
    ]
    assert signature.paragraphs[-1].paragraph_format.space_before >= Cm(2.5)
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_docx_default_font_is_times_new_roman_for_every_script(
    word: docx.document.Document,
) -> None:
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    for fonts in (normal.element.rPr.rFonts, defaults.find(f".//{qn('w:rFonts')}")):
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(slot)) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would override the name


def test_docx_draft_marks_both_headers_and_title_is_set() -> None:
    drafted = docx.Document(io.BytesIO(render_docx(sample_document(draft=True))))
    section = drafted.sections[0]
    for header in (section.header, section.first_page_header):
        assert "DỰ THẢO" in nfc(" ".join(p.text for p in header.paragraphs))
    assert drafted.core_properties.title == "KH-23-UBND-2023"


def test_docx_parent_body_line_and_letter_without_type_name() -> None:
    letter = replace(
        sample_document(),
        parent_body="UBND TỈNH KIÊN GIANG",
        issuer_lines=["SỞ NỘI VỤ"],
        type_name="",
        number_symbol=number_symbol(None, "SNV-TTr"),
    )
    word = docx.Document(io.BytesIO(render_docx(letter)))
    issuer, number = word.tables[0].rows[0].cells[0], word.tables[0].rows[1].cells[0]
    assert nfc(issuer.text).startswith("UBND TỈNH KIÊN GIANG\nSỞ NỘI VỤ")
    assert not issuer.paragraphs[0].runs[0].bold
    number_line, summary_line = number.paragraphs
    assert number_line.text == "Số:      /SNV-TTr"  # the blanks are kept for the number by hand
    # A letter's summary stands under its number in the left column, 12 pt, not as a title.
    assert summary_line.text == letter.summary
    assert all(run.font.size == Pt(12) and not run.bold for run in summary_line.runs)
    assert summary_line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    paragraphs = [p.text for p in word.paragraphs]
    assert "KẾ HOẠCH" not in paragraphs and letter.summary not in paragraphs


# Shared helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "line"),
    [
        (Block(BlockStyle.SECTION, "MỤC ĐÍCH, YÊU CẦU", "I."), "I. MỤC ĐÍCH, YÊU CẦU"),
        (Block(BlockStyle.SUBITEM, "Tập trung", "a)"), "a) Tập trung"),
        (Block(BlockStyle.PARAGRAPH, "Văn bản"), "Văn bản"),
        (Block(BlockStyle.BULLET, "Cấp tỉnh"), "- Cấp tỉnh"),
        (Block(BlockStyle.BULLET, "Cấp xã", "+"), "+ Cấp xã"),
    ],
)
def test_block_line_is_label_space_text(block: Block, line: str) -> None:
    assert block_line(block) == line


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 8, 6), "Kiên Giang, ngày 06 tháng 8 năm 2023"),
        (datetime.date(2024, 1, 9), "Kiên Giang, ngày 09 tháng 01 năm 2024"),
        (datetime.date(2024, 2, 29), "Kiên Giang, ngày 29 tháng 02 năm 2024"),
        (datetime.date(2023, 3, 1), "Kiên Giang, ngày 01 tháng 3 năm 2023"),
        (datetime.date(2023, 12, 15), "Kiên Giang, ngày 15 tháng 12 năm 2023"),
        (None, "Kiên Giang, ngày      tháng      năm"),
    ],
)
def test_nd30_date(day: datetime.date | None, expected: str) -> None:
    assert nd30_date("Kiên Giang", day) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (5, "Số: 05/KH-UBND"),
        (23, "Số: 23/KH-UBND"),
        (123, "Số: 123/KH-UBND"),
        (None, "Số:      /KH-UBND"),
    ],
)
def test_number_symbol(number: int | None, expected: str) -> None:
    assert number_symbol(number, "KH-UBND") == expected


# Several parties signing side by side (minutes) ---------------------------------------------------

UNIT_SIDE = Signature(
    ["ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA", "PHÓ CHỦ TỊCH UBND HUYỆN"], "Nguyễn Văn Hòa"
)
TEAM_SIDE = Signature(["TRƯỞNG ĐOÀN KIỂM TRA"], "Lê Văn Hùng")


def parties_document(lines: int = 3) -> OfficialDocument:
    """Minutes in short: a body of `lines` one-line bullets, and both parties' signatures."""
    return OfficialDocument(
        parent_body="UBND TỈNH KIÊN GIANG",
        issuer_lines=["ĐOÀN KIỂM TRA"],
        number_symbol=number_symbol(None, "BB-ĐKT"),
        place_date=nd30_date("An Biên", datetime.date(2024, 2, 5)),
        type_name="BIÊN BẢN",
        summary="Kiểm tra công tác cải cách hành chính năm 2023",
        blocks=[Block(BlockStyle.BULLET, f"Dòng {i + 1}.", "-") for i in range(lines)],
        signatures=[UNIT_SIDE, TEAM_SIDE],
        title="BB-kiem-tra",
    )


def test_signatures_exclude_the_single_signature_and_recipients() -> None:
    with pytest.raises(ValueError, match="several parties"):
        replace(sample_document(), signatures=[UNIT_SIDE, TEAM_SIDE])
    with pytest.raises(ValueError, match="several parties"):
        replace(parties_document(), recipients=["Lưu: VT."])


def test_pdf_parties_sign_side_by_side_captions_and_names_level(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(render_pdf(parties_document()))
    (page,) = pdf_words(path)
    unit, lead = find(page, "ĐẠI"), find(page, "TRƯỞNG")
    assert unit.y_min == pytest.approx(lead.y_min, abs=1)  # level at the top
    assert unit.x_max < TEXT_CENTRE < lead.x_min
    # The 13 pt caption stays on one line in its half of the text area.
    line = [w.text for w in page if abs(w.y_min - unit.y_min) < 1 and w.x_max < TEXT_CENTRE]
    assert " ".join(line) == "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA"
    hoa, hung = find(page, "Hòa"), find(page, "Hùng")
    assert hoa.y_min == pytest.approx(hung.y_min, abs=1)  # names level although captions differ
    assert hoa.y_min - find(page, "HUYỆN").y_max >= 25 * MM
    assert hoa.x_max < TEXT_CENTRE < hung.x_min
    assert not [w for w in page if w.text == "Nơi"]


def test_pdf_parties_captions_never_leave_their_names_or_the_last_line_on_another_page() -> None:
    pushed = False
    for lines in range(16, 32):  # a sweep that moves the closing across the end of page 1
        reader = PdfReader(io.BytesIO(render_pdf(parties_document(lines))))
        texts = [nfc(page.extract_text()) for page in reader.pages]
        caption = next(i for i, text in enumerate(texts) if "TRƯỞNG ĐOÀN" in text)
        name = next(i for i, text in enumerate(texts) if "Lê Văn Hùng" in text)
        last = next(i for i, text in enumerate(texts) if f"Dòng {lines}." in text)
        assert caption == name == last, lines  # the signatures never stand alone on a page
        pushed = pushed or caption == 1
    assert pushed, "the sweep never made the closing move to page 2"


def test_docx_parties_table_has_captions_then_names_kept_together() -> None:
    word = docx.Document(io.BytesIO(render_docx(parties_document())))
    table = word.tables[-1]
    captions, names = table.rows
    assert [nfc(c.text).split("\n") for c in captions.cells] == [
        ["ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA", "PHÓ CHỦ TỊCH UBND HUYỆN"],
        ["TRƯỞNG ĐOÀN KIỂM TRA"],
    ]
    assert [nfc(c.text) for c in names.cells] == ["Nguyễn Văn Hòa", "Lê Văn Hùng"]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    for cell in captions.cells:
        assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)
        assert all(run.font.size == Pt(13) and run.bold for p in cell.paragraphs for run in p.runs)
    for cell in names.cells:
        assert cell.paragraphs[0].paragraph_format.space_before >= Cm(2.5)
    widths = [round(cell.width.mm) for cell in captions.cells]
    assert widths == [82, 82] or widths == [83, 82] or widths == [82, 83]
    assert "Nơi nhận:" not in " ".join(cell.text for row in table.rows for cell in row.cells)
