from __future__ import annotations

from django.urls import path

from gongxin.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("release/", views.release, name="release"),
    path("brief.docx", views.brief_docx, name="brief_docx"),
    path("groups/<str:by>/<str:group>/", views.drilldown, name="drilldown"),
    path("list/", views.custom_list, name="custom_list"),
]
