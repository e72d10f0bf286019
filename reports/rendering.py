"""Lay out an `OfficialDocument` in the Decree 30/2020/NĐ-CP format, as PDF and as Word.

Both outputs are built from the same `OfficialDocument`, so the PDF that is signed and the .docx
that is edited say the same thing. The PDF goes through an HTML template and WeasyPrint because
CSS paged media covers everything the decree asks for (margins, page numbers from page 2, keeping
the signature block together); the Word file is written directly with python-docx because users
edit it in Word and need real paragraphs, tables and fields rather than a converted layout.

Measurements (A4, margins 20/20/30/15 mm, body 14 pt, header 13/14 pt, recipients 11/12 pt) come
from the decree's appendix I and are kept equal in both outputs.

The closing is either the decree's recipients (left) and signature (right), or, for a document of
several parties such as minutes, the parties' signatures side by side in equal columns: captions
level at the top, names level at the bottom, all on one page.

Appendices (phụ lục) follow the closing, each from a new page: label and title in bold, the
"(Kèm theo …)" line in italics, then a full-width ruled table at 12 pt whose header row repeats on
every page and whose rows do not split. A landscape appendix turns the page but keeps the binding
edge: the portrait page's 30 mm left (binding) margin becomes the landscape page's top margin, which
is where the binding is when the sheet is turned to be read, and the other three margins are 20 mm
(inside every range the decree allows for them). Page numbers continue in the top margin.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from docx import Document
from docx.enum.section import WD_ORIENTATION, WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from reports.documents import (
    Appendix,
    Block,
    BlockStyle,
    OfficialDocument,
    Signature,
    unbreakable_parts,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.table import Table, _Cell

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_HEADING = "Nơi nhận:"

# Word renders Times New Roman; the PDF embeds Liberation Serif, which has the same metrics, so
# line breaks match and widths measured on Liberation Serif hold for Word too.
WORD_FONT = "Times New Roman"
FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
TEMPLATE = "documents/official.html"

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
HEADER_SPLIT = 0.40  # issuer column / nation column
CLOSING_SPLIT = 0.45  # recipients column / signature column
BODY_SIZE = Pt(14)
FIRST_LINE_INDENT = Cm(1)
PARAGRAPH_SPACING = Pt(6)
SIGNATURE_SPACE = Cm(3)  # room for the signature and the seal
# Parties signing side by side have half the text width each; at 13 pt (the decree allows 13–14)
# "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA" fits on one line (78 of 82 mm), at 14 pt it would not.
PARTY_AUTHORITY_SIZE = Pt(13)
LETTER_SUMMARY_SIZE = Pt(12)  # "V/v …" under a letter's number (the decree: 12–13 pt)
RULE = 6  # border width in eighths of a point: 0.75 pt, like the PDF

# Appendices. A landscape page is the portrait sheet turned a quarter, binding edge at the top.
LANDSCAPE_MARGIN_TOP = Mm(30)  # the binding edge, 30 mm like the portrait pages' left margin
LANDSCAPE_MARGIN_BOTTOM = Mm(20)
LANDSCAPE_MARGIN_LEFT = Mm(20)
LANDSCAPE_MARGIN_RIGHT = Mm(20)
LANDSCAPE_TEXT_WIDTH = Emu(PAGE_HEIGHT - LANDSCAPE_MARGIN_LEFT - LANDSCAPE_MARGIN_RIGHT)  # 257 mm
TABLE_SIZE = Pt(12)  # appendix tables, header and body; the decree allows 12–13 pt for tables
NOTE_SIZE = Pt(12)
GRID = 4  # appendix table borders in eighths of a point: 0.5 pt, like the PDF
TOTAL_PREFIXES = ("tổng", "cộng")  # a row starting so is a total, set bold
# Cells of figures only (counts, percentages, dates, "01/05") are centred; other text is left.
FIGURES = re.compile(r"[\d\s.,:;%/()+\-–—]+")

# Child order of w:tblPr and w:pPr in the WordprocessingML schema (ECMA-376 CT_TblPr, CT_PPrBase).
TBL_PR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
P_PR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


# Shared by both formats ---------------------------------------------------------------------------


# The rule under the issuing body: a third to a half of the name it underlines (Decree 30,
# appendix I); 40 % of the widest issuer line, measured on the font at 13 pt bold.
ISSUER_RULE_SHARE = 0.4
ISSUER_SIZE = 13
# Appendix table cells: 4 pt of padding each side and half-point rules, in both formats.
CELL_PADDING_PT = 4.0


def issuer_rule_width(doc: OfficialDocument) -> Emu:
    widest = max(
        (_text_width(line.upper(), size=ISSUER_SIZE, bold=True) for line in doc.issuer_lines),
        default=Emu(0),
    )
    return Emu(int(widest * ISSUER_RULE_SHARE))


def fitted_fractions(appendix: Appendix, text_width: Emu) -> list[float]:
    """Each column's share of the table, widened where needed so that its longest header word
    (bold 12 pt, plus the cell padding) fits on one line: "STT" never wraps to "ST/T". The width
    a narrow column gains is taken from the columns that have room to spare, in proportion."""
    shares = appendix.column_fractions()
    total = float(text_width)
    needed = []
    for column in appendix.columns:
        words = column.split() or [""]
        widest = max(float(_text_width(w, size=TABLE_SIZE.pt, bold=True)) for w in words)
        needed.append((widest + Pt(2 * CELL_PADDING_PT + 2)) / total)
    if sum(needed) >= 1:  # cannot all fit: give each what it needs, scaled down
        return [n / sum(needed) for n in needed]
    for _ in range(len(shares)):
        short = [i for i, s in enumerate(shares) if s < needed[i] - 1e-9]
        if not short:
            break
        lacking = sum(needed[i] - shares[i] for i in short)
        for i in short:
            shares[i] = needed[i]
        spare = {i: shares[i] - needed[i] for i in range(len(shares)) if i not in short}
        room = sum(spare.values())
        for i, extra in spare.items():
            shares[i] -= lacking * extra / room
    return shares


# U+2060 WORD JOINER: no line break on either side, nothing printed, nothing in the PDF's text.
WORD_JOINER = "\u2060"
BREAK_AFTER = re.compile(r"([/\-])")


def _joined(part: str) -> str:
    """ "23/KH-UBND" with a word joiner around each slash and hyphen (where a line may break)."""
    return BREAK_AFTER.sub(lambda m: f"{WORD_JOINER}{m.group(1)}{WORD_JOINER}", part)


def inline_html(text: str) -> SafeString:
    """Escaped text with every number-and-symbol or date kept on one line.

    Kept together by word joiners, not by an inline box: WeasyPrint breaks the line wrongly in
    the text that follows an inline box (a word left alone on a line of the minutes' opening
    paragraph). Only a draft's blank number ("Số:      /KH-UBND"), whose spaces must keep their
    width, is a box (`.nb`, white-space: pre), and it stands alone in the header's cell.
    """
    return format_html_join(
        "",
        "{}",
        (
            (
                (
                    format_html('<span class="nb">{}</span>', part)
                    if part[:1] == " "
                    else _joined(part)
                )
                if keep
                else part,
            )
            for part, keep in unbreakable_parts(text)
        ),
    )


def _block_context(block: Block) -> dict[str, Any]:
    if block.style == BlockStyle.ARTICLE and block.label:
        html = format_html("<b>{}</b> {}", block.label, inline_html(block.text))
    else:
        html = inline_html(block_line(block))
    return {"style": block.style.value, "html": html}


def block_line(block: Block) -> str:
    """The printed line of a block: its label, one space, its text.

    A bullet without a label still gets the decree's "-": the dash is what makes it a bullet.
    """
    label = block.label or ("-" if block.style == BlockStyle.BULLET else "")
    return f"{label} {block.text}" if label else block.text


def document_title(doc: OfficialDocument) -> str:
    """The title readers see in their PDF viewer or Word's properties; summary when untitled."""
    return doc.title or doc.summary or doc.type_name


def is_total_row(row: list[str]) -> bool:
    """ "Tổng cộng", "Cộng": a total row, set bold in both formats."""
    first = unicodedata.normalize("NFC", row[0]).strip().lower() if row else ""
    return first.startswith(TOTAL_PREFIXES)


def cell_is_figure(text: str) -> bool:
    """Whether a body cell holds only figures, which are centred under their heading."""
    return bool(text.strip()) and FIGURES.fullmatch(text) is not None


# PDF ----------------------------------------------------------------------------------------------


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as a PDF with Liberation Serif embedded.

    WeasyPrint is imported here rather than at module level because importing it costs most of a
    second, which every process that merely imports this module (URL conf, management commands)
    would otherwise pay.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    blocks = [_block_context(b) for b in doc.blocks]
    last_block = blocks.pop() if blocks and (doc.signature or doc.signatures) else None
    html = render_to_string(
        TEMPLATE,
        {
            "doc": doc,
            "number_html": inline_html(doc.number_symbol),
            "summary_html": inline_html(doc.summary),
            "issuer_rule_pt": f"{issuer_rule_width(doc).pt:.2f}",
            "bases": [inline_html(b) for b in doc.bases],
            "preamble": [inline_html(p) for p in doc.preamble],
            "blocks": blocks,
            "last_block": last_block,
            "recipients": [inline_html(r) for r in doc.recipients],
            "pdf_title": document_title(doc),
            "appendices": [_appendix_context(doc, appendix) for appendix in doc.appendices],
        },
    )
    page = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_static_fetcher())
    try:
        document = page.render()
        if balance := balancing_css(document):
            # Laid out again only when a table would leave a nearly empty page.
            page = HTML(
                string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_static_fetcher()
            )
            document = page.render(stylesheets=[CSS(string=balance)])
        return document.write_pdf()
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; Django only turns Exceptions into a 500 page.
        raise ImproperlyConfigured(
            f"The official document stylesheet or fonts under {STATIC_DIR} cannot be read: {error}"
        ) from error


# No page but the last may be used less than this (a fifth of the text area's height).
MIN_PAGE_FILL = 0.2
KEPT_ROWS = 3  # table rows Word keeps with the note under the table


def _page_rows(page: Any) -> tuple[list[tuple[str, float, float]], float, float, float]:
    """The appendix rows on a laid-out page as (id, top, height), the lowest content edge, and
    the page's content area (top, height), in CSS pixels."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    rows: list[tuple[str, float, float]] = []
    bottom = top
    for child in box.descendants():
        if not hasattr(child, "position_y"):
            continue
        if getattr(child, "element_tag", None) == "tr" and child.element is not None:
            row = child.element.get("data-row")
            if row:
                rows.append((row, child.position_y, child.margin_height()))
        if not getattr(child, "children", None):  # a leaf: text or an empty box
            bottom = max(bottom, child.position_y + child.margin_height())
    return rows, bottom, top, height


def balancing_css(document: Any) -> str:
    """Rules that move rows of an appendix table to its next page when that page would otherwise
    hold only a few of them: no page but the last is used less than a fifth (the issue of a
    landscape page holding one line). Empty when every page is full enough."""
    rules = []
    pages = [_page_rows(page) for page in document.pages]
    for i in range(1, len(pages) - 1):
        _rows, bottom, top, height = pages[i]
        previous = pages[i - 1][0]
        if not previous or (bottom - top) / height >= MIN_PAGE_FILL:
            continue
        # The page continues the table that ends the page before: its last rows, or its note.
        table = previous[-1][0].split("-")[0]
        before = [r for r in previous if r[0].split("-")[0] == table]
        if len(before) < 4:
            continue
        wanted = MIN_PAGE_FILL * height * 1.25 - (bottom - top)
        moved, gained = 0, 0.0
        while gained < wanted and moved < len(before) // 2:
            moved += 1
            gained += before[-moved][2]
        rules.append(f'tr[data-row="{before[-moved][0]}"] {{ break-before: page; }}')
    return "\n".join(rules)


def _appendix_context(doc: OfficialDocument, appendix: Appendix) -> dict[str, Any]:
    text_width = LANDSCAPE_TEXT_WIDTH if appendix.landscape else TEXT_WIDTH
    return {
        "label": appendix.label,
        "title": appendix.title.upper() if appendix.title_upper else appendix.title,
        "reference": inline_html(appendix.reference or doc.appendix_reference()),
        "landscape": appendix.landscape,
        "new_page": appendix.new_page or appendix is doc.appendices[0],
        "blocks": [_block_context(b) for b in appendix.blocks],
        "widths": [f"{fraction * 100:.3f}%" for fraction in fitted_fractions(appendix, text_width)]
        if appendix.columns
        else [],
        "columns": appendix.columns,
        "rows": [
            {
                "total": is_total_row(row),
                "cells": [
                    {"html": inline_html(text), "figure": cell_is_figure(text)} for text in row
                ],
            }
            for row in appendix.rows
        ],
        "note": appendix.note,
    }


def _static_fetcher() -> Any:
    """A URL fetcher that reads only files under static/ and stops the render when one is missing.

    Document text comes from users; although the template escapes it, a renderer that cannot reach
    the network or the rest of the disk cannot be turned into a request forger or a file reader.
    A missing stylesheet or font fails loudly: WeasyPrint would otherwise carry on with a fallback
    font and wrong measurements, and an official document must not go out like that. A new
    instance per render because URLFetcher keeps per-request state.
    """
    return _static_fetcher_class()(allowed_protocols=["file"], fail_on_errors=True)


@functools.cache
def _static_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    root = STATIC_DIR.resolve()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root):
                raise ValueError(f"Official documents load only files under static/, not {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


# Word ---------------------------------------------------------------------------------------------


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as an editable .docx, laid out like the PDF.

    Officers finish and sign documents in Word, so the file uses real paragraphs with the decree's
    formatting set on them (not a picture of the PDF), and the page number is a field that Word
    updates as the text grows.
    """
    word = Document()
    _set_defaults(word)
    word.core_properties.title = document_title(doc)
    word.core_properties.language = "vi-VN"
    section = word.sections[0]
    _set_page(section)
    _set_page_headers(section, draft=doc.draft)

    _add_header_table(word, doc)
    _add_title(word, doc)
    for basis in doc.bases:
        _body_paragraph(word, basis, italic=True)
    for text in doc.preamble:
        _body_paragraph(word, text)
    paragraph = None
    for block in doc.blocks:
        paragraph = _add_block(word, block)
    if paragraph is not None and (doc.signature or doc.signatures):
        # The last paragraph goes with the closing: a signature never stands alone on a page.
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
    if doc.signatures:
        _add_signatures_table(word, doc.signatures)
    elif doc.signature or doc.recipients:
        _add_closing_table(word, doc)
    landscape = False
    for i, appendix in enumerate(doc.appendices):
        _add_appendix(word, doc, appendix, first=i == 0, after_landscape=landscape)
        landscape = appendix.landscape

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_defaults(word: DocxDocument) -> None:
    """Times New Roman 14 pt, single spacing, Vietnamese, for every paragraph not set otherwise.

    python-docx's template points the default font at the theme (Calibri); theme attributes win
    over named fonts, so they are removed, and every script slot is set so that Word does not
    switch fonts on Vietnamese letters it classifies differently.
    """
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_run_fonts(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = p_pr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = word.styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = BODY_SIZE
    _set_run_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    # The template's Header style has US-Letter tab stops (3.25", 6.5"); on A4 with these margins
    # the middle and the right edge of the text area are elsewhere.
    tabs = word.styles["Header"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _set_run_fonts(r_pr: Any) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), WORD_FONT)


def _set_page(section: Section) -> None:
    section.orientation = WD_ORIENTATION.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    # The page number sits in the top margin, as in the PDF, not pushing the text down.
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)


def _set_page_headers(section: Section, *, draft: bool) -> None:
    """Page number centred at the top from page 2 on; a draft is marked on every page.

    The decree puts no number on page 1, which Word expresses as a different (here numberless)
    first-page header. One paragraph with a centre and a right tab keeps the number exactly in the
    middle of the text area whether or not the draft mark is there.
    """
    section.different_first_page_header_footer = True
    for header, numbered in ((section.header, True), (section.first_page_header, False)):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.add_run("\t")
        if numbered:
            _add_page_field(paragraph, size=Pt(13))
        if draft:
            paragraph.add_run("\t")
            mark = paragraph.add_run(DRAFT_MARK)
            mark.bold = True
            mark.font.size = Pt(12)


def _add_page_field(paragraph: Paragraph, *, size: Pt) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size.pt * 2)))
    r_pr.append(sz)
    run.append(r_pr)
    text = OxmlElement("w:t")
    text.text = "2"  # shown until Word or LibreOffice updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _add_header_table(word: DocxDocument, doc: OfficialDocument) -> None:
    left_width = Emu(int(TEXT_WIDTH * HEADER_SPLIT))
    right_width = Emu(TEXT_WIDTH - left_width)
    table = _borderless_table(word, left_width, right_width)
    issuer, nation = table.rows[0].cells
    number, place_date = table.rows[1].cells

    lines: list[tuple[str, bool]] = [(line, True) for line in doc.issuer_lines]
    if doc.parent_body:
        lines.insert(0, (doc.parent_body, False))
    for i, (text, bold) in enumerate(lines):
        paragraph = _cell_paragraph(issuer, first=i == 0)
        _run(paragraph, text.upper(), size=Pt(13), bold=bold)

    _rule(issuer, width=issuer_rule_width(doc), available=left_width)

    _run(_cell_paragraph(nation, first=True), NATION, size=Pt(13), bold=True)
    _run(_cell_paragraph(nation), MOTTO, size=Pt(14), bold=True)
    _rule(nation, width=_text_width(MOTTO, size=14, bold=True), available=right_width)

    for cell, text, size, italic in (
        (number, doc.number_symbol, Pt(13), False),
        (place_date, doc.place_date if doc.dated else "", Pt(14), True),
    ):
        paragraph = _cell_paragraph(cell, first=True)
        paragraph.paragraph_format.space_before = Pt(6)
        _run(paragraph, text, size=size, italic=italic)
    if doc.is_letter and doc.summary:
        paragraph = _cell_paragraph(number)
        paragraph.paragraph_format.space_before = Pt(3)
        _run(paragraph, doc.summary, size=LETTER_SUMMARY_SIZE)


def _add_title(word: DocxDocument, doc: OfficialDocument) -> None:
    """Type name, summary and a short rule; a decision's authority line under them. An official
    letter has none of these (its summary is in the header), only the gap before "Kính gửi"."""
    if doc.is_letter:
        gap = word.add_paragraph()
        gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        gap.paragraph_format.line_spacing = Pt(12)
        return
    first = True
    for text, upper in ((doc.type_name, True), (doc.summary, False)):
        if not text:
            continue
        paragraph = word.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_before = Pt(18) if first else Pt(0)
        fmt.keep_with_next = True
        _run(paragraph, text.upper() if upper else text, size=BODY_SIZE, bold=True)
        first = False
    rule = _rule(word, width=Cm(4), available=TEXT_WIDTH)
    rule.paragraph_format.space_after = Pt(12)
    if doc.authority:
        rule.paragraph_format.keep_with_next = True
        paragraph = word.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(12)
        fmt.keep_with_next = True
        _run(paragraph, doc.authority.upper(), size=BODY_SIZE, bold=True)


def _body_paragraph(
    word: DocxDocument, text: str, *, bold: bool = False, italic: bool = False
) -> Paragraph:
    paragraph = word.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = FIRST_LINE_INDENT
    fmt.space_after = PARAGRAPH_SPACING
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = True
    _run(paragraph, text, size=BODY_SIZE, bold=bold, italic=italic)
    return paragraph


def _add_block(word: DocxDocument, block: Block) -> Paragraph:
    """One body block: headings bold and kept with what follows; an article's label bold."""
    if block.style == BlockStyle.ARTICLE and block.label:
        paragraph = _body_paragraph(word, "")
        _run(paragraph, block.label, size=BODY_SIZE, bold=True)
        _run(paragraph, f" {block.text}", size=BODY_SIZE)
        return paragraph
    if block.style == BlockStyle.CENTRED:
        paragraph = _body_paragraph(word, block_line(block), bold=True)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        fmt.space_before = PARAGRAPH_SPACING
        fmt.keep_with_next = True
        return paragraph
    bold = block.style in (BlockStyle.SECTION, BlockStyle.ITEM)
    paragraph = _body_paragraph(word, block_line(block), bold=bold)
    if bold:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _add_closing_table(word: DocxDocument, doc: OfficialDocument) -> None:
    """Recipients left and signature right, level at the top, kept on one page.

    A row that cannot split is Word's way of saying `break-inside: avoid`; without it the
    signer's name could land alone on the next page, which the decree's layout does not allow.
    """
    left_width = Emu(int(TEXT_WIDTH * CLOSING_SPLIT))
    table = _borderless_table(word, left_width, Emu(TEXT_WIDTH - left_width), rows=1)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    recipients, signature = table.rows[0].cells

    if doc.recipients:
        heading = _cell_paragraph(recipients, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(heading, RECIPIENTS_HEADING, size=Pt(12), bold=True, italic=True)
        for recipient in doc.recipients:
            paragraph = _cell_paragraph(recipients, align=WD_ALIGN_PARAGRAPH.LEFT)
            _run(paragraph, f"- {recipient}", size=Pt(11))
    if doc.signature:
        for i, line in enumerate(doc.signature.authority_lines):
            _run(_cell_paragraph(signature, first=i == 0), line.upper(), size=BODY_SIZE, bold=True)
        name = _cell_paragraph(signature, first=not doc.signature.authority_lines)
        name.paragraph_format.space_before = SIGNATURE_SPACE
        _run(name, doc.signature.signer_name, size=BODY_SIZE, bold=True)


def _add_signatures_table(word: DocxDocument, signatures: list[Signature]) -> None:
    """The parties' signatures side by side in equal columns, captions in the first row and names
    in the second, so that the names stand level even when one caption has more lines.

    Neither row may split, and every caption paragraph keeps with the next, which Word extends to
    the row below: the captions never end a page without their names.
    """
    width = Emu(TEXT_WIDTH // len(signatures))
    widths = [width] * (len(signatures) - 1) + [Emu(TEXT_WIDTH - width * (len(signatures) - 1))]
    table = _borderless_table(word, *widths, rows=2)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    captions, names = table.rows
    for signature, caption, name in zip(signatures, captions.cells, names.cells, strict=True):
        for i, line in enumerate(signature.authority_lines or [""]):
            paragraph = _cell_paragraph(caption, first=i == 0)
            paragraph.paragraph_format.keep_with_next = True
            _run(paragraph, line.upper(), size=PARTY_AUTHORITY_SIZE, bold=True)
        paragraph = _cell_paragraph(name, first=True)
        paragraph.paragraph_format.space_before = SIGNATURE_SPACE
        _run(paragraph, signature.signer_name, size=BODY_SIZE, bold=True)


def _add_appendix(
    word: DocxDocument,
    doc: OfficialDocument,
    appendix: Appendix,
    *,
    first: bool,
    after_landscape: bool,
) -> None:
    """An appendix in a section of its own, starting a new page, landscape where it says so; one
    that may share a page (`new_page` False) and keeps the orientation of the one before just
    follows it.

    The section keeps counting pages from the one before; it has its own header (no different
    first page: its first page is not the document's) so that the number stays centred on a text
    area of another width.
    """
    text_width = LANDSCAPE_TEXT_WIDTH if appendix.landscape else TEXT_WIDTH
    if first or appendix.new_page or appendix.landscape != after_landscape:
        section = word.add_section(WD_SECTION_START.NEW_PAGE)
        _shrink_section_break(word)
        if appendix.landscape:
            section.orientation = WD_ORIENTATION.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
            section.top_margin = LANDSCAPE_MARGIN_TOP
            section.bottom_margin = LANDSCAPE_MARGIN_BOTTOM
            section.left_margin = LANDSCAPE_MARGIN_LEFT
            section.right_margin = LANDSCAPE_MARGIN_RIGHT
        else:
            _set_page(section)
        section.different_first_page_header_footer = False
        _set_section_header(section, draft=doc.draft, text_width=text_width)
        space_before = Pt(0)
    else:
        space_before = Pt(24)

    for i, (text, bold, italic) in enumerate(
        (
            (appendix.label, True, False),
            (appendix.title.upper() if appendix.title_upper else appendix.title, True, False),
            (appendix.reference or doc.appendix_reference(), False, True),
        )
    ):
        if not text:
            continue
        paragraph = word.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.keep_with_next = True
        if i == 0:
            fmt.space_before = space_before
        _run(paragraph, text, size=BODY_SIZE, bold=bold, italic=italic)
    paragraph.paragraph_format.space_after = Pt(12)
    for block in appendix.blocks:
        _add_block(word, block)

    if appendix.columns:
        table = _add_appendix_table(word, appendix, text_width)
        if appendix.note:
            # The note never stands alone on a page: the table's last rows go with it.
            for row in table.rows[-KEPT_ROWS:]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
    if appendix.note:
        note = word.add_paragraph()
        note.paragraph_format.space_before = Pt(6)
        note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(note, appendix.note, size=NOTE_SIZE, italic=True)


def _add_appendix_table(word: DocxDocument, appendix: Appendix, text_width: Emu) -> Table:
    fractions = fitted_fractions(appendix, text_width)
    widths = [Emu(int(text_width * fraction)) for fraction in fractions]
    widths[-1] = Emu(text_width - sum(widths[:-1]))
    table = _grid_table(word, widths, rows=1 + len(appendix.rows), text_width=text_width)
    header, *body = table.rows
    header_pr = header._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:cantSplit"))
    header_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    for cell, text in zip(header.cells, appendix.columns, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _run(_cell_paragraph(cell, first=True), text, size=TABLE_SIZE, bold=True)
    for row, cells in zip(body, appendix.rows, strict=True):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        bold = is_total_row(cells)
        for cell, text in zip(row.cells, cells, strict=True):
            align = WD_ALIGN_PARAGRAPH.CENTER if cell_is_figure(text) else WD_ALIGN_PARAGRAPH.LEFT
            _run(_cell_paragraph(cell, first=True, align=align), text, size=TABLE_SIZE, bold=bold)
    return table


def _shrink_section_break(word: DocxDocument) -> None:
    """Make the empty paragraph that carries the last section break one point high.

    Word ends a section with a paragraph; after a closing or a table that fills its page, a full
    14 pt empty line would spill onto a page of its own, left blank before the appendix.
    """
    carrier = word.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
    fmt = Paragraph(carrier, word._body).paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)


def _set_section_header(section: Section, *, draft: bool, text_width: Emu) -> None:
    """The appendix pages' header: the page number centred over their text area, and the draft
    mark at its right edge. The Header style's tab stops are measured on the portrait text area,
    so this paragraph clears them and sets its own."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    tabs = paragraph.paragraph_format.tab_stops
    for position in (Emu(TEXT_WIDTH // 2), TEXT_WIDTH):
        if position not in (Emu(text_width // 2), text_width):
            tabs.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Emu(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("\t")
    _add_page_field(paragraph, size=Pt(13))
    if draft:
        paragraph.add_run("\t")
        mark = paragraph.add_run(DRAFT_MARK)
        mark.bold = True
        mark.font.size = Pt(12)


def _grid_table(word: DocxDocument, widths: list[Emu], *, rows: int, text_width: Emu) -> Table:
    """A fixed layout table across the text area, every cell ruled with a thin line."""
    return _fixed_table(word, widths, rows=rows, text_width=text_width, ruled=True)


def _borderless_table(word: DocxDocument, *widths: Emu, rows: int = 2) -> Table:
    """A fixed layout table, one column per width, with no borders and no cell padding.

    Padding is removed because the nation name at 13 pt bold fills 96 of the column's 99 mm; Word's
    default 1.9 mm padding on each side would wrap it.
    """
    return _fixed_table(word, list(widths), rows=rows, text_width=TEXT_WIDTH, ruled=False)


def _fixed_table(
    word: DocxDocument, widths: list[Emu], *, rows: int, text_width: Emu, ruled: bool
) -> Table:
    table = word.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(_twips(text_width)))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if ruled:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), str(GRID))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_in_order(tbl_pr, borders, TBL_PR_ORDER)
    # No padding in the layout tables; in ruled tables the PDF's 2 pt / 4 pt (in twentieths).
    padding = (
        {"top": 40, "left": 80, "bottom": 40, "right": 80} if ruled else {"left": 0, "right": 0}
    )
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in padding.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_in_order(tbl_pr, margins, TBL_PR_ORDER)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _cell_paragraph(
    cell: _Cell, *, first: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
) -> Paragraph:
    """The cell's own empty paragraph for the first line, a new one after that."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    return paragraph


def _rule(container: Any, *, width: Emu, available: Emu) -> Paragraph:
    """A centred horizontal line `width` long: an empty, tiny paragraph with a top border, indented
    so that the border (which spans the paragraph) has the wanted length. Word has no simpler
    line that stays in the flow of text and survives editing."""
    paragraph = container.add_paragraph()
    indent = Emu(max(0, (available - width) // 2))
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.left_indent = indent
    fmt.right_indent = indent
    fmt.first_line_indent = Pt(0)
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), str(RULE))
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    _insert_in_order(paragraph._p.get_or_add_pPr(), borders, P_PR_ORDER)
    paragraph.add_run().font.size = Pt(2)
    return paragraph


def _run(
    paragraph: Paragraph, text: str, *, size: Pt, bold: bool = False, italic: bool = False
) -> None:
    """Runs of text; a number and its symbol, or a date, is kept on one line as in the PDF: its
    hyphens become Word's non-breaking hyphens (shown and copied as "-"). The slash is left as
    typed (a joiner after it would defeat searching the text); the parity test checks that
    LibreOffice keeps such numbers whole."""
    for part, keep in unbreakable_parts(text) or [("", False)]:
        run = paragraph.add_run("" if keep else part)
        run.font.size = size
        run.bold = bold or None  # None inherits, so Word users can restyle the text
        run.italic = italic or None
        if keep:
            for i, piece in enumerate(part.split("-")):
                if i:
                    run._r.append(OxmlElement("w:noBreakHyphen"))
                if piece:
                    element = OxmlElement("w:t")
                    element.text = piece
                    element.set(qn("xml:space"), "preserve")
                    run._r.append(element)


@functools.cache
def _advance_widths(bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    """Glyph advances of the vendored font, used to size rules that must match a line's length."""
    from fontTools.ttLib import TTFont

    name = {
        (False, False): "Regular",
        (True, False): "Bold",
        (False, True): "Italic",
        (True, True): "BoldItalic",
    }
    with TTFont(FONTS_DIR / f"LiberationSerif-{name[bold, italic]}.ttf", lazy=True) as font:
        metrics = font["hmtx"]
        widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        return widths, font["head"].unitsPerEm


def _text_width(text: str, *, size: float, bold: bool = False, italic: bool = False) -> Emu:
    widths, units = _advance_widths(bold, italic)
    fallback = widths.get(ord(" "), units // 2)
    points = sum(widths.get(ord(ch), fallback) for ch in text) * size / units
    return Pt(points)


def _insert_in_order(parent: Any, child: Any, sequence: tuple[str, ...]) -> None:
    """Word rejects a file whose property elements are out of schema order, so a child python-docx
    has no setter for goes before its schema successors rather than at the end."""
    name = f"{child.prefix}:{etree.QName(child).localname}"
    parent.insert_element_before(child, *sequence[sequence.index(name) + 1 :])


def _twips(length: int) -> int:
    return round(length / 635)
