from __future__ import annotations

import pytest

from gongxin.analytics import catalog


def test_every_feature_says_what_it_is_where_it_comes_from_and_for_which_period():
    for feature in catalog.CATALOG.values():
        assert feature.label and feature.definition
        assert feature.period_rule in catalog.PERIOD_RULES
        assert feature.provenance in catalog.PROVENANCE_LABELS


def test_money_is_kept_in_wan_yuan():
    for code in ("output", "revenue", "profit", "tax", "value_added"):
        assert catalog.get(code).unit == "万元"


def test_survey_figures_are_marked_as_such():
    assert catalog.get("output").provenance == catalog.Provenance.SURVEY
    assert catalog.get("industry_code").provenance == catalog.Provenance.REGISTRY


def test_an_unknown_feature_is_refused_in_chinese():
    with pytest.raises(catalog.CatalogError) as error:
        catalog.get("q1_output_new")
    assert str(error.value) == "指标目录中没有“q1_output_new”。"


def test_a_feature_cannot_be_redefined_silently():
    with pytest.raises(ValueError):
        catalog.register(
            catalog.Feature("output", "产值", "元", "x", "ytd", catalog.Provenance.SURVEY)
        )
