"""The honor, grouping and liaison imports are offered where the registry import is:
the imports page and their upload pages, to the analyst only."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from gongxin.core.imports import services
from gongxin.core.imports.base import get_importer
from gongxin.core.testing import USCC_X, login_as
from gongxin.enterprises.models import Enterprise
from gongxin.enterprises.tests.test_registry_import import xlsx

REPO = Path(__file__).resolve().parents[3]

SLUGS = {
    "honors": ("荣誉资质名单", ["统一社会信用代码", "企业名称", "称号", "级别", "认定年度", "批次/文号"]),
    "groupings": (
        "集群、产业链、培育计划名单",
        ["统一社会信用代码", "企业名称", "类型", "名称", "年度", "是否链主", "所属板块"],
    ),
    "liaisons": (
        "包联干部名单",
        ["统一社会信用代码", "企业名称", "年度", "包联级别", "包联干部", "职务/单位", "联系电话"],
    ),
}  # fmt: skip


def test_the_imports_page_offers_them_to_the_analyst(client, personas):
    login_as(client, personas["analyst"])
    page = client.get(reverse("imports:index")).content.decode()
    for slug, (label, _) in SLUGS.items():
        assert label in page
        assert reverse("imports:upload", args=[slug]) in page


@pytest.mark.parametrize("slug", SLUGS)
def test_the_upload_page_lists_the_headers_and_the_template_has_them(client, personas, slug):
    label, headers = SLUGS[slug]
    login_as(client, personas["analyst"])
    page = client.get(reverse("imports:upload", args=[slug])).content.decode()
    assert f"导入{label}" in page
    for header in headers:
        assert f"<td>{header}</td>" in page
    response = client.get(reverse("imports:template", args=[slug]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.title == label
    assert list(next(book.active.iter_rows(values_only=True))) == headers


@pytest.mark.parametrize("persona", ["supervisor", "leader", "enterprise_x", "sysadmin"])
@pytest.mark.parametrize("slug", SLUGS)
def test_other_roles_may_not_upload(client, personas, persona, slug):
    login_as(client, personas[persona])
    assert client.get(reverse("imports:upload", args=[slug])).status_code == 403


@pytest.mark.parametrize("slug", ["enterprises", *SLUGS])
def test_the_docs_list_every_header_and_alias(slug):
    docs = (REPO / "docs" / "enterprises.md").read_text(encoding="utf-8")
    cls = get_importer(slug)
    section = docs.split(f"\n## {cls.label}", 1)[1].split("\n## ", 1)[0]
    for column in cls.columns:
        lines = section.splitlines()
        row = next(line for line in lines if line.startswith(f"| {column.header} |"))
        assert all(alias in row for alias in column.aliases), (slug, column.header)


def test_the_preview_page_shows_what_a_grouping_import_would_do(client, personas):
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司")
    data = xlsx([SLUGS["groupings"][1], [USCC_X, "", "产业链", "海工装备", "", "是", "装备"]])
    stored = services.store_file(personas["analyst"], "集群名单.xlsx", data)
    preview = services.preview(personas["analyst"], stored, "groupings")
    login_as(client, personas["analyst"])
    page = client.get(reverse("imports:preview", args=[preview.pk])).content.decode()
    assert f"青岛甲机械有限公司（{USCC_X}） → 产业链“海工装备”" in page
    for shown in ("加入：", "新建该名单：", "链主企业：", "所属板块：</span>装备"):
        assert shown in page
