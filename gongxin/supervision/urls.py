from __future__ import annotations

from django.urls import path

from gongxin.supervision.views import items, plans, progress

app_name = "supervision"
urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_overview, name="plan_overview"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/", items.item_list, name="item_list"),
    path("plans/<int:plan_pk>/items/new/", items.item_edit, name="item_create"),
    path("plans/<int:plan_pk>/items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("plans/<int:pk>/report/", plans.report_download, name="report_download"),
    path("plans/<int:pk>/bulletin/", plans.bulletin_download, name="bulletin_download"),
    path("plans/<int:pk>/remind/", plans.send_reminders, name="send_reminders"),
    path("reminders/<int:pk>/notice/", plans.reminder_docx, name="reminder_docx"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/review/", items.item_review, name="item_review"),
    path("items/<int:pk>/instruct/", items.item_instruct, name="item_instruct"),
    path("instructions/<int:pk>/read/", items.instruction_read, name="instruction_read"),
    path("targets/<int:pk>/", items.target_update, name="target_update"),
    path("targets/<int:pk>/bind/", items.target_bind, name="target_bind"),
    path("closures/<int:pk>/decide/", items.closure_decide, name="closure_decide"),
    path("assignments/<int:pk>/acknowledge/", progress.acknowledge, name="acknowledge"),
    path("assignments/<int:pk>/progress/", progress.progress_edit, name="progress_edit"),
    path("assignments/<int:pk>/target/", progress.target_edit, name="target_edit"),
    path("assignments/<int:pk>/closure/", progress.closure_request, name="closure_request"),
    path("evidence/<int:pk>/", progress.evidence_download, name="evidence_download"),
]
