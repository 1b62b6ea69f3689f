"""Settings for gongxin, read from the environment (see docs/README.md).

Every security value defaults to common 等保2.0 三级 practice and can be changed by an
environment variable of the same name.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from gongxin.env import env, env_bool, env_int, env_list, secret_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env("GONGXIN_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo mode: seeds the demo data and may print demo credentials. Never on in production.
GONGXIN_DEMO = env_bool("GONGXIN_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "gongxin.core",
    "gongxin.accounts",
    "gongxin.reports",
    "gongxin.supervision",
    "gongxin.enterprises",
    "gongxin.monitoring",
    "gongxin.policies",
    "gongxin.evaluation",
    "gongxin.analytics",
    "gongxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongxin.core.middleware.RequestContextMiddleware",
    "gongxin.accounts.middleware.SessionLifetimeMiddleware",
    "gongxin.accounts.middleware.SecondFactorMiddleware",
    "gongxin.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongxin.urls"
WSGI_APPLICATION = "gongxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongxin.core.context_processors.platform",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default; DATABASE_URL for PostgreSQL. -------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongxin.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
    # failing with "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Passwords: length, character classes, history (等保: 复杂度与定期更换). ----------
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("PASSWORD_MIN_CLASSES", 3)
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongxin.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {
        "NAME": "gongxin.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
]

# --- Sessions: idle timeout and absolute lifetime. ---------------------------------------
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 8 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Secure cookies need HTTPS; `make run` (plain http on 127.0.0.1) turns them off explicitly.
SECURE_COOKIES = env_bool("GONGXIN_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)

# --- Login lockout by username, not by IP: a whole office shares one NAT address. -------
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongxin.accounts.views.auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# axes.W006 asks for the IP in the lockout key; keying by IP would lock a whole office
# behind one NAT address, and keying by IP+username lets a guesser rotate addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Second factor (TOTP) for the three administrator roles.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "gongxin 工信平台")
ADMIN_SECOND_FACTOR_REQUIRED = env_bool("ADMIN_SECOND_FACTOR_REQUIRED", True)

# Audit rows are append-only; they are kept at least this long (等保: ≥ 6 months).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)

# --- Imports: limits checked before any parser runs. ------------------------------------
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
IMPORT_MAX_ZIP_ENTRIES = env_int("IMPORT_MAX_ZIP_ENTRIES", 1000)
IMPORT_PREVIEW_TTL_MINUTES = env_int("IMPORT_PREVIEW_TTL_MINUTES", 24 * 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# Unit names in documents drop the level prefix after the first mention ("区发改局、财政局"):
# a name not found as written is tried with these prefixes ("区" for a district, "市" for a city).
UNIT_NAME_PREFIXES = env_list("UNIT_NAME_PREFIXES", ["区"])

# Statistics: published 贡献率/拉动 pairs differing by more than this many points are flagged;
# aggregates outside the statistics role hide cells of fewer than N enterprises or with one
# enterprise above the dominance share (DOMAIN.md "Data protection").
PUBLISHED_CONSISTENCY_TOLERANCE_POINTS = float(
    env("PUBLISHED_CONSISTENCY_TOLERANCE_POINTS", "0.15")
)
SUPPRESSION_MIN_ENTERPRISES = env_int("SUPPRESSION_MIN_ENTERPRISES", 3)
SUPPRESSION_DOMINANCE = float(env("SUPPRESSION_DOMINANCE", "0.85"))
# Early warnings: a YTD output decline below this percentage; the above-scale revenue line.
WARNING_DECLINE_PERCENT = float(env("WARNING_DECLINE_PERCENT", "-10"))
# Policy matching: a near-miss fails only numeric criteria, each by at most this share of
# the threshold (amounts, counts) or this many percentage points (rates).
POLICY_NEAR_MISS_FRACTION = float(env("POLICY_NEAR_MISS_FRACTION", "0.10"))
POLICY_NEAR_MISS_POINTS = float(env("POLICY_NEAR_MISS_POINTS", "3"))
ABOVE_SCALE_REVENUE_WAN = env_int("ABOVE_SCALE_REVENUE_WAN", 2000)

# Background jobs: a running job whose heartbeat is older than this is considered dead.
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with "WWW-Authenticate: Token".
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["gongxin.core.api.IsBusinessUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongxin 工信平台 API",
    "DESCRIPTION": "产业大数据决策与服务平台的数据接口。浏览器使用会话认证，对接系统使用令牌认证。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Internationalisation: the UI is Chinese. -------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
