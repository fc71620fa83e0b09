"""Real server processes for the room's multi-process tests, and a websocket client that
talks to them as a browser tab would.

`DaphneServer` runs `daphne academy.asgi:application` in a subprocess of its own process
group, on a free port, with the environment the test gives it (the test database and
REDIS_URL), and waits until `/healthz` says the database and the channel layer answer.
`RoomClient` is one socket of the room over the `websockets` library: a background task
reads every frame into `frames` (all of them, in order) and `inbox` (not yet taken by
`expect`), so nothing the server sends is missed while the test does something else.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from academy.settings.base import BASE_DIR

SERVER_START_TIMEOUT = 60  # seconds for daphne to answer /healthz
SERVER_STOP_TIMEOUT = 5  # seconds between SIGTERM and SIGKILL
REQUEST_TIMEOUT = 5  # seconds for one HTTP request
FRAME_TIMEOUT = 10  # seconds to wait for one expected frame
CONNECT_TIMEOUT = 10  # seconds for a websocket handshake
LOG_TAIL_LINES = 150

# Never through a proxy the environment may name: the servers are on 127.0.0.1.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for(database_url: str, name: str) -> str:
    """`database_url` with its database name replaced by `name` (the test database)."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/" + quote(name)))


class DaphneServer:
    """One daphne process; `stop` (or `kill`) it in a `finally`."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.name = name
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"daphne-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "academy.asgi:application"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: kill() and stop() reach any child
            )

    def wait_until_healthy(self) -> None:
        """Until /healthz answers 200 (database and channel layer both ok)."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"daphne {self.name} exited with status {self.process.returncode} before answering:\n"
                    + self.log_tail()
                )
            try:
                with _opener.open(self.url + "/healthz", timeout=REQUEST_TIMEOUT) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except urllib.error.HTTPError as error:
                last = f"HTTP {error.code}: {error.read()[:300]!r}"
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
                last = repr(error)
            time.sleep(0.2)
        raise AssertionError(
            f"daphne {self.name} did not answer /healthz within {SERVER_START_TIMEOUT} s ({last}):\n" + self.log_tail()
        )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL at once, as a crash would: no shutdown code runs."""
        if not self.alive:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=SERVER_STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; never leaves it running."""
        if not self.alive:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(lines[-LOG_TAIL_LINES:])

    def ws_url(self, session_id: int, since: int | None = None) -> str:
        query = f"?since={since}" if since is not None else ""
        return f"ws://127.0.0.1:{self.port}/ws/roundtables/{session_id}/{query}"


class RoomClient:
    """One socket of the room; open it with `RoomClient.open`."""

    def __init__(self, name: str, websocket: ClientConnection):
        self.name = name
        self.websocket = websocket
        self.frames: list[dict] = []  # every frame received, in order
        self.inbox: list[dict] = []  # received but not yet taken by `expect`
        self.closed: str | None = None  # why reading stopped, once it has
        self._arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(
        cls, name: str, server: DaphneServer, session_id: int, session_key: str, *, since: int | None = None
    ) -> tuple["RoomClient", dict]:
        """Connect with the session cookie and the server's own origin; returns the client
        and its `welcome` frame."""
        websocket = await connect(
            server.ws_url(session_id, since),
            origin=server.url,
            additional_headers={"Cookie": f"sessionid={session_key}"},
            open_timeout=CONNECT_TIMEOUT,
            proxy=None,
            ping_interval=None,  # the test's frames are the only traffic
            close_timeout=2,
        )
        client = cls(f"{name} on {server.name}", websocket)
        welcome = await client.expect("welcome")
        return client, welcome

    async def _read(self) -> None:
        try:
            async for text in self.websocket:
                frame = json.loads(text)
                self.frames.append(frame)
                self.inbox.append(frame)
                self._arrived.set()
        except ConnectionClosed as closed:
            self.closed = f"connection closed ({closed})"
        except Exception as error:  # reported by the next `expect`
            self.closed = f"reader failed: {error!r}"
        else:
            self.closed = "connection closed"
        finally:
            self.closed = self.closed or "connection closed"
            self._arrived.set()

    async def send(self, frame: dict) -> None:
        await self.websocket.send(json.dumps(frame))

    async def expect(
        self,
        frame_type: str | tuple[str, ...],
        *,
        where: Callable[[dict], bool] | None = None,
        timeout: float = FRAME_TIMEOUT,
        **match,
    ) -> dict:
        """The first unread frame of `frame_type` (or one of several types) whose fields
        equal `match` (and for which `where` holds), waiting for it if need be; other
        frames stay unread for later `expect`s."""
        types = (frame_type,) if isinstance(frame_type, str) else frame_type

        def matches(frame: dict) -> bool:
            return (
                frame.get("type") in types
                and all(frame.get(key) == value for key, value in match.items())
                and (where is None or where(frame))
            )

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for frame in self.inbox:
                if matches(frame):
                    self.inbox.remove(frame)
                    return frame
            if self.closed is not None:
                raise AssertionError(
                    f"{self.name}: {self.closed} while waiting for {frame_type} {match}; last frames: {self.recent()}"
                )
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(
                    f"{self.name}: no {frame_type} {match} frame within {timeout} s; last frames: {self.recent()}"
                )
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                continue

    async def request(self, frame: dict, *, timeout: float = FRAME_TIMEOUT) -> dict:
        """Send a frame with a fresh `ref` and return its `ack`; an `error` fails the test."""
        ref = f"r{len(self.frames)}-{time.monotonic_ns()}"
        await self.send({**frame, "ref": ref})
        answer = await self.expect(("ack", "error"), ref=ref, timeout=timeout)
        assert answer["type"] == "ack", f"{self.name}: {frame['type']} was refused: {answer}"
        return answer

    def events(self) -> list[dict]:
        """The event frames (those with a room sequence number) received, in order."""
        return [frame for frame in self.frames if "seq" in frame and frame.get("type") != "ack"]

    def last_seq(self) -> int:
        return max((frame["seq"] for frame in self.events()), default=0)

    def recent(self, count: int = 12) -> list[str]:
        return [f"{frame.get('type')}#{frame.get('seq', '')}" for frame in self.frames[-count:]]

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.websocket.close(), 3)
        except Exception:  # already gone (its server was killed): nothing to close
            pass
        self._reader.cancel()
        try:
            await self._reader
        except (asyncio.CancelledError, Exception):
            pass
