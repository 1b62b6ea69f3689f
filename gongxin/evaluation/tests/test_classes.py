"""The class order of classes.py: exemptions, vetoes first, shares or lines over the rest,
protection, quotas; a vetoed firm is not backfilled."""

from __future__ import annotations

import json
from decimal import Decimal as D

from gongxin.evaluation.classes import assign
from gongxin.evaluation.engine import Scored

SHARES = {"method": "shares", "shares": {"A": "20", "B": "55", "C": "20", "D": "5"}, "quotas": {}}
RESTRICTIONS = [
    {"flag": "eval_exempt", "effect": "exempt"},
    {"flag": "eval_accident", "effect": "best", "class": "C"},
    {"flag": "eval_new_firm", "effect": "worst", "class": "C"},
]


def firm(i: int, total, uscc: str = "", **flags) -> Scored:
    exempt = bool(flags.get("eval_exempt"))
    return Scored(enterprise_id=i, uscc=uscc or f"u{i:02d}", exempt=exempt, flags=flags, values=[],
                  benchmarks=[], scores=[], adjustment=D(0), total=None if exempt else D(total))  # fmt: skip


def classes_of(firms, classes=SHARES, restrictions=RESTRICTIONS):
    out = assign(firms, {"classes": classes, "restrictions": restrictions})
    # the live database's form of the query (no IGNORE NULLS) gives the same classes
    portable = assign(firms, {"classes": classes, "restrictions": restrictions}, ignore_nulls=False)
    assert portable == out
    return "".join(out[f.enterprise_id].klass for f in firms), out


def test_shares_over_twenty_firms():
    # 20 firms, totals 100, 99, … 81: A = first ⌊20%·20⌋ = 4, B up to ⌊75%·20⌋ = 15,
    # D = last ⌈5%·20⌉ = 1, C between (16–19)
    firms = [firm(i, 101 - i) for i in range(1, 21)]
    text, out = classes_of(firms)
    assert text == "AAAA" + "B" * 11 + "CCCC" + "D"
    # reasons are stored as JSON: positions and counts are integers
    assert json.loads(json.dumps(out[7].reason)) == {"rule": "share", "position": 7, "of": 20}


def test_a_vetoed_firm_is_set_aside_and_not_backfilled():
    # the top firm had an accident: it cannot be A/B, and the shares are taken over the
    # other 19: A = ⌊0.2·19⌋ = 3 (its place in A is not given to the 5th firm), B up to
    # ⌊0.75·19⌋ = 14, D = last ⌈0.05·19⌉ = 1
    firms = [firm(1, 100, eval_accident=True)] + [firm(i, 101 - i) for i in range(2, 21)]
    text, out = classes_of(firms)
    assert text == "C" + "AAA" + "B" * 11 + "CCCC" + "D"
    assert out[1].reason == {
        "rule": "veto",
        "flags": ["eval_accident"],
        "best": "C",
        "would_be": "A",
    }
    assert out[1].rank == 1  # still ranked by its score


def test_a_vetoed_firm_with_a_low_score_can_be_d():
    firms = [firm(i, 101 - i) for i in range(1, 20)] + [firm(20, 1, eval_accident=True)]
    text, out = classes_of(firms)
    # the rest are 19 firms: A 3, B to 14, C to 18, D the 19th; the vetoed firm scores
    # below every one of them → the class of the lowest, D
    assert text == "AAA" + "B" * 11 + "CCCC" + "D" + "D"
    assert out[20].reason["would_be"] == "D"


def test_a_vetoed_firm_level_with_the_rest_takes_the_class_of_the_first_of_them():
    # the rest: firms 2–20, totals 100, 99, … except firms 15 and 16, level at 87 — R's
    # 14th (B: up to ⌊0.75·19⌋ = 14) and 15th (C). The vetoed firm also scores 87 and its
    # USCC sorts between theirs: R's first firm at or below its score is firm 15, so it
    # would be B (and its veto caps it at C); it is ranked between the two.
    firms = [firm(i, 87 if i == 16 else 102 - i) for i in range(2, 21)]
    firms.append(firm(21, 87, uscc="u15a", eval_accident=True))
    text, out = classes_of(firms)
    assert (out[15].klass, out[16].klass) == ("B", "C")
    assert out[21].klass == "C" and out[21].reason["would_be"] == "B"
    assert (out[15].rank, out[21].rank, out[16].rank) == (14, 15, 16)


def test_a_vetoed_firm_below_all_of_the_rest_takes_the_class_of_the_last_one():
    # R's last firm is protected (C instead of D, no D quota): a vetoed firm scoring
    # below all of R would be C as well — the last firm's class, not its position's
    firms = [firm(i, 101 - i) for i in range(1, 20)] + [firm(20, 1, eval_new_firm=True)]
    firms.append(firm(21, 0, eval_accident=True))
    text, out = classes_of(firms)
    assert text[-2:] == "CC"
    assert out[21].reason == {
        "rule": "veto",
        "flags": ["eval_accident"],
        "best": "C",
        "would_be": "C",
    }
    assert out[21].rank == 21


def test_protected_firms_are_not_d_and_exempt_firms_are_t():
    firms = [firm(i, 101 - i) for i in range(1, 20)] + [
        firm(20, 1, eval_new_firm=True), firm(21, 0, eval_exempt=True)]  # fmt: skip
    text, out = classes_of(firms)
    assert text[-2:] == "CT"
    assert out[20].reason == {
        "rule": "protected",
        "flags": ["eval_new_firm"],
        "worst": "C",
        "would_be": "D",
    }
    assert out[21].rank is None and out[21].reason == {"rule": "exempt", "flags": ["eval_exempt"]}


def test_d_quota_takes_the_next_lowest_unprotected_firm():
    # the lowest firm is protected; with D ≥ 5% the next lowest unprotected firm becomes D
    rules = {**SHARES, "quotas": {"D_min": "5"}}
    firms = [firm(i, 101 - i) for i in range(1, 20)] + [firm(20, 1, eval_new_firm=True)]
    text, out = classes_of(firms, rules)
    assert text[-2:] == "DC"
    assert out[19].reason == {"rule": "quota_d", "minimum": 1, "of": 20}


def test_score_lines_with_an_a_quota():
    # lines A ≥ 85, B ≥ 70, C ≥ 55; 10 firms 95, 93, 91, 89, 80, 75, 60, 56, 50, 40
    # by lines: A A A A B B C C D D; A ≤ 20% of 10 = 2 → the 3rd and 4th A become B
    lines = {"method": "thresholds", "thresholds": {"A": "85", "B": "70", "C": "55"},
             "quotas": {"A_max": "20"}}  # fmt: skip
    totals = [95, 93, 91, 89, 80, 75, 60, 56, 50, 40]
    text, out = classes_of([firm(i, t) for i, t in enumerate(totals, 1)], lines)
    assert text == "AABBBBCCDD"
    assert out[3].reason == {"rule": "quota_a", "limit": 2, "of": 10}
    assert out[5].reason == {"rule": "threshold", "line": "70"}


def test_equal_scores_are_ordered_by_uscc_the_same_way_every_time():
    firms = [firm(i, 50) for i in range(1, 11)]
    first, _ = classes_of(firms)
    again, _ = classes_of(list(reversed(firms)))
    assert first == "AABBBBBCCD" and again == first[::-1]
