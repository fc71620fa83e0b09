"""Settings for the test suite.

The database and the channel layer come from DATABASE_URL and REDIS_URL when set (CI
points them at PostgreSQL and Redis on 127.0.0.1); otherwise SQLite and in-process
backends are used. The cache is always local memory (see below).
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Rate-limit counters must not leak between tests or runs: a private in-process cache.
# Tests that need Redis (marked `redis`) configure it themselves from REDIS_URL.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
