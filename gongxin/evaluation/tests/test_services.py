"""Schemes as versioned data, runs that repeat themselves, and the 公示 → objection →
final list process, on a small database with hand-worked numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from gongxin.analytics.testing import code
from gongxin.core.audit import AuditEvent
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, ScaleRecord
from gongxin.evaluation import schemes, services
from gongxin.evaluation.models import EnterpriseClass, Objection, Run, Scheme

pytestmark = pytest.mark.django_db
NOTICE = date(2025, 3, 1)

# name, 实缴税金 (万元), 用地 (亩), 用电 (万千瓦时), flags
FIRMS = [("甲", 100, 10, 20, {}), ("乙", 50, 10, 50, {}), ("丙", 30, 5, 10, {}),
         ("丁", 0, 10, 10, {}), ("水务", 500, 10, 10, {"eval_exempt": 1})]  # fmt: skip


@pytest.fixture
def firms(db):
    out = {}
    for n, (name, tax, land, power, flags) in enumerate(FIRMS, 1):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{name}", industry_code="3442")
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=True)
        for feature, value in (
            ("tax_paid", tax),
            ("land_area_mu", land),
            ("electricity_year", power),
            *flags.items(),
        ):
            EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period="2024",
                                            value=D(value), provenance="admin")  # fmt: skip
        out[name] = firm
    below = Enterprise.objects.create(uscc=code(9), name="企业规下", industry_code="3442")
    EnterpriseFigure.objects.create(
        enterprise=below, feature="tax_paid", period="2024", value=D(1), provenance="admin"
    )
    return out


def spec(**changes) -> services.SchemeSpec:
    values = dict(
        code="t-2024", name="测试评价", year=2024, population="above_scale",
        indicators=[{"feature": "mu_tax", "weight": 60}, {"feature": "electricity_tax", "weight": 40}],
        classes={"method": "thresholds", "thresholds": {"A": 90, "B": 60, "C": 30}},
        restrictions=[{"flag": "eval_exempt", "effect": "exempt"}], adjustments=[],
    )  # fmt: skip
    return services.SchemeSpec(**{**values, **changes})


def results(run: Run) -> dict[str, tuple]:
    return {r.enterprise.name.removeprefix("企业"): (r.klass, r.score, r.rank)
            for r in run.results.select_related("enterprise")}  # fmt: skip


def test_a_run_scores_and_classes_the_population(firms, personas):
    scheme = services.save_scheme(personas["analyst"], spec())
    run, created = services.run_evaluation(personas["analyst"], scheme)
    # 亩均税收 10, 5, 6, 0; benchmark (100+50+30+0) ÷ 35 = 5.142857 → × 60:
    #   甲 116.6667, 乙 58.3333, 丙 70, 丁 0
    # 单位电耗税收 5, 1, 3, 0; benchmark 180 ÷ 90 = 2 → × 40: 甲 100, 乙 20, 丙 60, 丁 0
    # totals 216.6667, 78.3333, 130, 0 → lines A ≥ 90, B ≥ 60, C ≥ 30
    assert created and run.evaluated == 4
    assert results(run) == {"甲": ("A", D("216.6667"), 1), "丙": ("A", D("130"), 2),
                            "乙": ("B", D("78.3333"), 3), "丁": ("D", D("0"), 4),
                            "水务": ("T", None, None)}  # fmt: skip
    first = run.results.get(enterprise=firms["甲"])
    assert first.indicators[0] == {"feature": "mu_tax", "weight": "60", "value": "10.0000",
                                   "benchmark": "5.1429", "score": "116.6667"}  # fmt: skip
    # the same data and scheme: the same run back, nothing written
    again, created = services.run_evaluation(personas["analyst"], scheme)
    assert (again.pk, created) == (run.pk, False) and Run.objects.count() == 1


def test_a_changed_scheme_with_runs_is_a_new_version_and_old_results_stay(firms, personas):
    analyst = personas["analyst"]
    scheme = services.save_scheme(analyst, spec())
    run, _ = services.run_evaluation(analyst, scheme)
    assert services.save_scheme(analyst, spec()).pk == scheme.pk  # unchanged: no write
    heavier = [{"feature": "mu_tax", "weight": 80}, {"feature": "electricity_tax", "weight": 20}]
    new = services.save_scheme(analyst, spec(indicators=heavier), expected_version=1)
    assert (new.version, new.is_current) == (2, True)
    scheme.refresh_from_db()
    assert not scheme.is_current and scheme.indicators[0]["weight"] == "60"
    assert results(run)["甲"] == ("A", D("216.6667"), 1)  # as published under version 1
    with pytest.raises(ServiceError, match="已有新版本"):
        services.run_evaluation(analyst, scheme)
    with pytest.raises(ConflictError, match="现为第2版"):
        services.save_scheme(analyst, spec(name="改名"), expected_version=1)


def test_a_refused_scheme_changes_nothing(firms, personas):
    services.save_scheme(personas["analyst"], spec())
    before = list(Scheme.objects.values())
    with pytest.raises(ServiceError, match="权重应大于0"):
        services.save_scheme(
            personas["analyst"], spec(indicators=[{"feature": "mu_tax", "weight": -1}])
        )
    assert list(Scheme.objects.values()) == before


def test_notice_objection_correction_and_the_final_list(firms, personas):
    analyst, x = personas["analyst"], personas["enterprise_x"]
    scheme = services.save_scheme(analyst, spec())
    run, _ = services.run_evaluation(analyst, scheme)
    run = services.publish_notice(analyst, run, date(2025, 3, 7), today=NOTICE)
    ding = run.results.get(enterprise=firms["丁"])
    x.uscc = firms["丁"].uscc
    x.save()
    with pytest.raises(ServiceError, match="只能对本企业"):
        services.submit_objection(
            x, run.results.get(enterprise=firms["甲"]), "不对", "凭证", today=NOTICE
        )
    with pytest.raises(ServiceError, match="不在公示期内"):
        services.submit_objection(x, ding, "税金漏报", "完税证明", today=date(2025, 3, 8))
    objection = services.submit_objection(
        x, ding, "2024年实缴税金漏报", "完税证明3份", today=NOTICE
    )
    with pytest.raises(ServiceError, match="公示期至2025年03月07日"):
        services.finalize(analyst, run, today=date(2025, 3, 7))
    with pytest.raises(ServiceError, match="未处理的异议"):
        services.finalize(analyst, run, today=date(2025, 3, 8))
    services.resolve_objection(analyst, objection, accept=True, resolution="核实完税证明，更正为40万元",
                               corrections=[{"feature": "tax_paid", "value": "40"}])  # fmt: skip
    assert EnterpriseFigure.objects.get(enterprise=firms["丁"], feature="tax_paid").value == D("40")
    final = services.finalize(analyst, run, today=date(2025, 3, 8))
    # 丁's tax 40 → 亩均税收 4; benchmark (100+50+30+40) ÷ 35 = 6.285714, 电耗 220 ÷ 90 = 2.444444
    # 丁: 4 ÷ 6.285714 × 60 + 4 ÷ 2.444444 × 40 = 38.1818 + 65.4545 = 103.6363 → A (the total adds the rounded item scores)
    # 乙: 5 ÷ 6.285714 × 60 + 1 ÷ 2.444444 × 40 = 47.7273 + 16.3636 = 64.0909 → B
    assert final.pk != run.pk and final.supersedes_id == run.pk and final.status == "final"
    assert results(final)["丁"] == ("A", D("103.6363"), 3)
    assert results(final)["乙"] == ("B", D("64.0909"), 4)
    assert results(run)["丁"] == ("D", D("0"), 4)  # the notice list stays as it was published
    classes = dict(
        EnterpriseClass.objects.filter(year=2024).values_list("enterprise__name", "klass")
    )
    assert classes == {"企业甲": "A", "企业丙": "A", "企业丁": "A", "企业乙": "B", "企业水务": "T"}
    assert Objection.objects.get().status == "accepted"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"evaluation.run", "evaluation.notice", "evaluation.objection",
            "evaluation.objection.resolve", "evaluation.final", "enterprise.figures"} <= actions  # fmt: skip


def test_a_final_list_without_corrections_is_the_notice_run(firms, personas):
    analyst = personas["analyst"]
    run, _ = services.run_evaluation(analyst, services.save_scheme(analyst, spec()))
    run = services.publish_notice(analyst, run, date(2025, 3, 7), today=NOTICE)
    final = services.finalize(analyst, run, today=date(2025, 3, 8))
    assert final.pk == run.pk and Run.objects.count() == 1
    with pytest.raises(ServiceError, match="只有公示中的结果可以公布"):
        services.finalize(analyst, final, today=date(2025, 3, 9))


def test_below_scale_population_needs_the_land_threshold(firms, personas):
    below = spec(code="b-2024", population="below_scale", min_land_mu=D(3),
                 indicators=[{"feature": "mu_tax", "weight": 100}])  # fmt: skip
    with pytest.raises(ServiceError, match="没有符合“规模以下工业企业”的参评企业"):
        services.run_evaluation(
            personas["analyst"], services.save_scheme(personas["analyst"], below)
        )


def test_the_demo_schemes_load_and_shandong_waits_for_its_weights(db):
    saved = {s.code: s for s in schemes.load()}
    assert set(saved) == {
        "zj-county-a-2024",
        "zj-county-b-2024",
        "below-scale-2024",
        "shandong-2024",
    }
    weights = [i["weight"] for i in saved["zj-county-a-2024"].indicators]
    assert weights == ["30", "20", "20", "10", "10", "10"]
    assert [i["weight"] for i in saved["shandong-2024"].indicators] == [None] * 5
    with pytest.raises(ServiceError, match="权重尚未设定"):
        services.run_evaluation(None, saved["shandong-2024"])
    assert schemes.load()[0].version == 1  # loading again changes nothing


def test_running_again_after_publication_gives_the_published_run(firms, personas):
    analyst = personas["analyst"]
    scheme = services.save_scheme(analyst, spec())
    run, _ = services.run_evaluation(analyst, scheme)
    run = services.publish_notice(analyst, run, date(2025, 3, 7), today=NOTICE)
    final = services.finalize(analyst, run, today=date(2025, 3, 8))
    again, created = services.run_evaluation(analyst, scheme)
    assert (again.pk, again.status, created) == (final.pk, "final", False)
    EnterpriseFigure.objects.filter(feature="tax_paid", enterprise=firms["丁"]).update(value=D(5))
    draft, created = services.run_evaluation(analyst, scheme)  # new data: a new draft
    assert created and draft.status == "draft" and Run.objects.count() == 2
