"""The gate every uploaded file passes before any parser sees it.

An .xlsx or .docx is a zip archive, and a zip can declare hundreds of megabytes behind a
few kilobytes (a 0.3 MB zip bomb can take a worker 70 s and 1.7 GB). So the archive's
central directory is checked first — entry count, declared uncompressed size, per-entry
and overall compression ratio — and only then is every entry decompressed once, in
bounded chunks, to prove that its real size is the declared one (a parser written in
another language may not stop where the directory says it should). Only after that may
a parser open the file.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

from django.conf import settings

from gongxin.core.imports.exceptions import ImportRefused

MB = 1024 * 1024

FORMAT_LABELS = {
    "xlsx": ".xlsx",
    "xls": ".xls",
    "csv": ".csv",
    "txt": ".txt",
    "docx": ".docx",
}
ZIP_FORMATS = frozenset({"xlsx", "docx"})
TEXT_FORMATS = frozenset({"csv", "txt"})
# The part every genuine file of the format contains.
REQUIRED_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Small parts (styles, empty sheets) compress far beyond any sane ratio; a ratio only
# says something about entries that are large once decompressed.
RATIO_FLOOR_BYTES = 1 * MB
CHUNK = 64 * 1024

EMPTY = "文件为空。"
CORRUPT_ZIP = "文件已损坏或不是有效的 .xlsx/.docx 文件。"
BOMB_HINT = "疑似压缩炸弹，已拒绝。请确认文件来源，或拆分后重新上传。"


def file_format(name: str) -> str:
    """The format named by the file's extension ("xlsx", "csv", …), lower-case."""
    _, dot, ext = (name or "").rpartition(".")
    return ext.lower() if dot else ""


def formats_text(formats: Iterable[str]) -> str:
    return "、".join(FORMAT_LABELS.get(f, "." + f) for f in formats)


def check(name: str, data: bytes, formats: Iterable[str], *, verify: bool = True) -> str:
    """Refuse the file unless it may be parsed; return its format.

    With `verify` (the default) zip entries are also decompressed once to prove their
    declared sizes; `verify=False` keeps the check cheap enough for an upload request.
    """
    formats = tuple(formats)
    if not data:
        raise ImportRefused(EMPTY)
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(
            f"文件大小 {len(data) / MB:.1f} MB，超过上限 {limit / MB:.0f} MB。请拆分后重新上传。"
        )
    fmt = file_format(name)
    if fmt not in formats:
        shown = f"“.{fmt}”" if fmt else "（无扩展名）"
        raise ImportRefused(f"不支持的文件类型{shown}：本导入只接受 {formats_text(formats)} 文件。")
    if fmt in ZIP_FORMATS:
        check_zip(data, fmt, verify=verify)
    elif fmt == "xls" and not data.startswith(OLE_MAGIC):
        raise ImportRefused("文件已损坏或不是有效的 .xls 文件。")
    return fmt


def check_zip(data: bytes, fmt: str, *, verify: bool = True) -> None:
    if data.startswith(OLE_MAGIC):
        # Encrypted .xlsx/.docx and old .xls/.doc files are OLE compound files.
        raise ImportRefused(
            f"文件不是 .{fmt} 格式：可能设置了打开密码，或是旧版 .xls/.doc 文件。"
            f"请取消密码或另存为 .{fmt} 后重新上传。"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise ImportRefused(CORRUPT_ZIP) from error
    with archive:
        infos = archive.infolist()
        check_directory(infos, fmt)
        if verify:
            for info in infos:
                verify_entry(data, info)


def check_directory(infos: list[zipfile.ZipInfo], fmt: str) -> None:
    """Entry count, declared sizes and ratios, read from the central directory only."""
    max_entries = settings.IMPORT_MAX_ZIP_ENTRIES
    max_total = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    if not infos:
        raise ImportRefused(CORRUPT_ZIP)
    if len(infos) > max_entries:
        raise ImportRefused(f"文件内含 {len(infos)} 个部件，超过上限 {max_entries} 个，{BOMB_HINT}")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise ImportRefused(
            f"文件解压后共 {total / MB:.0f} MB，超过上限 {max_total / MB:.0f} MB，{BOMB_HINT}"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(f"文件已加密，无法读取。请取消密码后另存为 .{fmt} 再上传。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(
                f"文件使用了不支持的压缩方式，请用 Excel/WPS 另存为 .{fmt} 后重新上传。"
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ImportRefused(
                f"文件压缩比异常（“{info.filename}”解压后是压缩前的 {ratio:.0f} 倍，"
                f"上限 {max_ratio} 倍），{BOMB_HINT}"
            )
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FLOOR_BYTES and total > max_ratio * max(packed, 1):
        raise ImportRefused(
            f"文件压缩比异常（解压后是压缩前的 {total / max(packed, 1):.0f} 倍，"
            f"上限 {max_ratio} 倍），{BOMB_HINT}"
        )
    names = {info.filename for info in infos}
    if REQUIRED_PART[fmt] not in names:
        raise ImportRefused(f"文件不是有效的 .{fmt} 文件（缺少必要的内容部件），请检查文件类型。")


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # 30 bytes, APPNOTE 4.3.7


def verify_entry(data: bytes, info: zipfile.ZipInfo) -> None:
    """Decompress one entry in bounded chunks; refuse it unless it yields exactly its
    declared size. Memory stays at one chunk; time is bounded by the declared sizes,
    which `check_directory` has already limited."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise ImportRefused(CORRUPT_ZIP)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise ImportRefused(CORRUPT_ZIP)
    begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise ImportRefused(CORRUPT_ZIP)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size or zlib.crc32(raw) != info.CRC:
            raise ImportRefused(CORRUPT_ZIP)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, crc = 0, 0
    try:
        for offset in range(0, len(raw), CHUNK):
            pending = bytes(raw[offset : offset + CHUNK])
            while pending:
                out = inflater.decompress(pending, CHUNK)
                produced += len(out)
                crc = zlib.crc32(out, crc)
                if produced > info.file_size:
                    raise ImportRefused(
                        f"文件部件“{info.filename}”的实际解压大小超过其声明的大小，{BOMB_HINT}"
                    )
                pending = inflater.unconsumed_tail
        tail = inflater.flush()
        produced += len(tail)
        crc = zlib.crc32(tail, crc)
    except zlib.error as error:
        raise ImportRefused(CORRUPT_ZIP) from error
    if produced > info.file_size:
        raise ImportRefused(f"文件部件“{info.filename}”的实际解压大小超过其声明的大小，{BOMB_HINT}")
    if not inflater.eof or produced != info.file_size or crc != info.CRC:
        raise ImportRefused(CORRUPT_ZIP)
