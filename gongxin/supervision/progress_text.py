"""A progress cell holding several units' texts: the lead unit's first, then each other
unit's prefixed with its name ("【发改局】正常推进。…"), so export and import agree."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongxin.core.text import normalize_name

_PREFIX = re.compile(r"^【([^】]{2,40})】", re.MULTILINE)


def join(parts: Sequence[tuple[str, str]]) -> str:
    """[(unit name, text)] → one cell; the first part carries no prefix."""
    chunks = []
    for index, (name, text) in enumerate(p for p in parts if p[1].strip()):
        chunks.append(text.strip() if index == 0 else f"【{name}】{text.strip()}")
    return "\n\n".join(chunks)


def split(cell: str, unit_names: Sequence[str]) -> list[tuple[str | None, str]]:
    """The inverse of `join`: [(unit name or None for the lead's part, text)].

    Only prefixes naming one of the item's units split the cell; any other 【…】 stays text.
    """
    known = {normalize_name(n): n for n in unit_names}
    parts: list[tuple[str | None, str]] = []
    owner: str | None = None
    start = 0
    for match in _PREFIX.finditer(cell):
        name = normalize_name(match.group(1))
        if name not in known:
            continue
        parts.append((owner, cell[start : match.start()]))
        owner, start = known[name], match.end()
    parts.append((owner, cell[start:]))
    return [(name, text.strip()) for name, text in parts if text.strip()]
