"""Canonical names and kinds for the units the seed documents name.

Documents abbreviate units freely ("区工信局", "工信局", "新区工信局"). The table below maps
the abbreviations whose full official name we are sure of; every other unit keeps the
name as written, and "区X" / "X" written both ways are taken as one unit named "区X".
"""

from __future__ import annotations

from dataclasses import dataclass

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.services import guess_unit_kind


@dataclass(frozen=True)
class CanonicalUnit:
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str = UnitKind.DEPARTMENT


# The district's own bureau first: the platform belongs to it.
CANONICAL_UNITS = (
    CanonicalUnit(
        "区工业和信息化局", "工信局", ("区工信局", "工信局", "新区工信局"), UnitKind.BUREAU
    ),
    CanonicalUnit("区发展和改革局", "发改局", ("区发改局", "发改局")),
    CanonicalUnit("区教育和体育局", "教体局", ("区教体局", "教体局")),
    CanonicalUnit("区财政局", "财政局", ("财政局",)),
    CanonicalUnit("区人力资源和社会保障局", "人社局", ("区人社局", "人社局")),
    CanonicalUnit("区行政审批服务局", "行政审批局", ("区行政审批局", "行政审批局")),
    CanonicalUnit("区民营经济发展局", "民营经济发展局", ("民营经济发展局",)),
    CanonicalUnit("区地方金融监督管理局", "地方金融监管局", ("区地方金融监管局", "地方金融监管局")),
)
_BY_ALIAS = {alias: unit for unit in CANONICAL_UNITS for alias in unit.aliases}
_BY_NAME = {unit.name: unit for unit in CANONICAL_UNITS}


def known(name: str) -> CanonicalUnit | None:
    """The table entry for a name or one of its abbreviations."""
    return _BY_NAME.get(name) or _BY_ALIAS.get(name)


def kind_for(name: str) -> str:
    """The table's kind for a name we know; otherwise guessed from the name's ending."""
    entry = known(name)
    return entry.kind if entry is not None else guess_unit_kind(name)


def canonical_names(written: list[str]) -> dict[str, list[str]]:
    """Canonical name → the other names it goes by, for a list of names as written."""
    present = set(written)
    result: dict[str, list[str]] = {}
    for name in written:
        entry = known(name)
        if entry is not None:
            canonical, aliases = entry.name, list(entry.aliases)
        elif not name.startswith("区") and f"区{name}" in present:
            canonical, aliases = f"区{name}", [name]
        else:
            canonical, aliases = name, []
        bucket = result.setdefault(canonical, [])
        for alias in aliases:
            if alias != canonical and alias not in bucket:
                bucket.append(alias)
    return result
