"""Text files from government offices: UTF-8 (often with a BOM, as Excel writes "CSV
UTF-8") or GBK/GB18030 (Excel's plain "CSV" on a Chinese Windows). GB18030 is a superset
of GBK and GB2312, so one decoder reads all three. Anything else is refused: guessing an
encoding turns names into mojibake that would then be stored as if real."""

from __future__ import annotations

import codecs

from gongxin.core.imports.exceptions import ImportRefused

NOT_DECODABLE = (
    "无法识别文件编码：文件既不是 UTF-8 编码，也不是 GBK/GB18030 编码。"
    "请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传。"
)
NOT_TEXT = "文件不是文本文件（含有二进制内容），请检查文件类型。"


def decode_text(data: bytes) -> str:
    """The text of a file in UTF-8 (BOM or not) or GB18030; newlines kept as written."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportRefused(NOT_DECODABLE) from error
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as error:
                raise ImportRefused(NOT_DECODABLE) from error
    if "\x00" in text:
        # Both decoders accept NUL; no spreadsheet export or typed text contains one.
        raise ImportRefused(NOT_TEXT)
    return text
