from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gongxin.core.api import schema_access

urlpatterns = [
    path("", include("gongxin.core.urls")),
    path("accounts/", include("gongxin.accounts.urls")),
    path("imports/", include("gongxin.core.imports.urls")),
    path("supervision/", include("gongxin.supervision.urls")),
    path("enterprises/", include("gongxin.enterprises.urls")),
    path("monitoring/", include("gongxin.monitoring.urls")),
    path("policies/", include("gongxin.policies.urls")),
    path("evaluation/", include("gongxin.evaluation.urls")),
    path("api/", include("gongxin.core.api_urls")),
    path("api/supervision/", include("gongxin.supervision.api.urls")),
    path("api/", include("gongxin.enterprises.api")),
    path("api/schema/", schema_access(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        schema_access(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

handler403 = "gongxin.core.errorviews.forbidden"
handler404 = "gongxin.core.errorviews.not_found"
