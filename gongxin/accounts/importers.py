"""Importer of organisational units (单位名录) from .xlsx/.xls/.csv.

Natural key: the normalised unit name. A blank cell leaves the current value as it is
(an import never erases); aliases are only ever added. A parent (上级单位) is written as
a name or an alias of an existing unit, or of a unit in an earlier row of the same file.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch

from gongxin.accounts.choices import Role, UnitKind
from gongxin.accounts.models import Unit, UnitAlias
from gongxin.accounts.services import UNIT_FIELDS
from gongxin.core import audit
from gongxin.core.imports.base import CREATED, Column, Importer, Item, Row, register
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.text import normalize_name

ALIAS_SEPARATORS = re.compile(r"[、,，;；\n]+")
KIND_SYNONYMS = {
    "局内科室": UnitKind.BUREAU_DEPT,
    "科室": UnitKind.BUREAU_DEPT,
    "区直部门": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
    "镇街": UnitKind.TOWN,
    "街道": UnitKind.TOWN,
    "镇": UnitKind.TOWN,
    "功能区": UnitKind.ZONE,
    "园区": UnitKind.ZONE,
    "其他": UnitKind.OTHER,
    "其它": UnitKind.OTHER,
    **{kind.label: kind for kind in UnitKind},
}
KIND_CHOICES_TEXT = "、".join(kind.label for kind in UnitKind)
NAME_MAX = Unit._meta.get_field("name").max_length
SHORT_MAX = Unit._meta.get_field("short_name").max_length
ALIAS_MAX = UnitAlias._meta.get_field("alias").max_length


def split_aliases(text: str) -> list[str]:
    seen: list[str] = []
    for part in ALIAS_SEPARATORS.split(text or ""):
        alias = normalize_name(part)
        if alias and alias not in seen:
            seen.append(alias)
    return seen


@register
class UnitImporter(Importer):
    slug = "units"
    label = "单位名录"
    description = (
        "每行一个单位，按“单位名称”识别：名称已存在的单位被更新，其余新建。"
        "空白单元格不改变现有内容；别名只增加、不删除。"
        "上级单位须是已有单位（名称或别名），或本文件中排在前面的单位。"
    )
    formats = ("xlsx", "xls", "csv")
    roles = frozenset({Role.SYSADMIN})
    columns = (
        Column("name", "单位名称", ("名称", "单位", "规范名称"), required=True),
        Column("kind", "类型", ("单位类型",), help=f"可填：{KIND_CHOICES_TEXT}"),
        Column("parent", "上级单位", ("上级",)),
        Column("short_name", "简称"),
        Column("aliases", "别名", ("其他名称",), help="多个别名用、，；分隔"),
    )

    # --- Rows -------------------------------------------------------------------------------

    def clean(self, row: Row) -> dict[str, Any] | None:
        name = normalize_name(row.text("name", required=True))
        if len(name) > NAME_MAX:
            row.error("name", f"单位名称不能超过 {NAME_MAX} 个字。")
        short_name = normalize_name(row.text("short_name"))
        if len(short_name) > SHORT_MAX:
            row.error("short_name", f"简称不能超过 {SHORT_MAX} 个字。")
        kind = None
        kind_text = normalize_name(row.text("kind"))
        if kind_text:
            kind = KIND_SYNONYMS.get(kind_text)
            if kind is None:
                row.error("kind", f"类型“{kind_text}”无法识别，可填：{KIND_CHOICES_TEXT}。")
        aliases = [a for a in split_aliases(row.text("aliases")) if a != name]
        for alias in aliases:
            if len(alias) > ALIAS_MAX:
                row.error("aliases", f"别名“{alias[:20]}…”超过 {ALIAS_MAX} 个字。")
        if not name:
            return None
        return {
            "name": name,
            "short_name": short_name or None,
            "kind": str(kind) if kind else None,
            "parent": normalize_name(row.text("parent")) or None,
            "aliases": aliases,
        }

    def key(self, record: dict[str, Any]) -> str:
        return record["name"]

    def existing(self, keys: list) -> dict[str, Unit]:
        units = (
            Unit.objects.filter(name__in=keys)
            .select_related("parent")
            .prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("alias")))
        )
        return {unit.name: unit for unit in units}

    # --- Cross-row checks -------------------------------------------------------------------

    def validate(self, items: list[Item]) -> None:
        names_in_file = {i.key: i.number for i in items}
        wanted = set(names_in_file)
        for item in items:
            wanted.update(item.record["aliases"])
            if item.record["parent"]:
                wanted.add(item.record["parent"])
        db_units = dict(Unit.objects.filter(name__in=wanted).values_list("name", "pk"))
        db_aliases = dict(
            UnitAlias.objects.filter(alias__in=wanted).values_list("alias", "unit__name")
        )
        # name → parent name, as the database has it now; the file's rows override it.
        parents = dict(Unit.objects.values_list("name", "parent__name"))
        file_aliases: dict[str, tuple[str, int]] = {}
        earlier: set[str] = set()
        for item in items:
            record, row, name = item.record, item.row, item.key
            if item.obj is None and name in db_aliases:
                row.error(
                    "name",
                    f"“{name}”是单位“{db_aliases[name]}”的别名，请填写该单位的规范名称。",
                )
            parent = record["parent"]
            if parent:
                canonical = self._resolve_parent(
                    parent, earlier, file_aliases, db_units, db_aliases
                )
                if name in (parent, canonical) or parent in record["aliases"]:
                    row.error("parent", "上级单位不能是本单位。")
                elif canonical is not None:
                    record["parent_name"] = canonical
                    parents[name] = canonical
                elif parent in names_in_file:
                    row.error(
                        "parent",
                        f"上级单位“{parent}”在第 {names_in_file[parent]} 行，须排在本行之前。",
                    )
                else:
                    row.error("parent", f"上级单位“{parent}”不存在，请先建立该单位。")
            for alias in record["aliases"]:
                owner = db_aliases.get(alias)
                if owner is not None and owner != name:
                    row.error("aliases", f"别名“{alias}”已指向单位“{owner}”。")
                elif alias in db_units or alias in names_in_file:
                    row.error("aliases", f"“{alias}”是另一个单位的规范名称，不能作为别名。")
                elif alias in file_aliases and file_aliases[alias][0] != name:
                    row.error("aliases", f"别名“{alias}”与第 {file_aliases[alias][1]} 行重复。")
                else:
                    file_aliases[alias] = (name, item.number)
            earlier.add(name)
        for item in items:
            if item.row.ok and record_has_cycle(item.key, parents):
                item.row.error("parent", "上级单位关系形成了循环（某单位成了自己的上级）。")

    @staticmethod
    def _resolve_parent(parent, earlier, file_aliases, db_units, db_aliases) -> str | None:
        if parent in earlier or parent in db_units:
            return parent
        if parent in file_aliases and file_aliases[parent][0] in earlier:
            return file_aliases[parent][0]
        return db_aliases.get(parent)

    # --- Plan and write ---------------------------------------------------------------------

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, unit = item.record, item.obj
        if unit is None:
            return None, {
                "name": record["name"],
                "short_name": record["short_name"] or "",
                "kind": record["kind"] or str(UnitKind.DEPARTMENT),
                "parent": record.get("parent_name"),
                "aliases": record["aliases"],
            }
        current_aliases = [a.alias for a in unit.aliases.all()]
        before = {
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent.name if unit.parent else None,
            "aliases": current_aliases,
        }
        after = dict(before)
        if record["short_name"] is not None:
            after["short_name"] = record["short_name"]
        if record["kind"] is not None:
            after["kind"] = record["kind"]
        if record.get("parent_name"):
            after["parent"] = record["parent_name"]
        new_aliases = [a for a in record["aliases"] if a not in current_aliases]
        if new_aliases:
            after["aliases"] = current_aliases + new_aliases
        return audit.diff(before, after)

    def describe(self, item: Item) -> str:
        return item.record["name"]

    def display(self, name: str, value: Any) -> str:
        if name == "kind" and value in UnitKind.values:
            return UnitKind(value).label
        return super().display(name, value)

    def write(self, items: list[Item]) -> None:
        by_name: dict[str, Unit] = {}

        def unit_named(name: str | None) -> Unit | None:
            if not name:
                return None
            if name not in by_name:
                by_name[name] = Unit.objects.get(name=name)
            return by_name[name]

        created, updated = [], []
        for item in items:  # file order: a parent is written before its children
            after = item.after
            if item.action == CREATED:
                unit = Unit.objects.create(
                    name=after["name"],
                    short_name=after["short_name"],
                    kind=after["kind"],
                    parent=unit_named(after["parent"]),
                )
                aliases = after["aliases"]
                created.append(
                    audit.Change(
                        unit, None, {**audit.snapshot(unit, UNIT_FIELDS), "aliases": aliases}
                    )
                )
            else:
                unit = Unit.objects.select_for_update().get(pk=item.obj.pk)
                if unit.version != item.obj.version:
                    raise ImportRefused(
                        f"单位“{unit.name}”正在被他人修改，导入未执行，请重新预览。"
                    )
                for field in ("short_name", "kind"):
                    if field in after:
                        setattr(unit, field, after[field])
                if "parent" in after:
                    unit.parent = unit_named(after["parent"])
                unit.version += 1
                unit.save()
                known = set(item.before.get("aliases", [])) if item.before else set()
                aliases = [a for a in after.get("aliases", []) if a not in known]
                updated.append(audit.Change(unit, item.before, after))
            by_name[unit.name] = unit
            UnitAlias.objects.bulk_create([UnitAlias(unit=unit, alias=a) for a in aliases])
        audit.record_many(self.user, "unit.create", created, reason=self.reason)
        audit.record_many(self.user, "unit.update", updated, reason=self.reason)


def record_has_cycle(name: str, parents: dict[str, str | None]) -> bool:
    seen = {name}
    node = parents.get(name)
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parents.get(node)
    return False
