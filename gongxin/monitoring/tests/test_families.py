"""Cluster families: the union of their clusters' members, each enterprise once, and
hidden from other roles when one of their clusters is."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from gongxin.analytics.testing import build_reference_panel
from gongxin.enterprises.models import Cluster, ClusterMembership, Enterprise
from gongxin.monitoring.families import family_rows


@pytest.fixture
def clusters(db):
    build_reference_panel()  # 企业1..5: 2024-03 output 120/100, 80/100, 50/40, 300/250, 30/30
    firm = {n: Enterprise.objects.get(name=f"企业{n}") for n in range(1, 6)}

    def cluster(name, family, members):
        c = Cluster.objects.create(name=name, family=family)
        for n in members:
            ClusterMembership.objects.create(cluster=c, enterprise=firm[n])

    cluster("甲集群", "传统产业", [1, 2, 3])
    cluster("乙集群", "传统产业", [3, 4])  # two firms: hidden on the cluster table
    cluster("丙集群", "新兴产业", [1, 2, 4, 5])


def by_name(rows):
    return {row.name: (family, row) for family, row in rows}


def test_a_family_counts_an_enterprise_in_two_of_its_clusters_once(clusters):
    rows = by_name(family_rows("2024-03"))
    family, row = rows["传统产业"]
    assert family.clusters == ["甲集群", "乙集群"] and family.lead_names() == "甲集群、乙集群"
    # 企业1–4: 120+80+50+300 = 550 vs 100+100+40+250 = 490 → 12.2449%; share 550/580 = 94.8276%
    assert (row.enterprises, row.ytd, row.prior_ytd) == (4, D("550"), D("490"))
    assert round(row.yoy, 4) == 12.2449 and round(row.share, 4) == 94.8276
    assert not row.suppressed


def test_other_roles_do_not_get_a_family_whose_cluster_is_hidden(clusters):
    rows = by_name(family_rows("2024-03", suppress=True))
    # 传统产业 − 甲集群 would give 乙集群 (企业3 and 企业4) back: hidden
    assert rows["传统产业"][1].suppressed
    # 丙集群 has four firms, the largest 300 of 530 (56.6%): shown, and so is its family
    assert not rows["新兴产业"][1].suppressed
    assert rows["新兴产业"][1].ytd == D("530")
