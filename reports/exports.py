"""Any table of the app downloaded as Excel (.xlsx) or CSV, with Vietnamese column titles.

A view describes its table once, as a `Table` of typed `Column`s and plain rows, and gets both
formats from `export_response`, so every list in the app exports the same way and nobody
hand-writes spreadsheets per page.

The two formats serve different readers:

* **XLSX** is for people. Values are stored as real numbers and dates (so they sort, filter and
  sum in Excel) and are shown the Vietnamese way through number formats: `dd/mm/yyyy`, `0.0%`,
  `#,##0`. The sheet carries its title, a styled header row that stays frozen while scrolling,
  an autofilter and a print set-up that repeats the header row on every page.
* **CSV** is for machines (re-import, scripts, other systems). It is UTF-8 with a BOM, because
  Excel otherwise reads Vietnamese as mojibake, and comma separated. Numbers keep a dot as decimal
  separator and no thousands separator, and a percentage is written as the number it is
  (`33.3`, not `33,3%` or `0.333`), so any program parses it without knowing Vietnamese
  conventions. Dates are `dd/mm/yyyy` and date-times `dd/mm/yyyy HH:MM`, as users read them.

Both formats show date-times in Vietnam time (Asia/Ho_Chi_Minh) whatever timezone is active for
the request: an export is an official record and must say the same thing for every reader.
Naive date-times are taken to be Vietnam wall-clock time already.

Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` …) is never executed: in the
XLSX it is stored as a typed string; in the CSV, which has no types, it gets a leading apostrophe
(OWASP's advice against CSV injection), since exported values include what users typed.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

type CellValue = str | int | Decimal | float | date | datetime | bool | None

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CREATOR = "Kiểm tra CCHC"
YES, NO = "Có", "Không"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"

# Layout of the sheet: title on row 1, a blank row, the header on row 3, data from row 4.
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 3, 4
# Column widths in characters when computed from content: wide enough for the longest value, but
# never so wide that one long text pushes the rest off screen (it wraps instead).
MIN_WIDTH, MAX_WIDTH, PADDING = 6, 60, 2
# A wrapped header is allowed to take this many characters per line before it widens its column.
HEADER_LINE = 20
# Excel's limits: sheet names and the text one cell can hold.
SHEET_TITLE_MAX = 31
CELL_TEXT_MAX = 32767

HEADER_FILL = PatternFill(fill_type="solid", fgColor="FF0B3A75")
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin", color="FF000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_FONT = Font(bold=True, size=13)

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters no file system or browser accepts in a file name (Windows is the strictest).
_FILENAME_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Characters spreadsheet programs read as the start of a formula when a CSV is opened.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    """What a column holds, which decides how its values are stored and shown."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # numbers from 0 to 100, as the app computes them
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One column: its Vietnamese title and the kind of its values.

    `width` is in characters; left as None it is computed from the content so that views do not
    have to guess.
    """

    header: str
    kind: Kind = Kind.TEXT
    width: int | None = None


@dataclass(frozen=True)
class Table:
    """A table ready for download, independent of the page it was shown on.

    `filename` is given without extension and may be Vietnamese; `export_response` derives an
    ASCII fallback from it for old clients. Rows may be lists or tuples (e.g. from
    `values_list`), one value per column.
    """

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[CellValue]]
    filename: str

    def __post_init__(self) -> None:
        # A row of the wrong length would silently shift values under the wrong titles.
        if not self.columns:
            raise ValueError("A table needs at least one column.")
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"Row {number} has {len(row)} values for {width} columns.")


def to_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook of one sheet, typed and formatted for people to read."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.title)
    workbook.properties.title = _xlsx_text(table.title)
    workbook.properties.creator = CREATOR

    columns = list(table.columns)
    last_column = get_column_letter(len(columns))
    last_row = HEADER_ROW + len(table.rows)

    widths = [_column_width(column, index, table.rows) for index, column in enumerate(columns)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    title = sheet.cell(row=TITLE_ROW, column=1, value=_xlsx_text(table.title))
    title.data_type = "s"
    title.font = TITLE_FONT
    title.alignment = Alignment(vertical="center", wrap_text=True)
    if len(columns) > 1:
        sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    # Excel does not grow merged cells to fit wrapped text, so give a long title the lines it needs.
    title_lines = math.ceil(len(table.title) * 1.2 / max(sum(widths), 1)) or 1
    sheet.row_dimensions[TITLE_ROW].height = 18 * title_lines

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_xlsx_text(column.header))
        cell.data_type = "s"
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BORDER

    text_alignment = Alignment(vertical="top", wrap_text=True)
    centred = Alignment(horizontal="center", vertical="top")
    top = Alignment(vertical="top")
    for row_index, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        for column_index, (column, raw) in enumerate(zip(columns, row, strict=True), start=1):
            value, number_format = _xlsx_value(raw, column.kind)
            cell = sheet.cell(row=row_index, column=column_index, value=value)
            cell.border = BORDER
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.alignment = centred if isinstance(raw, bool) else text_alignment
            else:
                cell.alignment = top
            if number_format:
                cell.number_format = number_format

    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    """The table as CSV for other programs: UTF-8 with BOM, header row then data, no title.

    Numbers use a dot and no grouping, percentages are the number 0–100 as given (`33.3`),
    booleans are "Có"/"Không", dates `dd/mm/yyyy`, date-times `dd/mm/yyyy HH:MM` in Vietnam time,
    and missing values are empty. See the module docstring for why.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_safe(column.header) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _csv_safe(value) if isinstance(value, str) else _text(value, column.kind)
                for column, value in zip(table.columns, row, strict=True)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def export_response(table: Table, fmt: str) -> HttpResponse:
    """A download of the table as "xlsx" or "csv"; any other format is a page that does not exist.

    `fmt` usually comes from the URL, so an unknown value is a 404 rather than a server error.
    """
    content, content_type = export_bytes(table, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(table.filename, fmt)
    return response


def export_bytes(table: Table, fmt: str) -> tuple[bytes, str]:
    """The table's file in the format ("xlsx" or "csv") and its content type."""
    if fmt == "xlsx":
        return to_xlsx(table), XLSX_CONTENT_TYPE
    if fmt == "csv":
        return to_csv(table), CSV_CONTENT_TYPE
    raise Http404(f"Unknown export format: {fmt!r}")


def safe_filename(filename: str) -> str:
    """`filename` (without extension) as every file system accepts it, Vietnamese kept."""
    name = unicodedata.normalize("NFC", filename)
    name = _FILENAME_FORBIDDEN.sub("-", name)
    return " ".join(name.split()).strip(" .") or "export"


def content_disposition(filename: str, extension: str, *, inline: bool = False) -> str:
    """The one `Content-Disposition` of every file the app sends (an attachment, or `inline`
    for a PDF the browser shows), naming the file twice: ASCII for old clients, UTF-8 (RFC
    6266/5987).

    Browsers that understand `filename*` keep the Vietnamese name; the rest get the same name
    without diacritics. Characters that no file system accepts (`/`, `:` …) become hyphens in
    both, so a plan number such as "23/KH-UBND" still makes a valid file name.
    """
    name = safe_filename(filename)
    fallback = ascii_filename(name)
    full = f"{name}.{extension}"
    disposition = "inline" if inline else "attachment"
    return (
        f'{disposition}; filename="{fallback}.{extension}"; '
        f"filename*=UTF-8''{quote(full, safe='')}"
    )


def ascii_filename(name: str) -> str:
    """`name` with Vietnamese letters reduced to plain ASCII, safe inside a quoted header value.

    Diacritics are dropped ("Tiến độ" → "Tien do"); đ/Đ have no decomposition and are mapped by
    hand; anything else outside letters, digits, dot, hyphen and underscore becomes a hyphen.
    """
    plain = name.replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(char)
    )
    plain = _NOT_ASCII_SAFE.sub("-", plain)
    plain = re.sub(r"-{2,}", "-", plain).strip("-.")
    return plain or "export"


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no `[]:*?/\\`, no surrounding apostrophes, 31 characters."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", title))
    cleaned = _SHEET_FORBIDDEN.sub(" ", cleaned)
    cleaned = " ".join(cleaned.split()).strip("'")
    cleaned = cleaned[:SHEET_TITLE_MAX].strip().strip("'")
    return cleaned or "Dữ liệu"


def _xlsx_value(value: CellValue, kind: Kind) -> tuple[CellValue, str | None]:
    """The value to store in a cell and its number format.

    The value's type decides how it is stored; the column's kind decides how numbers are shown
    and whether a date-time is cut to its date.
    """
    if value is None:
        return None, None
    if isinstance(value, bool):  # before int: bool is an int subclass
        return (YES if value else NO), None
    if isinstance(value, datetime):
        local = _vietnam_naive(value)
        if kind is Kind.DATE:
            return local.date(), DATE_FORMAT
        return local, DATETIME_FORMAT
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, int | float | Decimal):
        if not _finite(value):
            return None, None  # Excel has no NaN or infinity; an empty cell is the honest answer
        if kind is Kind.PERCENT:
            return value / 100, PERCENT_FORMAT
        if kind is Kind.DECIMAL:
            return value, DECIMAL_FORMAT
        if kind is Kind.INTEGER:
            return value, INTEGER_FORMAT
        return value, None
    if isinstance(value, str):
        return _xlsx_text(value), None
    raise TypeError(f"Cannot export a value of type {type(value).__name__}.")


def _text(value: CellValue, kind: Kind) -> str:
    """The value as plain text, in the CSV conventions (also used to size columns)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        local = _vietnam_naive(value)
        return local.strftime("%d/%m/%Y" if kind is Kind.DATE else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"Cannot export a value of type {type(value).__name__}.")


def _display(value: CellValue, kind: Kind) -> str:
    """Roughly what Excel will show for the value, to size the column."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and _finite(value):
        if kind is Kind.PERCENT:
            return f"{value:.1f}%"
        if kind is Kind.DECIMAL:
            return f"{value:,.2f}"
        if kind is Kind.INTEGER:
            return f"{value:,.0f}"
    return _text(value, kind)


def _column_width(column: Column, index: int, rows: Sequence[Sequence[CellValue]]) -> float:
    """The column's width in characters: its own, or enough for its longest value and header."""
    if column.width is not None:
        return column.width
    longest = 0
    for row in rows:
        shown = _display(row[index], column.kind)
        longest = max(longest, *(len(line) for line in shown.splitlines() or [""]))
    header_words = max((len(word) for word in column.header.split()), default=0)
    needed = max(longest, header_words, min(len(column.header), HEADER_LINE))
    return min(MAX_WIDTH, max(MIN_WIDTH, needed + PADDING))


def _vietnam_naive(value: datetime) -> datetime:
    """A date-time as Vietnam wall-clock time without tzinfo, as Excel and CSV need it."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, VIETNAM)
    return value.replace(tzinfo=None)


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def _xlsx_text(text: str) -> str:
    """Text that openpyxl can write: no control characters (pasted text carries them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_TEXT_MAX]


def _csv_safe(text: str) -> str:
    """Text that a spreadsheet opening the CSV shows as text instead of running as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text
