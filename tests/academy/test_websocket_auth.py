"""Websockets learn who is there from the session cookie, once (academy.websocket_auth)."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from academy.websocket_auth import SessionAuthMiddleware, session_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


class WhoAmI(AsyncWebsocketConsumer):
    """Admits signed-in people only, as the room does, and says what the scope holds."""

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close()
            return
        await self.accept()
        await self.send(text_data=json.dumps({"user": user.pk, "session_key": self.scope["session_key"]}))


application = SessionAuthMiddleware(WhoAmI.as_asgi())


def signed_in_key(user) -> str:
    """Signs `user` in through Django, as the sign-in page does; returns the cookie's value."""
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(cookie: str | None):
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())] if cookie is not None else []
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    said = json.loads(await communicator.receive_from()) if connected else None
    await communicator.disconnect()
    return connected, said


async def test_a_signed_in_member_is_admitted_with_their_session_key(participant_a):
    key = await database_sync_to_async(signed_in_key)(participant_a)
    connected, said = await connect(key)
    assert connected
    assert said == {"user": participant_a.pk, "session_key": key}


async def test_a_handshake_without_a_session_cookie_is_refused(participant_a):
    assert await connect(None) == (False, None)
    assert await connect("") == (False, None)


async def test_a_forged_session_cookie_is_refused(participant_a):
    assert await connect("forged-0123456789abcdefghijklmnopqrstuv") == (False, None)


async def test_an_expired_session_is_refused(participant_a):
    key = await database_sync_to_async(signed_in_key)(participant_a)
    await database_sync_to_async(Session.objects.filter(session_key=key).update)(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert await connect(key) == (False, None)


async def test_a_session_from_before_a_password_change_is_refused_and_left_as_it_is(participant_a):
    key = await database_sync_to_async(signed_in_key)(participant_a)
    participant_a.set_password("a-new-password-entirely")
    await database_sync_to_async(participant_a.save)()
    assert await connect(key) == (False, None)
    # Refused, not flushed: a handshake writes nothing (the next page load flushes it).
    assert await database_sync_to_async(Session.objects.filter(session_key=key).exists)()


async def test_a_deactivated_account_is_refused(participant_a):
    key = await database_sync_to_async(signed_in_key)(participant_a)
    participant_a.is_active = False
    await database_sync_to_async(participant_a.save)()
    assert await connect(key) == (False, None)


async def test_the_user_comes_with_their_roles_in_one_query(facilitator_a, django_assert_max_num_queries):
    key = await database_sync_to_async(signed_in_key)(facilitator_a)

    def resolve():
        with django_assert_max_num_queries(2):  # the session, then the user with their roles
            return session_user(key)

    user, session_key = await database_sync_to_async(resolve)()
    assert (user.pk, session_key) == (facilitator_a.pk, key)
    assert user._academy_facilitates is True  # loaded by academy.auth_backends
