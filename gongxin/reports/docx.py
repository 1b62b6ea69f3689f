"""Word (.docx) builders laid out as the bureau's own documents. They receive data only."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _new_document(landscape: bool) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def _title(document, text: str, size: float = 18) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), TITLE_FONT, size)


def _cell_text(
    cell, text: str, *, bold: bool = False, size: float = 10.5, center: bool = False
) -> None:
    lines = str(text or "").split("\n")
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(line), HEADING_FONT if bold else BODY_FONT, size, bold=False)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def table_docx(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] | None = None,
    landscape: bool = True,
    subtitle: str = "",
) -> bytes:
    """A titled table (A4, landscape by default); the header row repeats on every page."""
    document = _new_document(landscape)
    _title(document, title)
    if subtitle:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(subtitle), BODY_FONT, 12)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True, center=True)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, value, center=index == 0)
    if widths_cm:
        # Word reads the cell widths, LibreOffice the grid columns: set both.
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_docx(
    title: str,
    paragraphs: Sequence[str],
    *,
    signature: Sequence[str] = (),
    headings: Sequence[int] = (),
) -> bytes:
    """A portrait notice (通报, 催办通知): a title, body paragraphs with first-line indent
    (paragraph indexes in `headings` set in 黑体), and a signature block on the right."""
    document = _new_document(landscape=False)
    _title(document, title, size=20)
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        _font(paragraph.add_run(text), HEADING_FONT if index in headings else BODY_FONT, 16)
    for line in signature:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run(line), BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_docx(
    title: str,
    addressee: str,
    paragraphs: Sequence[str],
    *,
    signature: Sequence[str] = (),
) -> bytes:
    """A notice addressed to one unit (催办通知): the title, the addressee flush left (主送
    机关 顶格) followed by a colon as written, indented body paragraphs, and a signature
    block on the right."""
    document = _new_document(landscape=False)
    _title(document, title, size=20)
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(addressee), BODY_FONT, 16)
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        _font(paragraph.add_run(text), BODY_FONT, 16)
    for line in signature:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run(line), BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
