"""Who sees which enterprise: bureau readers all, an enterprise user only its own, the
reporters and the three administrators none — through restrict() and through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises import services
from gongxin.enterprises.choices import ClusterKind, HonorKind, HonorLevel, LiaisonLevel
from gongxin.enterprises.models import (
    Cluster,
    ClusterMembership,
    Enterprise,
    Honor,
    Liaison,
    Program,
    ProgramMembership,
)


@pytest.fixture
def registry(personas):
    analyst = personas["analyst"]
    town = Unit.objects.create(name="黄岛街道", kind=UnitKind.TOWN)
    x = services.create_enterprise(
        analyst, uscc=USCC_X, name="青岛甲机械有限公司", industry_code="C3442", region=town
    )
    y = services.create_enterprise(
        analyst, uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311"
    )
    for e in (x, y):
        services.add_honor(
            analyst, e, kind=HonorKind.HIGH_TECH, level=HonorLevel.NATIONAL, year=2024
        )
        services.set_scale_record(analyst, e, year=2024, above_scale=e is x)
    program = Program.objects.create(name="倍增企业", year=2024)
    ProgramMembership.objects.create(program=program, enterprise=x)
    chain = Cluster.objects.create(name="高端装备产业链", kind=ClusterKind.CHAIN)
    ClusterMembership.objects.create(cluster=chain, enterprise=x, is_chain_leader=True)
    ClusterMembership.objects.create(cluster=chain, enterprise=y)
    Liaison.objects.create(
        enterprise=x, officer_name="张包联", level=LiaisonLevel.DISTRICT, year=2024
    )
    return x, y


def visible(model, user):
    return model.objects.restrict(user, "view").count()


def test_bureau_readers_see_every_enterprise(personas, registry):
    for name in ("analyst", "supervisor", "leader"):
        assert visible(Enterprise, personas[name]) == 2
        assert visible(Honor, personas[name]) == 2


def test_enterprise_x_sees_only_itself(personas, registry):
    x, _ = registry
    user = personas["enterprise_x"]
    assert list(Enterprise.objects.restrict(user, "view")) == [x]
    assert {h.enterprise for h in Honor.objects.restrict(user, "view")} == {x}
    assert ClusterMembership.objects.restrict(user, "view").get().enterprise == x
    assert Cluster.objects.restrict(user, "view").count() == 1
    assert Program.objects.restrict(personas["enterprise_y"], "view").count() == 0


@pytest.mark.parametrize("name", ["reporter_a", "reporter_b", "sysadmin", "secadmin", "auditadmin"])
def test_reporters_and_administrators_see_none(personas, registry, name):
    for model in (Enterprise, Honor, Liaison, Cluster, Program):
        assert visible(model, personas[name]) == 0


def test_only_the_analyst_may_change(personas, registry):
    for name in personas:
        expected = 2 if name == "analyst" else 0
        assert Enterprise.objects.restrict(personas[name], "change").count() == expected


def test_an_enterprise_user_without_uscc_sees_none(personas, registry):
    user = personas["enterprise_x"]
    user.uscc = ""
    assert visible(Enterprise, user) == 0


def test_enterprise_x_reaches_its_own_profile_at_mine(client_for, registry):
    response = client_for("enterprise_x").get(reverse("enterprises:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "青岛甲机械有限公司" in page
    assert "制造业 › 通用设备制造业 › 泵、阀门、压缩机及类似机械制造 › 气体压缩机械制造" in page
    assert "高端装备产业链" in page and "链主企业" in page
    assert "张包联" in page and "倍增企业" in page
    assert "青岛乙食品有限公司" not in page


def test_enterprise_x_gets_404_for_another_profile(client_for, registry):
    x, y = registry
    client = client_for("enterprise_x")
    assert client.get(reverse("enterprises:detail", args=[y.pk])).status_code == 404
    assert client.get(reverse("enterprises:detail", args=[x.pk])).status_code == 200
    assert client.get(reverse("enterprises:list")).status_code == 403


def test_an_enterprise_not_yet_registered_is_told_so(client_for, registry):
    Enterprise.objects.filter(uscc=USCC_Y).delete()
    response = client_for("enterprise_y").get(reverse("enterprises:mine"))
    assert response.status_code == 200
    assert "尚未录入企业库" in response.content.decode()


def test_the_list_filters_by_search_section_region_and_scale(client_for, registry):
    client = client_for("leader")
    url = reverse("enterprises:list")

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {row[0].text for row in response.context["table"].rows}

    assert names() == {"青岛甲机械有限公司", "青岛乙食品有限公司"}
    assert names(q="乙食品") == {"青岛乙食品有限公司"}
    assert names(q=USCC_X[:10].lower()) == {"青岛甲机械有限公司"}
    assert names(section="C") == {"青岛甲机械有限公司", "青岛乙食品有限公司"}
    assert names(section="D") == set()
    town = Unit.objects.get(name="黄岛街道")
    assert names(region=town.pk) == {"青岛甲机械有限公司"}
    assert names(above_scale="1") == {"青岛甲机械有限公司"}
    assert names(above_scale="0", year="2024") == {"青岛乙食品有限公司"}


def test_the_list_exports_the_filtered_rows(client_for, registry):
    response = client_for("analyst").get(reverse("enterprises:list"), {"export": "xlsx", "q": "甲"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
