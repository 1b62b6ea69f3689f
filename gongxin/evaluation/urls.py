"""The evaluation app's pages (views.py keeps the patterns next to the views)."""

from __future__ import annotations

from gongxin.evaluation import views

app_name = "evaluation"
urlpatterns = views.urlpatterns
