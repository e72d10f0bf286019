"""An official document as data, independent of what it is about and of the output format.

Every document the product issues (plan, team decision, outline letter, notices, minutes, reports)
is first turned into an `OfficialDocument`; `reports.rendering` then lays it out in the Decree
30/2020 format as PDF (WeasyPrint) and Word (python-docx) from the same data, so both files always
say the same thing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class BlockStyle(StrEnum):
    """How a body paragraph is set. Labels (I., 1., a), -) are part of the data, not computed."""

    SECTION = "section"  # "I. MỤC ĐÍCH, YÊU CẦU" — bold, capitals as given
    ITEM = "item"  # "1. Mục đích" — bold
    SUBITEM = "subitem"  # "a) Tập trung kiểm tra…" — regular
    PARAGRAPH = "paragraph"  # body text, first-line indent
    BULLET = "bullet"  # "- Cấp tỉnh: …"


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

    def __post_init__(self) -> None:
        # The two closings take the same row: a document has one or the other, never both.
        if self.signatures and (self.signature or self.recipients):
            raise ValueError(
                "A document signed by several parties (signatures) has neither a single "
                "signature nor recipients."
            )


def nd30_date(place: str, day: datetime.date | None) -> str:
    """ "Kiên Giang, ngày 06 tháng 8 năm 2023": days below 10 and months 1–2 take a leading zero.

    Without a date (a draft not yet issued) the day and month are left blank to be filled in.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_symbol(number: int | None, symbol: str) -> str:
    """ "Số: 23/KH-UBND", "Số: 05/KH-UBND"; unnumbered: "Số:      /KH-UBND"."""
    if number is None:
        return f"Số:      /{symbol}"
    return f"Số: {number:02d}/{symbol}"
