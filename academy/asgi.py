"""ASGI entry point: HTTP goes to Django; websockets through origin and session checks.

Websockets pass Channels' `AllowedHostsOriginValidator`, then
`academy.websocket_auth.SessionAuthMiddleware` (the signed-in person and the session key,
read once at the handshake; see that module for why not Channels' AuthMiddlewareStack).

Feature apps keep their websocket routes in their own `routing.py` and name that module
in `settings.WEBSOCKET_ROUTING_MODULES`, so the core never imports a feature app.
"""

import os
from importlib import import_module

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.dev")
# Django must be set up before anything imports models (the routes below do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from academy.websocket_auth import SessionAuthMiddleware  # noqa: E402

websocket_urlpatterns = [
    route for module in settings.WEBSOCKET_ROUTING_MODULES for route in import_module(module).websocket_urlpatterns
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(SessionAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
