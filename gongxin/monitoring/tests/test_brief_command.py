"""`gongxin brief`: the reference panel's sentences, and the .docx."""

from __future__ import annotations

import io

import docx
from django.core.management import call_command

from gongxin.analytics.testing import build_reference_panel


def test_the_brief_names_the_total_and_the_movers(db, tmp_path):
    build_reference_panel()
    out = io.StringIO()
    call_command("brief", "--period", "2024-03", "--by", "section", stdout=out)
    text = out.getvalue()
    # 580 万元 = 0.058 亿元 → 0.06; growth 11.5385% → 11.5
    assert "2024年1-3月，5家规上工业企业完成产值0.06亿元，同比增长11.5%。" in text
    # largest increase: 企业4 +50 万元; largest decrease: 企业2 −20 万元
    assert "增量居前的企业：企业4" in text and "减量居前的企业：企业2" in text
    path = tmp_path / "brief.docx"
    call_command("brief", "--period", "2024-03", "--out", str(path), stdout=io.StringIO())
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "2024年1-3月全区工业经济运行分析"
