"""The list for publication (公示/公布名单) as .xlsx: the ranked firms, then the T firms
(暂不评价) listed separately below. Built with the shared table builder, which escapes
formula-like cells (a firm name starting with "=" stays text)."""

from __future__ import annotations

from gongxin.evaluation import display
from gongxin.evaluation.models import Run
from gongxin.reports.xlsx import table_xlsx

HEADERS = ["排名", "企业名称", "统一社会信用代码", "镇街", "行业", "综合得分", "类别"]
T_HEADING = "暂不评价（T类）企业"


def publication_rows(run: Run) -> tuple[list[list], list[list]]:
    """(ranked rows, T rows), each as the sheet shows them."""
    results = list(run.results.select_related("enterprise").order_by("rank", "enterprise__uscc"))
    regions = display.region_names({r.region_id for r in results})

    def row(r) -> list:
        return [
            r.rank,
            r.enterprise.name,
            r.enterprise.uscc,
            regions.get(r.region_id, regions[None]),
            display.division_name(r.industry_code),
            None if r.score is None else float(r.score),
            display.class_label(r.klass),
        ]

    ranked = [row(r) for r in results if r.klass != "T"]
    exempt = [row(r) for r in results if r.klass == "T"]
    return ranked, exempt


def publication_xlsx(run: Run) -> bytes:
    ranked, exempt = publication_rows(run)
    rows = list(ranked)
    if exempt:
        rows += [[], [T_HEADING], HEADERS, *exempt]
    title = f"{run.scheme.year}年{run.get_status_display()}名单"
    return table_xlsx(title, HEADERS, rows)


def filename(run: Run) -> str:
    return f"{run.scheme.name}_{run.get_status_display()}名单.xlsx"
