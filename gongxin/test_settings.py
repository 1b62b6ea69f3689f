"""Settings for the test suite: the production settings with a fast password hasher."""

from __future__ import annotations

import os

os.environ.setdefault("GONGXIN_SECURE_COOKIES", "0")

from gongxin.settings import *  # noqa: E402, F403

# Django's default hasher costs ~0.55 s of CPU per password; tests set hundreds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
