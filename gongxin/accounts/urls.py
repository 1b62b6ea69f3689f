from __future__ import annotations

from django.urls import path

from gongxin.accounts.views import admin, auth

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("admin/users/", admin.user_list, name="user_list"),
    path("admin/users/new/", admin.user_create, name="user_create"),
    path("admin/users/<int:pk>/", admin.user_edit, name="user_edit"),
    path(
        "admin/users/<int:pk>/reset-password/",
        admin.user_reset_password,
        name="user_reset_password",
    ),
    path("admin/users/<int:pk>/reset-totp/", admin.user_totp_reset, name="user_totp_reset"),
    path("admin/users/<int:pk>/unlock/", admin.user_unlock, name="user_unlock"),
    path("admin/units/", admin.unit_list, name="unit_list"),
    path("admin/units/new/", admin.unit_create, name="unit_create"),
    path("admin/units/<int:pk>/", admin.unit_edit, name="unit_edit"),
    path("admin/units/<int:pk>/aliases/", admin.alias_add, name="alias_add"),
    path("admin/aliases/<int:pk>/remove/", admin.alias_remove, name="alias_remove"),
    path("admin/leaders/", admin.leader_list, name="leader_list"),
    path("admin/tokens/", admin.token_list, name="token_list"),
    path("security/lockouts/", admin.lockout_list, name="lockout_list"),
    path("security/settings/", admin.security_settings, name="security_settings"),
]
