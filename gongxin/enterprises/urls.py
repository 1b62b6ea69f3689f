from __future__ import annotations

from django.urls import path

from gongxin.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("mine/", views.enterprise_mine, name="mine"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
]
