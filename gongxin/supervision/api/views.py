"""Supervision API: the same scopes as the pages (restrict), read-only for integrations."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from gongxin.supervision.models import Item, ProgressReport


class ItemSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.title")
    leaders = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "plan",
            "seq",
            "content",
            "key",
            "leaders",
            "units",
            "mode",
            "stage",
            "official_status",
            "suggested_status",
            "deadline",
        ]

    def get_leaders(self, item) -> list[str]:
        return [leader.name for leader in item.ordered_leaders]

    def get_units(self, item) -> list[dict]:
        return [{"name": a.display_name, "role": a.role} for a in item.assignments.all()]


class ProgressReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="assignment.display_name")

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "item",
            "unit",
            "period",
            "text",
            "claimed_status",
            "submitted_at",
            "on_time",
        ]


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """督办事项（按角色范围）。"""

    serializer_class = ItemSerializer

    def get_queryset(self):
        return (
            Item.objects.restrict(self.request.user, "view")
            .select_related("plan")
            .prefetch_related("leader_links__leader", "assignments__unit")
            .order_by("plan", "seq")
        )


class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    """推进情况（填报人只见本单位）。"""

    serializer_class = ProgressReportSerializer

    def get_queryset(self):
        return (
            ProgressReport.objects.restrict(self.request.user, "view")
            .select_related("assignment__unit")
            .order_by("item", "period")
        )
