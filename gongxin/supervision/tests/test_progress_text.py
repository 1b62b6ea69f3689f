from __future__ import annotations

from gongxin.supervision import progress_text


def test_several_units_texts_round_trip():
    cell = progress_text.join(
        [("区工信局", "正常推进。1.召开座谈会"), ("发改局", "正常推进。已对接")]
    )
    assert cell == "正常推进。1.召开座谈会\n\n【发改局】正常推进。已对接"
    assert progress_text.split(cell, ["区工信局", "发改局"]) == [
        (None, "正常推进。1.召开座谈会"),
        ("发改局", "正常推进。已对接"),
    ]


def test_brackets_that_do_not_name_a_unit_stay_in_the_text():
    cell = "正常推进。\n【说明】按计划推进"
    assert progress_text.split(cell, ["区工信局"]) == [(None, "正常推进。\n【说明】按计划推进")]
