from __future__ import annotations

from rest_framework.routers import DefaultRouter

from gongxin.supervision.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("items", views.ItemViewSet, basename="item")
router.register("reports", views.ProgressReportViewSet, basename="report")

app_name = "supervision-api"
urlpatterns = router.urls
