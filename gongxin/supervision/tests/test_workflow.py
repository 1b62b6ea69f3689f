"""An item's cycle as the people who work it see it: 签收 → 反馈 → 审核 → 批示 → 销号 → 催办.

The plan asks for reports by the 25th of each month; the stories happen in March 2021 with
"today" pinned by `on(day)`, so on-time and overdue judgements are hand-checkable.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongxin.accounts.choices import Role
from gongxin.accounts.models import Unit, User
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.models import AuditEvent
from gongxin.supervision.choices import Light, Stage, Status
from gongxin.supervision.models import (
    ClosureRequest,
    Evidence,
    Item,
    ItemUnit,
    PeriodTarget,
    Plan,
    ProgressReport,
    Reminder,
)
from gongxin.supervision.services import workflow

MARCH = "2021-03"


@pytest.fixture
def on(monkeypatch):
    """on(20) pins today to 2021-03-20; on(2, month=4) to 2021-04-02."""

    def pin(day: int, month: int = 3) -> None:
        monkeypatch.setattr(workflow, "_today", lambda: dt.date(2021, month, day))

    pin(20)  # before the report day unless a story moves on
    return pin


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        title="2021年区政府工作报告确定事项", year=2021, report_day=25, current_period=MARCH
    )


def make_item(
    plan, seq: int, *units, deadline=dt.date(2021, 12, 31), others: str = "assist"
) -> Item:
    """An item whose first unit leads and the others assist (or, with others="separately",
    each answer for it, 分别办理); a unit of None is a collective placeholder still waiting
    for a person to name it."""
    item = Item.objects.create(plan=plan, seq=seq, content=f"第{seq}项重点工作", deadline=deadline)
    for order, unit in enumerate(units):
        ItemUnit.objects.create(
            item=item,
            unit=unit,
            name_as_written=(unit.short_name or unit.name) if unit else "各行业主管部门",
            role="lead" if order == 0 else others,
            order=order,
            needs_resolution=unit is None,
        )
    return item


def assignment(item: Item, unit) -> ItemUnit:
    return item.assignments.get(unit=unit)


@pytest.fixture
def item(plan, personas):
    """工信局 leads, 发改局 assists."""
    return make_item(plan, 1, personas.unit_a, personas.unit_b)


def report(actor, item, unit, text, version=0, **kwargs):
    return workflow.submit_progress(
        actor, assignment(item, unit), MARCH, text, expected_version=version, **kwargs
    )


def submits() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="progress.submit").order_by("id"))


# --- 签收 ---------------------------------------------------------------------------------


def test_reporter_a_acknowledges_and_the_audit_row_names_the_unit(personas, item):
    mine = assignment(item, personas.unit_a)

    workflow.acknowledge(personas["reporter_a"], mine)

    mine.refresh_from_db()
    assert mine.acknowledged_at is not None and mine.acknowledged_by == personas["reporter_a"]
    event = AuditEvent.objects.get(action="item.acknowledge")
    assert (event.actor_username, event.object_id) == ("reporter_a", str(item.pk))
    assert event.after == {"unit": "区工业和信息化局"}
    # Signing twice is still one signature.
    workflow.acknowledge(personas["reporter_a"], mine)
    assert AuditEvent.objects.filter(action="item.acknowledge").count() == 1


# --- 反馈: one entry per unit and period --------------------------------------------------------


def test_the_first_report_is_the_units_one_entry_and_sets_the_item_moving(on, personas, item):
    entry = report(personas["reporter_a"], item, personas.unit_a, "正常推进。召开新区科技座谈会。")

    assert ProgressReport.objects.filter(assignment__item=item, period=MARCH).count() == 1
    assert (entry.claimed_status, entry.version, entry.on_time) == (Status.ON_TRACK, 1, True)
    item.refresh_from_db()
    assert item.stage == Stage.IN_PROGRESS
    # 发改局 has not reported, but the 25th has not come: only 工信局's claim counts.
    assert item.suggested_status == Status.ON_TRACK
    # Reporting is signing for the item too.
    assert assignment(item, personas.unit_a).acknowledged_by == personas["reporter_a"]


def test_a_report_on_the_report_day_is_on_time_and_one_a_day_later_is_late(on, personas, item):
    on(25)
    a = report(personas["reporter_a"], item, personas.unit_a, "正常推进。")
    on(26)
    b = report(personas["reporter_b"], item, personas.unit_b, "正常推进。")

    assert (a.on_time, b.on_time) == (True, False)


def test_a_second_submit_edits_the_same_entry_and_bumps_its_version(on, personas, item):
    first = report(personas["reporter_a"], item, personas.unit_a, "正常推进。召开座谈会。")

    second = report(
        personas["reporter_a"], item, personas.unit_a, "欠进度。座谈会延期。", version=1
    )

    assert second.pk == first.pk
    assert ProgressReport.objects.filter(assignment__item=item, period=MARCH).count() == 1
    assert (second.version, second.claimed_status) == (2, Status.BEHIND)
    edit = submits()[-1]
    assert edit.before == {"text": "正常推进。召开座谈会。", "claimed_status": "on_track"}
    assert edit.after["text"] == "欠进度。座谈会延期。"


def test_a_correction_after_the_report_day_keeps_an_on_time_entry_on_time(on, personas, item):
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。召开座谈会。")
    on(28)

    corrected = report(
        personas["reporter_a"], item, personas.unit_a, "正常推进。召开新区科技座谈会。", version=1
    )

    # 按时报送 is judged on the first submission (20th ≤ 25th), not on the typo fix.
    assert corrected.on_time is True


def test_two_reporters_editing_one_entry_the_second_gets_both_texts_and_overwrites_nothing(
    on, personas, item
):
    colleague = User.objects.create(
        username="reporter_a2", name="工信局 孙填报", role=Role.REPORTER, unit=personas.unit_a
    )
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。召开座谈会。")
    before = AuditEvent.objects.latest("id").id
    # Both open the form on version 1 …
    started_from = ProgressReport.objects.get(assignment__item=item).version
    assert started_from == 1

    # … 李填报 saves first …
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。已召开座谈会。", started_from)
    # … then 孙填报 saves on the same stale version.
    with pytest.raises(workflow.EditConflict) as conflict:
        report(colleague, item, personas.unit_a, "正常推进。座谈会定于下周。", started_from)

    error = conflict.value
    assert error.theirs == "正常推进。已召开座谈会。"
    assert error.mine == "正常推进。座谈会定于下周。"
    assert (error.their_version, error.their_author) == (2, "工信局 李填报")
    assert "已被他人修改" in error.message
    stored = ProgressReport.objects.get(assignment__item=item)
    assert (stored.text, stored.version) == ("正常推进。已召开座谈会。", 2)
    after = AuditEvent.objects.filter(action="progress.submit", id__gt=before)
    assert [e.actor_username for e in after] == ["reporter_a"]


def test_two_reporters_writing_the_first_entry_at_once_the_second_is_told(on, personas, item):
    colleague = User.objects.create(
        username="reporter_a2", name="工信局 孙填报", role=Role.REPORTER, unit=personas.unit_a
    )
    # Both see an empty form (version 0); a caller that passes no version at all is treated
    # the same way: it believed there was nothing to overwrite.
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。甲的文字。", version=0)
    for stale in (0, None):
        with pytest.raises(workflow.EditConflict) as conflict:
            report(colleague, item, personas.unit_a, "正常推进。乙的文字。", version=stale)
        assert conflict.value.theirs == "正常推进。甲的文字。"

    assert ProgressReport.objects.get(assignment__item=item).text == "正常推进。甲的文字。"
    assert [e.actor_username for e in submits()] == ["reporter_a"]


def test_evidence_files_are_stored_with_the_entry(on, personas, item):
    pdf = b"%PDF-1.4\n% minutes of the meeting\n"

    entry = report(
        personas["reporter_a"],
        item,
        personas.unit_a,
        "正常推进。召开座谈会。",
        files=[("座谈会纪要.pdf", pdf)],
    )

    evidence = Evidence.objects.get(report=entry)
    assert evidence.name == "座谈会纪要.pdf"
    assert bytes(evidence.file.content) == pdf
    assert evidence.uploaded_by == personas["reporter_a"]
    assert submits()[-1].after["files"] == ["座谈会纪要.pdf"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
        ("纪要.pdf", b"", "文件为空。"),
    ],
)
def test_an_exe_or_an_empty_file_is_refused_and_the_entry_is_not_saved(
    on, personas, item, name, data, message
):
    with pytest.raises(ServiceError) as refused:
        report(personas["reporter_a"], item, personas.unit_a, "正常推进。", files=[(name, data)])

    assert refused.value.message.startswith(message)
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert submits() == []


# --- 状态: the system's suggestion and the supervisor's review -------------------------------


def test_the_slowest_unit_decides_the_suggested_status(on, personas, item):
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。")
    report(personas["reporter_b"], item, personas.unit_b, "欠进度。资金未到位。")

    item.refresh_from_db()
    assert item.suggested_status == Status.BEHIND


def test_a_unit_silent_after_the_report_day_counts_as_behind(on, personas, plan):
    item = make_item(plan, 1, personas.unit_a, personas.unit_b, None, others="separately")
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。")
    assert workflow.suggested_status(item, MARCH) == Status.ON_TRACK  # the 20th: not yet due

    on(26)
    # 发改局 has said nothing by the 26th; the placeholder "各行业主管部门" is nobody and is
    # not counted either way.
    assert workflow.suggested_status(item, MARCH) == Status.BEHIND
    report(personas["reporter_b"], item, personas.unit_b, "正常推进。")
    assert workflow.suggested_status(item, MARCH) == Status.ON_TRACK


def test_review_sets_the_official_status_keeps_the_suggestion_and_flags_disagreement(
    on, personas, item
):
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。")
    report(personas["reporter_b"], item, personas.unit_b, "正常推进。")

    row = workflow.review(personas["supervisor"], item, MARCH, Status.BEHIND, "座谈会未形成纪要")

    item.refresh_from_db()
    assert item.official_status == Status.BEHIND
    assert (row.status, row.suggested_status) == (Status.BEHIND, Status.ON_TRACK)
    assert item.status_disagrees
    event = AuditEvent.objects.get(action="item.review")
    assert event.before == {"official_status": ""}
    assert event.after["official_status"] == "behind"
    with pytest.raises(ServiceError, match="请选择审核状态"):
        workflow.review(personas["supervisor"], item, MARCH, "great")


def test_a_supervisors_done_review_closes_the_item(on, personas, item):
    report(personas["reporter_a"], item, personas.unit_a, "已完成。")

    workflow.review(personas["supervisor"], item, MARCH, Status.DONE)

    item.refresh_from_db()
    assert (item.stage, item.official_status) == (Stage.CLOSED, Status.DONE)


# --- 批示 ---------------------------------------------------------------------------------


def test_an_instruction_needs_text_and_the_unit_marks_it_read(on, personas, item):
    with pytest.raises(ServiceError, match="请填写批示内容"):
        workflow.instruct(personas["leader"], item, "   ")

    note = workflow.instruct(personas["leader"], item, "请加快进度，月底前形成方案。")
    workflow.mark_instruction_read(personas["reporter_a"], note)

    assert list(note.read_by_units.all()) == [personas.unit_a]
    assert AuditEvent.objects.filter(action__in=["item.instruct", "instruction.read"]).count() == 2


# --- 销号 ---------------------------------------------------------------------------------


def test_a_closure_request_waits_and_a_second_one_is_refused(on, personas, item):
    mine = assignment(item, personas.unit_a)

    request = workflow.request_closure(personas["reporter_a"], mine, "已完成，附验收报告。")

    assert request.decision == ClosureRequest.Decision.PENDING
    item.refresh_from_db()
    assert item.stage == Stage.CLOSURE_REQUESTED
    with pytest.raises(ServiceError) as refused:
        workflow.request_closure(personas["reporter_b"], assignment(item, personas.unit_b), "完成")
    assert refused.value.message == "该事项已有待审批的销号申请。"
    with pytest.raises(ServiceError, match="请说明申请销号的理由"):
        workflow.request_closure(personas["reporter_a"], mine, " ")


def test_an_approved_closure_closes_the_item_as_done(on, personas, item):
    report(personas["reporter_a"], item, personas.unit_a, "正常推进。")
    request = workflow.request_closure(
        personas["reporter_a"], assignment(item, personas.unit_a), "已完成。"
    )

    workflow.decide_closure(personas["supervisor"], request, approve=True, comment="同意")

    item.refresh_from_db()
    assert (item.stage, item.official_status) == (Stage.CLOSED, Status.DONE)
    # Closed is done by the system's rule as well: no disagreement to flag.
    assert not item.status_disagrees
    with pytest.raises(ServiceError, match="该事项已办结"):
        workflow.request_closure(personas["reporter_a"], assignment(item, personas.unit_a), "再申")


def test_a_refused_closure_sends_the_item_back_to_work(on, personas, item):
    request = workflow.request_closure(
        personas["reporter_a"], assignment(item, personas.unit_a), "已完成。"
    )

    workflow.decide_closure(personas["supervisor"], request, approve=False, comment="缺佐证")

    item.refresh_from_db()
    assert item.stage == Stage.IN_PROGRESS and item.official_status == ""
    with pytest.raises(ServiceError, match="该申请已审批"):
        workflow.decide_closure(personas["supervisor"], request, approve=True)


# --- 催办 and on-time statistics ---------------------------------------------------------------


def test_missing_reports_lists_only_units_without_an_entry(on, personas, plan):
    one = make_item(plan, 1, personas.unit_a, personas.unit_b, None)
    two = make_item(plan, 2, personas.unit_a)
    report(personas["reporter_a"], one, personas.unit_a, "正常推进。")

    missing = {m.unit_name: [i.seq for i in m.items] for m in workflow.missing_reports(plan, MARCH)}

    # 工信局 reported on item 1 but not on item 2; 发改局 not on item 1; the placeholder
    # "各行业主管部门" is not a unit and is not chased.
    assert missing == {"区工业和信息化局": [2], "区发展和改革局": [1]}
    assert two.pk  # (item 2 exists only to be missing)


def test_send_reminders_writes_one_notice_and_one_audit_row_per_unit(on, personas, plan):
    make_item(plan, 1, personas.unit_a, personas.unit_b)
    make_item(plan, 2, personas.unit_a)
    on(26)

    sent = workflow.send_reminders(personas["supervisor"], plan, MARCH)

    assert Reminder.objects.count() == 2 == len(sent)
    by_unit = {r.unit.name: sorted(i.seq for i in r.items.all()) for r in sent}
    assert by_unit == {"区工业和信息化局": [1, 2], "区发展和改革局": [1]}
    rows = AuditEvent.objects.filter(action="reminder.send")
    assert sorted(r.after["items"] for r in rows) == [[1], [1, 2]]


def test_on_time_statistics_rank_units_by_on_time_rate(on, personas, plan):
    finance = Unit.objects.create(name="区财政局", short_name="财政局")
    one = make_item(plan, 1, personas.unit_a, personas.unit_b)
    two = make_item(plan, 2, personas.unit_a, personas.unit_b)
    three = make_item(plan, 3, personas.unit_a, finance)
    closed = make_item(plan, 4, personas.unit_b)
    Item.objects.filter(pk=closed.pk).update(stage=Stage.CLOSED)
    on(20)
    report(personas["reporter_a"], one, personas.unit_a, "正常推进。")
    report(personas["reporter_a"], two, personas.unit_a, "正常推进。")
    report(personas["reporter_b"], one, personas.unit_b, "正常推进。")
    workflow.submit_progress(
        personas["supervisor"], assignment(three, finance), MARCH, "正常推进。", expected_version=0
    )
    on(26)
    report(personas["reporter_a"], three, personas.unit_a, "正常推进。")

    stats = workflow.on_time_statistics(plan, MARCH)

    # 区财政局  due 1, on time 1 → 1/1 = 100%
    # 工信局    due 3 (items 1–3), on time 2 (item 3 came on the 26th) → 2/3 = 66.7%
    # 发改局    due 2 (items 1–2; closed item 4 asks nothing), on time 1 → 1/2 = 50%
    assert [(s.unit_name, s.due, s.reported, s.on_time) for s in stats] == [
        ("区财政局", 1, 1, 1),
        ("区工业和信息化局", 3, 3, 2),
        ("区发展和改革局", 2, 1, 1),
    ]
    assert [round(s.rate, 3) for s in stats] == [1.0, 0.667, 0.5]


# --- Lights and targets ------------------------------------------------------------------------


def test_an_overdue_item_is_red_and_green_once_closed(on, personas, plan):
    item = make_item(plan, 1, personas.unit_a, deadline=dt.date(2021, 3, 31))
    on(2, month=4)

    assert item.plan.light_rules == "time_progress"  # the default preset
    assert workflow.item_light(item) == Light.RED  # two days past 31 March
    request = workflow.request_closure(
        personas["reporter_a"], assignment(item, personas.unit_a), "已完成。"
    )
    workflow.decide_closure(personas["supervisor"], request, approve=True)

    item.refresh_from_db()
    assert workflow.item_light(item) == Light.GREEN


def test_copy_targets_forward_fills_only_the_periods_without_a_target(on, personas, plan):
    one = make_item(plan, 1, personas.unit_a)
    two = make_item(plan, 2, personas.unit_a)
    three = make_item(plan, 3, personas.unit_a)
    supervisor = personas["supervisor"]
    workflow.set_period_target(supervisor, one, MARCH, "完成方案起草。")
    workflow.set_period_target(supervisor, two, MARCH, "完成方案起草。")
    workflow.set_period_target(supervisor, two, "2021-04", "方案报区政府审议。")

    copied = workflow.copy_targets_forward(supervisor, [one, two, three], MARCH, "2021-04")

    # Item 1 gets March's text, item 2 keeps its own April target, item 3 had nothing.
    assert copied == 1
    april = dict(PeriodTarget.objects.filter(period="2021-04").values_list("item__seq", "text"))
    assert april == {1: "完成方案起草。", 2: "方案报区政府审议。"}


def test_a_stale_target_edit_is_refused(on, personas, item):
    supervisor = personas["supervisor"]
    workflow.set_period_target(supervisor, item, MARCH, "完成方案起草。")
    workflow.set_period_target(supervisor, item, MARCH, "完成方案初稿。", expected_version=1)

    with pytest.raises(ConflictError):
        workflow.set_period_target(supervisor, item, MARCH, "完成方案。", expected_version=1)
    assert PeriodTarget.objects.get(item=item).text == "完成方案初稿。"
