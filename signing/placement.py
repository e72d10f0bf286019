"""Where the signatures go on an issued PDF, found from the PDF itself (the kept bytes are what is
signed, whatever the data say today).

The closing of a document (reports/rendering, official.css) puts the signature block in the right
column, 55 % of the text width: the signer's title in bold capitals, 3 cm of room, the name. The
person's field fills that room, centred in the column; the body's seal, at its real size, covers
the left third of it (Decree 30, appendix I)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

MM = 72 / 25.4
# The page margins and closing table of official.css: left 30 mm, right 15 mm, the signature
# column the right 55 % of the text width.
LEFT_MARGIN, RIGHT_MARGIN, SIGNATURE_COLUMN = 30 * MM, 15 * MM, 0.55
PERSON_WIDTH = 56 * MM
MIN_ROOM = 2 * MM * 10  # the 3 cm of room, less a line, with some slack


@dataclass(frozen=True)
class Box:
    page: int  # 0-based
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


class NoSignatureBlock(ValueError):
    pass


def _lines(page) -> list[tuple[float, float, float, str]]:
    """(x, baseline y, size, text) of each piece of text on the page, in PDF coordinates."""
    found: list[tuple[float, float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text.strip():
            return
        _a, _b, c, d, e, f = tm
        x = e * cm[0] + f * cm[2] + cm[4]
        y = e * cm[1] + f * cm[3] + cm[5]
        found.append((x, y, abs(font_size * (c * cm[2] + d * cm[3])), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def _is_title(text: str) -> bool:
    return text == text.upper() and any(ch.isalpha() for ch in text)


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def first_attachment_page(pdf: bytes) -> int | None:
    """The 0-based page where the attachments begin (phụ lục, an outline, a plan attached to its
    decision), None for a document without any: the first page after the closing — the last
    page naming the recipients, "Nơi nhận:" — whose text says "kèm theo" (every attachment
    begins on a new page under "(Kèm theo …)" or "(Ban hành kèm theo …)")."""
    reader = PdfReader(io.BytesIO(pdf))
    texts = [_folded(page.extract_text() or "") for page in reader.pages]
    closing = max((n for n, text in enumerate(texts) if "nơi nhận:" in text), default=None)
    if closing is None:
        return None
    for number in range(closing + 1, len(texts)):
        if "kèm theo" in texts[number]:
            return number
    return None


def person_box(pdf: bytes) -> Box:
    """The room between the signer's title and name: the last title line in capitals of the
    right column followed by at least 2 cm of nothing in that column (the name, if printed, below
    it), on the pages before the attachments (their tables have capitals and room too)."""
    reader = PdfReader(io.BytesIO(pdf))
    attachments = first_attachment_page(pdf)
    pages = reader.pages[:attachments] if attachments is not None else reader.pages
    found: Box | None = None
    for number, page in enumerate(pages):
        width = float(page.mediabox.width)
        column_start = LEFT_MARGIN + (1 - SIGNATURE_COLUMN) * (width - LEFT_MARGIN - RIGHT_MARGIN)
        centre = (column_start + width - RIGHT_MARGIN) / 2
        right = sorted(
            (line for line in _lines(page) if line[0] >= column_start - 2),
            key=lambda line: -line[1],
        )
        for index, (_x, y, _size, text) in enumerate(right):
            if not _is_title(text):
                continue
            below = right[index + 1][1] if index + 1 < len(right) else None
            room_bottom = below + (right[index + 1][2] or 14) if below is not None else None
            if room_bottom is None:
                room_bottom = y - 3 * 10 * MM
            if y - 4 - room_bottom < MIN_ROOM:
                continue
            found = Box(
                number,
                centre - PERSON_WIDTH / 2,
                room_bottom,
                centre + PERSON_WIDTH / 2,
                y - 4,
            )
    if found is None:
        raise NoSignatureBlock("No signature block found")
    return found


def seal_box(person: Box, diameter_mm: float) -> Box:
    """The seal at its real size, its right edge a third into the person's signature, centred
    on it vertically."""
    side = diameter_mm * MM
    right = person.x1 + person.width / 3
    middle = (person.y1 + person.y2) / 2
    return Box(person.page, right - side, middle - side / 2, right, middle + side / 2)
