"""Supervision tables pasted as text in the layouts the bureau's documents use.

Every sample reuses real items of seed 003 (2021年区政府工作报告确定事项1-3月份推进情况),
written the way other offices send them: a block per item, items under a leader heading,
a 分工 paragraph per item, and the seed's table with one cell per line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gongxin.demo
from gongxin.core.imports import services as imports
from gongxin.supervision import parsing, text_layouts

SEED_003 = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))
SEED_TEXT = SEED_003.read_text(encoding="utf-8")

BLOCKS = """2021年区政府工作报告确定事项1-3月份推进情况

1.实施科技强区建设行动，打造全国知名的区域科技创新中心。
牵头单位：区工信局
分管领导：隋  斌
3月份目标：加快宸芯科技国家重点实验室等高端科研平台建设，统筹推进科技创新平台认定等工作。
推进情况：正常推进。1.召开新区科技座谈会，研究新区科技发展顶层设计，突出企业主体作用，让创新围绕企业转。
2.新区工信局（科技）带队先后2次赴江苏、杭州、上海等地考察学习。
3.组织开展2021年度市级工程研究中心申报认定工作。

2.加快宸芯科技国家重点实验室等高端科研平台建设，新增市级以上科技创新平台15家。
牵头单位：区工信局
配合单位：发改局、国内招商促进中心
分管领导：隋斌
3月份目标：统筹推进宸芯科技重点实验室的建设。
推进情况：正常推进。1.对接上级科技等主管部门，针对新区各类创新平台，做好政策宣讲和储备摸底工作。
2.组织开展2021年度市级工程研究中心申报认定工作。

3.★瞄准人工智能、空天科技等前沿领域，采取揭榜挂帅等方式，突破20项关键核心技术。
牵头单位：区工信局
分管领导：隋斌
3月份目标：汇总新区科技型企业技术需求表。
推进情况：正常推进。已拜访对接了国内10余家拥有高精尖技术的项目企业，目前正在征集产业发展卡脖子问题。

4.★实施科技型企业梯次培育工程，新增独角兽、瞪羚和隐形冠军等10家以上，国家级高新技术企业达到750家。
责任单位：区工信局、民营经济发展局分别办理
责任领导：隋斌、邵睿
3月份目标：组织推荐第一批高新技术企业。
推进情况：正常推进。已完成“专精特新”等入库培育企业460家,省市百强入库培育企业35家，
下步将继续做好企业入库培育和认定工作。
"""


def item(seq, content, leaders, mode, lead=(), assist=(), separately=(), **rest) -> dict:
    return {
        "seq": seq,
        "content": content,
        "key": rest.get("key", False),
        "leaders": list(leaders),
        "mode": mode,
        "units": {"lead": list(lead), "assist": list(assist), "separately": list(separately)},
        "period_target": rest.get("target", ""),
        "progress": rest.get("progress", ""),
        "claimed_status": rest.get("claimed", "正常推进" if rest.get("progress") else None),
    }


BLOCKS_ITEMS = [
    item(
        1,
        "实施科技强区建设行动，打造全国知名的区域科技创新中心。",
        ["隋斌"],
        "sole",
        lead=["区工信局"],
        target="加快宸芯科技国家重点实验室等高端科研平台建设，统筹推进科技创新平台认定等工作。",
        progress="正常推进。1.召开新区科技座谈会，研究新区科技发展顶层设计，突出企业主体作用，"
        "让创新围绕企业转。\n2.新区工信局（科技）带队先后2次赴江苏、杭州、上海等地考察学习。\n"
        "3.组织开展2021年度市级工程研究中心申报认定工作。",
    ),
    item(
        2,
        "加快宸芯科技国家重点实验室等高端科研平台建设，新增市级以上科技创新平台15家。",
        ["隋斌"],
        "lead_assist",
        lead=["区工信局"],
        assist=["发改局", "国内招商促进中心"],
        target="统筹推进宸芯科技重点实验室的建设。",
        progress="正常推进。1.对接上级科技等主管部门，针对新区各类创新平台，做好政策宣讲和储备摸底工作。"
        "\n2.组织开展2021年度市级工程研究中心申报认定工作。",
    ),
    item(
        3,
        "瞄准人工智能、空天科技等前沿领域，采取揭榜挂帅等方式，突破20项关键核心技术。",
        ["隋斌"],
        "sole",
        lead=["区工信局"],
        key=True,
        target="汇总新区科技型企业技术需求表。",
        progress="正常推进。已拜访对接了国内10余家拥有高精尖技术的项目企业，"
        "目前正在征集产业发展卡脖子问题。",
    ),
    item(
        4,
        "实施科技型企业梯次培育工程，新增独角兽、瞪羚和隐形冠军等10家以上，"
        "国家级高新技术企业达到750家。",
        ["隋斌", "邵睿"],
        "separately",
        separately=["区工信局", "民营经济发展局"],
        key=True,
        target="组织推荐第一批高新技术企业。",
        progress="正常推进。已完成“专精特新”等入库培育企业460家,省市百强入库培育企业35家，\n"
        "下步将继续做好企业入库培育和认定工作。",
    ),
]

GROUPED = """2021年区政府工作报告确定事项3月份推进情况（按区分管领导）

隋斌副区长牵头重点工作（3项）
1.实施科技强区建设行动，打造全国知名的区域科技创新中心。（责任单位：区工信局）
时间节点：统筹推进科技创新平台认定等工作。
进展情况：正常推进。组织开展2021年度市级工程研究中心申报认定工作。
2.编制实施工业用地保护规划，深化“亩均论英雄”综合评价，促进土地高效集约利用。（牵头单位：区工信局；配合单位：自然资源局）
进展情况：正常推进。区工信局汇同区统计局梳理确定2020年度“亩产效益”综合评价企业数据采集名单。
3.创建新经济创新创业园区，孵化一批数字经济、人工智能等初创企业。（责任单位：区新经济发展促进中心（品牌发展中心）、工信局分别办理）
进展情况：正常推进。第二批区大数据优秀案例评选公示等工作完成。

顾清弥副区长牵头重点工作（2项）
4.新建一批众创空间，打造国家双创示范基地。（责任单位：区工信局、发改局分别办理）
时间节点：2021年科技型中小企业入库培训。
进展情况：正常推进。举办科技型中小企业优惠政策宣讲，共有29家企业参与了此次宣讲会。
5.★加大产业投资力度，突出支柱产业和战略性新兴产业，加快建设300个重点工业项目。（责任单位：区发改局、工信局分别办理）
进展情况：欠进度。一季度梳理在库工业项目180个，部分项目前期手续办理滞后。
"""

PROSE = """2021年区政府工作报告确定事项责任分工

1.实施科技强区建设行动，打造全国知名的区域科技创新中心。分管领导：隋斌。部门分工：区工信局牵头。

2.加快宸芯科技国家重点实验室等高端科研平台建设，新增市级以上科技创新平台15家。分管领导：隋  斌。部门分工：区工信局牵头，发改局、国内招商促进中心配合。

3.深化校地融合发展，布局建设大学科教园区“一区三基地”。分管领导：刘玮、隋斌、张磊娜、周诚。部门分工：古镇口核心区、工信局分别牵头，教体局、财政局、校地融合办等部门配合。

4.鼓励明月海藻、澳柯玛等企业实施倍增计划，推进金能科技一期等项目达产见效。分管领导：封洪海、顾清弥、隋斌。
部门分工：区发改局、工信局、董家口经济区分别办理。
"""

CELLS = """2021年区政府工作报告确定事项1-3月份推进情况

序号
事项内容
区分管
领导
责任单位
3月份目标
截至3月底完成情况
5
发挥企业在科技创新中的主体作用，完善科技计划体系，抓好企业自主创新等专项扶持。
隋  斌
区工信局
收集并汇总新区科技型企业技术需求表。
正常推进。目前，已汇集技术需求30余项。
6
★实施科技型企业梯次培育工程，新增独角兽、瞪羚和隐形冠军等10家以上，国家级高新技术企业达到750家。
隋  斌
邵  睿
区工信局、民营经济发展局分别办理
组织推荐第一批高新技术企业。
正常推进。已完成“专精特新”等入库培育企业460家。
7
创建新经济创新创业园区，孵化一批数字经济、人工智能等初创企业。
隋  斌

刘  雯
区新经济发展促进中心（品牌发展中心）、工信局分别办理
资本相亲会。
正常推进。第二批区大数据优秀案例评选公示等工作完成，共评审出5家企业并进行了公示。
组织企业融资风险分析讲座，共有30余家企业参与。

组织资本相亲会，共有7家投资/金融机构及10余家企业参与了活动。
"""


def read(text: str) -> list[dict]:
    _title, header, rows = text_layouts.to_table(text)
    return [i.as_json() for i in parsing.rows_to_items(header, rows)]


def summary(text: str) -> list[tuple]:
    """(seq, key, leaders, mode, lead, assist, separately) of every item."""
    return [(i["seq"], i["key"], i["leaders"], i["mode"], *i["units"].values()) for i in read(text)]


# --- a block per item -------------------------------------------------------------------------


def test_blocks_give_one_row_per_item_from_its_numbered_line():
    title, header, rows = text_layouts.to_table(BLOCKS)
    assert text_layouts.detect_layout(BLOCKS) == "blocks"
    assert title == "2021年区政府工作报告确定事项1-3月份推进情况"
    assert header == ["序号", "事项内容", "分管领导", "责任单位", "3月份目标", "完成情况"]
    assert [line for line, _ in rows] == [3, 11, 19, 25]
    assert parsing.period_month_from_header(header) == 3


def test_blocks_read_as_the_items_they_describe():
    assert read(BLOCKS) == BLOCKS_ITEMS


def test_windows_line_ends_and_indenting_tabs_change_nothing():
    assert read(BLOCKS.replace("\n", "\r\n")) == BLOCKS_ITEMS
    indented = "\n".join("\t" + line if line else line for line in BLOCKS.split("\n"))
    assert text_layouts.detect_layout(indented) == "blocks"
    assert read(indented) == BLOCKS_ITEMS


def units_cells(text: str) -> list[str]:
    _title, header, rows = text_layouts.to_table(text)
    return [cells[header.index("责任单位")] for _, cells in rows]


def test_separate_lead_and_assist_lines_become_one_units_text():
    assert units_cells(BLOCKS)[1] == "区工信局牵头，发改局、国内招商促进中心配合"
    several = "1.新建一批众创空间。\n牵头单位：区工信局、发改局\n配合单位：财政局"
    assert units_cells(several) == ["区工信局、发改局牵头，财政局配合"]
    assert summary(several)[0][3:] == ("lead_assist", ["区工信局", "发改局"], ["财政局"], [])
    alone = "1.新建一批众创空间。\n配合单位：发改局、财政局等部门"
    assert units_cells(alone) == ["发改局、财政局等部门配合"]
    one_per_line = "1.新建一批众创空间。\n责任单位：区工信局\n发改局\n分别办理"
    assert units_cells(one_per_line) == ["区工信局、发改局分别办理"]
    wrapped = "1.新建一批众创空间。\n责任单位：区工信局、\n发改局分别办理"
    assert summary(wrapped)[0][3:] == ("separately", [], [], ["区工信局", "发改局"])


@pytest.mark.parametrize(
    ("first", "second"),
    [("1.", "2."), ("1、", "2、"), ("一、", "二、"), ("（一）", "（二）"), ("(1)", "(2)")],
)
def test_item_lines_may_be_numbered_in_any_of_the_usual_styles(first, second):
    text = (
        f"{first}实施科技强区建设行动，打造全国知名的区域科技创新中心。\n"
        "牵头单位：区工信局\n分管领导：隋斌\n"
        f"{second}新建一批众创空间，打造国家双创示范基地。\n"
        "责任单位：区工信局、发改局分别办理\n分管领导：顾清弥、隋斌\n"
    )
    assert summary(text) == [
        (1, False, ["隋斌"], "sole", ["区工信局"], [], []),
        (2, False, ["顾清弥", "隋斌"], "separately", [], [], ["区工信局", "发改局"]),
    ]


def test_numbered_points_inside_a_value_are_not_items():
    items = read(BLOCKS)
    assert [i["seq"] for i in items] == [1, 2, 3, 4]
    assert items[0]["progress"].count("\n") == 2


def test_points_of_the_item_text_before_its_labels_stay_in_the_text():
    text = (
        "1.实施科技强区建设行动，重点做好：\n（1）召开新区科技座谈会；\n（2）出台系列政策。\n"
        "牵头单位：区工信局\n"
        "2.新建一批众创空间，打造国家双创示范基地。\n牵头单位：区工信局\n"
        "3.鼓励企业加大研发投入，实现大型工业企业研发机构全覆盖。\n牵头单位：区工信局\n"
    )
    items = read(text)
    assert [i["seq"] for i in items] == [1, 2, 3]
    assert items[0]["content"] == (
        "实施科技强区建设行动，重点做好：\n（1）召开新区科技座谈会；\n（2）出台系列政策。"
    )


def test_an_unlabelled_line_numbered_into_a_gap_is_an_item():
    text = (
        "1.实施科技强区建设行动。\n牵头单位：区工信局\n推进情况：正常推进。\n1.召开座谈会。\n"
        "2.赴江苏考察学习。\n"
        "2.新建一批众创空间，打造国家双创示范基地。\n"
        "3.鼓励企业加大研发投入。\n牵头单位：区工信局\n"
    )
    title, _header, rows = text_layouts.to_table(text)
    assert [(line, cells[0], cells[1]) for line, cells in rows] == [
        (1, "1", "实施科技强区建设行动。"),
        (6, "2", "新建一批众创空间，打造国家双创示范基地。"),
        (7, "3", "鼓励企业加大研发投入。"),
    ]
    assert rows[0][1][3] == "正常推进。\n1.召开座谈会。\n2.赴江苏考察学习。"
    assert title == ""


def test_section_headings_between_items_are_left_out():
    text = (
        "一、科技创新（2项）\n"
        "1.实施科技强区建设行动。\n牵头单位：区工信局\n推进情况：正常推进。\n"
        "2.新建一批众创空间。\n牵头单位：区工信局\n推进情况：正常推进。\n"
        "二、产业升级\n"
        "3.滚动实施160个工业转型升级和技术改造重点项目。\n牵头单位：区工信局\n推进情况：欠进度。\n"
    )
    items = read(text)
    assert [i["seq"] for i in items] == [1, 2, 3]
    assert items[1]["progress"] == "正常推进。"
    assert items[2]["claimed_status"] == "欠进度"


def test_an_item_text_may_stand_under_its_own_label():
    text = (
        "1.\n事项内容：推动数字产业化、产业数字化，构筑新区未来竞争优势。\n"
        "责任单位：区工信局\n本月目标：推动商汤超算中心建设进度。\n"
        "2.\n事项内容：搭建惠企政策精准推送平台。\n责任单位：区工信局牵头，民营经济发展局配合\n"
    )
    _title, header, rows = text_layouts.to_table(text)
    assert header == ["序号", "事项内容", "责任单位", "阶段目标"]
    assert [cells[1] for _, cells in rows] == [
        "推动数字产业化、产业数字化，构筑新区未来竞争优势。",
        "搭建惠企政策精准推送平台。",
    ]


def test_problems_and_next_steps_are_kept_with_the_progress():
    text = (
        "1.推进新松智能无人系统创新研究院等项目建设。\n牵头单位：区工信局\n"
        "推进情况：欠进度。样机设计尚未完成。\n存在问题：关键零部件供货延迟。\n"
        "下步打算：4月底前完成样机设计。\n"
    )
    assert read(text)[0]["progress"] == (
        "欠进度。样机设计尚未完成。\n存在问题：关键零部件供货延迟。\n下步打算：4月底前完成样机设计。"
    )


# --- items grouped under a leader heading ------------------------------------------------------


def test_the_heading_leader_applies_to_every_item_under_it():
    assert text_layouts.detect_layout(GROUPED) == "grouped"
    title, header, rows = text_layouts.to_table(GROUPED)
    assert title == "2021年区政府工作报告确定事项3月份推进情况（按区分管领导）"
    assert header == ["序号", "事项内容", "分管领导", "责任单位", "阶段目标", "完成情况"]
    assert [line for line, _ in rows] == [4, 7, 9, 13, 16]
    assert summary(GROUPED) == [
        (1, False, ["隋斌"], "sole", ["区工信局"], [], []),
        (2, False, ["隋斌"], "lead_assist", ["区工信局"], ["自然资源局"], []),
        (
            3,
            False,
            ["隋斌"],
            "separately",
            [],
            [],
            ["区新经济发展促进中心(品牌发展中心)", "工信局"],
        ),
        (4, False, ["顾清弥"], "separately", [], [], ["区工信局", "发改局"]),
        (5, True, ["顾清弥"], "separately", [], [], ["区发改局", "工信局"]),
    ]


def test_bracketed_units_leave_the_item_text_and_targets_and_status_are_read():
    items = read(GROUPED)
    assert items[0]["content"] == "实施科技强区建设行动，打造全国知名的区域科技创新中心。"
    assert items[0]["period_target"] == "统筹推进科技创新平台认定等工作。"
    assert items[2]["period_target"] == ""
    assert [i["claimed_status"] for i in items] == ["正常推进"] * 4 + ["欠进度"]
    assert items[4]["content"].startswith("加大产业投资力度")


def test_numbering_restarting_under_each_heading_is_renumbered_in_order():
    text = (
        "一、隋斌同志分管（2项）\n"
        "1.实施科技强区建设行动，打造全国知名的区域科技创新中心。\n"
        "2.新建一批众创空间，打造国家双创示范基地。\n"
        "二、区委常委、副区长刘玮同志牵头重点工作\n"
        "1.深化校地融合发展，布局建设大学科教园区“一区三基地”。\n"
        "分管领导：刘玮、隋斌\n"
        "责任单位：古镇口核心区、工信局分别牵头，教体局、财政局等部门配合\n"
    )
    assert text_layouts.detect_layout(text) == "grouped"
    _title, header, rows = text_layouts.to_table(text)
    assert [(line, cells[0]) for line, cells in rows] == [(2, "1"), (3, "2"), (5, "3")]
    assert summary(text) == [
        (1, False, ["隋斌"], "sole", [], [], []),
        (2, False, ["隋斌"], "sole", [], [], []),
        (
            3,
            False,
            ["刘玮", "隋斌"],
            "separate_leads",
            ["古镇口核心区", "工信局"],
            ["教体局", "财政局"],
            [],
        ),
    ]
    # Items without units are read; the importer reports "未填写责任单位" on their lines.
    items = parsing.rows_to_items(header, rows)
    assert items[0].problems == ["未填写责任单位。"]


def test_a_numbered_leader_label_line_heads_a_group_and_an_item_may_name_its_own():
    text = (
        "（一）分管领导：隋斌（2项）\n"
        "1.实施科技强区建设行动。\n牵头单位：区工信局\n"
        "2.打造70个智慧社区，启用“城市云脑”。\n分管领导：隋斌、周诚\n"
        "责任单位：区工信局、社会治理中心分别办理\n"
        "推进情况：正常推进。城市云脑建设专班\n由隋斌同志牵头\n"
    )
    assert summary(text) == [
        (1, False, ["隋斌"], "sole", ["区工信局"], [], []),
        (2, False, ["隋斌", "周诚"], "separately", [], [], ["区工信局", "社会治理中心"]),
    ]
    assert read(text)[1]["progress"] == "正常推进。城市云脑建设专班\n由隋斌同志牵头"


def test_a_leader_named_with_a_title_in_an_item_is_just_the_name():
    text = (
        "1.打造70个智慧社区，启用“城市云脑”。\n分管领导：隋斌副区长、周诚同志\n责任单位：区工信局"
    )
    assert summary(text)[0][2] == ["隋斌", "周诚"]


# --- prose with 分管领导 / 部门分工 ---------------------------------------------------------------


def test_prose_paragraphs_give_leaders_and_the_division_of_work_as_written():
    assert text_layouts.detect_layout(PROSE) == "prose"
    title, header, rows = text_layouts.to_table(PROSE)
    assert title == "2021年区政府工作报告确定事项责任分工"
    assert header == ["序号", "事项内容", "分管领导", "责任单位"]
    assert [line for line, _ in rows] == [3, 5, 7, 9]
    assert units_cells(PROSE) == [
        "区工信局牵头",
        "区工信局牵头，发改局、国内招商促进中心配合",
        "古镇口核心区、工信局分别牵头，教体局、财政局、校地融合办等部门配合",
        "区发改局、工信局、董家口经济区分别办理",
    ]
    assert summary(PROSE) == [
        (1, False, ["隋斌"], "sole", ["区工信局"], [], []),
        (2, False, ["隋斌"], "lead_assist", ["区工信局"], ["发改局", "国内招商促进中心"], []),
        (3, False, ["刘玮", "隋斌", "张磊娜", "周诚"], "separate_leads", ["古镇口核心区", "工信局"],
         ["教体局", "财政局", "校地融合办"], []),
        (4, False, ["封洪海", "顾清弥", "隋斌"], "separately", [], [], ["区发改局", "工信局", "董家口经济区"]),
    ]  # fmt: skip
    assert read(PROSE)[0]["content"] == "实施科技强区建设行动，打造全国知名的区域科技创新中心。"


def test_a_bare_deng_before_the_assisting_role_is_not_part_of_a_unit_name():
    text = (
        "1.加快宸芯科技国家重点实验室等高端科研平台建设。分管领导：隋斌。"
        "部门分工：区工信局牵头，发改局、国内招商促进中心等配合。"
    )
    assert summary(text)[0][5] == ["发改局", "国内招商促进中心"]


# --- cells one per line -----------------------------------------------------------------------


def test_cells_one_per_line_use_the_header_lines_as_the_column_count():
    assert text_layouts.detect_layout(CELLS) == "cells"
    title, header, rows = text_layouts.to_table(CELLS)
    assert title == "2021年区政府工作报告确定事项1-3月份推进情况"
    assert header == [
        "序号",
        "事项内容",
        "区分管领导",
        "责任单位",
        "3月份目标",
        "截至3月底完成情况",
    ]
    assert [line for line, _ in rows] == [10, 16, 23]
    assert rows[1][1][2] == "隋  斌\n邵  睿"
    assert summary(CELLS) == [
        (5, False, ["隋斌"], "sole", ["区工信局"], [], []),
        (6, True, ["隋斌", "邵睿"], "separately", [], [], ["区工信局", "民营经济发展局"]),
        (
            7,
            False,
            ["隋斌", "刘雯"],
            "separately",
            [],
            [],
            ["区新经济发展促进中心(品牌发展中心)", "工信局"],
        ),
    ]
    last = read(CELLS)[2]
    assert last["period_target"] == "资本相亲会。"
    assert last["progress"].splitlines()[1:] == [
        "组织企业融资风险分析讲座，共有30余家企业参与。",
        "",
        "组织资本相亲会，共有7家投资/金融机构及10余家企业参与了活动。",
    ]


def test_the_seed_without_its_tabs_reads_as_the_same_27_items():
    tab = text_layouts.to_table(SEED_TEXT)
    cells = text_layouts.to_table(SEED_TEXT.replace("\t", ""))
    assert text_layouts.detect_layout(SEED_TEXT.replace("\t", "")) == "cells"
    assert [line for line, _ in cells[2]] == [line for line, _ in tab[2]]
    assert read(SEED_TEXT.replace("\t", "")) == read(SEED_TEXT)


def test_a_short_last_row_of_cells_names_its_line():
    text = "序号\n事项内容\n区分管领导\n责任单位\n1\n实施科技强区建设行动。\n隋斌\n区工信局\n2\n新建一批众创空间。\n"
    with pytest.raises(parsing.TableFormatError) as error:
        text_layouts.to_table(text)
    assert error.value.message == "第9行起的事项缺少单元格（应有4列，每格一行）。"
    assert error.value.row == 9


# --- the tab layout and text that fits no layout ----------------------------------------------


def test_the_tab_layout_of_seed_003_still_gives_27_items():
    assert text_layouts.detect_layout(SEED_TEXT) == "tab"
    title, header, rows = text_layouts.to_table(SEED_TEXT)
    assert (title, header, rows) == parsing.text_rows(SEED_TEXT)
    items = parsing.rows_to_items(header, rows)
    assert [i.seq for i in items] == list(range(1, 28))
    assert [i.seq for i in items if i.key] == [3, 6, 12]


@pytest.mark.parametrize(
    "text",
    [
        "今年以来，区工信局认真贯彻落实区委区政府决策部署，工业经济稳中有进。",
        "1.规上工业增加值增长10%。\n2.新增高新技术企业100家。\n",
        *(
            next(SEED_003.parent.glob(f"{n}_*.txt")).read_text(encoding="utf-8")
            for n in ("000", "001", "002", "004")
        ),
    ],
    ids=["sentence", "numbered-without-labels", "seed-000", "seed-001", "seed-002", "seed-004"],
)
def test_text_that_fits_no_layout_gets_the_chinese_error(text):
    with pytest.raises(parsing.TableFormatError) as error:
        text_layouts.to_table(text)
    assert error.value.message.startswith("未识别的文本格式：")
    assert "牵头单位：" in error.value.message and "制表符" in error.value.message


# --- through the importer ---------------------------------------------------------------------


def run(text: str) -> dict:
    return imports.run_import(
        "supervision",
        "样例.txt",
        text.encode("utf-8"),
        options={"period": "2021-03", "plan_title": "测试计划"},
    )


def test_importing_the_blocks_sample_as_text_gives_its_items(db):
    result = run(BLOCKS)
    assert result["errors"] == []
    assert result["rows"] == 4 and result["created"] == 4
    assert result["plan"] == {"title": "测试计划", "period": "2021-03"}
    assert result["items"] == BLOCKS_ITEMS


def test_an_item_without_units_is_reported_on_its_line(db):
    text = BLOCKS.replace("责任单位：区工信局、民营经济发展局分别办理\n", "")
    result = run(text)
    assert [(e["row"], e["message"]) for e in result["errors"]] == [(25, "未填写责任单位。")]


def test_unrecognised_text_is_refused_by_the_importer(db):
    result = run("今年以来，区工信局认真贯彻落实区委区政府决策部署。")
    assert result["errors"][0]["message"].startswith("未识别的文本格式：")
