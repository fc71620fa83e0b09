"""The naive baseline for `roundtable_fanout.py`: a room the way most Channels apps build it.

One channel per socket, every socket in the group "room"; a frame from a client is
`group_send` to the group, and each socket's group handler sends it on. So every
message costs, per member: one channel-layer message, a task wake-up and a handler
dispatch (which, since Channels 4.2, also hops to the sync thread to close stale
database connections). No database, no authentication, no validation.

    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/daphne -p 8302 bench.roundtable_naive:application

The channel layer is configured as the project's (`academy/settings/base.py`): in-memory
with capacity 2000, or channels_redis when REDIS_URL is set (own prefix). Each socket
first receives `welcome`, after it has joined the group.
"""

import os

import django
from django.conf import settings

if not settings.configured:
    REDIS_URL = os.environ.get("REDIS_URL", "")
    if REDIS_URL:
        LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "prefix": "bench-naive", "capacity": 2000},
            }
        }
    else:
        LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 2000}}}
    settings.configure(CHANNEL_LAYERS=LAYERS, INSTALLED_APPS=[], ALLOWED_HOSTS=["127.0.0.1", "localhost"])
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

GROUP = "room"


class NaiveRoomConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]  # joined by websocket_connect before connect() runs

    async def connect(self):
        await self.accept()
        await self.send(text_data="welcome")

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(GROUP, {"type": "room.message", "text": text_data})

    async def room_message(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter({"websocket": NaiveRoomConsumer.as_asgi()})
