"""The embedded runtime of `make run`: SQLite, in-memory channel layer, console email."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

DEBUG = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Serve static files straight from the source folders: no collectstatic in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The documented demo accounts may sign in without setting up two-factor, here only.
ACADEMY_MFA_EXEMPT_EMAILS = {
    "facilitator.kh@example.org",
    "facilitator.vn@example.org",
    "facilitator.academy@example.org",
    "admin@example.org",
}

# The immediate task backend logs two lines per task: seed_demo's hundreds of search-index
# updates would bury the emails printed to the console (sign-up codes). Failures still show.
LOGGING = {  # noqa: F405
    **LOGGING,  # noqa: F405
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
