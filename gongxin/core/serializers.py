from __future__ import annotations

from rest_framework import serializers

from gongxin.accounts.models import Unit, User
from gongxin.core.models import Job


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "role_display", "unit", "unit_name", "uscc"]


class UnitSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "parent", "aliases", "is_active"]


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress",
            "message",
            "result",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]
