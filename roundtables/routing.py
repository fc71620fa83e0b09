"""Websocket routes of the roundtables app (mounted by academy/asgi.py through
settings.WEBSOCKET_ROUTING_MODULES)."""

from django.urls import path

from roundtables.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/roundtables/<int:session_id>/", RoomConsumer.as_asgi()),
]
