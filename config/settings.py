"""Settings for Justice Journey. Every value comes from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import keys
from config.env import env_bool, env_int, env_list, env_path, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

# All state lives under one folder inside the checkout by default, so two clones never share state.
DATA_DIR = env_path("JJ_DATA_DIR", BASE_DIR / "var")
LAKE_DIR = env_path("JJ_LAKE_DIR", DATA_DIR / "lake")

_KEY_HINT = "run `make install`, which writes .env with fresh random keys, or see .env.example."
SECRET_KEY = keys.secret_key(env_str("SECRET_KEY", hint=_KEY_HINT))
# Key for field-level encryption and blind indexes in the identity vault (urlsafe base64 of 32 bytes).
VAULT_KEY = env_str("VAULT_KEY", hint=_KEY_HINT)
keys.vault_master_key(VAULT_KEY)  # its form only: whether it is the vault's own key is checked on first use

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks_db",
    "ninja",  # the API's documentation page from its own static files, not a CDN the CSP would block
    # The data flow, in order.
    "standard",
    "identity",
    "journeys",
    "compliance",
    "oversight",
    "publication",
    "hub",
    "accounts",
    "synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After WhiteNoise, so static files keep their own caching; below it, every answer to someone signed in.
    "accounts.middleware.PrivateResponsesMiddleware",
    "accounts.middleware.TemporaryPasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
        },
    },
]

# GOV.UK Design System markup for every form (config/forms.py, templates in config/templates/govuk/).
FORM_RENDERER = "config.forms.GovUKFormRenderer"

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"), conn_max_age=60
    ),
    # Personal data lives only here: a separate database, never joined to the rest.
    "vault": dj_database_url.parse(
        env_str("VAULT_DATABASE_URL", f"sqlite:///{DATA_DIR / 'vault.sqlite3'}"), conn_max_age=60
    ),
}
# SQLite, when used: readers never wait for a writer (write-ahead log), and a transaction takes the write
# lock when it begins, so two requests that read then write queue for it instead of one failing with
# "database is locked" (decision 0076).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": 60,
            }
        )
DATABASE_ROUTERS = ["identity.routers.VaultRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, except that an account whose organisation is deactivated has no session.
    "accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.UserNameNotInPasswordValidator"},  # the similarity check misses it inside
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page, which says how long the lockout lasts.
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# A temporary password an administrator issues stops working after this many days unless its holder has
# chosen their own.
TEMPORARY_PASSWORD_DAYS = env_int("TEMPORARY_PASSWORD_DAYS", 7)
# API calls refused for their token that are recorded per client address and minute; beyond it, answered 429.
API_REFUSALS_PER_MINUTE = env_int("API_REFUSALS_PER_MINUTE", 30)

LANGUAGE_CODE = "en"
# Dates as GOV.UK writes them in English ("18 June 2024"); Welsh uses Django's own `cy` formats.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("en", _("English")), ("cy", _("Cymraeg"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns (an error under pytest) when it is missing.
# WhiteNoise also serves assets/build/ directly, so the service works without a collectstatic step.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "assets" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Beyond that, an upload is received into JJ_DATA_DIR/work/received/, private and swept, not the system's /tmp.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "journeys.uploads.PrivateFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Background work (the compliance recompute after each submission) waits in the main database until a worker
# (`justice-journey db_worker`) runs it, so no request waits for it. TASKS_BACKEND can name another backend:
# django.tasks.backends.immediate.ImmediateBackend runs each task at once, in the process that asks for it.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# After each recompute, runs older than this many days that no quarter reads lose their figures (0 keeps all).
FIGURES_RETENTION_DAYS = env_int("FIGURES_RETENTION_DAYS", 30)

# Secure by default; relaxed only in DEBUG for local development over plain HTTP.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SERVICE_NAME = "Justice Journey"
PHASE = env_str("PHASE", "beta")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Django's own console handler (when DEBUG) would print every `django.*` line a second time: they reach
    # standard error once, through the root's handler.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
