"""The evaluation app's pages (views.py and cultivation_views.py keep the patterns next to
the views)."""

from __future__ import annotations

from gongxin.evaluation import cultivation_views, views

app_name = "evaluation"
urlpatterns = [*views.urlpatterns, *cultivation_views.urlpatterns]
