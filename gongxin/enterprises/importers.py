"""Importers of the enterprise registry from .xlsx/.xls/.csv: the registry itself
(企业名录), and the lists that hang on it — honors (荣誉资质), clusters/chains/programs
(集群/产业链/培育计划) and liaison officers (包联干部).

企业名录: natural key the 统一社会信用代码. A blank cell leaves the current value as it is
(an import never erases). 是否规上 with 年度 puts the enterprise on (or off) that year's
above-scale register. One audit row per created or changed enterprise, its register
entry included.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gongxin.accounts.choices import Role
from gongxin.accounts.models import Unit
from gongxin.accounts.services import resolve_unit
from gongxin.core import audit, uscc
from gongxin.core.imports.base import CREATED, Column, Importer, Item, Row, register
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.text import normalize_name
from gongxin.enterprises import industries
from gongxin.enterprises.choices import ClusterKind, HonorKind, HonorLevel, LiaisonLevel
from gongxin.enterprises.models import (
    REGION_KINDS,
    Cluster,
    ClusterMembership,
    Enterprise,
    Honor,
    Liaison,
    Program,
    ProgramMembership,
    ScaleRecord,
)
from gongxin.enterprises.services import (
    CLUSTER_FIELDS,
    ENTERPRISE_FIELDS,
    HONOR_FIELDS,
    LIAISON_FIELDS,
    MEMBER_FIELDS,
    NAME_MAX,
    PROGRAM_FIELDS,
    YEARS,
    mask_phone,
)

YES = frozenset({"是", "规上", "Y", "YES", "1", "√", "TRUE", "规模以上"})
NO = frozenset({"否", "规下", "N", "NO", "0", "×", "FALSE", "规模以下"})
SCALE_PREFIX = "above_scale_"
IDENTITY = ("name", "industry_code", "region", "land_mu", "employees")
PROGRAM = "program"  # the 类型 of a grouping row that names a Program, not a Cluster
CONTACT = ("title", "phone")


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


DOCUMENT_MAX = _max_length(Honor, "document")
GROUP_MAX = _max_length(Cluster, "name")
FAMILY_MAX = _max_length(Cluster, "family")
OFFICER_MAX = _max_length(Liaison, "officer_name")
TITLE_MAX = _max_length(Liaison, "title")


def masked(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Audit copy of a liaison's values: the phone number is personal data."""
    if values is None or not values.get("phone"):
        return values
    return {**values, "phone": mask_phone(values["phone"])}


@register
class EnterpriseImporter(Importer):
    slug = "enterprises"
    label = "企业名录"
    description = (
        "每行一家企业，按“统一社会信用代码”识别：已有的企业被更新，其余新建。"
        "行业代码按 GB/T 4754-2017 填写4位小类（带不带门类字母均可，如 C1311 或 1311）；"
        "所属镇街/功能区须是已有的镇街或功能区。空白单元格不改变现有内容。"
        "填写“是否规上”和“年度”时，同时登记该年度规上企业名录。"
    )
    formats = ("xlsx", "xls", "csv")
    roles = frozenset({Role.ANALYST})
    columns = (
        Column(
            "uscc",
            "统一社会信用代码",
            ("社会信用代码", "信用代码", "统一代码", "USCC"),
            required=True,
        ),
        Column("name", "企业名称", ("单位名称", "企业", "名称"), required=True),
        Column(
            "industry",
            "行业代码",
            ("国民经济行业代码", "行业分类代码", "行业小类代码", "行业小类"),
            help="GB/T 4754-2017 小类，如 C1311 或 1311",
        ),
        Column(
            "region",
            "所属镇街/功能区",
            ("所属镇街", "镇街", "功能区", "所属区域", "所在镇街", "镇街/功能区"),
        ),
        Column("land_mu", "用地面积(亩)", ("用地面积", "占地面积(亩)", "用地(亩)")),
        Column("employees", "从业人员", ("从业人员数", "从业人员(人)", "从业人数")),
        Column("above_scale", "是否规上", ("规上", "是否规上企业", "规模以上"), help="是/否"),
        Column("year", "年度", ("年份",), help="是否规上所指的年度，如 2024"),
    )

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self._regions: dict[str, Any] = {}

    # --- Rows -------------------------------------------------------------------------------

    def clean(self, row: Row) -> dict[str, Any] | None:
        code = row.text("uscc", required=True)
        if code:
            try:
                code = uscc.validate(code)
            except uscc.InvalidUSCC as error:
                row.error("uscc", str(error))
        name = normalize_name(row.text("name", required=True))
        if len(name) > NAME_MAX:
            row.error("name", f"企业名称不能超过 {NAME_MAX} 个字。")
        industry_code = None
        written = row.text("industry")
        if written:
            try:
                industry_code = industries.lookup_class(written).code
            except industries.UnknownIndustry as error:
                row.error("industry", error.message)
        region = self._region(row)
        land_mu = row.decimal("land_mu", places=2)
        if land_mu is not None and land_mu < 0:
            row.error("land_mu", "用地面积不能为负数。")
        if land_mu is not None and land_mu >= Decimal("1e10"):
            row.error("land_mu", "用地面积过大，请核对单位（亩）。")
        employees = row.integer("employees")
        if employees is not None and not 0 <= employees < 10_000_000:
            row.error("employees", "从业人员应为0或正整数。")
        above_scale, year = self._scale(row)
        if not code or not name:
            return None
        return {
            "uscc": code,
            "name": name,
            "industry_code": industry_code,
            "region": region,
            "land_mu": land_mu,
            "employees": employees,
            "above_scale": above_scale,
            "year": year,
        }

    def _region(self, row: Row) -> str | None:
        written = normalize_name(row.text("region"))
        if not written:
            return None
        if written not in self._regions:
            self._regions[written] = resolve_unit(written)
        unit = self._regions[written]
        if unit is None:
            row.error("region", f"镇街/功能区“{written}”不存在，请先在单位管理中建立。")
            return None
        if unit.kind not in REGION_KINDS:
            row.error("region", f"“{written}”不是镇街或功能区（是{unit.get_kind_display()}）。")
            return None
        return unit.name

    def _scale(self, row: Row) -> tuple[bool | None, int | None]:
        written = normalize_name(row.text("above_scale")).upper()
        above_scale = None
        if written in YES:
            above_scale = True
        elif written in NO:
            above_scale = False
        elif written:
            row.error("above_scale", f"“{written}”无法识别，请填“是”或“否”。")
        year = row.integer("year")
        if year is not None and year not in YEARS:
            row.error("year", f"年度“{year}”不正确，应为四位年份，如 2024。")
            year = None
        if above_scale is not None and year is None and row.ok:
            row.error("year", "填写了“是否规上”，须同时填写“年度”。")
        return above_scale, year

    def key(self, record: dict[str, Any]) -> str:
        return record["uscc"]

    def existing(self, keys: list) -> dict[str, Enterprise]:
        enterprises = (
            Enterprise.objects.filter(uscc__in=keys)
            .select_related("region")
            .prefetch_related("scale_records")
        )
        return {e.uscc: e for e in enterprises}

    # --- Plan and write ---------------------------------------------------------------------

    @staticmethod
    def _wanted(record: dict[str, Any]) -> dict[str, Any]:
        """The record's non-blank values as they are compared and audited."""
        wanted = {k: record[k] for k in IDENTITY if record[k] is not None}
        if "land_mu" in wanted:
            wanted["land_mu"] = str(wanted["land_mu"])
        if record["above_scale"] is not None:
            wanted[f"{SCALE_PREFIX}{record['year']}"] = record["above_scale"]
        return wanted

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, enterprise = item.record, item.obj
        wanted = self._wanted(record)
        if enterprise is None:
            return None, {"uscc": record["uscc"], **wanted}
        before = {
            "name": enterprise.name,
            "industry_code": enterprise.industry_code or None,
            "region": enterprise.region.name if enterprise.region else None,
            "land_mu": str(enterprise.land_mu) if enterprise.land_mu is not None else None,
            "employees": enterprise.employees,
        }
        if record["above_scale"] is not None:
            current = next(
                (s for s in enterprise.scale_records.all() if s.year == record["year"]), None
            )
            before[f"{SCALE_PREFIX}{record['year']}"] = (
                current.above_scale if current is not None else None
            )
        return audit.diff(before, {**before, **wanted})

    def describe(self, item: Item) -> str:
        return f"{item.record['name']}（{item.key}）"

    def field_label(self, name: str) -> str:
        if name.startswith(SCALE_PREFIX):
            return f"{name.removeprefix(SCALE_PREFIX)}年度是否规上"
        if name == "industry_code":
            return "行业代码"
        return super().field_label(name)

    def display(self, name: str, value: Any) -> str:
        if name.startswith(SCALE_PREFIX) and isinstance(value, bool):
            return "是" if value else "否"
        if name == "industry_code" and value:
            industry = industries.lookup(value)
            return f"{industry.full_code} {industry.name}"
        return super().display(name, value)

    def write(self, items: list[Item]) -> None:
        regions = {u.name: u for u in self._region_units(items)}
        created, updated = [], []
        for item in items:
            record, after = item.record, item.after
            fields = {k: after[k] for k in IDENTITY if k in after}
            if "region" in fields:
                fields["region"] = regions[fields["region"]]
            if item.action == CREATED:
                enterprise = Enterprise.objects.create(uscc=record["uscc"], **fields)
            else:
                enterprise = Enterprise.objects.select_for_update().get(pk=item.obj.pk)
                if enterprise.version != item.obj.version:
                    raise ImportRefused(
                        f"企业“{enterprise.name}”正在被他人修改，导入未执行，请重新预览。"
                    )
                for name, value in fields.items():
                    setattr(enterprise, name, value)
                enterprise.version += 1
                enterprise.save()
            scale_key = f"{SCALE_PREFIX}{record['year']}"
            if scale_key in after:
                ScaleRecord.objects.update_or_create(
                    enterprise=enterprise,
                    year=record["year"],
                    defaults={"above_scale": after[scale_key]},
                )
            if item.action == CREATED:
                snapshot = audit.snapshot(enterprise, ENTERPRISE_FIELDS)
                if scale_key in after:
                    snapshot[scale_key] = after[scale_key]
                created.append(audit.Change(enterprise, None, snapshot))
            else:
                updated.append(audit.Change(enterprise, item.before, after))
        audit.record_many(self.user, "enterprise.create", created, reason=self.reason)
        audit.record_many(self.user, "enterprise.update", updated, reason=self.reason)

    @staticmethod
    def _region_units(items: list[Item]):
        names = {i.after["region"] for i in items if i.after.get("region")}
        return Unit.objects.filter(name__in=names)


# --- Honors, groupings and liaison officers ---------------------------------------------------
#
# These lists name enterprises already in the registry by their 统一社会信用代码; a code the
# registry does not know is an error (import the 企业名录 first). The 企业名称 column, when
# present, is a cross-check for the reader: the preview names the enterprise as the registry
# does and shows the name the file wrote beside it when the two differ; it refuses nothing,
# because lists keep an enterprise's old name after it is renamed.

USCC_COLUMN = Column(
    "uscc", "统一社会信用代码", ("社会信用代码", "信用代码", "统一代码", "USCC"), required=True
)
NAME_COLUMN = Column("name", "企业名称", ("单位名称", "企业"), help="仅供核对，以信用代码为准")
QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》")


def fold(text: str) -> str:
    """A written choice as looked up: spaces and quotes removed, full-width folded, upper."""
    return normalize_name(text).translate(QUOTES).upper()


def variants(table: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    """Folded written forms → choice: the choice's code, its label and common variants."""
    return {
        fold(name): value
        for value, names in table.items()
        for name in (str(value), value.label, *names)
    }


# How bureau lists write the titles and levels (quotes and spaces are ignored, see fold).
HONOR_KINDS = variants({
    HonorKind.SRDI: ("专精特新企业", "专精特新", "专精特新中小"),
    HonorKind.LITTLE_GIANT: ("专精特新小巨人", "小巨人企业", "小巨人"),
    HonorKind.SINGLE_CHAMPION: ("制造业单项冠军企业", "制造业单项冠军示范企业", "单项冠军",
                                "单项冠军企业", "单项冠军示范企业"),
    HonorKind.HIGH_TECH: ("国家高新技术企业", "高企"),
    HonorKind.TECH_SME: ("科技型中小企",),
    HonorKind.GREEN_FACTORY: ("绿色制造示范工厂",),
    HonorKind.SMART_FACTORY: ("智能制造示范工厂",),
    HonorKind.FACTORY_5G: ("5G全连接工厂",),
    HonorKind.LIGHTHOUSE: ("全球灯塔工厂",),
})  # fmt: skip
HONOR_LEVELS = variants({
    HonorLevel.NATIONAL: ("国家", "国家层面", "全国"),
    HonorLevel.PROVINCIAL: ("省", "省部级"),
    HonorLevel.MUNICIPAL: ("市", "地市级"),
    HonorLevel.DISTRICT: ("区", "区县级", "县级", "区(市)级", "区市级", "县区级"),
})  # fmt: skip
LIAISON_LEVELS = variants({
    LiaisonLevel.CITY: ("市", "市级领导", "市级包联"),
    LiaisonLevel.DISTRICT: ("区", "区县级", "县级", "区(市)级", "区市级", "区级包联"),
    LiaisonLevel.TOWN: ("镇街", "镇级", "街道级", "镇(街道)级", "街镇级", "镇街包联"),
})  # fmt: skip
GROUP_KINDS = {
    **variants({ClusterKind.CLUSTER: ("集群",), ClusterKind.CHAIN: ("链", "重点产业链")}),
    **dict.fromkeys(map(fold, (PROGRAM, "培育计划", "计划", "培育企业", "培育名单")), PROGRAM),
}
GROUP_KIND_LABELS = {**dict(ClusterKind.choices), PROGRAM: "培育计划"}
PHONE = re.compile(r"[0-9+()\-转]{5,30}")


def read_uscc(row: Row) -> str:
    code = row.text("uscc", required=True)
    if not code:
        return ""
    try:
        return uscc.validate(code)
    except uscc.InvalidUSCC as error:
        row.error("uscc", str(error))
        return ""


def read_year(row: Row, key: str, label: str, *, required: bool) -> int | None:
    written = normalize_name(row.text(key, required=required))
    if not written:
        return None
    digits = written.removesuffix("年度").removesuffix("年")
    if not (len(digits) == 4 and digits.isdigit() and int(digits) in YEARS):
        row.error(key, f"{label}“{written}”不正确，应为四位年份，如 2024。")
        return None
    return int(digits)


def read_choice(row: Row, key: str, table: dict[str, Any], unknown: str) -> Any:
    written = row.text(key, required=True)
    if not written:
        return None
    value = table.get(fold(written))
    if value is None:
        row.error(key, unknown.format(written=written))
    return value


class RegistryListImporter(Importer):
    """An importer of rows that name registry enterprises by code (honors, groupings,
    liaison officers): the enterprise must exist; the preview names it."""

    roles = frozenset({Role.ANALYST})
    formats = ("xlsx", "xls", "csv")

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self._enterprises: dict[str, Enterprise] = {}

    def load_enterprises(self, codes) -> None:
        found = Enterprise.objects.filter(uscc__in=set(codes))
        self._enterprises.update({e.uscc: e for e in found})

    def validate(self, items: list[Item]) -> None:
        for item in items:
            code = item.record["uscc"]
            enterprise = self._enterprises.get(code)
            if enterprise is None:
                item.row.error(
                    "uscc", f"企业库中没有统一社会信用代码为“{code}”的企业，请先导入企业名录。"
                )
            item.record["enterprise"] = enterprise

    def enterprise_name(self, item: Item) -> str:
        code = item.record["uscc"]
        enterprise = self._enterprises.get(code)
        if enterprise is None:
            return code
        written = item.record.get("name") or ""
        named = f"{enterprise.name}（{code}）"
        if written and normalize_name(written) != normalize_name(enterprise.name):
            named += f"［表中写作“{written}”］"
        return named

    def read_name(self, row: Row) -> str:
        return normalize_name(row.text("name")) if row.has("name") else ""


@register
class HonorImporter(RegistryListImporter):
    slug = "honors"
    label = "荣誉资质名单"
    description = (
        "每行一家企业的一项称号，按“统一社会信用代码 + 称号 + 级别 + 认定年度”识别，企业须已在企业库中。"
        "称号为创新型中小企业、专精特新中小企业、专精特新“小巨人”企业、制造业单项冠军、高新技术企业、科技型中小企业、"
        "绿色工厂、智能工厂、5G工厂、灯塔工厂之一；级别为国家级、省级、市级或区级（也可写“国家”“省”等）。"
        "“批次/文号”可不填，空白不改变已有内容。“新增X家”按认定年度统计。"
    )
    columns = (
        USCC_COLUMN,
        NAME_COLUMN,
        Column(
            "kind",
            "称号",
            ("荣誉称号", "资质", "荣誉资质", "称号名称", "资质名称", "资质类型", "认定类型"),
            required=True,
            help="如 专精特新“小巨人”企业、高新技术企业",
        ),
        Column("level", "级别", ("认定级别", "层级", "等级"), required=True, help="国家级/省级/市级/区级"),
        Column(
            "year", "认定年度", ("年度", "认定年份", "年份", "获评年度"), required=True, help="如 2024"
        ),
        Column("document", "批次/文号", ("批次", "文号", "认定文号", "认定批次", "批次文号")),
    )  # fmt: skip

    def clean(self, row: Row) -> dict[str, Any] | None:
        code = read_uscc(row)
        name = self.read_name(row)
        kinds = "、".join(HonorKind.labels)
        kind = read_choice(
            row, "kind", HONOR_KINDS, "称号“{written}”无法识别，应为以下之一：" + kinds + "。"
        )
        level = read_choice(
            row, "level", HONOR_LEVELS, "级别“{written}”无法识别，请填国家级、省级、市级或区级。"
        )
        year = read_year(row, "year", "认定年度", required=True)
        document = row.text("document", max_length=DOCUMENT_MAX)
        if not (code and kind and level and year):
            return None
        return {
            "uscc": code,
            "name": name,
            "kind": str(kind),
            "level": str(level),
            "year": year,
            "document": document,
        }

    def key(self, record: dict[str, Any]) -> tuple:
        return (record["uscc"], record["kind"], record["level"], record["year"])

    def existing(self, keys: list) -> dict[tuple, Honor]:
        codes = {k[0] for k in keys}
        self.load_enterprises(codes)
        honors = Honor.objects.filter(enterprise__uscc__in=codes).select_related("enterprise")
        return {(h.enterprise.uscc, h.kind, h.level, h.year): h for h in honors}

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, honor = item.record, item.obj
        if honor is None:
            after = {k: record[k] for k in ("kind", "level", "year")}
            if record["document"]:
                after["document"] = record["document"]
            return None, after
        if not record["document"]:
            return {}, {}
        return audit.diff({"document": honor.document}, {"document": record["document"]})

    def describe(self, item: Item) -> str:
        record = item.record
        title = f"{record['year']}年{HonorLevel(record['level']).label}{HonorKind(record['kind']).label}"
        return f"{self.enterprise_name(item)} {title}"

    def field_label(self, name: str) -> str:
        return {"year": "认定年度"}.get(name) or super().field_label(name)

    def display(self, name: str, value: Any) -> str:
        if name == "kind" and value in HonorKind.values:
            return HonorKind(value).label
        if name == "level" and value in HonorLevel.values:
            return HonorLevel(value).label
        return super().display(name, value)

    def write(self, items: list[Item]) -> None:
        created, updated = [], []
        for item in items:
            record = item.record
            if item.action == CREATED:
                honor = Honor.objects.create(
                    enterprise=record["enterprise"],
                    kind=record["kind"],
                    level=record["level"],
                    year=record["year"],
                    document=record["document"],
                )
                created.append(audit.Change(honor, None, audit.snapshot(honor, HONOR_FIELDS)))
            else:
                honor = Honor.objects.select_for_update().get(pk=item.obj.pk)
                honor.document = item.after["document"]
                honor.save(update_fields=["document"])
                updated.append(audit.Change(honor, item.before, item.after))
        audit.record_many(self.user, "honor.create", created, reason=self.reason)
        audit.record_many(self.user, "honor.update", updated, reason=self.reason)


@register
class GroupingImporter(RegistryListImporter):
    slug = "groupings"
    label = "集群、产业链、培育计划名单"
    description = (
        "每行一家企业加入一个产业集群、产业链或培育计划，企业须已在企业库中。"
        "“类型”填产业集群、产业链或培育计划；名单中第一次出现的集群、产业链或培育计划随导入新建。"
        "培育计划按年度区分（如2024年倍增企业），须填写“年度”；产业集群和产业链不分年度，年度列对其不起作用。"
        "“是否链主”（是/否）和“所属板块”（如 五大传统优势产业）只用于产业集群和产业链，空白不改变已有内容。"
        "导入只增加和更新，不会把名单外的企业移出。"
    )
    columns = (
        USCC_COLUMN,
        NAME_COLUMN,
        Column("kind", "类型", ("名单类型", "分类", "类别"), required=True,
               help="产业集群/产业链/培育计划"),
        Column(
            "group",
            "名称",
            ("集群名称", "产业链名称", "培育计划名称", "计划名称", "名单名称", "集群/产业链名称",
             "集群/产业链/计划名称"),
            required=True,
            help="如 高端化工新材料、倍增企业",
        ),
        Column("year", "年度", ("年份", "入选年度", "计划年度"), help="培育计划必填，如 2024"),
        Column("leader", "是否链主", ("链主", "链主企业", "是否链主企业"), help="是/否"),
        Column("family", "所属板块", ("所属产业板块", "产业板块", "板块"),
               help="如 五大传统优势产业"),
    )  # fmt: skip

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self._clusters: dict[str, Cluster] = {}
        self._programs: dict[tuple[str, int], Program] = {}

    def clean(self, row: Row) -> dict[str, Any] | None:
        code = read_uscc(row)
        name = self.read_name(row)
        kind = read_choice(
            row, "kind", GROUP_KINDS, "类型“{written}”无法识别，请填产业集群、产业链或培育计划。"
        )
        kind = str(kind) if kind is not None else None
        group = normalize_name(row.text("group", required=True))
        if len(group) > GROUP_MAX:
            row.error("group", f"名称不能超过 {GROUP_MAX} 个字。")
        year = read_year(row, "year", "年度", required=False)
        leader = self._leader(row)
        family = normalize_name(row.text("family"))
        if len(family) > FAMILY_MAX:
            row.error("family", f"所属板块不能超过 {FAMILY_MAX} 个字。")
        if kind == PROGRAM:
            if year is None and row.ok:
                row.error("year", "培育计划按年度区分，须填写“年度”。")
            if leader:
                row.error("leader", "培育计划没有链主，“是否链主”应留空。")
            if family:
                row.error("family", "“所属板块”只用于产业集群和产业链，培育计划应留空。")
            leader = None
        else:
            year = None  # clusters and chains are not per year
        if not (code and kind and group):
            return None
        return {
            "uscc": code,
            "name": name,
            "kind": kind,
            "group": group,
            "year": year,
            "leader": leader,
            "family": family,
        }

    @staticmethod
    def _leader(row: Row) -> bool | None:
        written = normalize_name(row.text("leader")).upper()
        if not written:
            return None
        if written in YES or written in {"链主", "链主企业"}:
            return True
        if written in NO:
            return False
        row.error("leader", f"“{written}”无法识别，请填“是”或“否”。")
        return None

    def key(self, record: dict[str, Any]) -> tuple:
        # A cluster's name is unique whatever its kind: 产业集群 X and 产业链 X are one group.
        category = PROGRAM if record["kind"] == PROGRAM else "cluster"
        return (category, record["group"], record["year"], record["uscc"])

    def existing(self, keys: list) -> dict[tuple, Any]:
        codes = {k[3] for k in keys}
        self.load_enterprises(codes)
        cluster_names = {k[1] for k in keys if k[0] == "cluster"}
        self._clusters = {c.name: c for c in Cluster.objects.filter(name__in=cluster_names)}
        program_names = {k[1] for k in keys if k[0] == PROGRAM}
        self._programs = {
            (p.name, p.year): p for p in Program.objects.filter(name__in=program_names)
        }
        found: dict[tuple, Any] = {}
        for m in ClusterMembership.objects.filter(
            cluster__name__in=cluster_names, enterprise__uscc__in=codes
        ).select_related("cluster", "enterprise"):
            found["cluster", m.cluster.name, None, m.enterprise.uscc] = m
        for p in ProgramMembership.objects.filter(
            program__name__in=program_names, enterprise__uscc__in=codes
        ).select_related("program", "enterprise"):
            found[PROGRAM, p.program.name, p.program.year, p.enterprise.uscc] = p
        return found

    def validate(self, items: list[Item]) -> None:
        super().validate(items)
        kinds: dict[str, tuple[str, int]] = {}
        families: dict[str, tuple[str, int]] = {}
        for item in items:
            record, row = item.record, item.row
            if record["kind"] == PROGRAM:
                continue
            name, kind = record["group"], record["kind"]
            cluster = self._clusters.get(name)
            if cluster is not None and cluster.kind != kind:
                row.error(
                    "kind",
                    f"“{name}”已登记为{cluster.get_kind_display()}，"
                    f"不是{GROUP_KIND_LABELS[kind]}。",
                )
                continue
            first = kinds.setdefault(name, (kind, row.number))
            if first[0] != kind:
                row.error(
                    "kind",
                    f"“{name}”在第 {first[1]} 行是{GROUP_KIND_LABELS[first[0]]}，"
                    f"这里是{GROUP_KIND_LABELS[kind]}，请统一。",
                )
            if record["family"]:
                first = families.setdefault(name, (record["family"], row.number))
                if first[0] != record["family"]:
                    row.error(
                        "family",
                        f"“{name}”在第 {first[1]} 行的所属板块是“{first[0]}”，"
                        f"这里是“{record['family']}”，请统一。",
                    )

    @staticmethod
    def _title(record: dict[str, Any]) -> str:
        if record["kind"] == PROGRAM:
            return f"{record['year']}年培育计划“{record['group']}”"
        return f"{GROUP_KIND_LABELS[record['kind']]}“{record['group']}”"

    def _group_is_new(self, record: dict[str, Any]) -> bool:
        if record["kind"] == PROGRAM:
            return (record["group"], record["year"]) not in self._programs
        return record["group"] not in self._clusters

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, membership = item.record, item.obj
        is_program = record["kind"] == PROGRAM
        cluster = None if is_program else self._clusters.get(record["group"])
        # A family the file names and the cluster does not have yet: set with this row.
        family = record["family"] if cluster is None or cluster.family != record["family"] else ""
        if membership is None:
            after: dict[str, Any] = {
                "group": self._title(record),
                "new_group": self._group_is_new(record),
            }
            if not is_program:
                after["is_chain_leader"] = bool(record["leader"])
                if family:
                    after["family"] = family
            return None, after
        if is_program:
            return {}, {}  # a program member has nothing more to change
        before: dict[str, Any] = {"is_chain_leader": membership.is_chain_leader}
        wanted = dict(before)
        if record["leader"] is not None:
            wanted["is_chain_leader"] = record["leader"]
        if family:
            before["family"], wanted["family"] = membership.cluster.family, family
        return audit.diff(before, wanted)

    def describe(self, item: Item) -> str:
        return f"{self.enterprise_name(item)} → {self._title(item.record)}"

    def field_label(self, name: str) -> str:
        labels = {
            "group": "加入",
            "new_group": "新建该名单",
            "is_chain_leader": "链主企业",
            "family": "所属板块",
        }
        return labels.get(name) or super().field_label(name)

    def display(self, name: str, value: Any) -> str:
        if name in ("new_group", "is_chain_leader") and isinstance(value, bool):
            return "是" if value else "否"
        return super().display(name, value)

    def write(self, items: list[Item]) -> None:
        self._families = {
            i.record["group"]: i.record["family"] for i in items if i.record["family"]
        }
        self._new: dict[str, list[audit.Change]] = {"cluster": [], "program": []}
        self._changed: list[audit.Change] = []
        members: dict[str, list[audit.Change]] = {"cluster": [], "program": []}
        updated: list[audit.Change] = []
        for item in items:
            record, after = item.record, item.after
            enterprise = record["enterprise"]
            if record["kind"] == PROGRAM:
                program = self._program(record)
                joined = ProgramMembership.objects.create(program=program, enterprise=enterprise)
                snapshot = {"program": program.pk, "enterprise": enterprise.pk}
                members[PROGRAM].append(audit.Change(joined, None, snapshot))
                continue
            cluster = self._cluster(record)
            if item.action == CREATED:
                membership = ClusterMembership.objects.create(
                    cluster=cluster, enterprise=enterprise, is_chain_leader=after["is_chain_leader"]
                )
                snapshot = audit.snapshot(membership, MEMBER_FIELDS)
                members["cluster"].append(audit.Change(membership, None, snapshot))
            elif "is_chain_leader" in after:
                membership = ClusterMembership.objects.select_for_update().get(pk=item.obj.pk)
                membership.is_chain_leader = after["is_chain_leader"]
                membership.save(update_fields=["is_chain_leader"])
                updated.append(
                    audit.Change(
                        membership,
                        {"is_chain_leader": item.before["is_chain_leader"]},
                        {"is_chain_leader": after["is_chain_leader"]},
                    )
                )
        record_many = audit.record_many
        record_many(self.user, "cluster.create", self._new["cluster"], reason=self.reason)
        record_many(self.user, "program.create", self._new[PROGRAM], reason=self.reason)
        record_many(self.user, "cluster.update", self._changed, reason=self.reason)
        record_many(self.user, "cluster_member.create", members["cluster"], reason=self.reason)
        record_many(self.user, "program_member.create", members[PROGRAM], reason=self.reason)
        record_many(self.user, "cluster_member.update", updated, reason=self.reason)

    def _program(self, record: dict[str, Any]) -> Program:
        key = (record["group"], record["year"])
        if key not in self._programs:
            program = Program.objects.create(name=record["group"], year=record["year"])
            snapshot = audit.snapshot(program, PROGRAM_FIELDS)
            self._new[PROGRAM].append(audit.Change(program, None, snapshot))
            self._programs[key] = program
        return self._programs[key]

    def _cluster(self, record: dict[str, Any]) -> Cluster:
        """The row's cluster, created with the file's family when new; an existing
        cluster takes the family the file names (once, however many rows name it)."""
        name = record["group"]
        family = self._families.get(name, "")
        cluster = self._clusters.get(name)
        if cluster is None:
            cluster = Cluster.objects.create(name=name, kind=record["kind"], family=family)
            snapshot = audit.snapshot(cluster, CLUSTER_FIELDS)
            self._new["cluster"].append(audit.Change(cluster, None, snapshot))
        elif family and cluster.family != family:
            cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
            before = cluster.family
            cluster.family = family
            cluster.save(update_fields=["family"])
            self._changed.append(audit.Change(cluster, {"family": before}, {"family": family}))
        self._clusters[name] = cluster
        return cluster


@register
class LiaisonImporter(RegistryListImporter):
    slug = "liaisons"
    label = "包联干部名单"
    description = (
        "每行一家企业一个年度一个级别的包联（帮包）干部，按“统一社会信用代码 + 年度 + 包联级别”识别，"
        "企业须已在企业库中；同一企业同一年度同一级别只有一名包联干部，再次导入即更换。"
        "包联级别填市级、区级或镇街级。联系电话属于个人信息，只有局内岗位可见。"
        "空白的“职务/单位”“联系电话”不改变已有内容；更换包联干部时两者随之更换（空白即清空）。"
    )
    columns = (
        USCC_COLUMN,
        NAME_COLUMN,
        Column("year", "年度", ("包联年度", "年份"), required=True, help="如 2024"),
        Column("level", "包联级别", ("级别", "帮包级别", "包联层级", "层级"), required=True,
               help="市级/区级/镇街级"),
        Column("officer", "包联干部", ("包联领导", "帮包干部", "帮包领导", "包联人", "联络人",
                                       "服务专员", "包联干部姓名"), required=True),
        Column("title", "职务/单位", ("职务", "单位及职务", "单位职务", "工作单位及职务",
                                      "职务及单位")),
        Column("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式"),
               help="个人信息，仅局内岗位可见"),
    )  # fmt: skip

    def clean(self, row: Row) -> dict[str, Any] | None:
        code = read_uscc(row)
        name = self.read_name(row)
        year = read_year(row, "year", "年度", required=True)
        level = read_choice(
            row, "level", LIAISON_LEVELS, "包联级别“{written}”无法识别，请填市级、区级或镇街级。"
        )
        officer = normalize_name(row.text("officer", required=True))
        if len(officer) > OFFICER_MAX:
            row.error("officer", f"包联干部姓名不能超过 {OFFICER_MAX} 个字。")
        title = row.text("title", max_length=TITLE_MAX)
        phone = normalize_name(row.text("phone"))
        if phone and not PHONE.fullmatch(phone):
            row.error("phone", f"联系电话“{phone}”格式不正确，只能包含数字、“-”“+”和括号。")
        if not (code and year and level and officer):
            return None
        return {
            "uscc": code,
            "name": name,
            "year": year,
            "level": str(level),
            "officer_name": officer,
            "title": title,
            "phone": phone,
        }

    def key(self, record: dict[str, Any]) -> tuple:
        return (record["uscc"], record["year"], record["level"])

    def existing(self, keys: list) -> dict[tuple, Liaison]:
        codes = {k[0] for k in keys}
        self.load_enterprises(codes)
        liaisons = Liaison.objects.filter(enterprise__uscc__in=codes).select_related("enterprise")
        return {(li.enterprise.uscc, li.year, li.level): li for li in liaisons}

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, liaison = item.record, item.obj
        if liaison is None:
            after = {k: record[k] for k in ("year", "level", "officer_name")}
            after.update({k: record[k] for k in CONTACT if record[k]})
            return None, after
        before = audit.snapshot(liaison, ("officer_name", *CONTACT))
        if record["officer_name"] != liaison.officer_name:
            # Another officer: the old one's title and phone go with them.
            wanted = {k: record[k] for k in ("officer_name", *CONTACT)}
        else:
            wanted = {k: record[k] for k in CONTACT if record[k]}
        return audit.diff(before, {**before, **wanted})

    def describe(self, item: Item) -> str:
        record = item.record
        level = LiaisonLevel(record["level"]).label
        return f"{self.enterprise_name(item)} {record['year']}年{level}包联"

    def field_label(self, name: str) -> str:
        labels = {"level": "包联级别", "officer_name": "包联干部"}
        return labels.get(name) or super().field_label(name)

    def display(self, name: str, value: Any) -> str:
        if name == "level" and value in LiaisonLevel.values:
            return LiaisonLevel(value).label
        return super().display(name, value)

    def write(self, items: list[Item]) -> None:
        created, updated = [], []
        for item in items:
            record, after = item.record, item.after
            if item.action == CREATED:
                liaison = Liaison.objects.create(
                    enterprise=record["enterprise"],
                    year=record["year"],
                    level=record["level"],
                    officer_name=record["officer_name"],
                    title=record["title"],
                    phone=record["phone"],
                )
                snapshot = audit.snapshot(liaison, LIAISON_FIELDS)
                created.append(audit.Change(liaison, None, masked(snapshot)))
            else:
                liaison = Liaison.objects.select_for_update().get(pk=item.obj.pk)
                for name, value in after.items():
                    setattr(liaison, name, value)
                liaison.save(update_fields=list(after))
                updated.append(audit.Change(liaison, masked(item.before), masked(after)))
        audit.record_many(self.user, "liaison.create", created, reason=self.reason)
        audit.record_many(self.user, "liaison.update", updated, reason=self.reason)


FIGURE_PERIOD = {
    "quarter": re.compile(r"^(\d{4})\s*(?:-|年)?\s*(?:Q|q|第?一季度|一季度|1季度)$"),
    "year": re.compile(r"^(\d{4})\s*年?(?:度)?$"),
    "month": re.compile(r"^(\d{4})\s*[-年./]\s*(\d{1,2})\s*月?$"),
}
PROVENANCE_NAMES = {
    "企业申报": "declared",
    "申报": "declared",
    "行政记录": "admin",
    "部门数据": "admin",
}


def figure_features() -> dict[str, Any]:
    """The catalog features kept as EnterpriseFigure rows, by code and by Chinese label."""
    from gongxin.analytics import catalog
    from gongxin.policies.features import SOURCES

    found: dict[str, Any] = {}
    for code, source in SOURCES.items():
        if source.kind == "figure":
            feature = catalog.get(code)
            found[code] = found[normalize_name(feature.label)] = feature
    return found


def read_figure_period(written: str, rule: str) -> str | None:
    text = normalize_name(written).replace("第", "")
    if rule == "quarter":
        q = FIGURE_PERIOD["quarter"].match(text) or re.match(r"^(\d{4})-?Q1$", text, re.I)
        return f"{q.group(1)}-Q1" if q else None
    if rule in ("year", "year_plan"):
        y = FIGURE_PERIOD["year"].match(text)
        return y.group(1) if y else None
    m = FIGURE_PERIOD["month"].match(text)
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m and 1 <= int(m.group(2)) <= 12 else None


@register
class FigureImporter(RegistryListImporter):
    slug = "figures"
    label = "企业申报与行政记录数据"
    description = (
        "每行一家企业的一个指标值，按“统一社会信用代码 + 指标 + 期别 + 来源”识别，企业须已在企业库中。"
        "指标为指标目录中的申报类或行政记录类指标（如“一季度工业产值（企业申报）”“上年营业收入（税务）”）；"
        "期别按指标填写：一季度指标写“2024年一季度”或“2024-Q1”，年度指标写“2024”。金额可用元、千元、万元、亿元，"
        "统一折算为万元保存。来源须与指标一致（企业申报或行政记录）。统计调查数据不经此处导入。"
    )
    columns = (
        USCC_COLUMN,
        NAME_COLUMN,
        Column("feature", "指标", ("指标名称", "项目"), required=True),
        Column("period", "期别", ("统计期", "年度", "期间"), required=True, help="2024、2024年一季度"),
        Column("value", "数值", ("数据", "金额", "值"), required=True),
        Column("unit", "单位", ("计量单位",), help="元/千元/万元/亿元；比例填 %"),
        Column("provenance", "来源", ("数据来源", "来源类型"), required=True, help="企业申报/行政记录"),
        Column("source", "出处", ("提供部门", "申报材料", "出处单位"), help="如 区税务局、开门红申报表"),
    )  # fmt: skip

    def clean(self, row: Row) -> dict[str, Any] | None:
        from gongxin.core.imports.values import CellError, parse_decimal, to_wan

        code = read_uscc(row)
        features = figure_features()
        written = row.text("feature", required=True)
        feature = features.get(written) or features.get(normalize_name(written))
        if written and feature is None:
            labels = "、".join(sorted({f.label for f in features.values()}))
            row.error("feature", f"指标“{written}”不能经此导入，可导入的指标：{labels}。")
        provenance = PROVENANCE_NAMES.get(normalize_name(row.text("provenance", required=True)))
        if row.text("provenance") and provenance is None:
            row.error("provenance", "来源应为“企业申报”或“行政记录”。")
        elif feature is not None and provenance is not None and provenance != feature.provenance:
            expected = "企业申报" if feature.provenance == "declared" else "行政记录"
            row.error("provenance", f"指标“{feature.label}”的来源应为{expected}。")
        period = None
        if feature is not None and row.text("period"):
            period = read_figure_period(row.text("period"), feature.period_rule)
            if period is None:
                row.error(
                    "period",
                    f"期别“{row.text('period')}”与指标“{feature.label}”不符（{catalog_rule(feature)}）。",
                )
        value = None
        try:
            value = parse_decimal(row.raw("value"))
        except CellError as problem:
            row.error("value", problem.message)
        unit = normalize_name(row.text("unit")) or (feature.unit if feature else "")
        if feature is not None and value is not None:
            if feature.unit == "万元" and unit in ("元", "千元", "万元", "亿元"):
                value = to_wan(value, unit)
            elif unit != feature.unit:
                row.error(
                    "unit",
                    f"单位“{unit}”与指标“{feature.label}”（{feature.unit or '无单位'}）不符。",
                )
        if not row.ok or feature is None or value is None or period is None:
            return None
        return {"uscc": code, "name": self.read_name(row), "feature": feature.code, "period": period,
                "value": value, "provenance": provenance, "source": row.text("source", max_length=100)}  # fmt: skip

    def key(self, record: dict[str, Any]) -> tuple:
        return (record["uscc"], record["feature"], record["period"], record["provenance"])

    def existing(self, keys: list) -> dict[tuple, Any]:
        from gongxin.enterprises.models import EnterpriseFigure

        codes = {k[0] for k in keys}
        self.load_enterprises(codes)
        figures = EnterpriseFigure.objects.filter(enterprise__uscc__in=codes).select_related(
            "enterprise"
        )
        return {(f.enterprise.uscc, f.feature, f.period, f.provenance): f for f in figures}

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record, figure = item.record, item.obj
        after = {
            "value": str(record["value"].quantize(Decimal("0.0001"))),
            "source": record["source"],
        }
        if figure is None:
            return None, after
        return audit.diff({"value": str(figure.value), "source": figure.source}, after)

    def describe(self, item: Item) -> str:
        from gongxin.analytics import catalog

        record = item.record
        return f"{self.enterprise_name(item)} {record['period']} {catalog.get(record['feature']).label}"

    def write(self, items: list[Item]) -> None:
        from gongxin.enterprises.services import apply_figures

        rows = [
            {"enterprise_id": item.record["enterprise"].pk, "feature": item.record["feature"],
             "period": item.record["period"], "value": item.record["value"],
             "provenance": item.record["provenance"], "source": item.record["source"]}
            for item in items if item.action != "unchanged"
        ]  # fmt: skip
        apply_figures(self.user, rows, reason=self.reason)


def catalog_rule(feature) -> str:
    from gongxin.analytics.catalog import PERIOD_RULES

    return PERIOD_RULES[feature.period_rule]
