"""`/healthz`: is the database answering, and does the channel layer carry a message?"""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

CHANNEL_LAYER_TIMEOUT = 2.0  # seconds; a layer slower than this is not healthy


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not healthy", never a 500
        return False


def channel_layer_ok() -> bool:
    """Send a message to a fresh channel and read it back."""
    try:
        # A misconfigured backend raises here (InvalidChannelLayerError): unhealthy, not a 500.
        layer = get_channel_layer()
    except Exception:
        return False
    if layer is None:
        return False

    async def round_trip() -> bool:
        channel = await layer.new_channel(prefix="healthz.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=CHANNEL_LAYER_TIMEOUT)
        return message.get("token") == token

    try:
        return async_to_sync(round_trip)()
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_ok(), "channel_layer": channel_layer_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: "ok" if ok else "error" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
