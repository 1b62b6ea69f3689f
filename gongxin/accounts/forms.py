from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.contrib.auth.signals import user_login_failed
from django_otp import match_token

from gongxin.accounts.choices import Role, UnitKind
from gongxin.accounts.models import Leader, Unit, User


class LoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="动态口令",
        required=False,
        max_length=8,
        help_text="系统、安全、审计管理员须填写身份验证器中的6位动态口令。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.device = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        user = authenticate(self.request, username=username, password=password)
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(
                "登录失败次数过多，账号已被锁定，请稍后再试或联系安全管理员解锁。"
            )
        if user is None:
            raise forms.ValidationError("用户名或密码错误。")
        if user.is_admin_role:
            self.device = match_token(user, (self.cleaned_data.get("otp_token") or "").strip())
            if self.device is None:
                # A wrong second factor counts as a failed login for the lockout.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": username, "reason": "动态口令错误或缺失"},
                    request=self.request,
                )
                raise forms.ValidationError("管理员登录须填写正确的动态口令。")
        self.user = user
        return self.cleaned_data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(label="确认新密码", strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "name", "role", "unit", "leader", "uscc", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "请选择")] + list(Role.choices)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["leader"].queryset = Leader.objects.active()


class UserCreateForm(UserForm):
    password = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput,
        help_text="用户首次登录后须修改密码。",
    )


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitForm(VersionedForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(UnitKind.choices)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["parent"].queryset = Unit.objects.exclude(pk=self.instance.pk)


class AliasForm(forms.Form):
    alias = forms.CharField(label="别名", max_length=100)


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = ["name", "title", "sort_order", "is_active"]
