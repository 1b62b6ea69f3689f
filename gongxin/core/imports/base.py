"""The Importer class every importer subclasses, and the registry that finds them.

An importer declares its columns and says, for its own model:
  clean(row)            one row's cells → a record (dict), reporting cell errors
  key(record)           the natural key: re-importing a file finds the same rows
  existing(keys)        {key: current object} for the keys in the file
  validate(items)       cross-row and database checks (optional)
  compare(item)         (before, after) as JSON-ready dicts; an empty `after` = unchanged
  write(items)          create/update the planned items and audit them, in the caller's
                        transaction (the framework has opened it and holds the lock)
Everything else — gating, reading, header finding, counting, previews, idempotence,
locking, the result shape — is the framework's (services.py).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.module_loading import autodiscover_modules

from gongxin.core.access import has_role
from gongxin.core.imports import readers, values
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.readers import Grid
from gongxin.core.text import normalize_name

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its key, its header, other headers meaning the same."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    # Headers that carry a variable part ("工业总产值(千元)"): a regular expression over the
    # normalised header, tried after the exact names.
    pattern: str = ""

    def matches(self, written: str) -> bool:
        name = header_key(written)
        if not name:
            return False
        if name in {header_key(h) for h in (self.header, *self.aliases)}:
            return True
        return bool(self.pattern) and re.fullmatch(self.pattern, name) is not None


def header_key(text: Any) -> str:
    """A header as compared: spaces removed, full-width folded, required marks dropped."""
    return normalize_name(values.clean_text(text)).strip("*＊")


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class Row:
    """One data row: raw cells by column key, and the means to report its errors with the
    row number and the header as the user wrote them."""

    def __init__(
        self,
        number: int,
        cells: dict[str, Any],
        headers: dict[str, str | None],
        problems: list[Problem],
    ):
        self.number = number
        self.cells = cells
        self.headers = headers
        self._problems = problems
        self.ok = True

    def has(self, key: str) -> bool:
        """Whether the file has this column at all."""
        return key in self.headers

    def raw(self, key: str) -> Any:
        return self.cells.get(key)

    def error(self, key: str | None, message: str) -> None:
        column = self.headers.get(key) if key is not None else None
        self._problems.append(Problem(self.number, column, message))
        self.ok = False

    def _read(self, key: str, parse, required: bool):
        value = self.cells.get(key)
        if values.is_blank(value):
            if required:
                self.error(key, f"“{self.headers.get(key) or key}”不能为空。")
            return None
        try:
            return parse(value)
        except values.CellError as problem:
            self.error(key, problem.message)
            return None

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        text = self._read(key, values.clean_text, required) or ""
        if max_length is not None and len(text) > max_length:
            self.error(key, f"不能超过 {max_length} 个字（现有 {len(text)} 个）。")
        return text

    def decimal(self, key: str, *, places: int, required: bool = False):
        return self._read(key, lambda v: values.parse_decimal(v, places), required)

    def money(self, key: str, *, unit: str, required: bool = False):
        return self._read(key, lambda v: values.parse_money(v, unit), required)

    def integer(self, key: str, *, required: bool = False) -> int | None:
        return self._read(key, values.parse_int, required)

    def date(self, key: str, *, required: bool = False):
        return self._read(key, values.parse_date, required)


@dataclass
class Item:
    """One valid row on its way to the database: what it is and what it will do."""

    row: Row
    key: Hashable
    record: dict[str, Any]
    obj: Any = None
    action: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.row.number


class Importer:
    """Subclass, set the class attributes, implement the hooks, decorate with @register."""

    slug: ClassVar[str] = ""
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "xls", "csv")
    columns: ClassVar[tuple[Column, ...]] = ()
    roles: ClassVar[frozenset[str]] = frozenset()
    # "table": rows under a header; "text": one row per line, no columns.
    source: ClassVar[str] = "table"
    # A django Form class for options (period, money unit…), shown on the upload page;
    # its cleaned_data must be JSON-ready (strings, numbers).
    options_form: ClassVar[Any] = None
    # Changed rows listed in the result ("changes"), at most this many.
    max_listed_items: ClassVar[int] = 1000

    def __init__(self, user=None, options: dict[str, Any] | None = None):
        self.user = user
        self.options = dict(options or {})
        # Set by the framework before write(): the audit reason naming the file.
        self.reason = ""

    # --- Declarations -----------------------------------------------------------------------

    @classmethod
    def allows(cls, user) -> bool:
        return has_role(user, cls.roles)

    @classmethod
    def key_column(cls) -> str | None:
        """The column named in "duplicate row" errors: the first required one."""
        for column in cls.columns:
            if column.required:
                return column.key
        return cls.columns[0].key if cls.columns else None

    def lock_key(self) -> str:
        """The slice of data this import replaces; imports of one slice run one at a time."""
        return f"import:{self.slug}"

    # --- Hooks --------------------------------------------------------------------------------

    def clean(self, row: Row) -> dict[str, Any] | None:
        raise NotImplementedError

    def key(self, record: dict[str, Any]) -> Hashable:
        raise NotImplementedError

    def existing(self, keys: list[Hashable]) -> dict[Hashable, Any]:
        raise NotImplementedError

    def validate(self, items: list[Item]) -> None:
        """Cross-row and database checks; report with item.row.error(column_key, message)."""

    def compare(self, item: Item) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        raise NotImplementedError

    def write(self, items: list[Item]) -> None:
        raise NotImplementedError

    def grids(self, fmt: str, data: bytes, name: str):
        """The tables of a gated file. Override to read a text layout of your own (the
        supervision table's tab-started cells) as a table with a header row."""
        return readers.grids(fmt, data, name, text=self.source == "text")

    def field_label(self, name: str) -> str:
        """A field of before/after as the preview names it: its column header."""
        return next((c.header for c in self.columns if c.key == name), name)

    def display(self, name: str, value: Any) -> str:
        """A before/after value as the preview shows it."""
        if isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        return "（空）" if value is None or value == "" else str(value)

    def describe(self, item: Item) -> str:
        """How an item is named in the preview's list of changes."""
        return str(item.key)

    def extra_result(self, items: list[Item]) -> dict[str, Any]:
        """Fields added beside the standard ones; by default the changed items."""
        changed = [i for i in items if i.action != UNCHANGED]
        listed = [
            {
                "row": i.number,
                "key": self.describe(i),
                "action": i.action,
                "before": i.before,
                "after": i.after,
            }
            for i in changed[: self.max_listed_items]
        ]
        extra: dict[str, Any] = {"changes": listed}
        if len(changed) > len(listed):
            extra["changes_omitted"] = len(changed) - len(listed)
        return extra


# --- Header ---------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where a grid's header is and which file column holds which importer column."""

    grid: Grid
    header_row: int  # index in grid.rows
    positions: dict[str, int]  # column key → index in the row
    headers: dict[str, str]  # column key → header as written


def _layout_of(columns: Iterable[Column], grid: Grid, index: int) -> Layout | None:
    _, cells = grid.rows[index]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for position, cell in enumerate(cells):
        written = values.clean_text(cell)
        for column in columns:
            if not column.matches(written):
                continue
            if column.key in positions:
                previous = positions[column.key]
                # A header merged across columns repeats; that is not a second column.
                if position == previous + 1 and cells[previous] == cell:
                    continue
                raise ImportRefused(
                    f"第 {grid.rows[index][0]} 行表头中“{headers[column.key]}”和“{written}”"
                    "指同一列，请只保留一列。",
                    row=grid.rows[index][0],
                )
            positions[column.key] = position
            headers[column.key] = written
    return Layout(grid, index, positions, headers) if positions else None


def find_layout(columns: tuple[Column, ...], grids: Iterable[Grid]) -> Layout:
    """The first grid (sheet, table) with a row holding every required header, searched
    in the first rows (title rows above the header are common)."""
    required = [c for c in columns if c.required]
    best: tuple[Layout, list[Column]] | None = None
    for grid in grids:
        for index in range(min(len(grid.rows), HEADER_SEARCH_ROWS)):
            layout = _layout_of(columns, grid, index)
            if layout is None:
                continue
            missing = [c for c in required if c.key not in layout.positions]
            if not missing:
                grid.verify()
                return layout
            if best is None or len(missing) < len(best[1]):
                best = (layout, missing)
    if best is not None:
        layout, missing = best
        names = "、".join(f"“{c.header}”" for c in missing)
        row = layout.grid.rows[layout.header_row][0]
        raise ImportRefused(f"表头（第 {row} 行）缺少必填列 {names}。", row=row)
    wanted = "；".join(
        f"“{c.header}”" + (f"（也可写作 {'、'.join(c.aliases)}）" if c.aliases else "")
        for c in required or columns
    )
    raise ImportRefused(f"未找到表头：表格须有一行列名，包含 {wanted}。")


# --- Registry -------------------------------------------------------------------------------

_REGISTRY: dict[str, type[Importer]] = {}
_discovered = False


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available by its slug."""
    if not cls.slug:
        raise ValueError(f"{cls.__name__} has no slug")
    _REGISTRY[cls.slug] = cls
    return cls


def autodiscover() -> None:
    """Import every installed app's `importers` module (each registers its importers)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True


def get_importer(slug: str) -> type[Importer]:
    autodiscover()
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise ImportRefused(f"没有名为“{slug}”的导入类型。") from None


def all_importers() -> list[type[Importer]]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda cls: cls.slug)
