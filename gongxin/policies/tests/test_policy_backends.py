"""Acceptance 4: a clause gives identical results on the live database (SQLite, or
PostgreSQL when DATABASE_URL points at it), on DuckDB and on Spark SQL in local mode over
the matching snapshot — status, award and every reason (actual, passed, near, text) for
every enterprise, eligible or not — for clauses covering every criterion kind.

Spark needs `pip install 'gongxin[spark]'` and Java 17; without them this module fails
(it never skips). One SparkSession serves the whole module.
"""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from gongxin.analytics import backends as engine_backends
from gongxin.analytics.testing import code
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Honor, ScaleRecord
from gongxin.evaluation.models import EnterpriseClass, Run, Scheme
from gongxin.monitoring.models import MonthlyStat, PeriodRelease
from gongxin.policies import backends, services
from gongxin.policies.models import Clause

pytestmark = pytest.mark.django_db
END_2024 = date(2024, 12, 31)


@pytest.fixture(scope="module")
def spark():
    """The process's local-mode SparkSession, started once for the module."""
    started = time.monotonic()
    session = engine_backends.spark_session()
    session.conf.set("spark.sql.adaptive.enabled", "false")
    session.conf.set("spark.sql.shuffle.partitions", "1")
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    session.sql("SELECT 1").collect()
    print(f"\nSpark local[2] session ready in {time.monotonic() - started:.1f} s")
    yield session
    engine_backends.stop_spark()


# name, industry, above scale 2024, Q1 output / prior (declared, 万元), revenue 2023 (tax),
# expected new output (declared), survey output / prior of the released month 2024-11
FIRMS = [
    (
        "甲",
        "3442",
        True,
        ("345000", "300000"),
        None,
        "60000",
        ("52000", "40000"),
    ),  # growth 15.0 exactly
    ("乙", "2614", True, ("380000", "335000"), None, "9500", ("9000", "9100")),  # growth 13.4: near
    ("丙", "0511", False, ("33000", "0"), "1000", None, ("120", "100")),  # zero prior: no rate
    ("丁", "4411", False, None, "1999.99", "10000", None),  # band edge below 2000
    ("戊", "3971", False, None, "2000", None, None),  # 2000 is out of [1000, 2000)
    ("己", "1311", True, ("257000", "220000"), "950", "45000", ("3000", "2700")),
    ("庚", "4411", True, None, "2150.5", None, ("800", "0")),
    ("辛", "3442", False, None, None, None, None),  # nothing known
]
HONORS = [("甲", "srdi", 2023), ("乙", "high_tech", 2022), ("丙", "srdi", 2025),
          ("丁", "little_giant", 2024), ("庚", "high_tech", 2024), ("庚", "srdi", 2021)]  # fmt: skip

# published 亩产效益 classes: a clause of 2024 reads the 2023 evaluation
CLASSES = [("甲", 2023, "A"), ("乙", 2023, "C"), ("丁", 2024, "B"), ("己", 2023, "B")]

CLAUSES = [
    # figure amounts (gt, in 亿元) and a rate (ge); award: a rate of the increment, higher
    # for a sub-group (an honor), capped
    {"code": "q1", "provenances": ["declared", "registry"],
     "award": {"kind": "rate", "base": "q1_output_new_declared", "rate": 0.5, "cap": 300,
               "higher": [{"when": {"all": [{"feature": "honors", "op": "in", "value": ["srdi"]}]}, "rate": 1}]},
     "criteria": {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "亿元"},
                          {"feature": "q1_output_growth_declared", "op": "ge", "value": 15}]}},
    # a band (ge, lt) on an administrative record, the above-scale flag; a fixed award
    {"code": "band", "provenances": ["admin", "registry"], "award": {"kind": "fixed", "amount": 10},
     "criteria": {"all": [{"feature": "above_scale", "op": "eq", "value": False},
                          {"feature": "revenue_year_admin", "op": "ge", "value": 1000},
                          {"feature": "revenue_year_admin", "op": "lt", "value": 2000}]}},
    # industry by section letter and by division, honors; OR group; tiers on a figure
    {"code": "honors", "provenances": ["declared", "registry"],
     "award": {"kind": "tiers", "base": "expected_new_output_declared", "tiers": [{"from": 10000, "amount": 20}, {"from": 50000, "amount": 50}]},
     "criteria": {"all": [{"feature": "industry_code", "op": "in", "value": ["C", "44"]},
                          {"any": [{"feature": "honors", "op": "in", "value": ["srdi", "little_giant"]},
                                   {"feature": "expected_new_output_declared", "op": "ge", "value": 50000}]}]}},
    # survey features (survey allowed), le and above scale; an award cap only
    {"code": "survey", "provenances": ["survey", "registry"], "award": {"kind": "cap", "cap": 30},
     "criteria": {"all": [{"feature": "above_scale", "op": "eq", "value": True},
                          {"any": [{"feature": "output_growth_ytd", "op": "ge", "value": 10},
                                   {"feature": "output_new_ytd", "op": "gt", "value": 1000}]},
                          {"feature": "output", "op": "le", "value": 50000}]}},
    # the published 亩产效益 class of the year before (evaluation app)
    {"code": "class", "provenances": ["registry"], "award": {},
     "criteria": {"all": [{"feature": "evaluation_class", "op": "in", "value": ["A", "B"]}]}},
    # lt and eq on amounts, no award
    {"code": "small", "provenances": ["declared", "admin"], "award": {},
     "criteria": {"any": [{"feature": "expected_new_output_declared", "op": "lt", "value": 10000},
                          {"feature": "revenue_year_admin", "op": "eq", "value": 1000}]}},
]  # fmt: skip


@pytest.fixture
def dataset(tmp_path, django_user_model):
    firms = {}
    for n, (name, industry, above, q1, revenue, expected, survey) in enumerate(FIRMS, start=1):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{name}", industry_code=industry)
        firms[name] = firm
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=above)
        ScaleRecord.objects.create(enterprise=firm, year=2023, above_scale=not above)

        def figure(feature, period, value, provenance, firm=firm):
            EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period=period,
                                            value=D(value), provenance=provenance)  # fmt: skip

        if q1:
            figure("q1_output_declared", "2024-Q1", q1[0], "declared")
            figure("q1_output_prior_declared", "2024-Q1", q1[1], "declared")
            figure("q1_output_declared", "2023-Q1", "999999", "declared")  # another year
        if revenue:
            figure("revenue_year_admin", "2023", revenue, "admin")
            figure("revenue_year_admin", "2022", "1500", "admin")  # not the last full year
        if expected:
            figure("expected_new_output_declared", "2024", expected, "declared")
        if survey:
            MonthlyStat.objects.create(enterprise=firm, period="2024-11", output=D(survey[0]),
                                       output_prior=D(survey[1]))  # fmt: skip
            # a later month not released yet: never read
            MonthlyStat.objects.create(enterprise=firm, period="2024-12", output=D("1"),
                                       output_prior=D("99999"))  # fmt: skip
    Enterprise.objects.create(uscc=code(99), name="企业注销", industry_code="3442", is_active=False)
    for name, kind, year in HONORS:
        Honor.objects.create(enterprise=firms[name], kind=kind, level="provincial", year=year)
    analyst = django_user_model.objects.create(username="analyst")
    PeriodRelease.objects.create(period="2024-11", released_by=analyst)
    scheme = Scheme.objects.create(code="s", name="评价", year=2023, population="above_scale")
    run = Run.objects.create(scheme=scheme, status=Run.Status.FINAL, inputs_digest="-")
    for name, year, klass in CLASSES:
        EnterpriseClass.objects.create(enterprise=firms[name], year=year, klass=klass, run=run)

    policy, _ = services.save_policy(
        None, {"code": "test-2024", "title": "测试政策", "effective_from": date(2024, 1, 1)}
    )
    for spec in CLAUSES:
        services.save_clause(
            None, policy, services.ClauseSpec(title=spec["code"], year=2024, **spec)
        )
    counts = backends.write_snapshot(tmp_path)
    assert counts["monitoring_monthlystat"] == 5  # the released month only
    return tmp_path


def results(backend: str, directory, **options) -> dict[str, list]:
    found = backends.match(END_2024, "test-2024", backend=backend, directory=directory,
                           refresh=False, **options)  # fmt: skip
    by_clause: dict[str, list] = {}
    for r in found:
        by_clause.setdefault(r.clause, []).append(r)
    return by_clause


def test_live_duckdb_and_spark_give_identical_results_for_every_row(dataset, spark):
    live = results("live", dataset, all_rows=True)
    assert set(live) == {c["code"] for c in CLAUSES}
    assert all(len(rows) == len(FIRMS) for rows in live.values())  # the inactive firm is out
    assert live == services_match()  # backends.match on "live" is services.match
    for backend in ("duckdb", "spark"):
        other = results(backend, dataset, all_rows=True)
        for clause, rows in live.items():
            assert [_key(r) for r in other[clause]] == [_key(r) for r in rows], (backend, clause)
            assert other[clause] == rows, (backend, clause)  # the Result objects, whole


def services_match() -> dict[str, list]:
    by_clause: dict[str, list] = {}
    for r in services.match(END_2024, "test-2024", all_rows=True):
        by_clause.setdefault(r.clause, []).append(r)
    return by_clause


def _key(r) -> tuple:
    return (r.enterprise_id, r.status, r.award, r.award_cap,
            [(x["actual"], x["passed"], x["near"], x["text"]) for x in r.reasons])  # fmt: skip


def test_the_results_are_the_hand_worked_ones(dataset):
    """On the live database and DuckDB; Spark's rows equal the live ones (test above)."""

    def status(rows):
        return {r.name.removeprefix("企业"): r.status for r in rows}

    for backend in ("live", "duckdb"):
        got = results(backend, dataset)  # eligible and near-miss rows only
        # 甲: +4.5亿, growth exactly 15% → eligible; 乙: +4.5亿 but 13.4% → near (3 points);
        # 己: +3.7亿, 16.8% → eligible; 丙: +3.3亿 on a zero prior, no rate → out
        assert status(got["q1"]) == {"甲": "eligible", "己": "eligible", "乙": "near_miss"}
        award = {r.name: r.award for r in got["q1"]}
        # 0.5% of the increment, 1% for 甲 (srdi): 450 capped at 300; 己 0.5% of 37000
        assert award == {"企业甲": D("300"), "企业己": D("185"), "企业乙": None}
        # [1000, 2000): 丙 1000 in, 丁 1999.99 in, 戊 2000 near (within 10% of 2000),
        # 己 950 near but above scale (a flag never relaxes) → out; 庚 above scale → out
        assert status(got["band"]) == {"丙": "eligible", "丁": "eligible", "戊": "near_miss"}
        # C or 44: 甲 srdi 2023 + C; 丁 little giant 2024 + 44; 庚 srdi 2021 + 44; 己 (13 is
        # C) expects 4.5亿, within 10% of 5亿 → near; 乙 high tech only → out; 丙 05 is A
        assert status(got["honors"]) == {"甲": "eligible", "丁": "eligible", "庚": "eligible",
                                         "己": "near_miss"}  # fmt: skip
        tiers = {r.name: r.award for r in got["honors"]}
        assert tiers["企业甲"] == D("50") and tiers["企业丁"] == D("20")
        assert tiers["企业庚"] == D("0")
        # the released 2024-11 only: 甲 +30% but output 5.2亿 > 5亿, within 10% → near;
        # 乙 −1.1% and −100 → out; 己 +11.1% → eligible; 庚: no rate on a zero base and
        # +800 is more than 10% under 1000 → out
        assert status(got["survey"]) == {"甲": "near_miss", "己": "eligible"}
        survey = {r.name: r for r in got["survey"]}["企业己"]
        assert [x["actual"] for x in survey.reasons] == [1.0, 11.1111, 300.0, 3000.0]
        assert [x["source"] for x in survey.reasons] == ["registry", "survey", "survey", "survey"]
        # classes of 2023 in (A, B): 甲 A, 己 B; 乙 is C; 丁's B is of 2024 (not read)
        assert status(got["class"]) == {"甲": "eligible", "己": "eligible"}
        assert {r.name: r.reasons[0]["text"] for r in got["class"]}["企业己"].startswith(
            "亩产效益评价类别"
        )
        # 乙 expects 9500 < 10000, 丙 had 1000 exactly; 丁 10000 and 己 950 are within 10%
        assert status(got["small"]) == {"乙": "eligible", "丙": "eligible", "丁": "near_miss",
                                        "己": "near_miss"}  # fmt: skip


def test_the_command_gives_the_same_json_on_every_backend(dataset, spark, settings, capsys):
    settings.VAR_DIR = dataset.parent / "var"  # the command writes its own snapshot there
    outputs = {}
    for backend in ("live", "duckdb", "spark"):
        call_command("policy", "match", "--as-of", "2024-12-31", "--all", "--json",
                     "--backend", backend)  # fmt: skip
        outputs[backend] = json.loads(capsys.readouterr().out)
    assert len(outputs["live"]) == len(FIRMS) * len(CLAUSES)
    assert outputs["duckdb"] == outputs["live"]
    assert outputs["spark"] == outputs["live"]
    assert (settings.VAR_DIR / "policy-snapshot" / "enterprises_honor.parquet").exists()
    assert Clause.objects.count() == len(CLAUSES)
