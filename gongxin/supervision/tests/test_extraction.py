"""Quantitative target extraction (gongxin.supervision.extraction) and `gongxin targets`.

The seed acceptance cases live in cases/targets_00N.yaml: every sentence quoted beside the
targets read from it by hand. No database is needed.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

import gongxin.demo
from gongxin.supervision import parsing
from gongxin.supervision.extraction import (
    Target,
    extract_targets,
    normalise_text,
    split_sentences,
)
from gongxin.supervision.management.commands.targets import as_line, main

SEEDS = Path(gongxin.demo.__file__).parent / "seeds"
CASES = Path(__file__).parent / "cases"


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def load_cases(name: str) -> dict:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def expected(rows: list[list]) -> list[tuple]:
    """[indicator, comparator, value, value_max, unit, hedge?] → Target.as_tuple() form."""
    return [
        (
            row[0],
            row[1],
            D(str(row[2])),
            None if row[3] is None else D(str(row[3])),
            row[4],
            row[5] if len(row) > 5 else None,
        )
        for row in rows
    ]


def found(text: str) -> list[tuple]:
    return [t.as_tuple() for t in extract_targets(text)]


def unique(rows: list[tuple]) -> list[tuple]:
    seen, out = set(), []
    for row in rows:
        if row[:5] not in seen:
            seen.add(row[:5])
            out.append(row)
    return out


SEED_002 = load_cases("targets_002.yaml")
SEED_003 = load_cases("targets_003.yaml")
SEED_004 = load_cases("targets_004.yaml")


def sentence_cases(cases: dict) -> list:
    return [
        pytest.param(case["sentence"], expected(case["targets"]), id=f"{cases['seed']}-{i}")
        for i, case in enumerate(cases["sentences"], 1)
    ]


# -- acceptance: the seeds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "targets"), sentence_cases(SEED_002) + sentence_cases(SEED_004)
)
def test_seed_sentence(sentence, targets):
    """Each quoted sentence is a sentence of its seed and gives exactly its targets."""
    seeds = {s for n in ("002", "004") for s in split_sentences(normalise_text(seed_text(n)))}
    assert sentence in seeds
    assert found(sentence) == targets


@pytest.mark.parametrize(("cases", "count"), [(SEED_002, 36), (SEED_004, 14)])
def test_whole_seed_gives_exactly_the_hand_read_targets(cases, count):
    """`gongxin targets extract` over the whole document: the targets of the quoted
    sentences, each once, in document order — and nothing from any other sentence."""
    every = [row for case in cases["sentences"] for row in expected(case["targets"])]
    assert len(unique(every)) == count
    assert found(seed_text(cases["seed"])) == unique(every)


@pytest.fixture(scope="module")
def table_003():
    title, header, items = parsing.parse_text_table(seed_text("003"))
    return {item.seq: item for item in items}


@pytest.mark.parametrize("seq", range(1, 28))
def test_seed_003_item_content_and_march_target(table_003, seq):
    item = table_003[seq]
    case = SEED_003["items"].get(seq, {})
    if "content" in case:
        assert item.content == case["content"]
    if "period_target" in case:
        assert item.period_target == case["period_target"]
    assert found(item.content) == expected(case.get("content_targets", []))
    assert found(item.period_target) == expected(case.get("period_target_targets", []))


def test_seed_003_target_count(table_003):
    # 10 from the items' content (items 2, 3, 6×2, 12, 16, 21×2, 22, 27) and 2 from the
    # March targets (item 16).
    content = sum(len(found(i.content)) for i in table_003.values())
    march = sum(len(found(i.period_target)) for i in table_003.values())
    assert (content, march) == (10, 2)


def test_seed_003_progress_narratives_give_no_targets(table_003):
    """截至3月底完成情况 reports what was done (已…, 正在…, 累计…, 预计…, （占比…）)."""
    assert {seq: found(i.progress) for seq, i in table_003.items() if found(i.progress)} == {}


# -- comparators -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator", "value", "value_max", "unit"),
    [
        ("高新技术企业达到8500家以上", "ge", "8500", None, "家"),
        ("增速不低于15%", "ge", "15", None, "%"),
        ("研发投入不少于100万元", "ge", "100", None, "万元"),
        ("至少新增3家", "ge", "3", None, "家"),
        ("规模以上工业增加值增长6.5%左右", "approx", "6.5", None, "%"),
        ("规模以上工业企业数量突破5000家", "gt", "5000", None, "家"),
        ("新增工业产值超过3亿元", "gt", "3", None, "亿元"),
        ("城镇登记失业率控制在4.5%以内", "le", "4.5", None, "%"),
        ("单位能耗不超过0.5吨标准煤", "le", "0.5", None, "吨标准煤"),
        ("城镇调查失业率低于4.3%", "lt", "4.3", None, "%"),
        ("新增培育1至2个省级先进制造业集群", "range", "1", "2", "个"),
        ("增速高于全省3-5个百分点", "range", "3", "5", "个百分点"),
        ("增速高于全省3至5个百分点", "range", "3", "5", "个百分点"),
        ("营业收入1000万元至2000万元", "range", "1000", "2000", "万元"),
        ("技术合同交易额达到50亿元", "eq", "50", None, "亿元"),
        ("规上工业增加值增长11%", "eq", "11", None, "%"),
    ],
)
def test_comparator_from_the_qualifier(text, comparator, value, value_max, unit):
    [target] = extract_targets(text)
    assert (target.comparator, target.value, target.value_max, target.unit) == (
        comparator,
        D(value),
        None if value_max is None else D(value_max),
        unit,
    )


def test_li_zheng_is_a_hedge_not_a_comparator():
    [target] = extract_targets("力争全年全市化工产业营业收入达到2400亿元以上")
    assert (target.indicator, target.comparator, target.hedge) == (
        "全市化工产业营业收入",
        "ge",
        "力争",
    )
    # 确保 after 力争 ends the hedge.
    rows = found("力争新增企业10家，确保产值增长5%")
    assert [r[5] for r in rows] == ["力争", None]


def test_upper_bound_and_approx_targets_keep_their_words():
    assert found("城镇调查失业率低于4.3%") == [("城镇调查失业率", "lt", D("4.3"), None, "%", None)]
    assert found("单位工业增加值能耗降低15%左右") == [
        ("单位工业增加值能耗降低", "approx", D(15), None, "%", None)
    ]


# -- values and units ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新建5G基站1万个", "10000", "个"),  # counts absorb 万: 1 × 10000
        ("新增规上工业企业1.2万家", "12000", "家"),  # 1.2 × 10000
        ("新增产值300亿元以上", "300", "亿元"),  # money keeps 亿 in the unit
        ("完成投资500万元", "500", "万元"),
        ("新增光伏装机50万千瓦以上", "50", "万千瓦"),
        ("承办活动20场次", "20", "场次"),
        ("核心产业占比提高1个百分点左右", "1", "个百分点"),
        ("增长１５％", "15", "%"),  # full-width digits and ％
    ],
)
def test_values_are_normalised(text, value, unit):
    [target] = extract_targets(text)
    assert (target.value, target.unit) == (D(value), unit)
    assert str(target.value) == value


# -- lists and 分别 --------------------------------------------------------------------------


def test_fen_bie_zips_subjects_with_values():
    assert found(
        "数字化研发设计工具普及率、关键工序数控化率、机器联网率分别达90%、80%、50%以上"
    ) == [
        ("数字化研发设计工具普及率", "ge", D(90), None, "%", None),
        ("关键工序数控化率", "ge", D(80), None, "%", None),
        ("机器联网率", "ge", D(50), None, "%", None),
    ]


def test_fen_bie_shares_one_range_between_subjects():
    rows = found("力争园区全年规模以上工业增加值增速、工业投资增速分别高于全省3至5个百分点")
    assert rows == [
        ("园区规模以上工业增加值增速高于全省", "range", D(3), D(5), "个百分点", "力争"),
        ("工业投资增速高于全省", "range", D(3), D(5), "个百分点", "力争"),
    ]


def test_tiers_with_a_shared_unit_and_fen_bie():
    # DOMAIN.md's clause shape: the unit of the last tier (亿元) applies to 1亿 and 3亿;
    # the bare 增速 takes the subject of the target before it (产值).
    assert found("产值超过1亿、3亿、5亿元且增速分别不低于30%、25%、20%") == [
        ("产值", "gt", D(1), None, "亿元", None),
        ("产值", "gt", D(3), None, "亿元", None),
        ("产值", "gt", D(5), None, "亿元", None),
        ("产值增速", "ge", D(30), None, "%", None),
        ("产值增速", "ge", D(25), None, "%", None),
        ("产值增速", "ge", D(20), None, "%", None),
    ]
    # Alone, 分别 shares the one subject among the values.
    assert found("增速分别不低于30%、25%、20%") == [
        ("增速", "ge", D(30), None, "%", None),
        ("增速", "ge", D(25), None, "%", None),
        ("增速", "ge", D(20), None, "%", None),
    ]


def test_a_list_carries_its_verb_and_a_share_its_subject():
    assert found("新增省级制造业领航培育企业5家以上、省级以上制造业单项冠军10家以上") == [
        ("新增省级制造业领航培育企业", "ge", D(5), None, "家", None),
        ("新增省级以上制造业单项冠军", "ge", D(10), None, "家", None),
    ]
    assert found("打造5个智能工厂、60个数字化车间") == [
        ("打造智能工厂", "eq", D(5), None, "个", None),
        ("打造数字化车间", "eq", D(60), None, "个", None),
    ]
    assert found("营业收入达到100亿元，同比增长20%，占全市比重提高2个百分点") == [
        ("营业收入", "eq", D(100), None, "亿元", None),
        ("营业收入同比增长", "eq", D(20), None, "%", None),
        ("营业收入占全市比重提高", "eq", D(2), None, "个百分点", None),
    ]


# -- what is not a target ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1月21日，青岛西海岸大学科教园区工作专题会议纪要确定",  # a date
        "3月20-22日组织专家评审",  # a date range
        "组织开展2021年度市级工程研究中心申报认定工作",  # a year
        "2021年区政府工作报告确定事项1-3月份推进情况",  # a year and a span of months
        "1.召开新区科技座谈会",  # a list number
        "根据青政发〔2018〕5号文件",  # a document number
        "根据《关于2021年10项重点工作的通知》",  # inside a document title
        "打造国家级5G工厂",  # a name
        "已拜访对接了国内10余家拥有高精尖技术的项目企业",  # past, and approximate
        "已完成入库培育企业460家",  # past
        "已经建成5G基站1812个",  # past
        "全年完成了投资50亿元",  # past (了)
        "目前正在推进160个技改项目",  # ongoing
        "新增160家规上工业企业预计一季度净增产值3亿元",  # a forecast
        "对一季度新增工业产值超过3亿元、增速不低于15%的工业企业给予奖励",  # criteria
        "符合条件的按规定给予最高100万元奖励",  # an award cap
        "市级帮包服务新增产值5亿元以上企业",  # a threshold describing enterprises
        "推进总投资512亿元的27个重点项目",  # a named project set
        "建立333家规下限下企业包抓机制",  # 建立 is not a work verb that counts
        "培育30亿、50亿、100亿级企业发展梯队",  # size classes
    ],
)
def test_not_targets(text):
    assert extract_targets(text) == []


def test_a_future_word_after_past_progress_starts_a_target():
    rows = found("新区已建成5G基站1812个，实现了连续覆盖，3年内要再建设1万个")
    assert rows == [("建设5G基站", "eq", D(10000), None, "个", None)]


# -- normalisation, text, repeats ------------------------------------------------------------


def test_wrapped_lines_and_page_breaks_are_joined():
    # Seed 004 breaks "15%" from "以上" across a blank line.
    text = "确保全年技改投资增长15%\n\n以上、全年规上工业增加值增长11%。"
    assert normalise_text(text) == "确保全年技改投资增长15%以上、全年规上工业增加值增长11%。"
    assert [r[1] for r in found(text)] == ["ge", "eq"]
    # Headings and table cells are not joined to their neighbours.
    assert normalise_text("##### 综合质效\n\n工业增长**6.5%**左右\n\t隋  斌") == (
        "综合质效\n工业增长6.5%左右\n隋斌"
    )


def test_text_is_the_clause_and_repeats_are_reported_once():
    text = "工业投资同比增长10%左右，占全部投资比重达到30%左右。\n工业投资同比增长10%左右。"
    targets = extract_targets(text)
    assert [t.text for t in targets] == ["工业投资同比增长10%左右", "占全部投资比重达到30%左右"]


# -- JSON and the command ----------------------------------------------------------------------


def test_as_json_keys_and_numbers():
    target = Target("t", "新增培育省级先进制造业集群", "range", D(1), D(2), "个", None)
    assert target.as_json() == {
        "text": "t",
        "indicator": "新增培育省级先进制造业集群",
        "comparator": "range",
        "value": 1,
        "value_max": 2,
        "unit": "个",
        "hedge": None,
    }
    rate = Target("t", "规模以上工业增加值同比增长", "approx", D("6.5"), None, "%", "力争")
    assert rate.as_json()["value"] == 6.5
    assert isinstance(Target("t", "x", "eq", D("35.0"), None, "%").as_json()["value"], int)


def test_main_prints_the_json_list():
    printed = json.loads(main("新增培育1至2个省级先进制造业集群，力争园区规上工业增加值增长10%。"))
    assert [list(t) for t in printed] == [
        ["text", "indicator", "comparator", "value", "value_max", "unit", "hedge"]
    ] * 2
    assert printed[0]["comparator"] == "range"
    assert (printed[0]["value"], printed[0]["value_max"]) == (1, 2)
    assert (printed[1]["value_max"], printed[1]["hedge"]) == (None, "力争")
    assert json.loads(main("")) == []


def test_command_reads_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("新增市级以上科技创新平台15家。"))
    out = io.StringIO()
    call_command("targets", "extract", "--json", stdout=out)
    [target] = json.loads(out.getvalue())
    assert (target["indicator"], target["comparator"], target["value"], target["unit"]) == (
        "新增市级以上科技创新平台",
        "eq",
        15,
        "家",
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("新增培育1至2个省级先进制造业集群"))
    out = io.StringIO()
    call_command("targets", "extract", stdout=out)
    assert out.getvalue() == "新增培育省级先进制造业集群 1至2个\n"


def test_as_line():
    target = Target("t", "新增全国重点实验室", "ge", D(2), None, "家", "力争")
    assert as_line(target) == "新增全国重点实验室 ≥ 2家（力争）"


# -- properties ------------------------------------------------------------------------------


@given(
    st.text(
        alphabet=st.sampled_from(
            list("新增企业家个项亿万元%以上左右至已了，、。；1234567890.的分别达到突破")
        ),
        max_size=60,
    )
)
def test_any_text_gives_well_formed_targets(text):
    for target in extract_targets(text):
        assert target.comparator in {"ge", "gt", "le", "lt", "approx", "eq", "range"}
        assert (target.value_max is not None) == (target.comparator == "range")
        assert target.unit
        assert target.text in normalise_text(text)
        json.dumps(target.as_json())


@given(
    st.integers(1, 99_999),
    st.sampled_from(["家", "个", "项", "亿元", "万元", "%"]),
    st.sampled_from([("以上", "ge"), ("左右", "approx"), ("以内", "le"), ("", "eq")]),
)
def test_a_simple_target_reads_back(n, unit, qualifier):
    word, comparator = qualifier
    assert found(f"新增高新技术企业{n}{unit}{word}。") == [
        ("新增高新技术企业", comparator, D(n), None, unit, None)
    ]
