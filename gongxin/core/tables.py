"""Tables for list pages: filters (django-filter), pagination and 导出Excel from one
definition, so the page and its export always show the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongxin.core import audit
from gongxin.reports.xlsx import table_xlsx

PAGE_SIZE = 20
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    url: Callable[[Any], str] | None = None
    css: str = ""


@dataclass(frozen=True)
class Cell:
    text: Any
    url: str | None
    css: str


def _display(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


class Table:
    def __init__(
        self,
        request,
        queryset,
        columns: list[Column],
        *,
        filterset_class=None,
        table_id: str = "list",
        export_name: str | None = None,
    ):
        self.request = request
        self.columns = columns
        self.id = table_id
        self.filterset = (
            filterset_class(request.GET, queryset=queryset) if filterset_class else None
        )
        self.queryset = self.filterset.qs if self.filterset is not None else queryset
        self.export_name = export_name

    @property
    def filter_form(self):
        return self.filterset.form if self.filterset is not None else []

    @cached_property
    def page(self):
        paginator = Paginator(self.queryset, PAGE_SIZE)
        return paginator.get_page(self.request.GET.get("page"))

    @property
    def rows(self):
        for obj in self.page.object_list:
            yield [
                Cell(_display(c.value(obj)), c.url(obj) if c.url else None, c.css)
                for c in self.columns
            ]

    @property
    def query_without_page(self) -> str:
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        encoded = query.urlencode()
        return f"{encoded}&" if encoded else ""

    @property
    def export_url(self) -> str | None:
        if not self.export_name:
            return None
        return f"?{self.query_without_page}export=xlsx"

    def wants_export(self) -> bool:
        return bool(self.export_name) and self.request.GET.get("export") == "xlsx"

    def export_response(self) -> HttpResponse:
        headers = [c.label for c in self.columns]
        rows = (
            [_display(c.value(obj)) for c in self.columns] for obj in self.queryset[:EXPORT_LIMIT]
        )
        data = table_xlsx(self.export_name or "导出", headers, rows)
        audit.record_now(
            self.request.user,
            "export.xlsx",
            object_type="export",
            object_repr=self.export_name or "",
            after={"query": self.request.GET.urlencode()},
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.export_name}_{stamp}.xlsx"
        )
        return response
