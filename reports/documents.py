"""An official document as data, independent of what it is about and of the output format.

Every document the product issues (plan, team decision, outline letter, notices, minutes, reports)
is first turned into an `OfficialDocument`; `reports.rendering` then lays it out in the Decree
30/2020 format as PDF (WeasyPrint) and Word (python-docx) from the same data, so both files always
say the same thing.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from units.models import local_day


class BlockStyle(StrEnum):
    """How a body paragraph is set. Labels (I., 1., a), -) are part of the data, not computed."""

    SECTION = "section"  # "I. MỤC ĐÍCH, YÊU CẦU" — bold, capitals as given
    ITEM = "item"  # "1. Mục đích" — bold
    SUBITEM = "subitem"  # "a) Tập trung kiểm tra…" — regular
    PARAGRAPH = "paragraph"  # body text, first-line indent
    BULLET = "bullet"  # "- Cấp tỉnh: …"
    ARTICLE = "article"  # "Điều 1. Thành lập …" — the label bold, the text regular
    CENTRED = "centred"  # "QUYẾT ĐỊNH:" — a centred bold line between the bases and the articles


@dataclass(frozen=True)
class Block:
    style: BlockStyle
    text: str
    label: str = ""  # "I.", "1.", "a)", "-" or ""


@dataclass(frozen=True)
class Signature:
    # e.g. ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; bold capitals, one per line
    authority_lines: list[str]
    signer_name: str  # may be empty: the name is then written by hand


@dataclass(frozen=True)
class Appendix:
    """A table attached after the closing (phụ lục), on pages of its own.

    Cells are text already formatted for print (numbers, dates, percentages); the renderer does
    not compute anything. A body row whose first cell begins with "Tổng" or "Cộng" is set bold.
    """

    label: str  # "Phụ lục I" (bold, as given)
    title: str  # "ĐỐI TƯỢNG KIỂM TRA VÀ TÌNH TRẠNG KIỂM TRA" (bold capitals)
    columns: list[str]  # header cells, repeated at the top of every page of the table
    rows: list[list[str]]  # body cells, one list per row, as many cells as columns
    widths: list[float] = field(default_factory=list)  # relative column widths; empty = equal
    landscape: bool = True  # A4 landscape for wide tables, portrait otherwise
    note: str = ""  # optional italic line under the table ("Ghi chú: …", source of the figures)
    # Text before the table (an outline's sections); an appendix of text only has no columns.
    blocks: list[Block] = field(default_factory=list)
    # Start on a new page (the first appendix always does); False lets a short table follow the
    # one before it on the same page, so that no page is left nearly empty.
    new_page: bool = True
    # The italic line under the title; empty = "(Kèm theo <document> …)" of the document.
    reference: str = ""
    # The title in capitals (a table's name); False keeps it as given (a plan's summary).
    title_upper: bool = True

    def __post_init__(self) -> None:
        if not self.columns and not self.blocks:
            raise ValueError(f"{self.label}: an appendix needs a table or text.")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"{self.label}: row {number} has {len(row)} cells for "
                    f"{len(self.columns)} columns."
                )
        if self.widths and (
            len(self.widths) != len(self.columns) or any(w <= 0 for w in self.widths)
        ):
            raise ValueError(
                f"{self.label}: widths must be one positive number per column, or empty."
            )

    def column_fractions(self) -> list[float]:
        """Each column's share of the text width, summing to 1."""
        widths = self.widths or [1.0] * len(self.columns)
        total = sum(widths)
        return [w / total for w in widths]


@dataclass(frozen=True)
class OfficialDocument:
    # Header, left column. `parent_body` is empty when the issuer is the People's Committee itself.
    parent_body: str  # "UBND TỈNH KIÊN GIANG" (regular capitals) or ""
    issuer_lines: list[str]  # ["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"] (bold capitals)
    number_symbol: str  # "Số: 23/KH-UBND"; a draft shows "Số:      /KH-UBND"
    # Header, right column.
    place_date: str  # "Kiên Giang, ngày 06 tháng 8 năm 2023" (italic)
    # Title: type name (empty for an official letter) and summary (trích yếu).
    type_name: str  # "KẾ HOẠCH"
    summary: str  # "Kiểm tra công tác cải cách hành chính năm 2023"
    bases: list[str] = field(default_factory=list)  # italic "Căn cứ …;" lines
    preamble: list[str] = field(default_factory=list)  # paragraphs before the numbered body
    blocks: list[Block] = field(default_factory=list)
    # Closing, either one signer (right) with the recipients (left) as the decree draws it, or —
    # for a document of several parties such as minutes — `signatures` side by side in equal
    # columns, left to right, with no recipients.
    signature: Signature | None = None
    recipients: list[str] = field(default_factory=list)  # "Bộ Nội vụ (để b/c);" without the "- "
    signatures: list[Signature] = field(default_factory=list)
    draft: bool = False  # marks every page "DỰ THẢO"
    title: str = ""  # file name and PDF title, e.g. "KH-23-UBND-2023"
    # Tables after the closing, each from a new page (landscape where the appendix says so).
    appendices: list[Appendix] = field(default_factory=list)
    # The issuer as named in running text, the agency's own name ("Ủy ban nhân dân tỉnh Kiên
    # Giang", "Sở Nội vụ"), for the appendices' "(Kèm theo …)" line.
    issuer_name: str = ""
    # A decision's authority line under the title ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG").
    authority: str = ""
    # The place and date line; a document whose model has none (minutes) leaves it out.
    dated: bool = True

    @property
    def is_letter(self) -> bool:
        """An official letter (công văn) has no type name; its summary ("V/v …") stands under
        the number in the header's left column."""
        return not self.type_name

    def __post_init__(self) -> None:
        # The two closings take the same row: a document has one or the other, never both.
        if self.signatures and (self.signature or self.recipients):
            raise ValueError(
                "A document signed by several parties (signatures) has neither a single "
                "signature nor recipients."
            )

    def appendix_reference(self) -> str:
        """The italic line under an appendix's title naming the document it is attached to:
        "(Kèm theo Kế hoạch số 23/KH-UBND ngày 06 tháng 8 năm 2023 của Ủy ban nhân dân tỉnh
        Kiên Giang)". An official letter (no type name) is a "Công văn"; a draft keeps the blanks
        of its number and date so that they are filled in with the header's.
        """
        kind = sentence_case(self.type_name) if self.type_name else "Công văn"
        number = re.sub(r"^Số:\s?", "", self.number_symbol)
        date = self.place_date.rpartition(", ")[2]
        return f"(Kèm theo {kind} số {number} {date} của {self.issuer_name})"


def sentence_case(text: str) -> str:
    """ "KẾ HOẠCH" → "Kế hoạch"."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    return text[:1].upper() + text[1:]


def nd30_date(place: str, day: datetime.date | None) -> str:
    """ "Kiên Giang, ngày 06 tháng 8 năm 2023": days below 10 and months 1–2 take a leading zero.

    Without a date (a draft not yet issued) the day and month are left blank to be filled in.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm"
    day = local_day(day)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def doc_date(day: datetime.date | None) -> str:
    """ "06/08/2023": the one form of a date inside a document's running text and tables (a
    date-time is taken on Vietnam's calendar)."""
    return f"{local_day(day):%d/%m/%Y}" if day else "…"


def archive_line(drafter: str, copies: int) -> str:
    """ "Lưu: VT, SNV (2b).": the records office, the drafting unit and the copies kept."""
    unit = f", {drafter}" if drafter else ""
    return f"Lưu: VT{unit} ({copies}b)."


# A number and its symbol ("30/TB-UBND", "1847/QĐ-TTg", a draft's "      /KH-UBND") or a date
# ("06/08/2023"): printed on one line, never split at its slash or hyphen. "số" before it may
# end a line, as in any text.
UNBREAKABLE = re.compile(r"(?:\d+|…|(?<=:)[ ]{2,})/\w+(?:[-/]\w+)*")


def unbreakable_parts(text: str) -> list[tuple[str, bool]]:
    """The text cut into (part, keep together) pieces, in order."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in UNBREAKABLE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def number_symbol(number: int | None, symbol: str) -> str:
    """ "Số: 23/KH-UBND", "Số: 05/KH-UBND"; unnumbered: "Số:      /KH-UBND"."""
    if number is None:
        return f"Số:      /{symbol}"
    return f"Số: {number:02d}/{symbol}"
