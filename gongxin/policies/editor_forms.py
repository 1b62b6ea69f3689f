"""The clause editor's forms: a policy's fields, a clause's fields, the criteria builder
(rows of 指标/比较/阈值/单位 in AND/OR groups), the award rule and a new dated parameter.

The builder's conversion is pure (no database): `tree_to_builder` turns a stored criteria
tree into rows for the form, `builder_from_data` reads the posted rows back, and
`builder_to_tree` writes the JSON tree that `services.save_clause` checks and stores. Users
pick features, comparators and units from lists labelled in Chinese; what they post is
only ever data (catalog codes, numbers, list values), checked by `criteria.check`, never
evaluated or pasted into SQL. A crafted code that is not in the catalog is passed on
unchanged so that the check refuses it with its own Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from gongxin.analytics import catalog
from gongxin.analytics.catalog import PROVENANCE_LABELS, Provenance
from gongxin.policies import features
from gongxin.policies.criteria import MONEY_IN_WAN, OPS
from gongxin.policies.models import Clause, Policy

TOP = 0  # the group index of rows that sit directly in the top group
GROUP_MODES = {"all": "全部满足", "any": "满足其一"}
MONEY_UNITS = list(MONEY_IN_WAN)  # 元 千元 万元 亿元
PARAMETER_UNITS = ["", "万元", "元", "千元", "亿元", "%", "亩", "人", "家", "吨标准煤"]
AWARD_KINDS = {
    "": "不涉及资金",
    "cap": "最高额（只显示上限）",
    "fixed": "定额",
    "rate": "按比例",
    "tiers": "分档",
}
SURVEY_NOTE = (
    "统计调查数据只能用于统计目的（统计法第二十五条）：只有在本地已书面记载合法依据时，"
    "才可勾选“统计调查”。"
)


class EditorError(ValueError):
    """A stored clause the form cannot show (e.g. nested deeper than one sub-group)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- catalog lists ------------------------------------------------------------------------
def units_for(unit: str) -> list[str]:
    """The units a threshold of a feature stored in `unit` may be written in."""
    if unit == "万元":
        return list(MONEY_UNITS)
    return [unit]


def policy_features() -> list[catalog.Feature]:
    """The catalog features a clause may read (those the compiler has a source for)."""
    return [catalog.get(code) for code in features.SOURCES if code in catalog.CATALOG]


def feature_label(feature: catalog.Feature) -> str:
    unit = f"（{feature.unit}）" if feature.unit else ""
    return f"{feature.label}{unit}"


def feature_choices() -> list[tuple[str, Any]]:
    """The 指标 select: grouped by provenance, Chinese labels with units."""
    grouped: dict[str, list[tuple[str, str]]] = {p: [] for p in PROVENANCE_LABELS}
    for feature in policy_features():
        grouped[feature.provenance].append((feature.code, feature_label(feature)))
    return [("", "请选择指标")] + [
        (PROVENANCE_LABELS[p], rows) for p, rows in grouped.items() if rows
    ]


def op_choices(kind: str) -> list[tuple[str, str]]:
    if kind == "category":
        return [("in", OPS["in"])]
    if kind == "flag":
        return [("eq", "为")]
    return [(op, word) for op, word in OPS.items() if op != "in"]


def category_values(code: str) -> list[tuple[str, str]]:
    """The values a category feature may be compared with, labelled in Chinese."""
    if code == "industry_code":
        from gongxin.enterprises.industries import children, sections

        values = []
        for section in sections():
            values.append((section.code, f"{section.code} {section.name}（门类）"))
            values += [(d.code, f"　{d.code} {d.name}") for d in children(section.code)]
        return values
    if code == "region":
        from gongxin.accounts.choices import UnitKind
        from gongxin.accounts.models import Unit

        units = Unit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.ZONE], is_active=True)
        return [(str(u.pk), u.name) for u in units]
    if code == "honors":
        from gongxin.enterprises.choices import HonorKind

        return list(HonorKind.choices)
    if code == "evaluation_class":
        from gongxin.evaluation.models import CLASS_LABELS

        return list(CLASS_LABELS.items())
    return []


# --- the builder, as plain data -----------------------------------------------------------
@dataclass
class Row:
    """One criterion as the form shows it; `group` is TOP or a sub-group's number."""

    feature: str = ""
    op: str = ""
    source: str = "value"  # value | param
    value: str = ""  # a number as typed
    values: list[str] = field(default_factory=list)  # the chosen values of a category
    flag: str = "true"  # true | false
    unit: str = ""
    param: str = ""
    group: int = TOP

    @property
    def kind(self) -> str:
        found = catalog.CATALOG.get(self.feature)
        return found.kind if found else "number"


@dataclass
class Builder:
    top: str = "all"
    groups: dict[int, str] = field(default_factory=dict)  # sub-group number → all | any
    rows: list[Row] = field(default_factory=list)

    def items(self) -> list[tuple[str, Any]]:
        """The top group's children in order: ("row", (index, Row)) or ("group", (k, mode,
        [(index, Row)…])); a sub-group sits where its first row is, an empty one last."""
        out: list[tuple[str, Any]] = []
        placed: dict[int, list] = {}
        for i, row in enumerate(self.rows):
            if row.group == TOP or row.group not in self.groups:
                out.append(("row", (i, row)))
            elif row.group in placed:
                placed[row.group].append((i, row))
            else:
                placed[row.group] = [(i, row)]
                out.append(("group", (row.group, self.groups[row.group], placed[row.group])))
        for k, mode in self.groups.items():
            if k not in placed:
                out.append(("group", (k, mode, [])))
        return out


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    return str(value)


def _row_from_leaf(leaf: Mapping[str, Any], group: int) -> Row:
    row = Row(feature=str(leaf.get("feature", "")), op=str(leaf.get("op", "")), group=group)
    if "param" in leaf:
        row.source, row.param = "param", str(leaf["param"])
        return row
    value = leaf.get("value")
    if isinstance(value, list):
        row.values = [str(v) for v in value]
    elif isinstance(value, bool):
        row.flag = "true" if value else "false"
    else:
        row.value = _number_text(value)
        found = catalog.CATALOG.get(row.feature)
        row.unit = str(leaf.get("unit") or (found.unit if found else ""))
    return row


def tree_to_builder(tree: Mapping[str, Any] | None) -> Builder:
    """A stored criteria tree → the builder's rows (one level of sub-groups)."""
    if not tree:
        return Builder(rows=[Row()])
    if "feature" in tree:  # a single criterion stored bare
        tree = {"all": [tree]}
    top = "all" if "all" in tree else "any"
    builder = Builder(top=top)
    for child in tree.get(top) or []:
        if not isinstance(child, Mapping):
            raise EditorError("条件格式不正确，无法在表单中编辑。")
        if "feature" in child:
            builder.rows.append(_row_from_leaf(child, TOP))
            continue
        mode = "all" if "all" in child else "any"
        k = len(builder.groups) + 1
        builder.groups[k] = mode
        for leaf in child.get(mode) or []:
            if not isinstance(leaf, Mapping) or "feature" not in leaf:
                raise EditorError("该条款的条件组嵌套超过一层，无法在表单中编辑。")
            builder.rows.append(_row_from_leaf(leaf, k))
    return builder


def _json_number(text: str) -> Any:
    """A typed number as JSON (int when whole); text that is no number is kept, so the
    criteria check names it."""
    try:
        number = Decimal(text.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def _leaf(row: Row) -> dict:
    leaf: dict[str, Any] = {"feature": row.feature, "op": row.op}
    if row.source == "param":
        leaf["param"] = row.param
    elif row.kind == "category":
        leaf["value"] = list(row.values)
    elif row.kind == "flag":
        leaf["value"] = row.flag == "true"
    else:
        leaf["value"] = _json_number(row.value)
        leaf["unit"] = row.unit
    return leaf


def builder_to_tree(builder: Builder) -> dict:
    """The criteria tree the form describes; empty groups stay empty for the check."""
    children: list[dict] = []
    for what, item in builder.items():
        if what == "row":
            children.append(_leaf(item[1]))
        else:
            _, mode, rows = item
            children.append({mode: [_leaf(row) for _, row in rows]})
    return {builder.top: children}


_ROW_KEY = re.compile(r"^c-(\d+)-feature$")
_GROUP_KEY = re.compile(r"^g-(\d+)-mode$")


def _int(text: Any, default: int) -> int:
    try:
        return int(str(text))
    except ValueError:
        return default


def builder_from_data(data) -> Builder:
    """The builder posted as c-<i>-… rows and g-<k>-mode groups (a QueryDict or a dict of
    lists); rows keep their posted order."""
    get = (
        (lambda key: data.get(key, ""))
        if hasattr(data, "getlist")
        else (lambda key: (data.get(key) or [""])[0])
    )
    getlist = data.getlist if hasattr(data, "getlist") else (lambda key: list(data.get(key, [])))
    top = get("top")
    builder = Builder(top=top if top in GROUP_MODES else "all")
    for k in sorted(int(m.group(1)) for key in data if (m := _GROUP_KEY.match(key))):
        mode = get(f"g-{k}-mode")
        builder.groups[k] = mode if mode in GROUP_MODES else "all"
    indices = sorted(int(m.group(1)) for key in data if (m := _ROW_KEY.match(key)))
    for i in indices:
        p = f"c-{i}-"
        builder.rows.append(
            Row(
                feature=get(p + "feature").strip(),
                op=get(p + "op").strip(),
                source="param" if get(p + "source") == "param" else "value",
                value=get(p + "value").strip(),
                values=[v for v in getlist(p + "values") if v],
                flag="false" if get(p + "flag") == "false" else "true",
                unit=get(p + "unit").strip(),
                param=get(p + "param").strip(),
                group=_int(get(p + "group"), TOP),
            )
        )
    return builder


def builder_as_data(builder: Builder) -> dict[str, list[str]]:
    """What the builder's page posts back (the form's fields as lists of strings)."""
    data: dict[str, list[str]] = {"top": [builder.top]}
    for k, mode in builder.groups.items():
        data[f"g-{k}-mode"] = [mode]
    for i, row in enumerate(builder.rows):
        p = f"c-{i}-"
        data.update({p + "feature": [row.feature], p + "op": [row.op], p + "source": [row.source],
                     p + "value": [row.value], p + "values": list(row.values),
                     p + "flag": [row.flag], p + "unit": [row.unit], p + "param": [row.param],
                     p + "group": [str(row.group)]})  # fmt: skip
    return data


def apply_action(builder: Builder, action: str) -> Builder:
    """The builder's buttons: add:<k> adds a row to group k (0 = top), remove:<i> removes
    row i, addgroup adds a sub-group with one row, removegroup:<k> removes sub-group k."""
    name, _, arg = action.partition(":")
    n = _int(arg, -1)
    if name == "add" and (n == TOP or n in builder.groups):
        last = max((i for i, r in enumerate(builder.rows) if r.group == n), default=None)
        at = len(builder.rows) if last is None or n == TOP else last + 1
        builder.rows.insert(at, Row(group=n))
    elif name == "remove" and 0 <= n < len(builder.rows):
        del builder.rows[n]
    elif name == "addgroup":
        k = max(builder.groups, default=0) + 1
        builder.groups[k] = "any"
        builder.rows.append(Row(group=k))
    elif name == "removegroup" and n in builder.groups:
        del builder.groups[n]
        builder.rows = [r for r in builder.rows if r.group != n]
    return builder


def incomplete_rows(builder: Builder) -> list[str]:
    """Rows a user left half-filled, named in Chinese (before the criteria check)."""
    errors = []
    for number, row in enumerate(builder.rows, start=1):
        found = catalog.CATALOG.get(row.feature)
        name = f"第{number}个条件" + (f"（{found.label}）" if found else "")
        if not row.feature:
            errors.append(f"{name}：请选择指标。")
        elif row.source == "param":
            if not row.param:
                errors.append(f"{name}：请选择引用的参数。")
        elif row.kind == "category" and not row.values:
            errors.append(f"{name}：请至少选择一项。")
        elif row.kind == "number" and not row.value:
            errors.append(f"{name}：请填写阈值。")
    return errors


def unknown_values(builder: Builder) -> list[str]:
    """Category values that are not in the feature's list (only a crafted POST has them;
    criteria.check does not know the lists, so the editor checks them here)."""
    errors = []
    for number, row in enumerate(builder.rows, start=1):
        found = catalog.CATALOG.get(row.feature)
        if found is None or found.kind != "category" or row.source == "param":
            continue
        allowed = {value for value, _ in category_values(row.feature)}
        wrong = [v for v in row.values if v not in allowed]
        if wrong:
            errors.append(
                f"第{number}个条件（{found.label}）：取值“{'、'.join(wrong)}”不在可选范围内。"
            )
    return errors


# --- award rule ---------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value)


def award_to_fields(award: Mapping[str, Any] | None) -> dict[str, Any]:
    award = award or {}
    return {
        "award_kind": award.get("kind", ""),
        "award_cap": _text(award.get("cap")),
        "award_amount": _text(award.get("amount")),
        "award_base": _text(award.get("base")),
        "award_rate": _text(award.get("rate")),
        "award_stages": "、".join(str(s) for s in award.get("stages") or []),
        "tiers": [(_text(t.get("from")), _text(t.get("amount"))) for t in award.get("tiers") or []],
    }


def fields_to_award(fields: Mapping[str, Any]) -> dict:
    """The award rule (numbers as JSON numbers; awards.check refuses bad ones)."""
    kind = fields.get("award_kind") or ""
    if not kind:
        return {}
    award: dict[str, Any] = {"kind": kind}
    if kind in ("rate", "tiers"):
        award["base"] = fields.get("award_base") or ""
    if kind == "fixed":
        award["amount"] = _json_number(_text(fields.get("award_amount")))
    if kind == "rate":
        award["rate"] = _json_number(_text(fields.get("award_rate")))
    if kind == "tiers":
        award["tiers"] = [
            {"from": _json_number(low), "amount": _json_number(amount)}
            for low, amount in fields.get("tiers") or []
            if low.strip() or amount.strip()
        ]
    cap = _text(fields.get("award_cap")).strip()
    if cap or kind == "cap":
        award["cap"] = _json_number(cap)
    stages = [s for s in re.split(r"[、,，;；\s]+", _text(fields.get("award_stages"))) if s]
    if stages:
        award["stages"] = [_json_number(s) for s in stages]
    return award


AWARD_NUMBERS = {"award_cap": "上限", "award_amount": "金额", "award_rate": "比例"}
AWARD_NEEDS = {"cap": ["award_cap"], "fixed": ["award_amount"], "rate": ["award_base", "award_rate"],
               "tiers": ["award_base"]}  # fmt: skip


def award_errors(fields: Mapping[str, Any]) -> list[str]:
    """What the award part of the form lacks, in Chinese (awards.check does the rest)."""
    kind = fields.get("award_kind") or ""
    if not kind:
        return []
    name = AWARD_KINDS.get(kind, kind)
    errors = []
    for key in AWARD_NEEDS.get(kind, []):
        if not _text(fields.get(key)).strip():
            label = "计算基数" if key == "award_base" else AWARD_NUMBERS[key]
            errors.append(f"奖补方式“{name}”需要填写{label}。")
    for key, label in AWARD_NUMBERS.items():
        text = _text(fields.get(key)).strip()
        if text and isinstance(_json_number(text), str):
            errors.append(f"奖补{label}“{text}”不是数字。")
    if kind == "tiers":
        tiers = [(a, b) for a, b in fields.get("tiers") or [] if a.strip() or b.strip()]
        if not tiers:
            errors.append("“分档”奖补至少需要一档（起点和金额）。")
        for low, amount in tiers:
            if isinstance(_json_number(low), str) or isinstance(_json_number(amount), str):
                errors.append(f"分档“{low or '—'}：{amount or '—'}”应填写两个数字。")
    return errors


def tiers_from_data(data) -> list[tuple[str, str]]:
    indices = sorted(int(m.group(1)) for key in data if (m := re.match(r"^tier-(\d+)-from$", key)))
    return [(data.get(f"tier-{i}-from", ""), data.get(f"tier-{i}-amount", "")) for i in indices]


# --- Django forms -------------------------------------------------------------------------
class PolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Policy
        fields = ["code", "title", "issuer", "doc_number", "effective_from", "effective_to",
                  "source_text"]  # fmt: skip
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source_text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"code": "英文字母、数字和连字符，如 kmh-2024；创建后不可修改。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        """A new code that exists is reported in Chinese; an edit keeps its code."""
        code = self.cleaned_data.get("code")
        if not self.instance.pk and code and Policy.objects.filter(code=code).exists():
            self.add_error("code", f"政策代码“{code}”已存在。")

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "有效期至不能早于施行日期。")
        return data


def provenance_choices() -> list[tuple[str, str]]:
    return list(PROVENANCE_LABELS.items())


DEFAULT_PROVENANCES = [Provenance.DECLARED, Provenance.ADMIN, Provenance.REGISTRY]


class ClauseForm(forms.Form):
    """A clause's own fields and its award rule; the criteria rows and tiers are read
    from the same POST by the pure functions above."""

    code = forms.SlugField(
        label="条款代码",
        max_length=60,
        help_text="英文字母、数字和连字符，如 reward；创建后不可修改。",
    )
    title = forms.CharField(label="条款名称", max_length=200)
    text = forms.CharField(
        label="条款原文", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mode = forms.ChoiceField(
        label="兑现方式", choices=Clause.Mode.choices, initial=Clause.Mode.APPLY
    )
    year = forms.IntegerField(label="政策年度", required=False, min_value=2000, max_value=2100)
    exclusive_group = forms.SlugField(
        label="就高不重复组",
        required=False,
        max_length=60,
        help_text="同组条款只取最高一档（如 bangbao）；留空表示不参与。",
    )
    provenances = forms.MultipleChoiceField(
        label="允许读取的数据来源",
        choices=provenance_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_PROVENANCES,
        help_text=SURVEY_NOTE,
    )
    award_kind = forms.ChoiceField(
        label="奖补方式", choices=list(AWARD_KINDS.items()), required=False
    )
    award_cap = forms.CharField(
        label="上限（万元）", required=False, help_text="最高额必填；按比例、分档可选。"
    )
    award_amount = forms.CharField(label="金额（万元）", required=False, help_text="仅定额。")
    award_base = forms.ChoiceField(
        label="计算基数",
        required=False,
        help_text="按比例、分档：以哪项金额计算（如一季度新增产值）。",
    )
    award_rate = forms.CharField(
        label="比例（%）", required=False, help_text="仅按比例，如 1 表示 1%。"
    )
    award_stages = forms.CharField(
        label="分期拨付（%）",
        required=False,
        help_text="如“40、60”：先拨40%，验收后拨60%；各期之和应为100。留空为一次拨付。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        money = [f for f in policy_features() if f.unit == "万元"]
        self.fields["award_base"].choices = [("", "—")] + [
            (f.code, feature_label(f)) for f in money
        ]
        if editing:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        base = data.get("award_base")
        if data.get("award_kind") in ("rate", "tiers") and base:
            read = features.provenances_read(base)
            allowed = set(data.get("provenances") or [])
            if not read <= allowed:
                names = "、".join(PROVENANCE_LABELS[p] for p in sorted(read - allowed))
                self.add_error(
                    "award_base", f"计算基数的数据来源为{names}，不在本条款允许读取的来源中。"
                )
        return data


class ParameterForm(forms.Form):
    """A new dated value of a parameter (a change is a new row, never an edit)."""

    name = forms.ChoiceField(label="参数", required=False)
    new_name = forms.SlugField(
        label="新参数代码", required=False, max_length=60, help_text="新参数时填写，如 min_growth。"
    )
    label = forms.CharField(label="名称", required=False, max_length=100)
    value = forms.CharField(label="取值", required=False, max_length=100)
    unit = forms.ChoiceField(
        label="单位", required=False, choices=[(u, u or "无") for u in PARAMETER_UNITS]
    )
    effective_from = forms.DateField(
        label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.CharField(label="依据文件", required=False, max_length=200)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(
        self,
        *args,
        existing: Mapping[str, str] | None = None,
        units: Mapping[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.existing = dict(existing or {})
        self.units = dict(units or {})  # an existing parameter's latest unit
        self.fields["name"].choices = [("", "新参数")] + [
            (name, f"{label}（{name}）") for name, label in self.existing.items()
        ]

    def clean(self):
        data = super().clean()
        if not (data.get("value") or "").strip():
            return data  # nothing added
        name = data.get("name") or data.get("new_name")
        if not name:
            self.add_error("new_name", "请选择参数或填写新参数代码。")
        elif not data.get("name") and name in self.existing:
            self.add_error("new_name", f"参数“{name}”已存在，请在“参数”中选择它以新增一个取值。")
        if not data.get("label") and name not in self.existing:
            self.add_error("label", "请填写参数名称。")
        if not data.get("effective_from"):
            self.add_error("effective_from", "请填写生效日期。")
        if not (data.get("document") or "").strip():
            self.add_error("document", "请填写依据文件（文件名称和文号）。")
        return data

    def parameter(self) -> dict | None:
        """The new row for services.save_clause, or None when nothing was filled in."""
        data = self.cleaned_data
        if not (data.get("value") or "").strip():
            return None
        name = data.get("name") or data["new_name"]
        return {
            "name": name,
            "label": data.get("label") or self.existing.get(name, name),
            "value": _json_number(data["value"].strip()),
            # a new value of 3 for a threshold kept in 亿元 stays in 亿元 unless told otherwise
            "unit": data.get("unit") or self.units.get(name, ""),
            "effective_from": data["effective_from"],
            "document": data["document"].strip(),
            "note": (data.get("note") or "").strip(),
        }


# --- what the builder template shows -----------------------------------------------------
@dataclass
class RowView:
    index: int
    row: Row
    kind: str
    ops: list[tuple[str, str]]
    units: list[str]
    values: list[tuple[str, str, bool]]  # a category's values: (value, label, chosen)
    params: list[tuple[str, str]]
    known: bool  # the feature is one a clause may read
    param_known: bool


def builder_view(builder: Builder, params: Mapping[str, str]) -> list[dict]:
    """The builder's items with each row's choices (its comparators, units and values
    follow its feature), for the template."""
    cache: dict[str, list[tuple[str, str]]] = {}

    def view(i: int, row: Row) -> RowView:
        found = catalog.CATALOG.get(row.feature)
        kind = found.kind if found else "number"
        if kind == "category" and row.feature not in cache:
            cache[row.feature] = category_values(row.feature)
        chosen = set(row.values)
        if found and not row.unit:
            row.unit = found.unit  # a new row starts in the feature's own unit
        return RowView(
            index=i,
            row=row,
            kind=kind,
            ops=op_choices(kind),
            units=units_for(found.unit) if found else [row.unit],
            values=[(v, label, v in chosen) for v, label in cache.get(row.feature, [])],
            params=[(name, f"{label}（{name}）") for name, label in params.items()],
            known=found is not None and row.feature in features.SOURCES,
            param_known=row.param in params,
        )

    items = []
    for what, item in builder.items():
        if what == "row":
            items.append({"kind": "row", "row": view(*item)})
        else:
            k, mode, rows = item
            items.append({"kind": "group", "k": k, "mode": mode,
                          "rows": [view(i, r) for i, r in rows]})  # fmt: skip
    return items
