from __future__ import annotations

from django.urls import path

from gongxin.core.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("previews/<int:pk>/", views.preview_detail, name="preview"),
    path("previews/<int:pk>/commit/", views.preview_commit, name="commit"),
    path("<slug:slug>/", views.upload, name="upload"),
    path("<slug:slug>/template/", views.template_download, name="template"),
]
