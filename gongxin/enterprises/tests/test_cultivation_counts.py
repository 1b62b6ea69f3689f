"""The "新增X家" counts of honors and programs, worked out by hand, and the
"企业培育成果" card of the enterprise list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongxin.core.testing import login_as
from gongxin.enterprises import services
from gongxin.enterprises.models import Enterprise, Honor, Program, ProgramMembership
from gongxin.enterprises.services import HonorCount, ProgramCount


@pytest.fixture
def firms(db):
    return {
        name: Enterprise.objects.create(uscc=f"91370211TEST0000{n}", name=f"企业{name}")
        for n, name in enumerate("ABCD")
    }


@pytest.fixture
def records(firms):
    a, b, c, d = (firms[k] for k in "ABCD")
    for enterprise, kind, level, year in [
        (a, "srdi", "provincial", 2022),
        (a, "srdi", "provincial", 2025),  # after the year counted
        (a, "little_giant", "national", 2024),
        (b, "srdi", "provincial", 2024),
        (c, "srdi", "provincial", 2021),
        (c, "srdi", "provincial", 2024),  # re-recognised (复核), not new
        (d, "high_tech", "national", 2023),
        (b, "high_tech", "national", 2024),
        (d, "srdi", "municipal", 2024),  # another level: new at that level
    ]:
        Honor.objects.create(enterprise=enterprise, kind=kind, level=level, year=year)
    for name, year, members in [
        ("倍增企业", 2023, (a, b)),
        ("倍增企业", 2024, (a, c, d)),
        ("重点培育企业", 2024, (b,)),
        ("倍增企业", 2025, (b,)),
    ]:
        program = Program.objects.create(name=name, year=year)
        for enterprise in members:
            ProgramMembership.objects.create(program=program, enterprise=enterprise)


def test_honor_counts_of_a_year(records):
    assert services.honor_counts(2024) == [
        # 省级专精特新: held by A (2022), B (2024), C (2021, again 2024) → 累计 3;
        # recognised in 2024: B, C → 2; first time in 2024: B → 新增 1.
        HonorCount("srdi", "provincial", total=3, recognised=2, new=1),
        # 市级专精特新: D in 2024 (its first at the municipal level).
        HonorCount("srdi", "municipal", total=1, recognised=1, new=1),
        HonorCount("little_giant", "national", total=1, recognised=1, new=1),
        # 高新技术企业: D (2023) and B (2024) → 累计 2, 新增 1.
        HonorCount("high_tech", "national", total=2, recognised=1, new=1),
    ]


def test_honor_counts_ignore_later_years(records):
    assert services.honor_counts(2023) == [
        # A (2022) and C (2021); nobody recognised in 2023 at this level.
        HonorCount("srdi", "provincial", total=2, recognised=0, new=0),
        HonorCount("high_tech", "national", total=1, recognised=1, new=1),
    ]
    assert services.honor_counts(2020) == []


def test_program_counts_of_a_year(records):
    assert services.program_counts(2024) == [
        # 2024 倍增企业: A, C, D; A was in 2023's list → 新增 C, D = 2.
        ProgramCount("倍增企业", 2024, total=3, new=2),
        ProgramCount("重点培育企业", 2024, total=1, new=1),
    ]
    # 2025 倍增企业: B, who was in 2023's list (not 2024's) → not new.
    assert services.program_counts(2025) == [ProgramCount("倍增企业", 2025, total=1, new=0)]


def test_the_summary_defaults_to_the_latest_year_with_records(records):
    summary = services.cultivation_summary()
    assert (summary["year"], summary["years"]) == (2025, [2025, 2024, 2023, 2022, 2021])
    assert services.cultivation_summary(2024)["programs"][0].new == 2
    assert services.cultivation_summary(1990)["year"] == 2025  # no records that year


def test_the_summary_of_an_empty_registry(db):
    assert services.cultivation_summary() == {
        "year": None,
        "years": [],
        "honors": [],
        "programs": [],
    }


@pytest.mark.parametrize("persona", ["analyst", "supervisor", "leader"])
def test_bureau_roles_see_the_card_on_the_enterprise_list(client, personas, records, persona):
    login_as(client, personas[persona])
    response = client.get(reverse("enterprises:list"), {"cultivation_year": "2024"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "企业培育成果（2024年）" in page
    assert '<td>专精特新中小企业</td><td>省级</td><td class="num">3</td>' in page
    assert '<td class="num">2</td><td class="num">1</td>' in page
    assert '<td>2024年倍增企业</td><td class="num">3</td><td class="num">2</td>' in page
    assert ("导入荣誉资质" in page) == (persona == "analyst")


def test_the_card_says_when_there_is_nothing_to_count(client, personas, firms):
    login_as(client, personas["analyst"])
    page = client.get(reverse("enterprises:list")).content.decode()
    assert "尚无荣誉资质和培育计划记录" in page
    for slug in ("honors", "groupings", "liaisons"):
        assert reverse("imports:upload", args=[slug]) in page
