"""Progress entry pages: two colleagues of one unit edit the same entry at once."""

from __future__ import annotations

from django.urls import reverse

from gongxin.accounts import services as accounts
from gongxin.accounts.choices import Role
from gongxin.core.models import AuditEvent
from gongxin.core.testing import login_as
from gongxin.supervision.models import ProgressReport
from gongxin.supervision.tests.test_permissions import build


def test_the_second_of_two_concurrent_editors_sees_both_versions_and_nothing_is_overwritten(
    client, django_user_model, personas
):
    fx = build(personas)
    colleague, _ = accounts.create_user(
        None,
        username="reporter_a2",
        name="工信局 张填报",
        role=Role.REPORTER,
        unit=personas.unit_a,
        password="Gx-colleague-2026!",
    )
    url = reverse("supervision:progress_edit", args=[fx["a_assign"].pk]) + "?period=2021-03"
    report = ProgressReport.objects.get(assignment=fx["a_assign"], period="2021-03")
    start_version = report.version

    # both open the form at the same version
    login_as(client, personas["reporter_a"])
    assert f'value="{start_version}"' in client.get(url).content.decode()
    client.post(
        url, {"text": "正常推进。李填报的版本。", "version": start_version, "period": "2021-03"}
    )

    login_as(client, colleague)
    page = client.post(
        url, {"text": "正常推进。张填报的版本。", "version": start_version, "period": "2021-03"}
    )
    text = page.content.decode()
    assert "已被他人修改" in text
    assert "李填报的版本" in text and "张填报的版本" in text  # both versions shown
    report.refresh_from_db()
    assert report.text == "正常推进。李填报的版本。"
    submits = AuditEvent.objects.filter(action="progress.submit", actor_username="reporter_a2")
    assert submits.count() == 0

    # the colleague merges and resubmits on top of the current version
    client.post(
        url, {"text": "正常推进。合并后的版本。", "version": report.version, "period": "2021-03"}
    )
    report.refresh_from_db()
    assert report.text == "正常推进。合并后的版本。"


def test_an_attachment_of_a_forbidden_type_is_refused_on_the_page(client_for, personas):
    fx = build(personas)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("reporter_a")
    url = reverse("supervision:progress_edit", args=[fx["a_assign"].pk]) + "?period=2021-04"
    page = client.post(
        url,
        {
            "text": "正常推进。",
            "version": 0,
            "period": "2021-04",
            "evidence": SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"),
        },
    )
    assert "不支持" in page.content.decode() or "类型" in page.content.decode()
    assert not ProgressReport.objects.filter(assignment=fx["a_assign"], period="2021-04").exists()
