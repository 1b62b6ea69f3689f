"""`--backend live`: on PostgreSQL the evaluation's queries run in the platform database
and give exactly DuckDB's results for every firm (the 400-firm population and the two
schemes of test_spark: every scoring family, benchmark kind, veto, protection, bonus and
quota); on SQLite, which sums decimals as floats, live is refused with a Chinese message.
The CI runs this module on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from gongxin.evaluation import engine, rules
from gongxin.evaluation.tests.test_spark import COLUMNS, RESTRICTIONS, SCHEMES, population, rows

pytestmark = pytest.mark.django_db


def checked(scheme: dict) -> dict:
    return rules.check_scheme({
        **scheme, "restrictions": RESTRICTIONS,
        "adjustments": [{"flag": "eval_under_construction", "points": 3, "label": "加分"}],
    })  # fmt: skip


def test_live_gives_duckdb_s_results_on_postgresql_and_is_refused_on_sqlite():
    facts = population()
    if connection.vendor == "sqlite":
        with pytest.raises(engine.LiveUnsupported, match="只能在 PostgreSQL"):
            engine.evaluate(facts, checked(SCHEMES[0]), backend="live")
        return
    for scheme in SCHEMES:
        rules_ = checked(scheme)
        duck = rows(engine.evaluate(facts, rules_))
        live = rows(engine.evaluate(facts, rules_, backend="live"))
        assert set(live) == set(duck) and len(duck) == 400
        fields = (*COLUMNS, "uscc", "exempt", *(f"{kind}_{i}" for kind in ("score", "value", "benchmark")
                                                for i in range(len(rules_["indicators"]))))  # fmt: skip
        for firm, mine in duck.items():
            assert {k: live[firm][k] for k in fields} == {k: mine[k] for k in fields}, firm
        assert {r["klass"] for r in duck.values()} == {"A", "B", "C", "D", "T"}
