"""The file side of the import framework, without the database: the gate, decoding,
readers, formula detection, cell values, and export escaping."""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib
from decimal import Decimal

import docx
import openpyxl
import pytest
import xlsxwriter

from gongxin.core.imports import formulas, gate, readers, values
from gongxin.core.imports.decoding import decode_text
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.reports.xlsx import escape_cell, table_xlsx

ALL = ("xlsx", "xls", "csv", "txt", "docx")


# --- Builders: every test file is made here, nothing binary is committed ---------------------


def xlsx(rows, *, title="Sheet1") -> bytes:
    """An .xlsx written by openpyxl; a cell text starting with "=" is a formula, which
    openpyxl saves without a cached value."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def raw_zip(entries) -> bytes:
    """A zip built by hand from (name, deflated bytes, crc, declared size) — so a test can
    declare what it likes."""
    out, central = io.BytesIO(), []
    for name, packed, crc, size in entries:
        offset, encoded = out.tell(), name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                *(b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0),
            )
        )
        out.write(encoded + packed)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                *(b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), size),
                *(len(encoded), 0, 0, 0, 0, 0, offset),
            )
            + encoded
        )
    start, directory = out.tell(), b"".join(central)
    out.write(directory)
    count = len(central)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def entry(name: str, data: bytes):
    return (name, deflate(data), zlib.crc32(data), len(data))


WORKBOOK_PARTS = [
    entry("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    entry(
        "xl/workbook.xml",
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    entry(
        "xl/_rels/workbook.xml.rels",
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
    ),
]


def zip_bomb_xlsx(declared_mb: int = 300) -> bytes:
    """A real zip bomb shaped as an .xlsx: a sheet of `declared_mb` MB of identical rows,
    deflated to a few hundred KB. The deflate stream is one fully flushed block repeated,
    so building it costs a CRC pass, not compressing 300 MB."""
    block = b"<row><c><v>0</v></c></row>" * 160_000  # ~4 MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    repeats = declared_mb * 1024 * 1024 // len(block) + 1
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    first = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    opening = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    closing_packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    closing = closing_packer.compress(tail) + closing_packer.flush()
    packed = opening + segment * repeats + closing
    size = len(head) + len(block) * repeats + len(tail)
    return raw_zip([*WORKBOOK_PARTS, ("xl/worksheets/sheet1.xml", packed, crc, size)])


# --- The gate ------------------------------------------------------------------------------


def test_an_empty_file_is_refused_as_empty():
    with pytest.raises(ImportRefused) as refused:
        gate.check("空.xlsx", b"", ALL)
    assert refused.value.message == "文件为空。"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRefused) as refused:
        gate.check("大.csv", b"x" * 1001, ALL)
    assert "超过上限" in refused.value.message


def test_an_unsupported_extension_names_the_accepted_ones():
    with pytest.raises(ImportRefused) as refused:
        gate.check("名单.pdf", b"%PDF-1.4", ("xlsx", "csv"))
    assert refused.value.message == "不支持的文件类型“.pdf”：本导入只接受 .xlsx、.csv 文件。"


def test_the_zip_bomb_built_here_really_is_one():
    bomb = zip_bomb_xlsx(300)
    assert len(bomb) < 1024 * 1024  # under 1 MB on disk, over 300 MB inflated
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size > 300 * 1024 * 1024
        # The declared size is the real one: the first megabytes inflate as promised.
        with archive.open(sheet) as stream:
            assert stream.read(8 * 1024 * 1024).count(b"<row>") > 300_000


def test_a_zip_bomb_is_refused_from_its_directory():
    with pytest.raises(ImportRefused) as refused:
        gate.check("炸弹.xlsx", zip_bomb_xlsx(300), ALL)
    assert "超过上限 200 MB" in refused.value.message
    assert "疑似压缩炸弹" in refused.value.message


def test_an_extreme_compression_ratio_is_refused_below_the_size_limit():
    # 20 MB declared fits the 200 MB limit, but 20 MB of one repeated row is > 100×.
    with pytest.raises(ImportRefused) as refused:
        gate.check("炸弹.xlsx", zip_bomb_xlsx(20), ALL)
    assert "压缩比异常" in refused.value.message


def test_too_many_zip_entries_are_refused(settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 5
    parts = [*WORKBOOK_PARTS, *(entry(f"xl/media/{i}.bin", b"x") for i in range(5))]
    with pytest.raises(ImportRefused) as refused:
        gate.check("多.xlsx", raw_zip(parts), ALL)
    assert "8 个部件，超过上限 5 个" in refused.value.message


def test_an_entry_that_inflates_beyond_its_declared_size_is_refused():
    real = b"<row/>" * 200_000
    liar = ("xl/worksheets/sheet1.xml", deflate(real), zlib.crc32(real[:1000]), 1000)
    with pytest.raises(ImportRefused) as refused:
        gate.check("谎报.xlsx", raw_zip([*WORKBOOK_PARTS, liar]), ALL)
    assert "实际解压大小超过其声明的大小" in refused.value.message


def test_a_truncated_or_non_zip_xlsx_is_reported_as_damaged():
    good = xlsx([["名称"], ["甲"]])
    for bad in (good[: len(good) // 2], b"not a zip at all"):
        with pytest.raises(ImportRefused) as refused:
            gate.check("坏.xlsx", bad, ALL)
        assert refused.value.message == "文件已损坏或不是有效的 .xlsx/.docx 文件。"


def test_a_docx_renamed_xlsx_is_refused_before_parsing():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(ImportRefused) as refused:
        gate.check("其实是文档.xlsx", buffer.getvalue(), ALL)
    assert "不是有效的 .xlsx 文件" in refused.value.message


def test_a_password_protected_xlsx_gets_its_own_hint():
    ole = gate.OLE_MAGIC + b"\0" * 600
    with pytest.raises(ImportRefused) as refused:
        gate.check("加密.xlsx", ole, ALL)
    assert "打开密码" in refused.value.message


# --- Decoding ------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_and_gbk_all_decode():
    text = "单位名称,类型\n区工业和信息化局,区直部门\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text(text.encode("gbk")) == text
    assert decode_text("䶮、𠀀".encode("gb18030")) == "䶮、𠀀"  # beyond GBK


def test_bytes_in_neither_encoding_are_refused_clearly():
    with pytest.raises(ImportRefused) as refused:
        decode_text(b"\xff\xfe\xfd\x80")
    assert "既不是 UTF-8 编码，也不是 GBK/GB18030 编码" in refused.value.message


def test_binary_content_in_a_text_file_is_refused():
    with pytest.raises(ImportRefused) as refused:
        decode_text(b"abc\x00def")
    assert "不是文本文件" in refused.value.message


# --- Readers -------------------------------------------------------------------------------


def test_xlsx_rows_are_numbered_as_in_the_sheet_and_merged_cells_are_filled():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名录"
    sheet["A1"] = "2024年单位名录"
    sheet.merge_cells("A1:B1")
    sheet.append(["名称", "类型"])
    sheet.append(["甲", "镇街"])
    sheet.append(["乙", None])
    sheet.merge_cells("B3:B4")
    buffer = io.BytesIO()
    book.save(buffer)
    (grid,) = readers.grids("xlsx", buffer.getvalue())
    assert grid.name == "名录"
    assert grid.rows == [
        (1, ["2024年单位名录", "2024年单位名录"]),
        (2, ["名称", "类型"]),
        (3, ["甲", "镇街"]),
        (4, ["乙", "镇街"]),
    ]


def test_a_formula_without_a_cached_value_is_named_by_its_cell():
    data = xlsx([["名称", "数量"], ["甲", 1], ["乙", 2], ["合计", "=B2+B3"]], title="表")
    (grid,) = readers.grids("xlsx", data)
    with pytest.raises(ImportRefused) as refused:
        grid.verify()
    assert refused.value.message.startswith("工作表“表”的 B4单元格是公式，但文件中没有保存")
    assert refused.value.row == 4


def test_a_formula_with_a_cached_value_is_trusted():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["名称", "数量"])
    sheet.write_formula(1, 1, "=1+1", None, 2)
    sheet.write_formula(2, 1, '="甲"', None, "甲")
    book.close()
    (grid,) = readers.grids("xlsx", buffer.getvalue())
    grid.verify()
    assert grid.rows[1][1][1] == 2
    assert grid.rows[2][1][1] == "甲"


def test_which_formula_cells_count_as_having_no_value():
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="2">'
        b'<c r="A2"><f>1+1</f></c>'  # no <v>: never computed
        b'<c r="B2"><f>1+1</f><v></v></c>'  # empty <v>: what openpyxl writes
        b'<c r="C2" t="str"><f>""</f><v></v></c>'  # Excel's cached empty text for =""
        b'<c r="D2"><f t="shared" si="0"/><v>3</v></c>'  # shared formula with a value
        b"</row></sheetData></worksheet>"
    )
    data = raw_zip([*WORKBOOK_PARTS, entry("xl/worksheets/sheet1.xml", sheet)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert formulas.sheet_parts(archive) == [("S", "xl/worksheets/sheet1.xml")]
        uncached, errors = formulas.unreadable_cells(archive, "xl/worksheets/sheet1.xml")
    assert (uncached, errors) == (["A2", "B2"], [])


def test_a_cached_error_value_is_refused():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("数据")
    sheet.write_formula(0, 0, "=1/0", None, "#DIV/0!")
    book.close()
    (grid,) = readers.grids("xlsx", buffer.getvalue())
    with pytest.raises(ImportRefused) as refused:
        grid.verify()
    assert "A1（#DIV/0!）" in refused.value.message


def test_a_sheet_with_a_dtd_is_refused():
    sheet = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>'
    data = raw_zip([*WORKBOOK_PARTS, entry("xl/worksheets/sheet1.xml", sheet)])
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        pytest.raises(ImportRefused),
    ):
        formulas.unreadable_cells(archive, "xl/worksheets/sheet1.xml")


def test_csv_rows_are_numbered_by_line_and_tabs_are_sniffed():
    (grid,) = readers.grids("csv", '名称,备注\n甲,"两\n行"\n乙,x\n'.encode())
    assert grid.rows == [(1, ["名称", "备注"]), (2, ["甲", "两\n行"]), (4, ["乙", "x"])]
    (grid,) = readers.grids("txt", "名称\t备注\n甲\t1,2\n".encode("gbk"))
    assert grid.rows == [(1, ["名称", "备注"]), (2, ["甲", "1,2"])]


def test_docx_tables_fill_merged_cells():
    document = docx.Document()
    document.add_paragraph("附件：单位名录")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "名称", "分管领导"
    table.cell(1, 0).text, table.cell(2, 0).text = "甲", "乙"
    table.cell(1, 1).text = "隋斌"
    table.cell(1, 1).merge(table.cell(2, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    (grid,) = readers.grids("docx", buffer.getvalue())
    assert grid.name == "表格1"
    assert grid.rows == [(1, ["名称", "分管领导"]), (2, ["甲", "隋斌"]), (3, ["乙", "隋斌"])]


# --- Values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),  # full-width digits
        (" −3 ", Decimal("-3")),
        (0.1, Decimal("0.1")),  # from the float's shortest text, not 0.1000000000000000055…
        (12, Decimal(12)),
        ("1.2E+3", Decimal("1200")),
        ("-", None),
        ("", None),
    ],
)
def test_decimals_are_read_from_what_the_cell_shows(cell, expected):
    assert values.parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", [math.nan, math.inf, "NaN", "inf", "Infinity", Decimal("NaN")])
def test_nan_and_infinity_are_refused(cell):
    with pytest.raises(values.CellError) as refused:
        values.parse_decimal(cell)
    assert "不是有效的数字" in refused.value.message


@pytest.mark.parametrize("cell", ["12,34", "1.2.3", "abc", True])
def test_malformed_numbers_are_refused(cell):
    with pytest.raises(values.CellError):
        values.parse_decimal(cell)


def test_quantising_rounds_half_up_deliberately():
    assert values.parse_decimal("2.345", places=2) == Decimal("2.35")
    assert values.parse_decimal("-2.345", places=2) == Decimal("-2.35")
    assert values.parse_decimal(2.675, places=2) == Decimal("2.68")  # float 2.675 < 2.675


def test_money_is_converted_to_wan_yuan_with_four_places():
    assert values.parse_money("12,345", "元") == Decimal("1.2345")
    assert values.parse_money("123456.78", "千元") == Decimal("12345.6780")
    assert values.parse_money("1.5", "亿元") == Decimal("15000.0000")
    assert values.parse_money("0.00005", "万元") == Decimal("0.0001")


def test_text_cells_lose_stray_spaces_and_float_tails():
    assert values.clean_text("\u3000区工信局\xa0 ") == "区工信局"
    assert values.clean_text(370211.0) == "370211"
    assert values.parse_int("1,000") == 1000
    with pytest.raises(values.CellError):
        values.parse_int("1.5")


def test_dates_in_the_usual_chinese_forms():
    for text in ("2024-01-05", "2024/1/5", "2024年1月5日", "20240105"):
        assert values.parse_date(text).isoformat() == "2024-01-05"
    with pytest.raises(values.CellError):
        values.parse_date("2024-02-30")


# --- Export escaping -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+86", "-1", "@SUM(A1)", "\t=x", "\r=x"])
def test_exported_cells_that_a_spreadsheet_would_run_are_escaped(text):
    assert escape_cell(text) == "'" + text


def test_exported_workbook_holds_escaped_text_not_formulas():
    data = table_xlsx("导出", ["名称"], [['=HYPERLINK("http://x")'], [-5], ["普通"]])
    (grid,) = readers.grids("xlsx", data)
    grid.verify()  # no formula cells at all
    assert grid.rows[1][1] == ['\'=HYPERLINK("http://x")']
    assert grid.rows[2][1] == [-5.0]  # numbers stay numbers


def test_an_escaped_formula_like_cell_reads_back_as_written():
    from gongxin.core.imports.values import clean_text
    from gongxin.reports.xlsx import escape_cell

    assert clean_text(escape_cell("=SUM(A1)")) == "=SUM(A1)"
    assert clean_text(escape_cell("-3个百分点")) == "-3个百分点"
    assert clean_text("'普通文字") == "'普通文字"
