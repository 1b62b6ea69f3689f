"""Forms of the evaluation pages: 公示 until a date, an enterprise's objection, the
bureau's decision on it (with corrected figures), the scheme editor (indicator,
restriction and adjustment rows, the class rule, the legal basis) and the copy of a scheme
to another year. Rules themselves are checked by services.save_scheme."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from gongxin.analytics import catalog
from gongxin.enterprises.choices import HonorKind
from gongxin.evaluation import display, engine, rules, services
from gongxin.evaluation.features import RATIOS
from gongxin.evaluation.models import Scheme

DATE = forms.DateInput(attrs={"type": "date"})


class NoticeForm(forms.Form):
    until = forms.DateField(label="公示截止日期", widget=DATE, help_text="异议受理至该日（含）")


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label="异议内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    evidence = forms.CharField(
        label="证明材料说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="如完税证明、不动产权证、供电部门出具的用电量证明等",
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[("accept", "采纳"), ("reject", "不采纳")],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label="处理意见", max_length=2000)
    feature = forms.ChoiceField(label="更正数据项", required=False)
    value = forms.DecimalField(
        label="更正后的数值", required=False, max_digits=18, decimal_places=4
    )

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        checked = services.scheme_rules(scheme)
        codes = engine.input_codes(checked) + engine.flag_codes(checked)
        self.fields["feature"].choices = [("", "不更正数据")] + [
            (c, f"{display.label_of(c)}{f'（{display.unit_of(c)}）' if display.unit_of(c) else ''}")
            for c in codes
            if c not in rules.DERIVED_FLAGS
        ]

    def clean(self):
        data = super().clean()
        if data.get("feature") and data.get("value") is None:
            self.add_error("value", "请填写更正后的数值。")
        if data.get("feature") and data.get("decision") == "reject":
            self.add_error("feature", "未采纳的异议不能更正数据。")
        return data

    def corrections(self) -> list[dict]:
        data = self.cleaned_data
        return [{"feature": data["feature"], "value": data["value"]}] if data.get("feature") else []


# --- the scheme editor --------------------------------------------------------------------------
# The row forms leave the rules unchecked: services.save_scheme (rules.check_scheme) checks
# them and words the errors. A new row left as rendered is ignored, which needs each of its
# selects to start on its first choice (what the browser posts for an untouched select).
SMALL = forms.TextInput(attrs={"size": 6})
TINY = forms.TextInput(attrs={"size": 4})
PICK = {"required": "请选择。"}


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


class RowForm(forms.Form):
    """One row of a scheme list; `new` for the blank rows offered for adding."""

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        # the cells sit under the table's column heads, without a <label> of their own
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label or ""))


class RowFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index),
                "new": index is None or index >= self.initial_form_count()}  # fmt: skip

    def rules(self) -> list[dict]:
        """The rows kept (not deleted, not left blank) as the scheme stores them."""
        return [f.rule() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _formset(form: type[RowForm]) -> type[RowFormSet]:
    return forms.formset_factory(form, formset=RowFormSet, extra=1, can_delete=True,
                                 can_delete_extra=False)  # fmt: skip


class IndicatorForm(RowForm):
    feature = forms.ChoiceField(label="指标", error_messages=PICK)
    weight = forms.CharField(label="权重", required=False, max_length=20, widget=SMALL)
    direction = forms.ChoiceField(
        label="方向", choices=_choices(rules.DIRECTIONS), initial="higher"
    )
    benchmark = forms.ChoiceField(
        label="基准值", choices=_choices(rules.BENCHMARKS), initial="mean"
    )
    benchmark_value = forms.CharField(
        label="公布的基准值", required=False, max_length=30, widget=SMALL
    )
    scoring = forms.ChoiceField(label="计分方法", choices=_choices(rules.SCORINGS), initial="ratio")
    cap = forms.CharField(
        label="得分上限（权重的倍数）", required=False, max_length=20, widget=TINY
    )
    floor = forms.CharField(label="最低分比例（%）", required=False, max_length=20, widget=TINY)
    # rules.MISSING without its leading 缺数据: the column heading says it (fits the screen)
    missing = forms.ChoiceField(
        label="缺数据", initial="zero",
        choices=[(k, v.removeprefix("缺数据")) for k, v in rules.MISSING.items()],
    )  # fmt: skip

    def __init__(self, *args, taken: tuple[str, ...] = (), **kwargs):
        """`taken`: the scheme's indicators (a new row offers the catalog's others)."""
        super().__init__(*args, **kwargs)
        field = self.fields["feature"]
        if self.new:
            others = [(c, display.label_of(c)) for c in RATIOS if c not in taken]
            field.choices = [("", "增加指标…" if others else "（均已在方案中）")] + others
            self.feature_label = ""
        else:
            field.choices = [(c, display.label_of(c)) for c in dict.fromkeys([*RATIOS, *taken])]
            field.widget = forms.HiddenInput()
            self.feature_label = display.label_of(self.initial.get("feature", ""))

    def rule(self) -> dict:
        """The row as the scheme stores it (unchecked: save_scheme checks it)."""
        data = self.cleaned_data
        bench: dict = {"kind": data["benchmark"]}
        if data["benchmark"] == "fixed":
            bench["value"] = data["benchmark_value"].strip()
        out = {
            "feature": data["feature"], "weight": data["weight"].strip() or None,
            "direction": data["direction"], "benchmark": bench, "scoring": data["scoring"],
            "missing": data["missing"],
        }  # fmt: skip
        if data["cap"].strip():
            out["cap"] = data["cap"].strip()
        if data["floor"].strip():
            out["floor"] = data["floor"].strip()
        return out


IndicatorFormSet = _formset(IndicatorForm)


def indicator_initial(scheme: Scheme) -> list[dict]:
    return [
        {
            "feature": item["feature"],
            "weight": item.get("weight") or "",
            "direction": item.get("direction", "higher"),
            "benchmark": (item.get("benchmark") or {}).get("kind", "mean"),
            "benchmark_value": (item.get("benchmark") or {}).get("value", ""),
            "scoring": item.get("scoring", "ratio"),
            "cap": item.get("cap", ""),
            "floor": item.get("floor", ""),
            "missing": item.get("missing", "zero"),
        }
        for item in scheme.indicators
    ]


def flag_choices(scheme: Scheme) -> list[tuple[str, str]]:
    """The yes/no conditions a restriction or adjustment may name: the catalog's yearly
    flags (read for the scheme's data year), the derived ones (上年小升规), and any the
    scheme already uses."""
    codes = [
        f.code for f in catalog.CATALOG.values() if f.kind == "flag" and f.period_rule == "year"
    ]
    used = [r["flag"] for r in scheme.restrictions]
    used += [a["flag"] for a in scheme.adjustments if "flag" in a]
    return [(c, display.label_of(c)) for c in dict.fromkeys([*codes, *rules.DERIVED_FLAGS, *used])]


class RestrictionForm(RowForm):
    flag = forms.ChoiceField(label="条件", error_messages=PICK)
    effect = forms.ChoiceField(label="作用", choices=_choices(rules.EFFECTS), initial="exempt")
    klass = forms.ChoiceField(
        label="类别", required=False, choices=[("", "—"), ("B", "B类"), ("C", "C类")]
    )

    def __init__(self, *args, flags: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [("", "请选择条件"), *flags]

    def rule(self) -> dict:
        data = self.cleaned_data
        out = {"flag": data["flag"], "effect": data["effect"]}
        if data["effect"] != "exempt" and data["klass"]:
            out["class"] = data["klass"]  # none given: check_scheme asks for it
        return out


RestrictionFormSet = _formset(RestrictionForm)


def restriction_initial(scheme: Scheme) -> list[dict]:
    return [
        {"flag": r["flag"], "effect": r["effect"], "klass": r.get("class", "")}
        for r in scheme.restrictions
    ]


class AdjustmentForm(RowForm):
    condition = forms.ChoiceField(label="条件或荣誉", error_messages=PICK)
    points = forms.CharField(label="分值", required=False, max_length=20, widget=SMALL)
    label = forms.CharField(
        label="显示名称", required=False, max_length=100, widget=forms.TextInput(attrs={"size": 10})
    )

    def __init__(self, *args, flags: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [
            ("", "请选择条件或荣誉"),
            ("是/否条件", [(f"flag:{code}", label) for code, label in flags]),
            ("荣誉资质", [(f"honor:{code}", label) for code, label in HonorKind.choices]),
        ]

    def rule(self) -> dict:
        data = self.cleaned_data
        kind, _, code = data["condition"].partition(":")
        return {kind: code, "points": data["points"].strip(), "label": data["label"].strip()}


AdjustmentFormSet = _formset(AdjustmentForm)


def _default_label(adjustment: dict) -> str:
    if "honor" in adjustment:
        return str(HonorKind(adjustment["honor"]).label)
    return display.label_of(adjustment.get("flag", ""))


def adjustment_initial(scheme: Scheme) -> list[dict]:
    """The label is left blank when it is the condition's own name (so it follows a change
    of condition: check_scheme fills it in again)."""
    return [
        {
            "condition": f"honor:{a['honor']}" if "honor" in a else f"flag:{a.get('flag')}",
            "points": a.get("points", ""),
            "label": "" if a.get("label") == _default_label(a) else a.get("label", ""),
        }
        for a in scheme.adjustments
    ]


class ClassRuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label="分类方法", choices=[("shares", "按排名比例"), ("thresholds", "按得分线")]
    )
    share_a = forms.CharField(label="A类比例（%）", required=False, max_length=10, widget=SMALL)
    share_b = forms.CharField(label="B类比例（%）", required=False, max_length=10, widget=SMALL)
    share_c = forms.CharField(label="C类比例（%）", required=False, max_length=10, widget=SMALL)
    share_d = forms.CharField(label="D类比例（%）", required=False, max_length=10, widget=SMALL)
    line_a = forms.CharField(label="A类得分线", required=False, max_length=10, widget=SMALL)
    line_b = forms.CharField(label="B类得分线", required=False, max_length=10, widget=SMALL)
    line_c = forms.CharField(label="C类得分线", required=False, max_length=10, widget=SMALL)
    a_max = forms.CharField(label="A类比例上限（%）", required=False, max_length=10, widget=SMALL)
    d_min = forms.CharField(label="D类比例下限（%）", required=False, max_length=10, widget=SMALL)

    @staticmethod
    def initial_for(scheme: Scheme) -> dict:
        c = scheme.classes or {}
        shares, lines, quotas = c.get("shares", {}), c.get("thresholds", {}), c.get("quotas", {})
        return {
            "version": scheme.version, "method": c.get("method", "shares"),
            **{f"share_{k.lower()}": shares.get(k, "") for k in "ABCD"},
            **{f"line_{k.lower()}": lines.get(k, "") for k in "ABC"},
            "a_max": quotas.get("A_max", ""), "d_min": quotas.get("D_min", ""),
        }  # fmt: skip

    def rule(self) -> dict:
        data = self.cleaned_data
        quotas = {k: data[f].strip() for k, f in (("A_max", "a_max"), ("D_min", "d_min"))
                  if data[f].strip()}  # fmt: skip
        if data["method"] == "thresholds":
            lines = {k: data[f"line_{k.lower()}"].strip() for k in "ABC"}
            return {"method": "thresholds", "thresholds": lines, "quotas": quotas}
        shares = {k: data[f"share_{k.lower()}"].strip() for k in "ABCD"}
        return {"method": "shares", "shares": shares, "quotas": quotas}


class SchemeNotesForm(forms.Form):
    legal_basis = forms.CharField(
        label="数据使用依据", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="指标读取统计调查数据（工业增加值、研发经费）时必填：授权开展评价及数据共享的文件",
    )  # fmt: skip
    source_note = forms.CharField(
        label="权重与基准来源", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text="如评价办法的文号、公布基准值的文件",
    )  # fmt: skip


class SchemeEditor:
    """The editor's forms together: indicator rows, restriction rows, adjustment rows (each
    with a blank row to add one), the class rule (with the version edited) and the notes.
    A section the POST does not carry at all keeps the scheme's stored values."""

    SECTIONS = ("ind", "res", "adj")

    def __init__(self, data, scheme: Scheme):
        self.scheme = scheme
        self.kept = {
            p for p in self.SECTIONS if data is not None and f"{p}-TOTAL_FORMS" not in data
        }
        if data is not None and "legal_basis" not in data and "source_note" not in data:
            self.kept.add("notes")
        flags = flag_choices(scheme)

        def part(name: str):
            return None if data is None or name in self.kept else data

        taken = tuple(i["feature"] for i in scheme.indicators)
        self.indicators = IndicatorFormSet(part("ind"), initial=indicator_initial(scheme),
                                           prefix="ind", form_kwargs={"taken": taken})  # fmt: skip
        self.restrictions = RestrictionFormSet(part("res"), initial=restriction_initial(scheme),
                                               prefix="res", form_kwargs={"flags": flags})  # fmt: skip
        self.adjustments = AdjustmentFormSet(part("adj"), initial=adjustment_initial(scheme),
                                             prefix="adj", form_kwargs={"flags": flags})  # fmt: skip
        self.rule = ClassRuleForm(data, initial=ClassRuleForm.initial_for(scheme))
        self.notes = SchemeNotesForm(part("notes"), initial={
            "legal_basis": scheme.legal_basis, "source_note": scheme.source_note})  # fmt: skip

    def _bound(self) -> list:
        parts = [self.indicators, self.restrictions, self.adjustments, self.rule, self.notes]
        return [p for p in parts if p.is_bound]

    def is_valid(self) -> bool:
        return self.rule.is_bound and all([p.is_valid() for p in self._bound()])

    @property
    def version(self) -> int:
        return self.rule.cleaned_data["version"]

    def values(self) -> dict:
        """The edited rules and notes (after is_valid), for a SchemeSpec."""
        s, kept = self.scheme, self.kept
        notes = self.notes.cleaned_data if "notes" not in kept else {}
        return {
            "indicators": s.indicators if "ind" in kept else self.indicators.rules(),
            "classes": self.rule.rule(),
            "restrictions": s.restrictions if "res" in kept else self.restrictions.rules(),
            "adjustments": s.adjustments if "adj" in kept else self.adjustments.rules(),
            "legal_basis": notes["legal_basis"].strip() if notes else s.legal_basis,
            "source_note": notes["source_note"].strip() if notes else s.source_note,
        }


def with_another_row(data, section: str):
    """The POST with one more blank row in `section` (the "增加一行" button: no save)."""
    data = data.copy()
    key = f"{section}-TOTAL_FORMS"
    if section in SchemeEditor.SECTIONS and str(data.get(key, "")).isdigit():
        data[key] = str(int(data[key]) + 1)
    return data


# --- copying a scheme to another year -----------------------------------------------------------
class SchemeCopyForm(forms.Form):
    code = forms.SlugField(
        label="新方案代码", max_length=60,
        help_text="字母、数字和连字符，不能与已有方案重复，如 zj-county-a-2025",
    )  # fmt: skip
    name = forms.CharField(label="新方案名称", max_length=200)
    year = forms.IntegerField(label="评价数据年度", min_value=2000, max_value=2100)

    @staticmethod
    def initial_for(scheme: Scheme) -> dict:
        """The next year, with the year in the code and name moved on where they carry it."""
        this, next_year = str(scheme.year), str(scheme.year + 1)
        code = (
            scheme.code.replace(this, next_year)
            if this in scheme.code
            else f"{scheme.code}-{next_year}"
        )
        return {"code": code, "name": scheme.name.replace(this, next_year),
                "year": scheme.year + 1}  # fmt: skip
