"""Websocket fixtures: real sessions signed in through Django, connected through the
project's ASGI application (origin check, session auth, router) as a browser would."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import AgendaItemFactory, RoundtableSessionFactory


def sign_in(user) -> str:
    """A real signed-in session for `user`; returns its key (the session cookie)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


class Socket:
    """A websocket client of the room, with helpers to read frames by type."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.frames: list[dict] = []  # everything received, in order
        self.inbox: list[dict] = []  # received but not yet taken by `expect`

    async def send(self, frame: dict) -> None:
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def receive(self, timeout: float = 3) -> dict:
        # Not `receive_output`: its timeout cancels the application (the socket).
        if self.communicator.future.done():
            self.communicator.future.result()
        message = await asyncio.wait_for(self.communicator.output_queue.get(), timeout)
        if message["type"] == "websocket.close":
            frame = {"type": "__closed__", "code": message.get("code")}
        else:
            frame = json.loads(message["text"])
        self.frames.append(frame)
        self.inbox.append(frame)
        return frame

    async def expect(self, frame_type: str, timeout: float = 3, **match) -> dict:
        """The first unread frame of `frame_type` (matching `match`), waiting for it if
        need be; frames of other types stay unread for later `expect`s."""

        def matches(frame: dict) -> bool:
            return frame["type"] == frame_type and all(frame.get(k) == v for k, v in match.items())

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for frame in self.inbox:
                if matches(frame):
                    self.inbox.remove(frame)
                    return frame
                if frame["type"] == "__closed__" and frame_type != "__closed__":
                    raise AssertionError(f"socket closed ({frame['code']}) while waiting for {frame_type}")
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"no {frame_type} {match} frame; got {[f['type'] for f in self.frames[-10:]]}")
            try:
                await self.receive(left)
            except TimeoutError:
                continue

    async def nothing_more(self, timeout: float = 0.3, ignore: tuple[str, ...] = ("presence",)) -> None:
        """No frame (other than `ignore`d kinds) is waiting or arrives within `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            try:
                await self.receive(left)
            except TimeoutError:
                break
        unexpected = [frame for frame in self.inbox if frame["type"] not in ignore]
        assert not unexpected, f"unexpected frames: {unexpected}"

    async def close(self) -> None:
        await self.communicator.disconnect()


async def open_socket(
    user, session, *, since: int | None = None, origin: str = "http://testserver", session_key: str | None = None
):
    """Connect as `user`; returns (connected, Socket-or-close-code)."""
    from academy.asgi import application

    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if user is not None or session_key:
        key = session_key or await database_sync_to_async(sign_in)(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode()))
    path = f"/ws/roundtables/{session.pk}/" + (f"?since={since}" if since is not None else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    if not connected:
        return False, code
    return True, Socket(communicator)


@pytest.fixture(autouse=True)
def in_process_channel_layer(settings):
    """Sockets of these tests share one process and one event loop per test: the
    in-memory layer serves them (the Redis layer across processes has its own test,
    test_two_processes.py, with real daphne processes). channels-redis keeps connections
    per event loop, and one left receiving by a test's hub can stall that loop's close."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 2000}}
    }


@pytest.fixture
def live_session(cohort_a, facilitator_a):
    session = RoundtableSessionFactory(
        cohort=cohort_a, title="Wages and overtime: a joint agenda", created_by=facilitator_a
    )
    AgendaItemFactory(session=session, position=1, title="Opening circle: one concern each")
    AgendaItemFactory(session=session, position=2, title="Overtime limits in peak season")
    return session


@pytest.fixture
def join():
    """Open sockets, closed at the end of the test."""
    opened: list[Socket] = []

    async def _join(user, session, **kwargs) -> Socket:
        connected, socket = await open_socket(user, session, **kwargs)
        assert connected, f"{user} was refused"
        opened.append(socket)
        await socket.expect("welcome")
        return socket

    yield _join
    # Sockets are closed by each test's own event loop (see `leave_all`).
    _join.opened = opened  # type: ignore[attr-defined]
