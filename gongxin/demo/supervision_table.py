"""The seed supervision table (seeds/003) as the demo needs it: the leaders and the units
it names. Reading the table is the supervision app's parser (supervision.parsing); this
module only collects names from its items."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongxin.supervision.parsing import ParsedItem, is_collective, parse_text_table

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
SUPERVISION_SEED = "003_09e300f7dafa71f7.txt"


@dataclass(frozen=True)
class WrittenUnit:
    """A unit as a row names it; `also_known_as` holds a name given in brackets after it
    ("区新经济发展促进中心（品牌发展中心）")."""

    name: str
    also_known_as: tuple[str, ...] = ()


def read_seed(name: str = SUPERVISION_SEED) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def items(text: str) -> list[ParsedItem]:
    """The table's items; raises parsing.TableFormatError (a ValueError) for other text."""
    return parse_text_table(text)[2]


def written_unit(name: str) -> WrittenUnit:
    bare, _, other = name.partition("(")
    return WrittenUnit(bare, (other.rstrip(")"),) if other else ())


def leader_names(table: list[ParsedItem]) -> list[str]:
    """Every leader named in the table, in order of first appearance."""
    return list(dict.fromkeys(name for item in table for name in item.leaders))


def unit_names(table: list[ParsedItem]) -> list[WrittenUnit]:
    """Every unit named in the table as written, in order of first appearance; collective
    phrases ("各行业主管部门") name no unit and are left out."""
    seen: dict[str, WrittenUnit] = {}
    for item in table:
        for name in item.units.all_units:
            if is_collective(name):
                continue
            unit = written_unit(name)
            known = seen.get(unit.name)
            merged = (known.also_known_as if known else ()) + unit.also_known_as
            seen[unit.name] = WrittenUnit(unit.name, tuple(dict.fromkeys(merged)))
    return list(seen.values())
