"""Enterprise registry pages: the list (bureau readers) and the profile (also an
enterprise's own, at /enterprises/mine/)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from gongxin.accounts.choices import Role
from gongxin.core import audit
from gongxin.core.access import roles_required
from gongxin.core.tables import Column, Table
from gongxin.enterprises import services
from gongxin.enterprises.filtersets import EnterpriseFilter
from gongxin.enterprises.models import Enterprise
from gongxin.enterprises.querysets import READ_ALL_ROLES
from gongxin.monitoring import series
from gongxin.reports.xlsx import titled_table_xlsx


def _industry(e: Enterprise) -> str:
    industry = e.industry
    return str(industry) if industry is not None else ""


def _latest_scale(e: Enterprise) -> str:
    records = list(e.scale_records.all())  # prefetched, newest first
    if not records:
        return ""
    return f"{records[0].year}年{'规上' if records[0].above_scale else '规下'}"


COLUMNS = [
    Column("企业名称", lambda e: e.name, url=lambda e: reverse("enterprises:detail", args=[e.pk])),
    Column("统一社会信用代码", lambda e: e.uscc),
    Column("行业（GB/T 4754-2017）", _industry),
    Column("所属镇街/功能区", lambda e: e.region.name if e.region else ""),
    Column("规上名录", _latest_scale),
    Column("用地面积(亩)", lambda e: e.land_mu, css="num"),
    Column("从业人员(人)", lambda e: e.employees, css="num"),
]


@require_GET
@roles_required(*READ_ALL_ROLES)
def enterprise_list(request):
    enterprises = (
        Enterprise.objects.restrict(request.user, "view")
        .select_related("region")
        .prefetch_related("scale_records")
    )
    table = Table(
        request,
        enterprises,
        COLUMNS,
        filterset_class=EnterpriseFilter,
        table_id="enterprises",
        export_name="企业名录",
    )
    if table.wants_export():
        return table.export_response()
    year = request.GET.get("cultivation_year", "")
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "page_title": "企业库",
            "table": table,
            "can_import": request.user.role == Role.ANALYST,
            "cultivation": services.cultivation_summary(int(year) if year.isdigit() else None),
        },
    )


def _profile(request, enterprise: Enterprise, *, mine: bool):
    user = request.user
    if request.GET.get("export") == "xlsx":
        return _stats_export(request, enterprise)
    may_read_stats = series.may_read_enterprise_stats(user)
    months = series.monthly_series(user, enterprise) if may_read_stats else []
    context = {
        "page_title": enterprise.name,
        "enterprise": enterprise,
        "mine": mine,
        "industry_path": enterprise.industry_path,
        "scale_records": enterprise.scale_records.restrict(user),
        "honors": enterprise.honors.restrict(user),
        "programs": enterprise.program_memberships.restrict(user).select_related("program"),
        "clusters": enterprise.cluster_memberships.restrict(user).select_related("cluster"),
        "liaisons": enterprise.liaisons.restrict(user),
        "may_read_stats": may_read_stats,
        "show_liaison_phone": services.may_see_liaison_phone(user),
        "stats_headers": series.table_headers(),
        "stats_rows": series.table_rows(months)[:24],
        "stats_chart": series.chart_data(months),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _stats_export(request, enterprise: Enterprise) -> HttpResponse:
    """The enterprise's months as .xlsx: the same rows (and scope) as its profile shows."""
    if not series.may_read_enterprise_stats(request.user):
        raise PermissionDenied("单户统计数据仅统计分析岗位和企业本身可以查看。")
    rows = series.table_rows(series.monthly_series(request.user, enterprise))
    title = f"{enterprise.name}月度统计数据"
    data = titled_table_xlsx(title, series.table_headers(), rows, sheet_name="月度统计")
    audit.record_now(
        request.user,
        "export.xlsx",
        enterprise,
        object_repr=title,
        after={"rows": len(rows)},
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{title}.xlsx")
    return response


def _profiles(user):
    return Enterprise.objects.restrict(user, "view").select_related("region")


@require_GET
@roles_required(*READ_ALL_ROLES, Role.ENTERPRISE)
def enterprise_detail(request, pk: int):
    enterprise = get_object_or_404(_profiles(request.user), pk=pk)
    return _profile(request, enterprise, mine=enterprise.uscc == request.user.uscc)


@require_GET
@roles_required(Role.ENTERPRISE)
def enterprise_mine(request):
    enterprise = _profiles(request.user).first()
    if enterprise is None:
        return render(
            request,
            "enterprises/enterprise_missing.html",
            {"page_title": "本企业信息", "uscc": request.user.uscc},
        )
    return _profile(request, enterprise, mine=True)
