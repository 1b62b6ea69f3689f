"""Enterprise registry and monthly statistics API: the same scopes as the pages.

Identity data follows Enterprise.restrict (bureau readers all, an enterprise user its
own); monthly figures follow MonthlyStat.restrict (the analyst all, an enterprise user its
own released months, nobody else), so the API never shows what the profile page hides."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from gongxin.core.api import IsBusinessUser
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MEASURES, MonthlyStat
from gongxin.monitoring.series import may_read_enterprise_stats


class ReadsEnterpriseStats(BasePermission):
    """Individual figures: the analyst and enterprise users only (then scoped by restrict)."""

    message = "单户统计数据仅统计分析岗位和企业本身可以查看。"

    def has_permission(self, request, view) -> bool:
        return may_read_enterprise_stats(request.user)


class EnterpriseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", default=None, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "industry_code",
            "region",
            "land_mu",
            "employees",
            "is_active",
        ]


class MonthlyStatSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)

    class Meta:
        model = MonthlyStat
        fields = [
            "id", "enterprise", "uscc", "period",
            *(f for m in MEASURES for f in (m, f"{m}_prior")),
            "provenance", "revised",
        ]  # fmt: skip


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """企业库（统一社会信用代码、名称、行业、镇街）。企业用户仅见本企业。"""

    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        return Enterprise.objects.restrict(self.request.user, "view").select_related("region")

    @extend_schema(responses=MonthlyStatSerializer(many=True), summary="企业月度统计数据")
    @action(detail=True, permission_classes=[IsBusinessUser, ReadsEnterpriseStats])
    def stats(self, request, pk=None):
        """该企业的月度统计数据（统计分析岗位见全部月份，企业用户见本企业已发布月份）。"""
        enterprise = self.get_object()
        stats = MonthlyStat.objects.restrict(request.user).filter(enterprise=enterprise)
        stats = stats.select_related("enterprise").order_by("period")
        return Response(MonthlyStatSerializer(stats, many=True).data)


class MonthlyStatViewSet(viewsets.ReadOnlyModelViewSet):
    """企业月度统计数据（统计调查，保密）：统计分析岗位见全部，企业用户见本企业已发布月份。"""

    serializer_class = MonthlyStatSerializer
    permission_classes = [IsBusinessUser, ReadsEnterpriseStats]

    def get_queryset(self):
        stats = MonthlyStat.objects.restrict(self.request.user).select_related("enterprise")
        period = self.request.query_params.get("period")
        if period:
            stats = stats.filter(period=period)
        return stats.order_by("period", "enterprise")


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("monthly-stats", MonthlyStatViewSet, basename="monthly-stat")

app_name = "enterprises-api"
urlpatterns = router.urls
