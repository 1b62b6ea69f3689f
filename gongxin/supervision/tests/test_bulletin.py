"""The 1-3月份 通报 of seed 003 (27 items; one more added by hand) after a supervisor's reviews,
and the 催办通知."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from django.utils import timezone

import gongxin.demo
from gongxin.accounts.choices import Role
from gongxin.accounts.models import User
from gongxin.core.imports import services as imports
from gongxin.supervision import bulletin
from gongxin.supervision.choices import Status
from gongxin.supervision.models import Item, ItemUnit, Plan, ProgressReport, Reminder
from gongxin.supervision.services import workflow

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))
MARCH = "2021-03"
APRIL_1 = dt.date(2021, 4, 1)


@pytest.fixture
def plan(personas, monkeypatch):
    monkeypatch.setattr(workflow, "_today", lambda: dt.date(2021, 3, 20))
    data = SEED.read_text(encoding="utf-8").encode()
    assert imports.run_import("supervision", SEED.name, data, commit=True)["errors"] == []
    plan = Plan.objects.get()
    # As if each lead unit had written its text on the platform (an imported table row
    # would answer for all units of its item): the units' own entries are counted per unit.
    ProgressReport.objects.filter(item__plan=plan).update(submitted_by=personas["reporter_a"])
    return plan


def item(plan, seq: int) -> Item:
    return plan.items.get(seq=seq)


@pytest.fixture
def reviewed(plan, personas):
    """The supervisor's March review, one unit's corrected report and two odd cases."""
    supervisor = personas["supervisor"]
    Item.objects.filter(plan=plan, seq=3).update(deadline=dt.date(2021, 3, 15))
    for seq, status in [
        (3, Status.DONE),  # closes item 3
        (12, Status.AHEAD),
        (16, Status.AHEAD),
        (4, Status.BEHIND),
        (19, Status.BEHIND),
        (23, Status.OTHER),
    ]:
        workflow.review(supervisor, item(plan, seq), MARCH, status)
    # 工信局 corrects its item 9 entry; unreviewed, the system's suggestion counts.
    nine = item(plan, 9).assignments.get()
    gxj = User.objects.create(
        username="gxj", name="工信局 填报员", role=Role.REPORTER, unit=nine.unit
    )
    workflow.submit_progress(
        gxj, nine, MARCH, "推进缓慢。评价通知已下发，申报企业较少。", expected_version=1
    )
    # Item 28, added by hand this month: no review, no suggestion, no entry yet.
    extra = Item.objects.create(plan=plan, seq=28, content="完善工业互联网标识解析二级节点。")
    ItemUnit.objects.create(
        item=extra, unit=nine.unit, name_as_written="区工信局", role="lead", order=0
    )
    # Item 25 was due by 31 March and is still open on 1 April.
    Item.objects.filter(plan=plan, seq=25).update(deadline=dt.date(2021, 3, 31))
    return plan


def test_the_summary_sentence_counts_reviews_suggestions_and_claims(reviewed):
    data = bulletin.bulletin_data(reviewed, MARCH, today=APRIL_1)

    # 28 items: 已完成 1 (item 3, reviewed done) · 超进度 2 (12, 16) · 欠进度 3 (4 and 19
    # reviewed, 9 suggested from its 推进缓慢 entry) · 其它 2 (23 reviewed, 28 unknown)
    # · 达进度 28 − 1 − 2 − 3 − 2 = 20 (the imported "正常推进" entries, 25 included)
    # shares: 1/28 = 3.57% → 3.6; 2/28 = 7.14% → 7.1; 20/28 = 71.43% → 71.4;
    #         3/28 = 10.71% → 10.7; 未启动 0 is left out.
    assert data.counts == {
        "done": 1, "ahead": 2, "on_track": 20, "behind": 3, "not_started": 0, "other": 2,
    }  # fmt: skip
    assert data.summary == (
        "共28项：已完成1项，占3.6%；超进度2项，占7.1%；达进度20项，占71.4%；"
        "欠进度3项，占10.7%；其它2项。"
    )


def test_the_bulletin_names_the_behind_and_the_overdue_items(reviewed):
    data = bulletin.bulletin_data(reviewed, MARCH, today=APRIL_1)

    # Item 3 was due on 15 March too, but it is closed: not overdue.
    assert [(e.seq, e.status, e.overdue) for e in data.lagging] == [
        (4, "behind", False),
        (9, "behind", False),
        (19, "behind", False),
        (25, "on_track", True),
    ]
    four = data.lagging[0]
    assert four.units == "古镇口核心区、工信局分别牵头，教体局、财政局、校地融合办等部门配合"
    assert bulletin.lagging_line(4, data.lagging[3]) == (
        "4. 第25项 搭建惠企政策精准推送平台，变“企业找政策”为“政策找企业”"
        "（区工信局牵头，民营经济发展局、政务新生态办公室配合）：达进度，"
        "办结时限为2021年3月31日，已逾期。"
    )


def test_units_are_ranked_by_on_time_reporting(reviewed):
    data = bulletin.bulletin_data(reviewed, MARCH, today=APRIL_1)

    # Imported entries count as on time. 区工信局 is on all 28 items and wrote the entry of
    # 21 (28 has none yet) → 21/28 = 75.0%. 区发改局 is on 7 items and
    # leads the entry of 4 (15, 19, 22, 23) → 4/7 = 57.14% → 57.1%. The two units with
    # their one item reported are at 100% (equal due counts: by name, 区 before 古); the
    # 14 units with nothing reported share 0% at the end. (The centre's other name,
    # "（品牌发展中心）", is an alias or part of its name depending on how units resolve.)
    top = [(r.unit_name.split("(")[0], r.due, r.reported, r.on_time) for r in data.ranking[:4]]
    assert top == [
        ("区新经济发展促进中心", 1, 1, 1),
        ("古镇口核心区", 1, 1, 1),
        ("区工信局", 28, 21, 21),
        ("区发改局", 7, 4, 4),
    ]
    assert len(data.ranking) == 18
    assert all(r.on_time == 0 for r in data.ranking[4:])
    assert bulletin.ranking_line(3, data.ranking[2]) == (
        "3. 区工信局：应报28项，已报21项，按时报送21项，按时报送率75.0%。"
    )


def test_the_bulletin_docx_opens_with_its_title_sentence_sections_and_signature(reviewed):
    document = docx.Document(io.BytesIO(bulletin.bulletin_docx(reviewed, MARCH, today=APRIL_1)))

    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2021年区政府工作报告确定事项1-3月份推进情况通报"
    assert (
        "截至3月底，2021年区政府工作报告确定事项共28项：已完成1项，占3.6%；超进度2项，占7.1%；"
        "达进度20项，占71.4%；欠进度3项，占10.7%；其它2项。"
    ) in texts
    assert [t for t in texts if t in bulletin.HEADINGS] == list(bulletin.HEADINGS)
    assert texts[-2:] == ["区工业和信息化局", "2021年4月1日"]
    assert sum(t.startswith(("1. 第4项", "2. 第9项", "3. 第19项", "4. 第25项")) for t in texts) == 4


def test_an_imported_table_nobody_reviewed_counts_as_it_describes_itself(plan):
    data = bulletin.bulletin_data(plan, MARCH, today=dt.date(2021, 3, 20))

    # Every one of the 27 entries opens with "正常推进。"; 27/27 = 100.0%.
    assert data.summary == "共27项：达进度27项，占100.0%；欠进度0项。"
    assert data.lagging == []
    paragraphs, headings = bulletin.bulletin_paragraphs(data)
    assert "本期无欠进度及逾期事项。" in paragraphs
    assert [paragraphs[i] for i in headings] == list(bulletin.HEADINGS)


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        # 1/16 = 6.25% → 6.3 (half up, not to even); 15/16 = 93.75% → 93.8
        (
            {"done": 1, "on_track": 15},
            "共16项：已完成1项，占6.3%；达进度15项，占93.8%；欠进度0项。",
        ),
        # 5/8 = 62.5%, 1/8 = 12.5%; 未启动 and 其它 are counts only
        (
            {"on_track": 5, "behind": 1, "not_started": 1, "other": 1},
            "共8项：达进度5项，占62.5%；欠进度1项，占12.5%；未启动1项；其它1项。",
        ),
    ],
)
def test_the_summary_sentence_rules(counts, sentence):
    assert bulletin.summary_sentence(counts) == sentence


# --- 催办通知 ------------------------------------------------------------------------------


def sent_on(reminder: Reminder, day: dt.date) -> Reminder:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=at)
    reminder.refresh_from_db()
    return reminder


def reminder_for(plan, personas, unit_name: str) -> Reminder:
    sent = workflow.send_reminders(personas["supervisor"], plan, MARCH)
    return next(r for r in sent if r.unit.name == unit_name)


def test_the_reminder_names_the_unit_its_missing_items_and_the_deadline(plan, personas):
    # 区发改局 is on 7 items but wrote the entry of only 15, 19, 22 and 23: 2, 10 and 13 lack one.
    reminder = sent_on(reminder_for(plan, personas, "区发改局"), dt.date(2021, 3, 22))

    document = docx.Document(io.BytesIO(bulletin.reminder_docx(reminder)))

    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于报送2021年区政府工作报告确定事项3月份推进情况的催办通知"
    assert texts[1] == "区发改局："
    assert "截至2021年3月22日，你单位承担的以下3项事项3月份推进情况尚未报送：" in texts[2]
    assert texts[3:6] == [
        "1. 第2项：加快宸芯科技国家重点实验室等高端科研平台建设，新增市级以上科技创新平台15家。",
        "2. 第10项：新建一批众创空间，打造国家双创示范基地。",
        "3. 第13项：深耕细作智能家电、高端化工、汽车等优势产业，全面推行“链长制”，加快培育千亿级产业集群。",
    ]
    assert texts[6].startswith("请于3月25日前通过平台报送推进情况及佐证材料。")
    assert texts[-2:] == ["区工业和信息化局", "2021年3月22日"]


def test_a_reminder_sent_after_the_report_day_says_the_entry_is_overdue(plan, personas):
    reminder = sent_on(reminder_for(plan, personas, "区人社局"), dt.date(2021, 3, 26))

    paragraphs = bulletin.reminder_paragraphs(reminder)

    assert paragraphs[1] == "1. 第11项：弘扬科学精神和工匠精神，营造崇尚创新的浓厚社会氛围。"
    assert paragraphs[-1].startswith("本期报送截止日期为3月25日，现已逾期。请于收到本通知后立即")


def test_an_imported_table_row_answers_for_every_unit_of_its_item(personas):
    data = SEED.read_text(encoding="utf-8").encode()
    imports.run_import("supervision", SEED.name, data, commit=True)
    plan = Plan.objects.get()
    # Seed 003 gives one 完成情况 per item: nobody is chased, everyone reported on time.
    assert workflow.missing_reports(plan, MARCH) == []
    ranking = workflow.on_time_statistics(plan, MARCH)
    assert all(r.due == r.reported == r.on_time for r in ranking)
