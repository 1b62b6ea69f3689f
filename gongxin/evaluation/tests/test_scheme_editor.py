"""The bureau changes a scheme on its page, without code: restrictions, adjustments,
indicators added from the catalog or removed, the legal basis; and copies a scheme to
another year. Every change goes through services.save_scheme: a scheme with runs gets a
new version (its runs keep their rules), a refused edit writes nothing.

The forms are filled the way a browser fills them: the editor page is read, its fields'
current values taken, and only the fields a person would touch are changed.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from gongxin.core.audit import AuditEvent
from gongxin.evaluation import services
from gongxin.evaluation.models import Scheme
from gongxin.evaluation.tests.test_pages import evaluated_run, spec

pytestmark = pytest.mark.django_db
RULES = ("indicators", "classes", "restrictions", "adjustments", "legal_basis", "source_note")


class _FormValues(HTMLParser):
    """What a browser would post for the page's form, before anyone touches it: text
    inputs and hidden fields as they are, checked boxes, each select's selected option (or
    its first), textareas' text. Submit buttons are left out."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select, self._first = name, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
                self.values.setdefault(self._select, self._first)
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def rules_of(scheme: Scheme) -> dict:
    return {name: getattr(scheme, name) for name in RULES}


def editor(client, scheme: Scheme) -> tuple[str, dict[str, str]]:
    url = reverse("evaluation:scheme_edit", args=[scheme.pk])
    html = client.get(url).content.decode()
    return url, form_values(html)


def test_editing_a_restriction_and_an_adjustment_makes_a_new_version_with_just_that(
    client_for, personas
):
    run = evaluated_run(personas["analyst"])
    first = run.scheme
    before = rules_of(first)
    client = client_for("analyst")
    url, form = editor(client, first)
    # the page shows the stored rules: 较大安全事故 → at best C; no adjustment yet
    assert form["res-1-flag"] == "eval_accident" and form["res-1-klass"] == "C"
    assert form["adj-TOTAL_FORMS"] == "1" and form["adj-0-condition"] == ""
    form.update({
        "res-1-klass": "B",  # 较大安全事故: at best B instead of C
        "adj-0-condition": "flag:eval_energy_missed", "adj-0-points": "-5",
        "adj-0-label": "未完成节能目标扣分",
    })  # fmt: skip
    response = client.post(url, form)
    current = Scheme.objects.get(code=first.code, is_current=True)
    assert response.status_code == 302
    assert response.url == reverse("evaluation:scheme_detail", args=[current.pk])
    assert current.version == 2
    assert current.restrictions == [
        {"flag": "eval_exempt", "effect": "exempt"},
        {"flag": "eval_accident", "effect": "best", "class": "B"},
    ]
    assert current.adjustments == [
        {"flag": "eval_energy_missed", "points": "-5", "label": "未完成节能目标扣分"}
    ]
    changed = {k: v for k, v in rules_of(current).items() if v != before[k]}
    assert set(changed) == {"restrictions", "adjustments"}  # nothing else moved
    first.refresh_from_db()
    assert rules_of(first) == before and not first.is_current  # version 1 as it was run
    run.refresh_from_db()
    assert run.scheme_id == first.pk
    assert AuditEvent.objects.filter(action="evaluation.scheme", object_id=str(current.pk)).exists()
    detail = client.get(response.url).content.decode()
    assert "发生较大及以上安全、环境事故：最高只能评为B类" in detail
    assert "未完成节能目标扣分：减5分" in detail


def test_an_indicator_is_added_from_the_catalog_and_another_removed(client_for, personas):
    scheme = services.save_scheme(personas["analyst"], spec())  # no run yet: changed in place
    client = client_for("analyst")
    url, form = editor(client, scheme)
    html = client.get(url).content.decode()
    new_row = html.split('name="ind-2-feature"')[1].split("</select>")[0]
    # the new row offers the catalog's other indicators, not the two already in the scheme
    assert 'value="mu_revenue"' in new_row and 'value="mu_tax"' not in new_row
    assert 'value="electricity_tax"' not in new_row
    form.update({
        "ind-1-DELETE": "on",  # 单位电耗税收 goes
        "ind-2-feature": "mu_revenue", "ind-2-weight": "40",  # 亩均营业收入 comes
        "source_note": "《2024年度亩产效益评价办法》（测试）",
    })  # fmt: skip
    assert client.post(url, form).status_code == 302
    scheme.refresh_from_db()
    assert scheme.version == 1  # no run: the same version, changed in place
    assert [(i["feature"], i["weight"]) for i in scheme.indicators] == [
        ("mu_tax", "60"),
        ("mu_revenue", "40"),
    ]
    assert scheme.indicators[1]["benchmark"] == {"kind": "mean"}  # the new row's defaults
    assert scheme.source_note == "《2024年度亩产效益评价办法》（测试）"


def test_another_row_button_adds_a_blank_row_and_saves_nothing(client_for, personas):
    scheme = services.save_scheme(personas["analyst"], spec())
    client = client_for("analyst")
    url, form = editor(client, scheme)
    before = rules_of(scheme)
    form["adj-0-condition"] = "honor:srdi"
    response = client.post(url, {**form, "more": "adj"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="adj-1-condition"' in html and 'value="honor:srdi" selected' in html
    scheme.refresh_from_db()
    assert rules_of(scheme) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"res-1-klass": ""}, "限制条件“发生较大及以上安全、环境事故”应指定类别（B或C）。"),
        ({"res-2-flag": "eval_new_firm", "res-2-effect": "worst"},
         "限制条件“新投产企业”应指定类别（B或C）。"),
        ({"ind-0-weight": "三十"}, "指标“亩均税收”的权重“三十”不是数字。"),
        ({"adj-0-condition": "honor:high_tech", "adj-0-points": "0"},
         "加减分项“高新技术企业”的分值不能为0。"),
        ({"legal_basis": "", "ind-2-feature": "mu_value_added", "ind-2-weight": "10"},
         "请填写数据使用依据"),
    ],
)  # fmt: skip
def test_an_invalid_edit_shows_the_chinese_error_and_writes_nothing(
    client_for, personas, change, message
):
    run = evaluated_run(personas["analyst"])
    client = client_for("analyst")
    url, form = editor(client, run.scheme)
    rows, audits, before = Scheme.objects.count(), AuditEvent.objects.count(), rules_of(run.scheme)
    response = client.post(url, {**form, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Scheme.objects.count(), AuditEvent.objects.count()) == (rows, audits)
    run.scheme.refresh_from_db()
    assert rules_of(run.scheme) == before and run.scheme.is_current


def test_a_form_error_is_shown_on_its_row(client_for, personas):
    scheme = services.save_scheme(personas["analyst"], spec())
    client = client_for("analyst")
    url, form = editor(client, scheme)
    # a new adjustment with points but no condition chosen
    response = client.post(url, {**form, "adj-0-points": "3"})
    html = response.content.decode()
    assert "请检查填写的内容" in html and "请选择。" in html
    scheme.refresh_from_db()
    assert scheme.adjustments == []


def test_copying_makes_version_1_of_the_new_code_with_the_same_rules(client_for, personas):
    run = evaluated_run(personas["analyst"])
    source = run.scheme
    client = client_for("analyst")
    url = reverse("evaluation:scheme_copy", args=[source.pk])
    page = client.get(url).content.decode()
    suggested = form_values(page)
    assert suggested == {"code": "page-2025", "name": "2025年度规上工业企业亩产效益评价（测试）",
                         "year": "2025"}  # fmt: skip
    response = client.post(url, suggested)
    copy = Scheme.objects.get(code="page-2025")
    assert response.status_code == 302
    assert response.url == reverse("evaluation:scheme_edit", args=[copy.pk])
    assert (copy.version, copy.is_current, copy.year) == (1, True, 2025)
    assert copy.population == source.population and copy.name == suggested["name"]
    assert rules_of(copy) == rules_of(source)
    assert not copy.runs.exists()
    source.refresh_from_db()
    assert (source.version, source.is_current, source.year) == (1, True, 2024)
    assert AuditEvent.objects.filter(action="evaluation.scheme", object_id=str(copy.pk)).exists()
    # the copy opens in the editor, ready for this year's weights
    assert "第1版" in client.get(response.url).content.decode()


def test_copying_to_a_code_already_used_is_refused(client_for, personas):
    run = evaluated_run(personas["analyst"])
    client = client_for("analyst")
    url = reverse("evaluation:scheme_copy", args=[run.scheme_id])
    rows = Scheme.objects.count()
    response = client.post(url, {"code": "page-2024", "name": "重复", "year": "2025"})
    assert response.status_code == 200
    assert "方案代码“page-2024”已被使用，请换一个代码。" in response.content.decode()
    assert Scheme.objects.count() == rows


def test_the_scheme_page_offers_editing_and_copying_to_the_analyst_only(client_for, personas):
    scheme = services.save_scheme(personas["analyst"], spec())
    url = reverse("evaluation:scheme_detail", args=[scheme.pk])
    assert "复制为新方案" in client_for("analyst").get(url).content.decode()
    assert "复制为新方案" not in client_for("leader").get(url).content.decode()


def test_saving_the_page_unchanged_makes_no_new_version(client_for, personas):
    """The page gives back exactly the stored rules (a fixed benchmark, a cap, an honour's
    own name as its label…), so a save without a change writes nothing."""
    analyst = personas["analyst"]
    evaluated_run(analyst)
    indicators = [
        {"feature": "mu_tax", "weight": 60, "benchmark": {"kind": "fixed", "value": "24.097"},
         "cap": "1.5"},
        {"feature": "electricity_tax", "weight": 40, "scoring": "minmax", "floor": 30},
    ]  # fmt: skip
    adjustments = [{"honor": "srdi", "points": 2},
                   {"flag": "eval_energy_missed", "points": -3, "label": "节能目标扣分"}]  # fmt: skip
    scheme = services.save_scheme(
        analyst, spec(indicators=indicators, adjustments=adjustments), expected_version=1
    )
    client = client_for("analyst")
    url, form = editor(client, scheme)
    rows, audits = Scheme.objects.count(), AuditEvent.objects.count()
    assert client.post(url, form).status_code == 302
    assert (Scheme.objects.count(), AuditEvent.objects.count()) == (rows, audits)
