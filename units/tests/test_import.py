"""Importing unit and agency lists: every bad row reported by line, nothing changed on error."""

from __future__ import annotations

import functools
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from cchc.test import KG_2023, client_for, unit
from units.models import AdministrativeUnit, Agency
from units.services import ImportRejected, agencies_import, read_table, units_import

pytestmark = pytest.mark.django_db

UNIT_HEADER = (
    "code,name,short_name,level,kind,parent_code,valid_from,valid_to,predecessor_codes,note"
)


def _rows(text: str):
    return read_table(io.BytesIO(text.encode()), "list.csv")


def _snapshot():
    return (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        AdministrativeUnit.successors.through.objects.count(),
    )


def test_import_creates_units_with_committees_and_successors():
    before = _snapshot()
    result = units_import(
        rows=_rows(
            f"{UNIT_HEADER}\n"
            "99,Tỉnh Thử Nghiệm,,Tỉnh,Tỉnh,,,31/12/2025,,\n"
            "9901,Huyện Một,,district,huyen,99,,31/12/2025,,\n"
            "99001,Xã Mới,,commune,xa,98,01/01/2026,,9901,\n"
            "98,Tỉnh Mới,,province,tinh,,01/01/2026,,99,\n"
        )
    )
    assert (result.created, result.updated) == (4, 0)
    assert _snapshot() == (before[0] + 4, before[1] + 4, before[2] + 2)
    new = AdministrativeUnit.objects.get(code="99001")
    assert new.short_name == "Mới"  # the kind is taken off the name
    assert new.province.code == "98"
    assert [p.name for p in new.predecessors.all()] == ["Huyện Một"]
    assert Agency.objects.get(unit=new).name == "Ủy ban nhân dân xã Mới"


def test_import_twice_changes_nothing_and_updates_in_place():
    text = f"{UNIT_HEADER}\n99,Tỉnh Thử Nghiệm,,province,tinh,,,,,\n"
    units_import(rows=_rows(text))
    before = _snapshot()
    again = units_import(rows=_rows(text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    renamed = units_import(rows=_rows(text.replace("Thử Nghiệm", "Đổi Tên")))
    assert renamed.updated == 1
    assert _snapshot() == before
    assert AdministrativeUnit.objects.get(code="99").name == "Tỉnh Đổi Tên"
    assert Agency.objects.get(unit__code="99").name == "Ủy ban nhân dân tỉnh Đổi Tên"


def test_every_bad_row_is_reported_and_nothing_changes():
    before = _snapshot()
    with pytest.raises(ImportRejected) as raised:
        units_import(
            rows=_rows(
                f"{UNIT_HEADER}\n"
                "99,Tỉnh Tốt,,province,tinh,,,,,\n"  # line 2 is fine, yet not saved
                "9901,Huyện Sai Cấp,,commune,huyen,99,,,,\n"  # 3: kind not of that level
                ",Xã Không Mã,,commune,xa,9901,,,,\n"  # 4: no code
                "99002,Xã Ngày Sai,,commune,xa,99,31/02/2025,,,\n"  # 5: impossible date
                "99003,Xã Cha Lạ,,commune,xa,12345,,,,\n"  # 6: unknown parent
                "99004,Xã Ngược,,commune,xa,99,01/01/2026,01/01/2025,,\n"  # 7: ends before start
                "99005,Xã Loại Lạ,,commune,lang,99,,,,\n"  # 8: unknown kind
                "99,Tỉnh Tốt,,province,tinh,,,,,\n"  # 9: duplicate of line 2
            )
        )
    lines = [e.line for e in raised.value.errors]
    assert sorted(set(lines)) == [3, 4, 5, 6, 7, 8, 9]
    messages = {e.line: e.message for e in raised.value.errors}
    assert "không thuộc cấp xã" in messages[3]
    assert "cột code trống" in messages[4]
    assert "dd/mm/yyyy" in messages[5]
    assert "không có đơn vị cấp trên mã 12345" in messages[6]
    assert "trước ngày bắt đầu" in messages[7]
    assert "Xã, Phường, Thị trấn, Đặc khu" in messages[8] or "dùng một trong" in messages[8]
    assert "trùng với dòng 2" in messages[9]
    assert str(raised.value.errors[0]).startswith("Dòng 3: ")
    assert _snapshot() == before


def test_reused_code_resolves_by_date():
    # 30742 has three records; a predecessor list resolves it the day before the new unit.
    units_import(
        rows=_rows(f"{UNIT_HEADER}\n30742,Phường Thử,,commune,phuong,91,01/07/2027,,30742,\n")
    )
    new = AdministrativeUnit.objects.get(code="30742", valid_from__year=2027)
    assert [p.name for p in new.predecessors.all()] == ["Phường Rạch Giá"]


def test_predecessor_missing_on_the_day_is_an_error():
    with pytest.raises(ImportRejected) as raised:
        units_import(rows=_rows(f"{UNIT_HEADER}\n99001,Xã Mới,,commune,xa,91,01/07/2026,,908,\n"))
    assert "không có đơn vị trước mã 908 còn hiệu lực ngày 30/06/2026" in str(raised.value)


def test_missing_columns_and_empty_file():
    with pytest.raises(ImportRejected, match="thiếu cột: kind"):
        units_import(rows=_rows("code,name,level\n1,Tỉnh A,province\n"))
    with pytest.raises(ImportRejected, match="Tệp trống"):
        _rows("")
    with pytest.raises(ImportRejected, match="không có dòng dữ liệu"):
        units_import(rows=_rows(f"{UNIT_HEADER}\n"))


def test_unreadable_files_are_refused():
    with pytest.raises(ImportRejected, match="UTF-8"):
        read_table(io.BytesIO("code\nHuyện".encode("utf-16")), "list.csv")
    with pytest.raises(ImportRejected, match=r"\.csv hoặc \.xlsx"):
        read_table(io.BytesIO(b"x"), "list.pdf")
    with pytest.raises(ImportRejected, match="Không đọc được tệp Excel"):
        read_table(io.BytesIO(b"not a zip"), "list.xlsx")


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_import_with_real_dates():
    import datetime

    data = _xlsx(
        [
            UNIT_HEADER.split(","),
            ["99", "Tỉnh Thử Nghiệm", None, "province", "tinh", None, datetime.date(2030, 1, 1)],
        ]
    )
    result = units_import(rows=read_table(io.BytesIO(data), "list.xlsx"))
    assert result.created == 1
    assert AdministrativeUnit.objects.get(code="99").valid_from == datetime.date(2030, 1, 1)


AGENCY_HEADER = (
    "unit_code,code,name,short_name,abbreviation,kind,parent,valid_from,valid_to,merged_into,note"
)


def test_agency_import_resolves_unit_parent_and_merger_by_date():
    result = agencies_import(
        rows=_rows(
            f"{AGENCY_HEADER}\n"
            "91,SMOI,Sở Mới,Mới,SM,Sở,,01/07/2025,,,\n"
            "91,SCU,Sở Cũ,Cũ,SC,department,,,30/06/2025,91/SMOI,\n"
            "91,TTM,Trung tâm Mới,,TTM,centre,91/SMOI,01/07/2025,,,\n"
        )
    )
    assert result.created == 3
    old = Agency.objects.get(code="SCU")
    assert old.unit == unit("91", KG_2023)
    assert old.merged_into.code == "SMOI"
    assert old.merged_into.unit.name == "Tỉnh An Giang"
    assert Agency.objects.get(code="TTM").parent.code == "SMOI"


def test_agency_import_reports_bad_references():
    before = _snapshot()
    with pytest.raises(ImportRejected) as raised:
        agencies_import(
            rows=_rows(
                f"{AGENCY_HEADER}\n"
                "77,SX,Sở X,,SX,department,,,,,\n"  # 2: no such unit
                "91,SY,Sở Y,,SY,department,,,30/06/2025,91/KHONGCO,\n"  # 3: unknown merger
                "91,SZ,Sở Z,,SZ,department,SNV,,,,\n"  # 4: reference without unit code
                "91,SW,Sở W,,SW,department,,,,91/SNV,\n"  # 5: merged without an end date
            )
        )
    lines = sorted({e.line for e in raised.value.errors})
    assert lines == [2, 3, 4, 5]
    assert _snapshot() == before


def test_management_command_reports_rows(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{UNIT_HEADER}\n99001,Xã,,commune,xa,12345,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2"):
        call_command("import_registry", "units", str(bad))
    good = tmp_path / "good.csv"
    good.write_text(f"{UNIT_HEADER}\n99,Tỉnh Thử,,province,tinh,,,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_registry", "units", str(good), stdout=out)
    assert "1 dòng mới" in out.getvalue()


def _upload(text: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_admin_import_shows_every_bad_row_and_changes_nothing():
    url = reverse("admin:units_administrativeunit_import")
    before = _snapshot()
    response = client_for("admin").post(
        url, {"file": _upload(f"{UNIT_HEADER}\n99001,Xã,,commune,xa,12345,,,,\n")}
    )
    assert response.status_code == 200
    assert "Dòng 2: không có đơn vị cấp trên mã 12345" in response.text
    assert _snapshot() == before


def test_admin_import_success_redirects_with_message():
    url = reverse("admin:units_administrativeunit_import")
    response = client_for("admin").post(
        url, {"file": _upload(f"{UNIT_HEADER}\n99,Tỉnh Thử,,province,tinh,,,,,\n")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:units_administrativeunit_changelist")
    assert "Đã nhập: 1 dòng mới" in response.text


def test_admin_import_refuses_other_file_types():
    response = client_for("admin").post(
        reverse("admin:units_agency_import"), {"file": _upload("x", "list.pdf")}
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in response.text


@pytest.mark.parametrize("persona", ["noivu", "lanhdao", "tuphap"])
def test_admin_import_is_for_administrators_only(persona):
    response = client_for(persona).get(reverse("admin:units_administrativeunit_import"))
    assert response.status_code == 302  # to the admin login: not staff
    assert client_for(None).get(reverse("admin:units_agency_import")).status_code == 302


# Size limits, checked before a sheet is parsed -------------------------------------------------


def _sheet_bomb(rows: int, *, columns: int = 4, dimension: bool = True) -> bytes:
    """An .xlsx written by hand whose one sheet has `rows` rows of `columns` short cells: for
    300,000 rows, under 100 KB that openpyxl would spend most of a minute reading."""
    last = chr(ord("A") + columns - 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(b'<dimension ref="A1:%s%d"/>' % (last.encode(), rows))
            sheet.write(b"<sheetData>")
            # Row and cell references are optional: without them every row is the same bytes.
            row = b"<row>" + b"<c><v>7</v></c>" * columns + b"</row>"
            for _number in range(rows):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@functools.cache
def _bomb(dimension: bool) -> bytes:
    return _sheet_bomb(300_000, dimension=dimension)


@pytest.mark.parametrize("dimension", [True, False], ids=["with dimension", "without"])
def test_admin_import_refuses_a_sheet_bomb_quickly_and_changes_nothing(dimension):
    content = _bomb(dimension)
    assert len(content) < 100 * 1024
    before = _snapshot()
    start = time.monotonic()
    response = client_for("admin").post(
        reverse("admin:units_administrativeunit_import"),
        {"file": SimpleUploadedFile("danh-muc.xlsx", content)},
    )
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert "nhiều hơn 20.000 dòng" in response.text
    assert "hãy" in response.text.lower()
    assert _snapshot() == before
    assert elapsed < 5, elapsed  # refused before parsing; reading the 300,000 rows took ~40 s


def test_row_limit_is_the_setting(settings):
    settings.IMPORT_MAX_ROWS = 3
    header = ["code", "name", "level", "kind"]
    assert len(read_table(io.BytesIO(_xlsx([header, *[["1", "a", "b", "c"]] * 3])), "l.xlsx")) == 3
    for content in (_xlsx([header, *[["1", "a", "b", "c"]] * 4]), _sheet_bomb(5)):
        with pytest.raises(ImportRejected, match="nhiều hơn 3 dòng"):
            read_table(io.BytesIO(content), "l.xlsx")
    assert len(_rows("code,name\n" + "1,a\n" * 3)) == 3
    with pytest.raises(ImportRejected, match="nhiều hơn 3 dòng"):
        _rows("code,name\n" + "1,a\n" * 4)


def test_column_limit_is_the_setting(settings):
    settings.IMPORT_MAX_COLUMNS = 5
    with pytest.raises(ImportRejected, match="nhiều hơn 5 cột"):
        read_table(io.BytesIO(_sheet_bomb(3, columns=6)), "l.xlsx")
    with pytest.raises(ImportRejected, match="nhiều hơn 5 cột"):
        read_table(io.BytesIO(_sheet_bomb(3, columns=6, dimension=False)), "l.xlsx")
    with pytest.raises(ImportRejected, match="nhiều hơn 5 cột"):
        _rows("a,b,c\n1,2,3,4,5,6\n")
    assert len(read_table(io.BytesIO(_sheet_bomb(3, columns=5)), "l.xlsx")) == 2


def test_uncompressed_size_is_checked_before_parsing(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 // 10
    with pytest.raises(ImportRejected, match="khi giải nén lớn hơn 0,1 MB"):
        read_table(io.BytesIO(_sheet_bomb(5_000, dimension=False)), "l.xlsx")


def test_file_size_limit_is_the_setting(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRejected, match="lớn hơn giới hạn"):
        _rows("code,name\n" + "1,a\n" * 300)
    response = client_for("admin").post(
        reverse("admin:units_agency_import"), {"file": _upload("code,name\n" + "1,a\n" * 300)}
    )
    assert "lớn hơn giới hạn 0,001 MB" in response.text


def test_a_huge_csv_field_is_refused_not_a_server_error():
    with pytest.raises(ImportRejected, match="CSV"):
        _rows("code,name\n1," + "a" * 200_000 + "\n")
