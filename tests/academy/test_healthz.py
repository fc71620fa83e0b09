"""`/healthz`: 200 with JSON when the database and the channel layer work, 503 (never a
500) when either does not, so a load balancer can take a worker out of rotation."""

import asyncio
import os

import pytest
from django.db import OperationalError

from academy import health

HEALTHY = {"status": "ok", "database": "ok", "channel_layer": "ok"}


class BrokenConnection:
    """Stands in for `django.db.connection` when the database is unreachable."""

    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


class SilentLayer:
    """A channel layer that accepts messages and never delivers them."""

    async def new_channel(self, prefix="specific."):
        return f"{prefix}nowhere"

    async def send(self, channel, message):
        return None

    async def receive(self, channel):
        await asyncio.sleep(3600)


class FailingLayer(SilentLayer):
    """A channel layer whose server is down."""

    async def send(self, channel, message):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def get_health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_healthz_answers_200_when_database_and_channel_layer_work(client, db):
    response, body = get_health(client)

    assert response.status_code == 200
    assert body == HEALTHY


def test_healthz_is_never_cached(client, db):
    response, _ = get_health(client)

    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_query_fails(client, db, monkeypatch):
    monkeypatch.setattr(health, "connection", BrokenConnection())

    response, body = get_health(client)

    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "error", "channel_layer": "ok"}


def test_healthz_answers_503_when_the_database_check_reports_failure(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["database"] == "error"
    assert body["status"] == "unavailable"


def test_healthz_answers_503_when_the_channel_layer_is_down(client, db, monkeypatch):
    monkeypatch.setattr(health, "get_channel_layer", lambda: FailingLayer())

    response, body = get_health(client)

    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "ok", "channel_layer": "error"}


def test_healthz_answers_503_when_the_channel_layer_does_not_deliver_in_time(client, db, monkeypatch):
    monkeypatch.setattr(health, "CHANNEL_LAYER_TIMEOUT", 0.1)
    monkeypatch.setattr(health, "get_channel_layer", lambda: SilentLayer())

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["channel_layer"] == "error"


def test_healthz_answers_503_when_no_channel_layer_is_configured(client, db, settings):
    settings.CHANNEL_LAYERS = {}

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["channel_layer"] == "error"


def test_healthz_answers_503_not_500_when_the_channel_layer_is_misconfigured(client, db, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "no.such.module.ChannelLayer"}}

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["channel_layer"] == "error"


def test_healthz_answers_503_when_both_checks_fail(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    monkeypatch.setattr(health, "channel_layer_ok", lambda: False)

    response, body = get_health(client)

    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "error", "channel_layer": "error"}


def test_healthz_accepts_only_get(client, db):
    assert client.post("/healthz").status_code == 405


@pytest.mark.redis
def test_healthz_answers_200_through_the_real_redis_channel_layer(client, db, settings):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: this test needs a Redis server (CI always sets REDIS_URL).")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": "academy-test-healthz"},
        }
    }
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__module__ == "channels_redis.core"

    response, body = get_health(client)

    assert response.status_code == 200, body
    assert body == HEALTHY


def test_healthz_answers_503_when_redis_does_not_answer(client, db, settings):
    """A Redis that refuses connections (nothing listens on port 1) is reported, not raised."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"], "prefix": "academy-test-healthz"},
        }
    }

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["channel_layer"] == "error"
