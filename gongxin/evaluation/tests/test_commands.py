"""The command line: `gongxin evaluation run` and `import`, `gongxin cultivation assess`, on
small databases with hand-worked numbers (the firms of test_services.py, with a veto and a
protection added; the innovative-2022 YAML cases)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongxin.analytics.testing import code
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, ScaleRecord
from gongxin.evaluation import services
from gongxin.evaluation.models import Run

pytestmark = pytest.mark.django_db

# name, 实缴税金 (万元), 用地 (亩), 用电 (万千瓦时), flags — 丙 had an accident (best C),
# 丁 is newly in production (worst C), 水务 is a utility (T)
FIRMS = [("甲", 100, 10, 20, {}), ("乙", 50, 10, 50, {}), ("丙", 30, 5, 10, {"eval_accident": 1}),
         ("丁", 0, 10, 10, {"eval_new_firm": 1}), ("水务", 500, 10, 10, {"eval_exempt": 1})]  # fmt: skip
RESTRICTIONS = [{"flag": "eval_exempt", "effect": "exempt"},
                {"flag": "eval_accident", "effect": "best", "class": "C"},
                {"flag": "eval_new_firm", "effect": "worst", "class": "C"}]  # fmt: skip


@pytest.fixture
def firms(db):
    out = {}
    for n, (name, tax, land, power, flags) in enumerate(FIRMS, 1):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{name}", industry_code="3442")
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=True)
        for feature, value in (("tax_paid", tax), ("land_area_mu", land),
                               ("electricity_year", power), *flags.items()):  # fmt: skip
            EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period="2024",
                                            value=D(value), provenance="admin")  # fmt: skip
        out[name] = firm
    return out


def spec(**changes) -> services.SchemeSpec:
    values = dict(
        code="t-2024", name="测试评价", year=2024, population="above_scale",
        indicators=[{"feature": "mu_tax", "weight": 60}, {"feature": "electricity_tax", "weight": 40}],
        classes={"method": "thresholds", "thresholds": {"A": 90, "B": 60, "C": 30}},
        restrictions=RESTRICTIONS, adjustments=[],
    )  # fmt: skip
    return services.SchemeSpec(**{**values, **changes})


def run_json(capsys, *args: str) -> list[dict]:
    call_command("evaluation", "run", "--year", "2024", "--json", *args)
    return json.loads(capsys.readouterr().out)


# --- evaluation run --------------------------------------------------------------------------


def test_run_prints_each_firms_score_class_and_why(firms, capsys):
    services.save_scheme(None, spec())
    items = run_json(capsys)
    # 亩均税收 10, 5, 6, 0; benchmark (100+50+30+0) ÷ 35 = 5.142857 → × 60:
    #   甲 116.6667, 乙 58.3333, 丙 70, 丁 0
    # 单位电耗税收 5, 1, 3, 0; benchmark 180 ÷ 90 = 2 → × 40: 甲 100, 乙 20, 丙 60, 丁 0
    # totals 216.6667, 78.3333, 130, 0 → lines A ≥ 90, B ≥ 60, C ≥ 30; ranked by score
    assert [(i["uscc"], i["score"], i["class"], i["vetoed"], i["restrictions"]) for i in items] == [
        (code(1), 216.6667, "A", False, []),
        (code(3), 130, "C", True, ["eval_accident"]),  # A by score, an accident caps it at C
        (code(2), 78.3333, "B", False, []),
        (code(4), 0, "C", True, ["eval_new_firm"]),  # D by score, new firms are at least C
        (code(5), None, "T", False, ["eval_exempt"]),  # not scored, so not "vetoed"
    ]
    first = items[0]
    assert set(first) == {"uscc", "score", "class", "indicator_scores", "vetoed",
                          "restrictions", "reason"}  # fmt: skip
    assert first["indicator_scores"] == {"mu_tax": 116.6667, "electricity_tax": 100}
    assert first["reason"] == "综合得分216.67分，达到A类得分线90分，评为A类"
    assert (
        items[1]["reason"] == "发生较大及以上安全、环境事故，最高只能评为C类（按得分本可评为A类）"
    )
    assert items[3]["reason"] == "新投产企业，最低评为C类（按得分本应评为D类）"
    assert items[4]["indicator_scores"] == {"mu_tax": None, "electricity_tax": None}
    assert items[4]["reason"] == "暂不评价（公用事业等），列为T类（暂不评价）"


def test_running_twice_gives_the_same_json_and_one_run(firms, capsys):
    services.save_scheme(None, spec())
    first = run_json(capsys, "--scheme", "t-2024", "--backend", "duckdb")
    assert run_json(capsys, "--scheme", "t-2024") == first
    assert Run.objects.count() == 1
    call_command("evaluation", "run", "--year", "2024")
    summary = capsys.readouterr().out
    assert "沿用已有批次（草稿）" in summary and "A类 1 家、B类 1 家、C类 2 家、T类 1 家" in summary


def test_several_schemes_of_the_year_each_item_names_its_scheme(firms, capsys):
    services.save_scheme(None, spec())
    services.save_scheme(None, spec(code="tax-2024", name="只看税收",
                                    indicators=[{"feature": "mu_tax", "weight": 100}]))  # fmt: skip
    items = run_json(capsys)
    assert len(items) == 10 and Run.objects.count() == 2
    assert {i["scheme"] for i in items} == {"t-2024", "tax-2024"}
    # 只看税收: 甲 10 ÷ 5.142857 × 100 = 194.4444
    tax_only = {i["uscc"]: i for i in items if i["scheme"] == "tax-2024"}
    assert tax_only[code(1)]["score"] == 194.4444
    assert tax_only[code(1)]["indicator_scores"] == {"mu_tax": 194.4444}


def test_live_runs_on_postgresql_and_is_refused_on_sqlite(firms, capsys):
    services.save_scheme(None, spec())
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="live 后端只能在 PostgreSQL 数据库上计算评价"):
            run_json(capsys, "--backend", "live")
        assert Run.objects.count() == 0
        run_json(capsys)  # a stored run exists now: live is refused all the same
        with pytest.raises(CommandError, match="live 后端只能在 PostgreSQL"):
            run_json(capsys, "--backend", "live")
        return
    items = run_json(capsys, "--backend", "live")
    # the hand-worked figures of test_run_prints_each_firms_score_class_and_why
    assert [(i["uscc"], i["score"], i["class"]) for i in items] == [
        (code(1), 216.6667, "A"), (code(3), 130, "C"), (code(2), 78.3333, "B"),
        (code(4), 0, "C"), (code(5), None, "T"),
    ]  # fmt: skip
    assert items[0]["indicator_scores"] == {"mu_tax": 116.6667, "electricity_tax": 100}


def test_errors_are_said_in_chinese(firms):
    with pytest.raises(CommandError, match="2024年度没有评价方案"):
        call_command("evaluation", "run", "--year", "2024")
    services.save_scheme(None, spec())
    with pytest.raises(CommandError, match="没有代码为“nope”的评价方案"):
        call_command("evaluation", "run", "--year", "2024", "--scheme", "nope")
    with pytest.raises(CommandError, match="是2024年度的，不是2023年度"):
        call_command("evaluation", "run", "--year", "2023", "--scheme", "t-2024")
    unset = [{"feature": "mu_tax", "weight": None}]
    services.save_scheme(None, spec(code="unset-2024", name="未定权重", indicators=unset))
    with pytest.raises(CommandError, match="方案“未定权重”（unset-2024）：.*权重尚未设定"):
        call_command("evaluation", "run", "--year", "2024", "--json")


# --- evaluation import -----------------------------------------------------------------------

HEADER = ["统一社会信用代码", "企业名称", "年度", "用地面积（亩）", "实缴税金（万元）",
          "用电量（万千瓦时）", "数据来源"]  # fmt: skip
ROWS = [[USCC_X, "青岛甲电子有限公司", 2024, 30, 120.5, 300, "区税务局"],
        [USCC_Y, "青岛乙化工有限公司", "2024年", 12, 80, 150, "区税务局"]]  # fmt: skip


@pytest.fixture
def registry(db):
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


def test_import_previews_with_dry_run_then_writes(registry, tmp_path, capsys):
    path = tmp_path / "亩产效益2024.xlsx"
    path.write_bytes(xlsx([HEADER, *ROWS]))
    call_command("evaluation", "import", str(path), "--year", "2024", "--dry-run", "--json")
    preview = json.loads(capsys.readouterr().out)
    assert (preview["file"], preview["rows"], preview["created"], preview["errors"]) == (
        "亩产效益2024.xlsx", 2, 2, [],
    )  # fmt: skip
    assert EnterpriseFigure.objects.count() == 0  # a dry run writes nothing

    call_command("evaluation", "import", str(path), "--year", "2024", "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 2
    stored = {(f.enterprise.uscc, f.feature): (f.value, f.period, f.source)
              for f in EnterpriseFigure.objects.select_related("enterprise")}  # fmt: skip
    assert len(stored) == 6
    assert stored[(USCC_X, "tax_paid")] == (D("120.5"), "2024", "区税务局")
    assert stored[(USCC_Y, "land_area_mu")] == (D("12"), "2024", "区税务局")

    call_command("evaluation", "import", str(path), "--year", "2024", "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["unchanged"]) == (0, 2)  # re-importing changes nothing


def test_import_refuses_rows_of_another_year(registry, tmp_path, capsys):
    path = tmp_path / "混合年度.xlsx"
    path.write_bytes(xlsx([HEADER, ROWS[0], [*ROWS[1][:2], 2023, *ROWS[1][3:]]]))
    with pytest.raises(CommandError, match="有 1 处错误，未写入任何数据"):
        call_command("evaluation", "import", str(path), "--year", "2024", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["errors"] == [{"row": 3, "column": "年度",
                                 "message": "年度为2023，与指定的2024年度不符：文件每行的年度都应为2024。"}]  # fmt: skip
    assert result["created"] == 0 and EnterpriseFigure.objects.count() == 0


def test_import_of_a_missing_file_says_so(db):
    with pytest.raises(CommandError, match="文件“/nowhere.xlsx”不存在"):
        call_command("evaluation", "import", "/nowhere.xlsx", "--year", "2024", "--json")


# --- cultivation assess ----------------------------------------------------------------------

AS_OF = date(2025, 6, 30)  # innovative-2022 in force; last full year 2024, the one before 2023
# The default firm of cases/innovative-2022.yaml: 100 points (innovation 40, growth 30,
# specialisation 30) — 营业收入5000; 主营4000 (80% → 20), 上年3200 (+25% → 20); 研发250
# (5% → 20); 负债率40% (→ 10); 战略性新兴产业 (→ 10); Ⅰ类知识产权2项且高价值 (→ 20).
YEARLY = {"tier_revenue": 5000, "tier_main_revenue": 4000, "tier_rnd_expense": 250,
          "tier_debt_ratio": 40}  # fmt: skip
STATE = {"tier_sme_size": 1, "tier_restricted_products": 0, "tier_strategic_field": 1,
         "tier_ip1_count": 2, "tier_ip1_high_value": 1, "tier_ip1_self_developed": 1,
         "tier_ip2_count": 0, "tier_st_award_3y": 0, "tier_innovation_honor": 0,
         "tier_rnd_institution_level": 0, "tier_equity_3y": 0}  # fmt: skip
RECORDS = {"tier_credit_listed": 0, "tier_major_incident_3y": 0}
# The case “只差5分：55分、各分组达标，接近条件”: 营业收入5500; 主营3300 (60% → 15), 上年3000
# (+10% → 15); 研发110 (2% → 10); Ⅰ类1项、非高价值非自主 (→ 10); 负债率80% (→ 0); 非战略性
# 新兴产业 (→ 5). innovation 20, growth 15, specialisation 20: 55 < 60.
NEAR_YEARLY = {"tier_revenue": 5500, "tier_main_revenue": 3300, "tier_rnd_expense": 110,
               "tier_debt_ratio": 80}  # fmt: skip
NEAR_STATE = {**STATE, "tier_ip1_count": 1, "tier_ip1_high_value": 0,
              "tier_ip1_self_developed": 0, "tier_strategic_field": 0}  # fmt: skip


def figures(firm, period: str, provenance: str = "declared", **values) -> None:
    for feature, value in values.items():
        EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period=period,
                                        value=D(str(value)), provenance=provenance, source="测试")  # fmt: skip


def declaring(n: int, name: str, yearly: dict, before: int, state: dict, records: dict):
    firm = Enterprise.objects.create(uscc=code(n), name=name, industry_code="3442")
    figures(firm, "2024", **yearly)
    figures(firm, "2023", tier_main_revenue=before)
    figures(firm, "2025", **state)
    figures(firm, "2025", "admin", **records)
    return firm


@pytest.fixture
def declared(db):
    declaring(1, "甲精密有限公司", YEARLY, 3200, STATE, RECORDS)
    declaring(2, "乙新材料有限公司", NEAR_YEARLY, 3000, NEAR_STATE, RECORDS)
    # 丙: 甲's figures but no 共性条件 on record: manual checks (the case “共性条件无数据”)
    common = ("tier_sme_size", "tier_restricted_products")
    declaring(3, "丙电子有限公司", YEARLY, 3200,
              {k: v for k, v in STATE.items() if k not in common}, {})  # fmt: skip


def test_assess_tier_1_lists_result_score_and_every_criterion(declared, capsys):
    call_command("cultivation", "assess", "--tier", "1", "--as-of", AS_OF.isoformat(), "--json")
    items = json.loads(capsys.readouterr().out)
    assert [(i["uscc"], i["rules"], i["result"], i["score"], i["category_scores"]) for i in items] == [
        (code(1), "2022", "pass", 100, {"innovation": 40, "growth": 30, "specialisation": 30}),
        (code(3), "2022", "manual_review", 100,
         {"innovation": 40, "growth": 30, "specialisation": 30}),
        (code(2), "2022", "fail", 55, {"innovation": 20, "growth": 15, "specialisation": 20}),
    ]  # fmt: skip
    jia = {c["code"]: c for c in items[0]["criteria"]}
    assert set(items[0]["criteria"][0]) == {"code", "category", "actual", "threshold", "met",
                                            "gap", "points", "manual"}  # fmt: skip
    assert jia["sme_size"] == {"code": "sme_size", "category": "conditions", "actual": True,
                               "threshold": True, "met": True, "gap": None, "points": None,
                               "manual": False}  # fmt: skip
    # 研发费用占比 250 ÷ 5000 = 5% → the top band, 20 points
    assert jia["rnd_ratio_points"] == {"code": "rnd_ratio_points", "category": "innovation",
                                       "actual": 5, "threshold": None, "met": True, "gap": None,
                                       "points": 20, "manual": False}  # fmt: skip
    assert jia["equity"]["category"] == "alternatives" and jia["equity"]["met"] is False
    # 近三年股权融资 0, 直通条件 500万元: 差500
    assert (jia["equity"]["actual"], jia["equity"]["threshold"], jia["equity"]["gap"]) == (
        0,
        500,
        500,
    )
    assert {"honour", "honour.1", "honour.2"} <= set(jia)  # group children follow their parent
    bing = {c["code"]: c for c in items[1]["criteria"]}
    assert (bing["sme_size"]["manual"], bing["sme_size"]["met"]) == (True, False)
    yi = {c["code"]: c for c in items[2]["criteria"]}
    # 负债率80% > 75%: 0 points, 差5个百分点 to the 5-point band
    assert (yi["debt_points"]["points"], yi["debt_points"]["gap"]) == (0, 5)


def test_assess_without_json_and_before_any_rule_set(declared, capsys):
    call_command("cultivation", "assess", "--tier", "1", "--as-of", AS_OF.isoformat())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "创新型中小企业评价标准（2022年版）（依据日期 2025-06-30）：3 家候选企业"
    assert lines[1].startswith(f"{code(1)}\t甲精密有限公司\t符合\t100分\t符合认定条件")
    with pytest.raises(CommandError, match="2022-07-31没有有效的专精特新“小巨人”企业认定规则集"):
        call_command("cultivation", "assess", "--tier", "3", "--as-of", "2022-07-31", "--json")
    with pytest.raises(CommandError, match="依据日期“2025-13-01”无效"):
        call_command("cultivation", "assess", "--tier", "2", "--as-of", "2025-13-01")
