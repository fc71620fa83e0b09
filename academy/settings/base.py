"""Settings shared by every environment.

Each environment module (dev, test, production) imports this one and changes only
what differs. Everything that varies between machines is read from the environment;
the defaults here are the embedded ones: SQLite under var/, in-memory channel layer,
local-memory cache, immediate task backend.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "academy",
    "courses",
    "roundtables",
    "forums",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Translations of course pages: wagtail-localize's editor, and its locale management.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Infrastructure
    "channels",
    "django_countries",
    "django_tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "academy.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "academy.middleware.RequireMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "academy.urls"
ASGI_APPLICATION = "academy.asgi.application"
# Callables (request) -> {"template": ..., **context} or None, shown on the dashboard in
# this order: feature apps contribute panels without the core importing them.
ACADEMY_DASHBOARD_PANELS = [
    "roundtables.panels.next_sessions_panel",
    "courses.panels.continue_learning_panel",
    "courses.panels.improvement_plan_panel",
    "courses.panels.certificates_panel",
]
# Callables (request) -> [(label, url, count)], links shown in every page's header for
# a signed-in person (a count, such as unread notifications, when it is not None).
ACADEMY_HEADER_BADGES = [
    "forums.notification_views.header_badges",
]
# Callables run by `manage.py seed_demo` after the core's demo data, in this order.
ACADEMY_DEMO_SEEDERS = ["courses.demo.seed", "roundtables.demo.seed", "forums.demo.seed"]
# Callables (request, cohort) -> [(label, url)]: feature apps' tools on the cohort
# management page.
ACADEMY_COHORT_TOOLS = ["courses.panels.cohort_tools", "roundtables.panels.cohort_tools"]
# Callables (request, cohort) -> [(label, url)]: feature apps' links on the cohort page,
# shown to every member.
ACADEMY_COHORT_LINKS = ["roundtables.panels.cohort_links", "forums.panels.cohort_links"]
# Modules with a `websocket_urlpatterns` list, mounted by academy/asgi.py.
WEBSOCKET_ROUTING_MODULES = ["roundtables.routing"]

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
                "django.template.context_processors.i18n",
                "academy.context_processors.navigation",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Data: DATABASE_URL, defaulting to a SQLite file under var/
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'academy.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Redis: cache and channel layer when REDIS_URL is set, in-process otherwise
# ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def cache_settings(redis_url: str) -> dict:
    """Redis when configured: allauth's rate limits only hold across processes there."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "academy",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def channel_layer_settings(redis_url: str) -> dict:
    if redis_url:
        return {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                # Room broadcasts go to one channel per server process (roundtables.hub),
                # which must hold a burst of messages while it writes to its sockets.
                "CONFIG": {"hosts": [redis_url], "prefix": "academy", "capacity": 2000},
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 2000}}}


CACHES = cache_settings(REDIS_URL)
CHANNEL_LAYERS = channel_layer_settings(REDIS_URL)

# ------------------------------------------------------------------------------
# Background tasks (django-tasks): run at once by default; production uses the
# database backend and a `db_worker` process.
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# ------------------------------------------------------------------------------
# Accounts: custom user, email login through allauth, TOTP for facilitators/staff
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "academy.User"
# Django's and allauth's backends, loading each person's roles with them (academy.auth_backends).
AUTHENTICATION_BACKENDS = [
    "academy.auth_backends.ModelBackend",
    "academy.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "academy.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "academy.forms.SignupDetailsForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A short code typed in the same browser keeps the session (and a pending
# invitation) intact, which a link opened in a phone's mail app would not.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# allauth's rate limits stay at their defaults (on); they need a shared cache, see CACHES.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Better Work Academy"
# Who must have two-factor authentication: staff and anyone who facilitates a cohort.
ACADEMY_MFA_REQUIRED = True
# E-mail addresses exempt from the MFA requirement (dev settings list the demo accounts).
ACADEMY_MFA_EXEMPT_EMAILS: set[str] = set()
# Path prefixes open before two-factor is set up: links from emails that act on their
# own signed token (the forums' unsubscribe link), whoever is signed in.
ACADEMY_MFA_OPEN_PATHS = ["/forums/unsubscribe/"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# ------------------------------------------------------------------------------
# Invitations
# ------------------------------------------------------------------------------
ACADEMY_INVITATION_VALID_DAYS = int(os.environ.get("ACADEMY_INVITATION_VALID_DAYS", "14"))
ACADEMY_BULK_INVITE_MAX_ROWS = 500
ACADEMY_BULK_INVITE_MAX_BYTES = 1024 * 1024

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Better Work Academy <academy@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# ------------------------------------------------------------------------------
# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("km", _("Khmer")),
    ("vi", _("Vietnamese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Course pages are translated with wagtail-localize; a learner reads the version in their
# language and falls back to the source (English). See docs/courses.md, "Languages".
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# ------------------------------------------------------------------------------
# Static and media
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Wagtail
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Better Work Academy"
# The address people reach the platform at, used in links inside emails.
ACADEMY_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = ACADEMY_SITE_URL
# The CMS signs people in through allauth (academy.views.cms_login answers Wagtail's
# login URL), so two-factor and rate limits apply there too.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# ------------------------------------------------------------------------------
# Roundtables
# ------------------------------------------------------------------------------
# Session materials: the same file types as CMS documents, at most this many bytes each
# (nginx's client_max_body_size must leave room for it). They are stored under
# MEDIA_ROOT/roundtables/ and served only through an access-checked view.
ROUNDTABLE_MATERIAL_EXTENSIONS = WAGTAILDOCS_EXTENSIONS
ROUNDTABLE_MATERIAL_MAX_BYTES = 20 * 1024 * 1024
# A personal calendar feed lists sessions from this many days ago onward.
ROUNDTABLE_FEED_PAST_DAYS = 60
# Callables (request, session) -> {"template": ..., **context} or None: what other apps
# add to a session's record (the forums' follow-up threads).
ROUNDTABLE_RECORD_PANELS = ["forums.panels.roundtable_followups"]

# ------------------------------------------------------------------------------
# Forums
# ------------------------------------------------------------------------------
# The categories every new cohort forum and programme commons starts with: (title,
# description, identity). Facilitators add more in the forum itself.
FORUM_DEFAULT_CATEGORIES = [
    (
        _("Industrial relations"),
        _("Dialogue at factory level, PICCs, grievance handling, influencing skills."),
        "named",
    ),
    (
        _("Occupational safety and health"),
        _("Fire safety, chemicals, exits, safe workplace arrangements."),
        "named",
    ),
    (
        _("Supply-chain dynamics"),
        _("Buying practices, lead times, how decisions travel between brands and factories."),
        "named",
    ),
    (_("Inspections"), _("New thinking on workplace inspections, follow-up and remediation."), "named"),
    (_("Gender and leadership"), _("Women's voice on joint committees, harassment prevention."), "named"),
    (
        _("Speak freely (anonymous to peers)"),
        _("For sensitive matters: members do not see who wrote a post; the facilitators do."),
        "anonymous",
    ),
]

# ------------------------------------------------------------------------------
# Logging: to stderr, where the process manager collects it
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
