"""Password rules required by 等保: character classes and no reuse of recent passwords."""

from __future__ import annotations

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least `min_classes` of: upper-case, lower-case, digits, other symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、符号中的{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少包含大写字母、小写字母、数字、符号中的{self.min_classes}类。"


class PasswordHistoryValidator:
    """The new password may not be any of the last `count` passwords, the current one included."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        hashes = [user.password] if user.password else []
        hashes += list(user.password_history.values_list("password", flat=True)[: self.count - 1])
        if any(check_password(password, h) for h in hashes if h):
            raise ValidationError(
                f"新密码不能与最近{self.count}次使用过的密码相同。", code="password_reused"
            )

    def get_help_text(self) -> str:
        return f"不能与最近{self.count}次使用过的密码相同。"
