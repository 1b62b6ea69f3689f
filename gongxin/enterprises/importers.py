"""Importer of the enterprise registry (企业名录) from .xlsx/.xls/.csv.

Natural key: the 统一社会信用代码. A blank cell leaves the current value as it is (an
import never erases). 是否规上 with 年度 puts the enterprise on (or off) that year's
above-scale register. One audit row per created or changed enterprise, its register
entry included.
"""

from __future__ import annotations

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
from gongxin.enterprises.models import REGION_KINDS, Enterprise, ScaleRecord
from gongxin.enterprises.services import ENTERPRISE_FIELDS, NAME_MAX, YEARS

YES = frozenset({"是", "规上", "Y", "YES", "1", "√", "TRUE", "规模以上"})
NO = frozenset({"否", "规下", "N", "NO", "0", "×", "FALSE", "规模以下"})
SCALE_PREFIX = "above_scale_"
IDENTITY = ("name", "industry_code", "region", "land_mu", "employees")


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
