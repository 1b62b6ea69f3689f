from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from gongxin.accounts.models import Unit
from gongxin.core.models import Job
from gongxin.core.serializers import JobSerializer, MeSerializer, UnitSerializer


@extend_schema(responses=MeSerializer, summary="当前用户")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """单位（责任单位、镇街、功能区）及其别名。"""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return Unit.objects.restrict(self.request.user, "view").prefetch_related("aliases")


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """本人提交的后台任务及其进度。"""

    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.restrict(self.request.user, "view")
