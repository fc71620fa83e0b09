"""Who is on a websocket: the person signed in to the session cookie, resolved once.

Channels' `AuthMiddlewareStack` (cookie, session and auth middleware) keeps alive, for
every open socket and for as long as it stays open, the session store with its decoded
data, the wrapper whose `send` would save that session, a lazy user object and a copy
of the scope per layer. Websockets here never write to the session, so this middleware
reads it once, at the handshake, and puts two things in the scope:

- `user`: the signed-in `User` (loaded by `academy.auth_backends`, with their roles), or
  `AnonymousUser`;
- `session_key`: the session's key (a string) when someone is signed in, else None. The
  room's hub re-checks it every few seconds, so signing out closes the socket.

The rules are those of `django.contrib.auth.get_user`: the session must be live, name a
configured backend whose user still may sign in (active), and carry the hash of that
user's current password (or one made with a key in `SECRET_KEY_FALLBACKS`). Unlike it,
nothing is written from a handshake: a session that fails is refused, not flushed (the
next page the browser loads flushes it), and one made with a fallback key is not given a
new key (a websocket cannot send the browser the new cookie).
"""

from importlib import import_module

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import parse_cookie
from django.utils.crypto import constant_time_compare


def session_cookie(scope) -> str | None:
    """The session cookie sent with the handshake, if any."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin-1")).get(settings.SESSION_COOKIE_NAME) or None
    return None


def session_user(session_key: str | None):
    """(user, session key) for a session cookie: the signed-in person and the session's
    key, or (AnonymousUser, None) when the session is missing, expired, forged, or no
    longer matches its person. Reads only; call from a thread that may use the database."""
    anonymous = AnonymousUser(), None
    if not session_key:
        return anonymous
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return anonymous
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return anonymous
    user = load_backend(backend_path).get_user(user_id)
    if user is None:
        return anonymous
    if hasattr(user, "get_session_auth_hash"):
        session_hash = session.get(HASH_SESSION_KEY)
        if not session_hash or not (
            constant_time_compare(session_hash, user.get_session_auth_hash())
            or any(constant_time_compare(session_hash, h) for h in user.get_session_auth_fallback_hash())
        ):
            return anonymous
    return user, session.session_key


class SessionAuthMiddleware:
    """ASGI middleware for websockets: `scope["user"]` and `scope["session_key"]` from the
    session cookie (see the module docstring). Replaces Channels' AuthMiddlewareStack."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user, session_key = await database_sync_to_async(session_user)(session_cookie(scope))
        return await self.inner(dict(scope, user=user, session_key=session_key), receive, send)
