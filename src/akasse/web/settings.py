"""Django settings: SQLite by default, PostgreSQL through DATABASE_URL (production and CI)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ.get("AKASSE_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("AKASSE_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("AKASSE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "akasse.web.accounts",
    "akasse.web.cases",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "akasse.web.locale_middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the lock-out response
]
ROOT_URLCONF = "akasse.web.urls"
# Jinja2 (akasse.web.templating says why); form widgets render through Jinja2 too, with Django's own widget
# templates for it (django/forms/jinja2).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "akasse.web.templating.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "akasse.web.navigation.navigation",
                "akasse.web.templating.csrf",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.Jinja2"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{Path(os.environ.get('AKASSE_DB_DIR', Path.cwd())) / 'akasse.sqlite3'}",
        # Persistent connections under gunicorn (a new PostgreSQL connection per request costs milliseconds).
        conn_max_age=int(os.environ.get("AKASSE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# The interface (views, templates, static, locale): dates dd-mm-åååå, static files served by WhiteNoise.
STATICFILES_DIRS = [BASE_DIR / "static"]
# STATIC_ROOT only for collectstatic; WhiteNoise serves from the finders.
STATIC_ROOT = os.environ.get("AKASSE_STATIC_ROOT") or None
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["akasse.web.formats"]
WHITENOISE_USE_FINDERS = True  # serve static files straight from the package: no collectstatic step
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Security (issue 4): Argon2 first, lock-out after repeated failures (django-axes), secure cookies, CSP.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # verifies older hashes, upgraded on next login
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out users before any password check
    "akasse.web.accounts.backends.UserWithOrganisationBackend",  # Django's ModelBackend, one query a request
]
AXES_FAILURE_LIMIT = int(os.environ.get("AKASSE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms and HTMX send the token from the template, never read from the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Export pseudonymisation: person_id = HMAC-SHA256(key, CPR). The key comes from the environment only;
# `akasse export events` refuses to run without one unless DEBUG (then a random one-off key is used).
AKASSE_PSEUDONYM_KEY = os.environ.get("AKASSE_PSEUDONYM_KEY", "")
# The case system's "today" (YYYY-MM-DD); set it to run the demo inside the trial period (2020-2023).
AKASSE_TODAY = os.environ.get("AKASSE_TODAY", "")
# Where STAR analysts find the published monitoring (`akasse publish` output or jobindsats.dk);
# no personal data.
AKASSE_MONITORING_URL = os.environ.get("AKASSE_MONITORING_URL", "https://www.jobindsats.dk/")
