from __future__ import annotations

from django import forms

from gongxin.core.periods import Period
from gongxin.supervision.choices import Status
from gongxin.supervision.lights import PRESETS
from gongxin.supervision.models import Item, ItemTarget, Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "year",
            "cadence",
            "report_day",
            "light_rules",
            "current_period",
            "is_active",
        ]
        widgets = {
            "light_rules": forms.Select(choices=[(k, v["label"]) for k, v in PRESETS.items()])
        }

    def clean_report_day(self):
        day = self.cleaned_data["report_day"]
        if not 1 <= day <= 31:
            raise forms.ValidationError("报送截止日应在1–31之间。")
        return day


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["seq", "content", "key", "units_text", "deadline"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "units_text": "如“区工信局牵头，发改局、财政局配合”；保存后自动识别牵头、配合单位。"
        }


class ProgressForm(forms.Form):
    text = forms.CharField(
        label="推进情况",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="可分条填写（1. 2. 3.）。以“正常推进。”“已完成。”等开头时作为自评状态。",
    )
    claimed_status = forms.ChoiceField(
        label="自评状态", required=False, choices=[("", "按正文开头识别")] + list(Status.choices)
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence = forms.FileField(
        label="佐证材料",
        required=False,
        help_text="可上传 Word、Excel、PDF 或图片，单个文件不超过上传上限。",
    )


class TargetForm(forms.Form):
    text = forms.CharField(label="下期目标", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label="审核状态", choices=Status.choices)
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InstructionForm(forms.Form):
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}))


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(
        label="销号理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明完成情况，并在推进情况中上传佐证材料。",
    )


class ClosureDecisionForm(forms.Form):
    approve = forms.ChoiceField(label="审批", choices=[("1", "同意销号"), ("0", "不同意")])
    comment = forms.CharField(label="审批意见", required=False)


class ItemTargetForm(forms.Form):
    indicator = forms.CharField(label="指标", max_length=100)
    comparator = forms.ChoiceField(label="比较", choices=ItemTarget.Comparator.choices)
    value = forms.DecimalField(label="目标值", max_digits=18, decimal_places=4)
    value_max = forms.DecimalField(label="上限", max_digits=18, decimal_places=4, required=False)
    unit = forms.CharField(label="单位", max_length=20, required=False)
    curve = forms.ChoiceField(label="序时曲线", choices=ItemTarget.Curve.choices)
    actual = forms.DecimalField(label="完成值", max_digits=18, decimal_places=4, required=False)
    actual_period = forms.CharField(
        label="统计期",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_actual_period(self):
        value = self.cleaned_data["actual_period"].strip()
        if not value:
            return ""
        try:
            return str(Period.parse(value))
        except ValueError as error:
            raise forms.ValidationError("统计期应写作YYYY-MM。") from error


def _binding_choices() -> list[tuple[str, str]]:
    from gongxin.monitoring.models import OfficialFigure
    from gongxin.supervision.services.bindings import ENGINE_MEASURES

    official = [
        (f"official:{code}", f"官方发布：{label}（可比价增速）")
        for code, label in OfficialFigure.Indicator.choices
    ]
    engine = [
        (f"engine:{code}", f"平台计算：全区{label}同比（现价，名义）")
        for code, label in ENGINE_MEASURES.items()
    ]
    return [("auto", "按规则自动绑定"), ("none", "不绑定（手工填写完成值）"), *official, *engine]


class TargetBindingForm(forms.Form):
    """Bind a target to a data source by hand, unbind it, or hand it back to the rules."""

    source = forms.ChoiceField(label="数据来源", choices=_binding_choices)
    scope = forms.CharField(
        label="范围",
        max_length=100,
        required=False,
        help_text="仅官方发布数据：全区（默认），或门类/大类（C、39），或产业名称。",
        widget=forms.TextInput(attrs={"placeholder": "全区"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        from gongxin.monitoring.official import UnknownScope, parse_scope

        data = super().clean()
        source = data.get("source") or ""
        data["scope_parts"] = ("total", "")
        if source.startswith("official:"):
            try:
                kind, code, _ = parse_scope(data.get("scope") or "全区")
            except UnknownScope as error:
                self.add_error("scope", error.message)
            else:
                data["scope_parts"] = (str(kind), code)
        return data

    def binding(self):
        """The chosen Binding; None for "none" (and for "auto", which the rules decide)."""
        from gongxin.supervision.services.bindings import Binding

        source = self.cleaned_data["source"]
        if ":" not in source:
            return None
        kind, indicator = source.split(":", 1)
        scope_kind, scope_code = self.cleaned_data["scope_parts"]
        return Binding(kind, indicator, scope_kind, scope_code)

    @staticmethod
    def initial_for(target: ItemTarget) -> dict:
        from gongxin.supervision.services.bindings import binding_of, scope_label

        binding = binding_of(target)
        if binding is None:
            source = "none" if target.bind_manual else "auto"
            return {"source": source, "scope": "", "version": target.version}
        source = "auto" if not target.bind_manual else f"{binding.kind}:{binding.indicator}"
        scope = scope_label(binding) if binding.kind == "official" else ""
        return {"source": source, "scope": scope, "version": target.version}
