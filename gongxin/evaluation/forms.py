"""Forms of the evaluation pages: 公示 until a date, an enterprise's objection, the
bureau's decision on it (with corrected figures), and the scheme editor (one row per
indicator plus the class rule). Rules themselves are checked by services.save_scheme."""

from __future__ import annotations

from django import forms

from gongxin.evaluation import display, engine, rules, services
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
def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


class IndicatorForm(forms.Form):
    feature = forms.CharField(widget=forms.HiddenInput)
    weight = forms.CharField(label="权重", required=False, max_length=20)
    direction = forms.ChoiceField(label="方向", choices=_choices(rules.DIRECTIONS))
    benchmark = forms.ChoiceField(label="基准值", choices=_choices(rules.BENCHMARKS))
    benchmark_value = forms.CharField(label="公布的基准值", required=False, max_length=30)
    scoring = forms.ChoiceField(label="计分方法", choices=_choices(rules.SCORINGS))
    cap = forms.CharField(label="得分上限（权重的倍数）", required=False, max_length=20)
    floor = forms.CharField(label="最低分比例（%）", required=False, max_length=20)
    missing = forms.ChoiceField(label="缺数据", choices=_choices(rules.MISSING))

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


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=0)


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


class ClassRuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label="分类方法", choices=[("shares", "按排名比例"), ("thresholds", "按得分线")]
    )
    share_a = forms.CharField(label="A类比例（%）", required=False, max_length=10)
    share_b = forms.CharField(label="B类比例（%）", required=False, max_length=10)
    share_c = forms.CharField(label="C类比例（%）", required=False, max_length=10)
    share_d = forms.CharField(label="D类比例（%）", required=False, max_length=10)
    line_a = forms.CharField(label="A类得分线", required=False, max_length=10)
    line_b = forms.CharField(label="B类得分线", required=False, max_length=10)
    line_c = forms.CharField(label="C类得分线", required=False, max_length=10)
    a_max = forms.CharField(label="A类比例上限（%）", required=False, max_length=10)
    d_min = forms.CharField(label="D类比例下限（%）", required=False, max_length=10)

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
