from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from gongxin.core import api_views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("units", api_views.UnitViewSet, basename="unit")
router.register("jobs", api_views.JobViewSet, basename="job")

app_name = "api"
urlpatterns = [
    path("me/", api_views.me, name="me"),
    path("", include(router.urls)),
]
