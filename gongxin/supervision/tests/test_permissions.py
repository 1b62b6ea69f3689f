"""Role × view matrix of supervision: pages, htmx partials, downloads and the API.

Fixture: item 1 is led by 隋斌 (the leader persona) and assigned to unit A (reporter_a);
item 2 belongs to unit B only and another leader. Unit A has reported item 1 with an
attachment; a closure request of item 1 is pending; a reminder was sent to unit B.
"""

from __future__ import annotations

import pytest

from gongxin.accounts import services as accounts
from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.supervision import services
from gongxin.supervision.models import Evidence, Plan, ProgressReport, Reminder
from gongxin.supervision.services import workflow

# persona order:                                  anon sup lead repA repB ana entX entY sys sec aud
MATRIX = {
    ("supervision:plan_list", "GET"):             "302 200 200 200 200 403 403 403 403 403 403",
    ("supervision:plan_list", "POST"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:plan_create", "GET"):           "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:plan_create", "POST"):          "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:plan_overview", "GET"):         "302 200 200 200 200 403 403 403 403 403 403",
    ("supervision:plan_overview", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:plan_edit", "GET"):             "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:plan_edit", "POST"):            "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:item_list", "GET"):             "302 200 200 200 200 403 403 403 403 403 403",
    ("supervision:item_list", "HTMX"):            "302 200 200 200 200 403 403 403 403 403 403",
    ("supervision:item_list", "POST"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:item_create", "GET"):           "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:item_create", "POST"):          "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:item_edit", "GET"):             "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:item_edit", "POST"):            "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:report_download", "GET"):       "302 200 200 403 403 403 403 403 403 403 403",
    ("supervision:report_download", "EXPORT"):    "302 200 200 403 403 403 403 403 403 403 403",
    ("supervision:report_download", "POST"):      "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:bulletin_download", "GET"):     "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:bulletin_download", "POST"):    "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:send_reminders", "GET"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:send_reminders", "POST"):       "302 302 403 403 403 403 403 403 403 403 403",
    ("supervision:reminder_docx", "GET"):         "302 200 403 403 403 403 403 403 403 403 403",
    ("supervision:reminder_docx", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:item_detail", "GET"):           "302 200 200 200 404 403 403 403 403 403 403",
    ("supervision:item_detail", "POST"):          "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:item_review", "GET"):           "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:item_review", "POST"):          "302 302 403 403 403 403 403 403 403 403 403",
    ("supervision:item_instruct", "GET"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:item_instruct", "POST"):        "302 403 302 403 403 403 403 403 403 403 403",
    ("supervision:instruction_read", "GET"):      "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:instruction_read", "POST"):     "302 403 403 302 404 403 403 403 403 403 403",
    ("supervision:target_update", "GET"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:target_update", "POST"):        "302 302 403 403 403 403 403 403 403 403 403",
    ("supervision:target_bind", "GET"):           "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:target_bind", "POST"):          "302 302 403 403 403 403 403 403 403 403 403",
    ("supervision:closure_decide", "GET"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:closure_decide", "POST"):       "302 302 403 403 403 403 403 403 403 403 403",
    ("supervision:acknowledge", "GET"):           "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:acknowledge", "POST"):          "302 403 403 302 404 403 403 403 403 403 403",
    ("supervision:progress_edit", "GET"):         "302 403 403 200 404 403 403 403 403 403 403",
    ("supervision:progress_edit", "POST"):        "302 403 403 200 404 403 403 403 403 403 403",
    ("supervision:target_edit", "GET"):           "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:target_edit", "POST"):          "302 403 403 302 404 403 403 403 403 403 403",
    ("supervision:closure_request", "GET"):       "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision:closure_request", "POST"):      "302 403 403 302 404 403 403 403 403 403 403",
    ("supervision:evidence_download", "GET"):     "302 200 200 200 404 403 403 403 403 403 403",
    ("supervision:evidence_download", "POST"):    "405 405 405 405 405 405 405 405 405 405 405",
    ("supervision-api:item-list", "GET"):         "401 200 200 200 200 200 200 200 403 403 403",
    ("supervision-api:item-list", "POST"):        "401 405 405 405 405 405 405 405 403 403 403",
    ("supervision-api:item-detail", "GET"):       "401 200 200 200 404 404 404 404 403 403 403",
    ("supervision-api:item-detail", "POST"):      "401 405 405 405 405 405 405 405 403 403 403",
    ("supervision-api:report-list", "GET"):       "401 200 200 200 200 200 200 200 403 403 403",
    ("supervision-api:report-list", "POST"):      "401 405 405 405 405 405 405 405 403 403 403",
    ("supervision-api:report-detail", "GET"):     "401 200 200 200 404 404 404 404 403 403 403",
    ("supervision-api:report-detail", "POST"):    "401 405 405 405 405 405 405 405 403 403 403",
}  # fmt: skip


def build(personas):
    plan = services.save_plan(
        personas["supervisor"],
        title="2021年区政府工作报告确定事项",
        year=2021,
        current_period="2021-03",
    )
    accounts.add_alias(None, personas.unit_a, "区工信局")
    accounts.add_alias(None, personas.unit_b, "区发改局")
    item1 = services.save_item(
        personas["supervisor"],
        plan,
        seq=1,
        content="打造区域科技创新中心，新增市级以上科技创新平台15家",
        units_text="区工信局",
        leaders=["隋斌"],
    )
    item2 = services.save_item(
        personas["supervisor"],
        plan,
        seq=2,
        content="深化投资项目审批改革",
        units_text="区发改局",
        leaders=["顾清弥"],
    )
    a_assign = item1.assignments.get()
    report = workflow.submit_progress(
        personas["reporter_a"],
        a_assign,
        "2021-03",
        "正常推进。已召开座谈会。",
        files=[("会议纪要.txt", "纪要".encode())],
    )
    closure = workflow.request_closure(personas["reporter_a"], a_assign, "已完成全部工作。")
    reminder = workflow.send_reminders(personas["supervisor"], plan, "2021-03")[0]
    return {
        "plan": plan,
        "item1": item1,
        "item2": item2,
        "a_assign": a_assign,
        "report": report,
        "closure": closure,
        "reminder": reminder,
        "evidence": Evidence.objects.get(report=report),
        "target": item1.targets.get(),
        "instruction": workflow.instruct(personas["leader"], item1, "请加快推进。"),
    }


def url_kwargs(name: str, fx) -> dict:
    by_name = {
        "plan_overview": {"pk": fx["plan"].pk}, "plan_edit": {"pk": fx["plan"].pk},
        "item_list": {"pk": fx["plan"].pk}, "item_create": {"plan_pk": fx["plan"].pk},
        "item_edit": {"plan_pk": fx["plan"].pk, "pk": fx["item1"].pk},
        "report_download": {"pk": fx["plan"].pk}, "bulletin_download": {"pk": fx["plan"].pk},
        "send_reminders": {"pk": fx["plan"].pk}, "reminder_docx": {"pk": fx["reminder"].pk},
        "item_detail": {"pk": fx["item1"].pk}, "item_review": {"pk": fx["item1"].pk},
        "item_instruct": {"pk": fx["item1"].pk}, "closure_decide": {"pk": fx["closure"].pk},
        "acknowledge": {"pk": fx["a_assign"].pk}, "progress_edit": {"pk": fx["a_assign"].pk},
        "target_edit": {"pk": fx["a_assign"].pk}, "closure_request": {"pk": fx["a_assign"].pk},
        "evidence_download": {"pk": fx["evidence"].pk},
        "target_update": {"pk": fx["target"].pk}, "target_bind": {"pk": fx["target"].pk},
        "instruction_read": {"pk": fx["instruction"].pk},
        "item-detail": {"pk": fx["item1"].pk}, "report-detail": {"pk": fx["report"].pk},
    }  # fmt: skip
    return by_name.get(name.split(":")[1], {})


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, personas, name, method):
    fx = build(personas)
    wrong = check_matrix_row(
        client, personas, name, method, MATRIX[name, method], url_kwargs(name, fx)
    )
    assert wrong == []


def test_unit_b_reporter_cannot_read_unit_a_progress_anywhere(client_for, personas):
    fx = build(personas)
    client = client_for("reporter_b")
    assert ProgressReport.objects.restrict(personas["reporter_b"], "view").count() == 0
    assert client.get(f"/api/supervision/reports/{fx['report'].pk}/").status_code == 404
    assert client.get("/api/supervision/reports/").json()["results"] == []
    listing = client.get(
        f"/supervision/plans/{fx['plan'].pk}/items/", headers={"HX-Request": "true"}
    )
    assert (
        "已召开座谈会" not in listing.content.decode()
        and "打造区域科技创新中心" not in listing.content.decode()
    )
    assert client.get(f"/supervision/plans/{fx['plan'].pk}/report/?format=xlsx").status_code == 403
    assert Reminder.objects.count() == 1 and Plan.objects.count() == 1
