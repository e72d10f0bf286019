"""Table exports, checked on the files a user downloads: the .xlsx read back with openpyxl and the
CSV read back with the csv module. No database: a table is plain data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from reports.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Kind,
    Table,
    export_response,
    sheet_title,
    to_csv,
    to_xlsx,
)

TITLE = "Tiến độ báo cáo tự kiểm tra — KH 23/KH-UBND"
COLUMNS = [
    Column("Đơn vị"),
    Column("Số báo cáo", Kind.INTEGER),
    Column("Điểm", Kind.DECIMAL),
    Column("Tỷ lệ hoàn thành", Kind.PERCENT),
    Column("Hạn nộp", Kind.DATE),
    Column("Nộp lúc", Kind.DATETIME),
    Column("Đã duyệt", Kind.BOOLEAN),
]
# 01:30 UTC is 08:30 in Vietnam (UTC+7): the export must show the local time.
SUBMITTED = datetime(2024, 5, 31, 1, 30, tzinfo=UTC)
ROWS = [
    ["Sở Nội vụ", 1234, Decimal("87.50"), Decimal("33.3"), date(2024, 6, 15), SUBMITTED, True],
    ["UBND huyện Châu Thành", 0, 92.25, 100, date(2024, 6, 1), None, False],
    ["Sở Tư pháp", None, None, None, None, None, None],
]


def make_table(**changes: object) -> Table:
    fields: dict[str, object] = {
        "title": TITLE,
        "columns": COLUMNS,
        "rows": ROWS,
        "filename": "tien-do-23-KH-UBND",
    }
    fields.update(changes)
    return Table(**fields)  # type: ignore[arg-type]


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline="")))


# XLSX


def test_xlsx_title_and_header():
    sheet = read_xlsx(to_xlsx(make_table()))

    assert sheet["A1"].value == TITLE
    assert sheet["A1"].font.b
    assert "A1:G1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[3]] == [column.header for column in COLUMNS]
    for cell in sheet[3]:
        assert cell.font.b
        assert cell.font.color.rgb == "FFFFFFFF"
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb == "FF0B3A75"
        assert cell.alignment.wrap_text
        assert cell.alignment.horizontal == "center"
        assert cell.border.top.style == cell.border.bottom.style == "thin"
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:G6"
    assert sheet.print_title_rows == "$3:$3"


def test_xlsx_workbook_properties():
    workbook = load_workbook(io.BytesIO(to_xlsx(make_table())))

    assert workbook.properties.title == TITLE
    assert workbook.properties.creator == "Kiểm tra CCHC"


def test_xlsx_values_are_typed_and_formatted():
    sheet = read_xlsx(to_xlsx(make_table()))
    unit, count, score, rate, deadline, submitted, approved = sheet[4]

    assert unit.value == "Sở Nội vụ"
    assert count.value == 1234
    assert count.number_format == "#,##0"
    assert score.value == pytest.approx(87.5)
    assert score.number_format == "#,##0.00"
    assert rate.value == pytest.approx(0.333)
    assert "%" in rate.number_format
    assert rate.number_format == "0.0%"
    assert isinstance(deadline.value, datetime)
    assert deadline.value == datetime(2024, 6, 15)
    assert "dd/mm/yyyy" in deadline.number_format
    assert submitted.value == datetime(2024, 5, 31, 8, 30)
    assert submitted.number_format == "dd/mm/yyyy hh:mm"
    assert approved.value == "Có"

    second = sheet[5]
    assert second[1].value == 0
    assert second[3].value == pytest.approx(1.0)
    assert second[6].value == "Không"


def test_xlsx_none_is_an_empty_cell():
    sheet = read_xlsx(to_xlsx(make_table()))

    assert sheet["A6"].value == "Sở Tư pháp"
    assert [cell.value for cell in sheet[6][1:]] == [None] * 6
    assert sheet["F5"].value is None


def test_xlsx_column_widths_follow_content():
    wide = "Ủy ban nhân dân huyện Châu Thành, tỉnh Kiên Giang — văn phòng " * 3
    sheet = read_xlsx(
        to_xlsx(
            make_table(
                columns=[Column("Đơn vị"), Column("Mã", width=12), Column("Ghi chú")],
                rows=[["Sở Nội vụ", "A", wide], ["UBND huyện Châu Thành", "B", "x"]],
            )
        )
    )

    assert sheet.column_dimensions["A"].width == len("UBND huyện Châu Thành") + 2
    assert sheet.column_dimensions["B"].width == 12
    assert sheet.column_dimensions["C"].width == 60
    assert sheet["C4"].alignment.wrap_text


def test_xlsx_text_is_never_a_formula_and_control_characters_are_dropped():
    sheet = read_xlsx(
        to_xlsx(make_table(columns=[Column("Ghi chú")], rows=[["=1+1"], ["Dòng\x0bmột"]]))
    )

    assert sheet["A4"].value == "=1+1"
    assert sheet["A4"].data_type == "s"
    assert sheet["A5"].value == "Dòngmột"


def test_xlsx_date_column_given_a_datetime_shows_the_vietnam_date():
    late = datetime(2024, 5, 31, 20, 0, tzinfo=UTC)  # already 1 June in Vietnam
    sheet = read_xlsx(to_xlsx(make_table(columns=[Column("Ngày", Kind.DATE)], rows=[[late]])))

    assert sheet["A4"].value == datetime(2024, 6, 1)
    assert sheet["A4"].number_format == "dd/mm/yyyy"


def test_export_ignores_the_active_timezone():
    with timezone.override("Europe/Paris"):
        sheet = read_xlsx(to_xlsx(make_table()))

    assert sheet["F4"].value == datetime(2024, 5, 31, 8, 30)


def test_sheet_title_is_sanitised():
    title = "Tiến độ: [báo cáo] tự kiểm tra* 2024? KH 23/KH-UBND \\ toàn tỉnh"
    sheet = read_xlsx(to_xlsx(make_table(title=title)))

    assert len(sheet.title) <= 31
    assert not set(sheet.title) & set("[]:*?/\\")
    assert sheet.title.startswith("Tiến độ báo cáo tự kiểm tra")
    assert sheet["A1"].value == title  # the title line keeps every character


def test_sheet_title_edge_cases():
    assert sheet_title("Ngắn") == "Ngắn"
    assert sheet_title("'Trích dẫn'") == "Trích dẫn"
    assert sheet_title("[]:*?/\\") == "Dữ liệu"
    assert len(sheet_title("x" * 40)) == 31


def test_xlsx_single_column_without_rows():
    sheet = read_xlsx(to_xlsx(make_table(columns=[Column("Đơn vị")], rows=[])))

    assert sheet["A3"].value == "Đơn vị"
    assert sheet.auto_filter.ref == "A3:A3"
    assert not sheet.merged_cells.ranges


def test_rows_must_match_columns():
    with pytest.raises(ValueError, match="Row 2"):
        make_table(columns=[Column("A"), Column("B")], rows=[["a", "b"], ["c"]])


# CSV


def test_csv_round_trip():
    lines = read_csv(to_csv(make_table()))

    assert lines[0] == [column.header for column in COLUMNS]
    assert lines[1] == [
        "Sở Nội vụ",
        "1234",
        "87.50",
        "33.3",
        "15/06/2024",
        "31/05/2024 08:30",
        "Có",
    ]
    assert lines[2] == ["UBND huyện Châu Thành", "0", "92.25", "100", "01/06/2024", "", "Không"]
    assert lines[3] == ["Sở Tư pháp", "", "", "", "", "", ""]
    assert len(lines) == 4


def test_csv_quotes_commas_and_newlines_and_defuses_formulas():
    table = make_table(
        columns=[Column("Ghi chú")],
        rows=[["Sở Nội vụ, tỉnh Kiên Giang\nDòng hai"], ['=HYPERLINK("x")'], ["-5"]],
    )
    lines = read_csv(to_csv(table))

    assert lines[1] == ["Sở Nội vụ, tỉnh Kiên Giang\nDòng hai"]
    assert lines[2] == ['\'=HYPERLINK("x")']
    assert lines[3] == ["'-5"]


def test_csv_negative_numbers_stay_numbers():
    table = make_table(columns=[Column("Chênh lệch", Kind.INTEGER)], rows=[[-5]])

    assert read_csv(to_csv(table))[1] == ["-5"]


# Responses


def test_xlsx_response():
    response = export_response(make_table(), "xlsx")

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename=\"tien-do-23-KH-UBND.xlsx\"; filename*=UTF-8''tien-do-23-KH-UBND.xlsx"
    )
    assert read_xlsx(response.content)["A1"].value == TITLE


def test_csv_response():
    response = export_response(make_table(), "csv")

    assert response["Content-Type"] == CSV_CONTENT_TYPE == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"tien-do-23-KH-UBND.csv\"; filename*=UTF-8''tien-do-23-KH-UBND.csv"
    )
    assert read_csv(response.content)[1][0] == "Sở Nội vụ"


@pytest.mark.parametrize("fmt", ["pdf", "", "XLSX", "../xlsx"])
def test_unknown_format_is_404(fmt):
    with pytest.raises(Http404):
        export_response(make_table(), fmt)


def test_vietnamese_filename_has_ascii_fallback_and_utf8_name():
    response = export_response(make_table(filename="Tiến độ Đoàn kiểm tra 23/KH-UBND"), "csv")
    disposition = response["Content-Disposition"]

    assert disposition.isascii()
    assert 'filename="Tien-do-Doan-kiem-tra-23-KH-UBND.csv"' in disposition
    encoded = disposition.split("filename*=")[1]
    assert encoded.startswith("UTF-8''")
    assert unquote(encoded.removeprefix("UTF-8''")) == "Tiến độ Đoàn kiểm tra 23-KH-UBND.csv"
    assert " " not in encoded and '"' not in encoded


def test_filename_that_is_only_punctuation_falls_back():
    response = export_response(make_table(filename='  "/:  '), "xlsx")

    assert 'filename="export.xlsx"' in response["Content-Disposition"]
