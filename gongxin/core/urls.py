from __future__ import annotations

from django.urls import path

from gongxin.core import views

app_name = "core"
urlpatterns = [
    path("", views.home_page, name="home"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
