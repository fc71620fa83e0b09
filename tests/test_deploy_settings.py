"""Production settings: `check --deploy` is clean, required variables are enforced, and
the environment alone chooses Redis or the in-process backends.

The production module is loaded only in subprocesses: it reads the environment at import
time and must not leak into the test process's settings.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from academy.settings.base import BASE_DIR, cache_settings, channel_layer_settings

ENV_EXAMPLE = BASE_DIR / "deploy" / "academy.env.example"
SETTINGS_SOURCES = [BASE_DIR / "academy" / "settings" / "base.py", BASE_DIR / "academy" / "settings" / "production.py"]
SUBPROCESS_TIMEOUT = 120  # seconds; a settings import or `check` takes a few

# Everything production settings may read; cleared from the inherited environment so a
# developer's shell cannot make these tests pass or fail.
_READ_CALL = re.compile(r"""(?:os\.environ\.get|required|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read_by_settings() -> set[str]:
    names = set()
    for source in SETTINGS_SOURCES:
        names.update(_READ_CALL.findall(source.read_text()))
    return names


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A complete production environment; an override of None removes the variable."""
    env = {name: value for name, value in os.environ.items() if name not in variables_read_by_settings()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="academy.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),  # 86 characters, as `check --deploy` wants 50+
        ALLOWED_HOSTS="academy.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["-c", textwrap.dedent(code)], env)


# ------------------------------------------------------------------------------
# check --deploy
# ------------------------------------------------------------------------------
def test_check_deploy_is_clean_with_a_complete_production_environment(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_check_deploy_catches_a_weak_secret_key(tmp_path):
    """The check above is not vacuous: the same command fails on a short key."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, SECRET_KEY="short")
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


# ------------------------------------------------------------------------------
# Required variables
# ------------------------------------------------------------------------------
LOAD_SETTINGS = """
    from django.conf import settings
    settings.SECRET_KEY  # importing the module is what raises
"""


def test_production_settings_refuse_to_load_without_secret_key(tmp_path):
    result = run_python(LOAD_SETTINGS, production_env(tmp_path, SECRET_KEY=None))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "The environment variable SECRET_KEY must be set in production." in result.stderr


def test_production_settings_refuse_an_empty_secret_key(tmp_path):
    result = run_python(LOAD_SETTINGS, production_env(tmp_path, SECRET_KEY="   "))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name", ["ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_settings_refuse_to_load_without_a_required_variable(tmp_path, name):
    result = run_python(LOAD_SETTINGS, production_env(tmp_path, **{name: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {name} must be set in production." in result.stderr


def test_production_settings_use_redis_postgres_ready_backends_and_https(tmp_path):
    code = """
        import json
        from django.conf import settings
        print(json.dumps({
            "DEBUG": settings.DEBUG,
            "cache": settings.CACHES["default"]["BACKEND"],
            "cache_location": settings.CACHES["default"]["LOCATION"],
            "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
            "channel_hosts": settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"],
            "tasks": settings.TASKS["default"]["BACKEND"],
            "tasks_app": "django_tasks_db" in settings.INSTALLED_APPS,
            "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
            "csrf_origins": settings.CSRF_TRUSTED_ORIGINS,
            "site_url": settings.ACADEMY_SITE_URL,
            "email": settings.EMAIL_BACKEND,
        }))
    """
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr

    loaded = json.loads(result.stdout)
    assert loaded == {
        "DEBUG": False,
        "cache": "django.core.cache.backends.redis.RedisCache",
        "cache_location": "redis://127.0.0.1:6379/0",
        "channel_layer": "channels_redis.core.RedisChannelLayer",
        "channel_hosts": ["redis://127.0.0.1:6379/0"],
        "tasks": "django_tasks_db.DatabaseBackend",
        "tasks_app": True,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "csrf_origins": ["https://academy.example.org"],
        "site_url": "https://academy.example.org",
        "email": "django.core.mail.backends.smtp.EmailBackend",
    }


def test_a_worker_answers_healthz_over_plain_http_without_redirecting(tmp_path):
    """The proxy (or a monitor) probes each daphne worker at http://127.0.0.1:800N/healthz:
    the HTTPS redirect must not turn that probe into a 301."""
    code = """
        import json
        import django
        django.setup()
        from django.test import Client
        response = Client().get("/healthz", HTTP_HOST="academy.example.org")
        print(json.dumps({"status": response.status_code, "location": response.get("Location"),
                          "type": response.get("Content-Type")}))
    """
    # The real Redis when there is one (CI); otherwise one that refuses connections.
    redis_url = os.environ.get("REDIS_URL")
    env = production_env(tmp_path, REDIS_URL=redis_url or "redis://127.0.0.1:1/0")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["location"] is None, answer
    assert answer["type"] == "application/json"
    # With a reachable Redis the worker is healthy; with an unreachable one it says so.
    assert answer["status"] == (200 if redis_url else 503), answer


def test_other_plain_http_requests_are_still_redirected_to_https(tmp_path):
    code = """
        import django
        django.setup()
        from django.test import Client
        response = Client().get("/", HTTP_HOST="academy.example.org")
        print(response.status_code, response["Location"])
    """
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr

    assert result.stdout.strip().splitlines()[-1] == "301 https://academy.example.org/"


# ------------------------------------------------------------------------------
# Redis or in-process, chosen by REDIS_URL
# ------------------------------------------------------------------------------
def test_cache_uses_redis_when_given_a_url():
    caches = cache_settings("redis://cache.internal:6379/1")

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_cache_uses_local_memory_without_a_url():
    assert cache_settings("")["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_channel_layer_uses_channels_redis_when_given_a_url():
    layers = channel_layer_settings("redis://cache.internal:6379/1")

    assert layers["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layers["default"]["CONFIG"]["hosts"] == ["redis://cache.internal:6379/1"]


def test_channel_layer_is_in_memory_without_a_url():
    assert channel_layer_settings("")["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_embedded_settings_choose_in_process_backends_when_redis_url_is_unset(tmp_path):
    code = """
        from django.conf import settings
        print(settings.CACHES["default"]["BACKEND"], settings.CHANNEL_LAYERS["default"]["BACKEND"],
              settings.TASKS["default"]["BACKEND"])
    """
    env = {name: value for name, value in os.environ.items() if name not in variables_read_by_settings()}
    env.update(DJANGO_SETTINGS_MODULE="academy.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr

    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "channels.layers.InMemoryChannelLayer",
        "django_tasks.backends.immediate.ImmediateBackend",
    ]


# ------------------------------------------------------------------------------
# deploy/academy.env.example stays complete
# ------------------------------------------------------------------------------
def test_env_example_lists_every_variable_production_settings_read():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))
    read = variables_read_by_settings()

    assert read, "the settings parser found no variables: has the settings style changed?"
    assert read - listed == set(), f"add these to {ENV_EXAMPLE.relative_to(BASE_DIR)}"
    assert "DJANGO_SETTINGS_MODULE" in listed
