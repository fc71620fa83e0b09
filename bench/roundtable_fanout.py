"""Fan-out of the live room at 200 clients: the real room against a plain `websockets`
server (the physical limit) and a naive Channels consumer (one channel per socket,
`group_send` to the room's group), all measured in one run by one load client that
counts every delivery.

    .venv/bin/python bench/roundtable_fanout.py            # full size, about 4-5 minutes
    .venv/bin/python bench/roundtable_fanout.py --quick    # fewer messages, a smoke run
    .venv/bin/python bench/roundtable_fanout.py --only ours_one_process --messages 100

Needs PostgreSQL (`--database-url`, default postgres://postgres@127.0.0.1:5432/academy_bench,
created and migrated if missing, and seeded with a cohort of participants) and, for the
two-process variants, Redis (`--redis-url`, default redis://127.0.0.1:6379/7: a database
number of its own, so other runs' groups never mix with these).

Variants (each a fresh set of server processes and a fresh room):

- `raw`: `bench/roundtable_raw.py`, a `websockets` server broadcasting each frame;
- `naive`: `bench/roundtable_naive.py` under one daphne process, in-memory layer;
- `naive_two_processes_redis`: the same under two daphne processes on channels_redis;
- `ours_one_process`: `academy.asgi:application` under one daphne, in-memory layer;
- `ours_two_processes_redis`: two daphne processes on channels_redis, half the clients
  on each, senders on both.

Phases per variant: connect (memory per connection: the servers' RSS after the last
client minus after the first 10, over the rest), 20 warm-up messages, the latency phase
(one message at a time from rotating senders; latency = the last of the clients
receiving it minus the send), the rate phase (at most `--window` messages in flight for
`--rate-seconds` of active time; the rate is messages received by every client per
second), and a check that every message reached every client (`lost`), in one order
(`order_violations`: clients whose arrival order differs from the first client's).
Server CPU per delivery comes from /proc/<pid>/stat of the server processes over each
phase (the database's and Redis's CPU are not counted).

The room allows a person 5 messages per 5 seconds: each of the clients is a distinct
participant, senders rotate, and the load client never lets one person send a 6th
message within 5.5 seconds; when every person is at the limit it waits with nothing in
flight, and that idle time is left out of the rate (`limiter_idle_s` says how much).

Human-readable progress goes to stderr; the last line of stdout is one JSON object.
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.typing import Origin
from websockets.uri import parse_uri

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
perf_counter = time.perf_counter

VARIANTS = ("raw", "naive", "naive_two_processes_redis", "ours_one_process", "ours_two_processes_redis")
WARMUP_CLIENTS = 10
WARMUP_MESSAGES = 20
RATE_LIMIT = (5, 5.5)  # the room's 5 per 5 s, with half a second to spare
EMAIL = "roundtable-bench-{:04d}@example.org"

CHAT_PREFIX = b'{"type":"chat.message","seq":'
CLIENT_ID = b'"client_id":"c'
CHAT_PREFIX_LEN, CLIENT_ID_LEN = len(CHAT_PREFIX), len(CLIENT_ID)
# The room's chat.message frame is about 230 bytes here; raw and naive carry as many.
FILLER = b"x" * 60
MARKER_SIZE = 230


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------
# Server processes
# ------------------------------------------------------------------------------
class Server:
    def __init__(self, name: str, command: list[str], env: dict, port: int, logdir: Path):
        self.name, self.port = name, port
        self.logfile = logdir / f"{name}-{port}.log"
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.logfile.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not listen on {self.port}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=8)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(*, django: bool, redis_url: str | None, database_url: str | None, conn_max_age: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    if redis_url:
        env["REDIS_URL"] = redis_url
    if django:
        env["DJANGO_SETTINGS_MODULE"] = "academy.settings.test"
        env["DATABASE_URL"] = database_url
        if conn_max_age is not None:
            env["DATABASE_CONN_MAX_AGE"] = conn_max_age
    return env


def start_servers(variant: str, args, logdir: Path) -> list[Server]:
    redis = variant.endswith("_redis")
    count = 2 if redis else 1
    servers = []
    for n in range(count):
        port = free_port()
        if variant == "raw":
            command = [sys.executable, str(ROOT / "bench" / "roundtable_raw.py"), "--port", str(port)]
            env = server_env(django=False, redis_url=None, database_url=None, conn_max_age=None)
        else:
            app = "bench.roundtable_naive:application" if variant.startswith("naive") else "academy.asgi:application"
            command = [str(BIN / "daphne"), "-v", "0", "-b", "127.0.0.1", "-p", str(port), app]
            env = server_env(
                django=variant.startswith("ours"),
                redis_url=args.redis_url if redis else None,
                database_url=args.database_url,
                conn_max_age=args.conn_max_age,
            )
        servers.append(Server(f"{variant}-{n}", command, env, port, logdir))
    for server in servers:
        server.wait_ready()
    return servers


# ------------------------------------------------------------------------------
# The database: created, migrated and seeded from here (the room's variants only)
# ------------------------------------------------------------------------------
class Seed:
    def __init__(self, database_url: str, clients: int):
        self.database_url = database_url
        self.clients = clients
        self._create_database()
        os.environ.pop("REDIS_URL", None)
        os.environ["DATABASE_URL"] = database_url
        os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.test"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        self._seed_people()

    def _create_database(self) -> None:
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return  # SQLite: the file is created by migrate
        import psycopg

        base, name = self.database_url.rsplit("/", 1)
        name = name.split("?")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                log(f"creating database {name}")
                connection.execute(f'CREATE DATABASE "{name}"')

    def _seed_people(self) -> None:
        from academy.choices import MembershipRole
        from academy.models import Cohort, Membership, User
        from tests.factories import CohortFactory, ProgrammeFactory, UserFactory

        cohort = Cohort.objects.filter(slug="roundtable-bench").first()
        if cohort is None:
            programme = ProgrammeFactory(slug="roundtable-bench", name="Roundtable bench")
            cohort = CohortFactory(slug="roundtable-bench", name="Roundtable bench", programme=programme)
        self.cohort = cohort
        emails = [EMAIL.format(n) for n in range(self.clients)]
        existing = {user.email: user for user in User.objects.filter(email__in=emails)}
        users = []
        for n, email in enumerate(emails):
            user = existing.get(email) or UserFactory(email=email, display_name=f"Bench Person {n}")
            users.append(user)
        members = set(Membership.objects.filter(cohort=cohort, user__in=users).values_list("user_id", flat=True))
        Membership.objects.bulk_create(
            [Membership(user=u, cohort=cohort, role=MembershipRole.PARTICIPANT) for u in users if u.pk not in members]
        )
        self.users = users
        self.keys = [self._sign_in(user) for user in users]
        self._close()

    @staticmethod
    def _sign_in(user) -> str:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    def new_room(self) -> int:
        """A fresh session (empty log) for one variant; old sockets of these people closed."""
        from django.utils import timezone

        from roundtables.models import RoomConnection
        from tests.factories import RoundtableSessionFactory

        now = timezone.now()
        RoomConnection.objects.filter(user__in=self.users, left_at__isnull=True).update(left_at=now)
        session = RoundtableSessionFactory(
            cohort=self.cohort,
            title="Fan-out bench",
            starts_at=now - timezone.timedelta(minutes=5),
            ends_at=now + timezone.timedelta(hours=3),
        )
        self._close()
        return session.pk

    def room_record(self, session_id: int) -> dict:
        from roundtables.models import RoomEvent

        events = RoomEvent.objects.filter(session_id=session_id, kind="chat.message")
        figures = {"logged_messages": events.count()}
        self._close()
        return figures

    @staticmethod
    def _close() -> None:
        from django.db import connections

        connections.close_all()


# ------------------------------------------------------------------------------
# The load client: websockets' sans-I/O protocol on asyncio transports, no task per
# socket and no JSON parsing of room frames (the fields needed are sliced out).
# ------------------------------------------------------------------------------
class Client(asyncio.Protocol):
    def __init__(self, load: "Load", index: int, uri: str, origin: str, cookie: str | None):
        self.load, self.index = load, index
        self.ws = ClientProtocol(parse_uri(uri), origin=Origin(origin), max_size=None)
        self.cookie = cookie
        loop = asyncio.get_running_loop()
        self.opened = loop.create_future()
        self.welcomed = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.order: list[int] = []  # message indices, in arrival order
        self.seqs: list[int] = []  # the room's sequence numbers, in arrival order
        self.fragments: list[bytes] | None = None
        self.closed = False
        self.left = False  # closed by the benchmark on purpose
        self.counted = True  # its receipts complete messages (not while it plays the slow reader)

    def connection_made(self, transport) -> None:
        self.transport = transport
        request = self.ws.connect()
        if self.cookie:
            request.headers["Cookie"] = self.cookie
        self.ws.send_request(request)
        self.flush()

    def flush(self) -> None:
        for chunk in self.ws.data_to_send():
            if chunk:
                self.transport.write(chunk)
            elif self.transport.can_write_eof():
                self.transport.write_eof()

    def send_text(self, data: bytes) -> None:
        self.ws.send_text(data)
        self.flush()

    def data_received(self, data: bytes) -> None:
        ws = self.ws
        ws.receive_data(data)
        for event in ws.events_received():
            if type(event) is Frame:
                opcode = event.opcode
                if opcode is Opcode.TEXT:
                    if event.fin:
                        self.load.on_text(self, event.data)
                    else:
                        self.fragments = [event.data]
                elif opcode is Opcode.CONT and self.fragments is not None:
                    self.fragments.append(event.data)
                    if event.fin:
                        data, self.fragments = b"".join(self.fragments), None
                        self.load.on_text(self, data)
                elif opcode is Opcode.CLOSE and not self.welcomed.done():
                    self.welcomed.set_exception(RuntimeError(f"closed: {ws.close_code} {ws.close_reason}"))
            elif isinstance(event, Response) and not self.opened.done():
                if ws.handshake_exc is not None:
                    self.opened.set_exception(ws.handshake_exc)
                else:
                    self.opened.set_result(None)
        self.flush()

    def connection_lost(self, exc) -> None:
        self.closed = True
        for future in (self.opened, self.welcomed):
            if not future.done():
                future.set_exception(ConnectionError(f"client {self.index} lost its connection: {exc}"))
        self.load.on_lost(self)

    def close(self) -> None:
        self.left = self.closed = True
        if self.transport is not None:
            self.transport.abort()


class Load:
    def __init__(self, *, room: bool, clients: int, limited: bool):
        self.room = room  # the room's JSON protocol (else raw text markers)
        self.n = clients
        self.limited = limited
        self.clients: list[Client] = []
        self.pending: dict[int, list] = {}  # message index -> [send time, receivers left]
        self.accepted: list[int] = []  # message indices sent and not refused
        self.latencies: list[float] = []
        self.inflight = 0
        self.next_index = 0
        self.last_completion = 0.0
        self.waiter: asyncio.Future | None = None
        self.errors: dict[str, int] = {}
        self.unexpected_closes = 0
        self.history = [deque(maxlen=RATE_LIMIT[0]) for _ in range(clients)]
        self.slow_reader: Client | None = None
        self.sender = 0

    # -------------------------------------------------------------- receiving
    def on_text(self, client: Client, data: bytes) -> None:
        if not client.welcomed.done():
            if data == b"welcome" or data.startswith(b'{"type":"welcome"'):
                client.welcomed.set_result(None)
            return
        if self.room:
            if not data.startswith(CHAT_PREFIX):
                if data.startswith(b'{"type":"error"'):
                    self.on_error(json.loads(data))
                return
            comma = data.index(b",", CHAT_PREFIX_LEN)
            client.seqs.append(int(data[CHAT_PREFIX_LEN:comma]))
            start = data.index(CLIENT_ID, comma) + CLIENT_ID_LEN
            index = int(data[start : data.index(b'"', start)])
        else:
            if data[:1] != b"m":
                return
            index = int(data[1 : data.index(b" ")])
        client.order.append(index)
        if not client.counted:
            return
        entry = self.pending.get(index)
        if entry is not None:
            entry[1] -= 1
            if entry[1] == 0:
                self.complete(index, entry)

    def complete(self, index: int, entry: list) -> None:
        now = perf_counter()
        del self.pending[index]
        self.latencies.append(now - entry[0])
        self.inflight -= 1
        self.last_completion = now
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def on_error(self, frame: dict) -> None:
        code = frame.get("code", "?")
        self.errors[code] = self.errors.get(code, 0) + 1
        ref = frame.get("ref")
        if ref is not None and ref.isdigit() and int(ref) in self.pending:
            index = int(ref)
            del self.pending[index]
            self.accepted.remove(index)
            self.inflight -= 1
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(None)

    def on_lost(self, client: Client) -> None:
        if client.left:
            return
        self.unexpected_closes += 1

    # -------------------------------------------------------------- connecting
    async def connect(self, uris: list[str], origins: list[str], cookies: list[str | None], indices) -> None:
        loop = asyncio.get_running_loop()
        semaphore = asyncio.Semaphore(16)

        async def one(n: int) -> None:
            async with semaphore:
                host, port = "127.0.0.1", int(uris[n].split(":")[2].split("/")[0])
                _, client = await loop.create_connection(
                    lambda: Client(self, n, uris[n], origins[n], cookies[n]), host, port
                )
                client.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.clients[n] = client
                await asyncio.wait_for(client.opened, 20)
                await asyncio.wait_for(client.welcomed, 20)

        if not self.clients:
            self.clients = [None] * self.n
        await asyncio.gather(*(one(n) for n in indices))

    # -------------------------------------------------------------- sending
    def _sender_for(self) -> tuple[Client, float]:
        """The next sender in turn and how long it must wait for the room's rate limit."""
        for _ in range(self.n):
            n = self.sender
            self.sender = (self.sender + 1) % self.n
            client = self.clients[n]
            if client is None or client.closed or not client.counted:
                continue
            history = self.history[n]
            wait = 0.0
            if self.limited and len(history) == history.maxlen:
                wait = max(0.0, history[0] + RATE_LIMIT[1] - perf_counter())
            return client, wait
        raise RuntimeError("no client left to send")

    def receivers(self) -> int:
        return sum(1 for client in self.clients if client is not None and not client.closed and client.counted)

    def leave(self, clients: list[Client]) -> None:
        """Close these sockets at once; messages in flight no longer wait for them."""
        for client in clients:
            got = set(client.order[-4096:])
            client.close()
            for index, entry in list(self.pending.items()):
                if index not in got and client.counted:
                    entry[1] -= 1
                    if entry[1] == 0:
                        self.complete(index, entry)

    def send(self, client: Client) -> int:
        index = self.next_index
        self.next_index += 1
        if self.room:
            payload = b'{"type":"chat.send","client_id":"c%d","ref":"%d","text":"message %d %s"}' % (
                index,
                index,
                index,
                FILLER,
            )
        else:
            payload = b"m%d " % index
            payload += b"x" * (MARKER_SIZE - len(payload))
        now = perf_counter()
        self.history[client.index].append(now)
        self.pending[index] = [now, self.receivers()]
        self.accepted.append(index)
        self.inflight += 1
        client.send_text(payload)
        return index

    async def _wait_completion(self, timeout: float) -> bool:
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(self.waiter, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self.waiter = None

    async def one_at_a_time(self, count: int, *, pause: float = 0.003, timeout: float = 5.0) -> dict:
        start = len(self.latencies)
        timeouts = 0
        for _ in range(count):
            client, wait = self._sender_for()
            if wait:
                await asyncio.sleep(wait)
            index = self.send(client)
            while index in self.pending:
                if not await self._wait_completion(timeout):
                    timeouts += 1
                    break
            await asyncio.sleep(pause)
        latencies = self.latencies[start:]
        return {
            "messages": count,
            "p50_ms": ms(percentile(latencies, 0.50)),
            "p95_ms": ms(percentile(latencies, 0.95)),
            "p99_ms": ms(percentile(latencies, 0.99)),
            "max_ms": ms(max(latencies) if latencies else None),
            "timeouts": timeouts,
        }

    async def sustained(self, *, seconds: float, window: int, max_messages: int | None = None) -> dict:
        """Keep `window` messages in flight for `seconds` of active time."""
        start = perf_counter()
        first_latency = len(self.latencies)
        idle = 0.0
        sent = 0
        while perf_counter() - start - idle < seconds and (max_messages is None or sent < max_messages):
            client, wait = self._sender_for()
            if wait:
                # Everyone is at the room's limit: let the window drain, and leave the
                # time with nothing in flight out of the rate.
                until = perf_counter() + wait
                while self.inflight and perf_counter() < until:
                    await self._wait_completion(until - perf_counter())
                if not self.inflight:
                    drained = max(self.last_completion, perf_counter() - wait)
                    idle += max(0.0, until - drained)
                await asyncio.sleep(max(0.0, until - perf_counter()))
            while self.inflight >= window:
                if not await self._wait_completion(10):
                    break
            self.send(client)
            sent += 1
        deadline = perf_counter() + 10
        while self.inflight and perf_counter() < deadline:
            await self._wait_completion(deadline - perf_counter())
        completed = len(self.latencies) - first_latency
        active = max(1e-9, self.last_completion - start - idle)
        latencies = self.latencies[first_latency:]
        return {
            "messages": sent,
            "completed": completed,
            "active_s": round(active, 2),
            "limiter_idle_s": round(idle, 2),
            "messages_per_s": round(completed / active, 1),
            "window": window,
            "p50_ms_under_load": ms(percentile(latencies, 0.50)),
            "p99_ms_under_load": ms(percentile(latencies, 0.99)),
        }

    # -------------------------------------------------------------- checking
    def check(self) -> dict:
        present = [c for c in self.clients if c is not None and not c.left]
        expected = len(self.accepted) * len(present)
        received = sum(len(set(c.order)) for c in present)
        duplicates = sum(len(c.order) - len(set(c.order)) for c in present)
        reference = {index: position for position, index in enumerate(present[0].order)} if present else {}
        order_violations = 0
        for client in present[1:]:
            positions = [reference[i] for i in client.order if i in reference]
            if any(b < a for a, b in zip(positions, positions[1:], strict=False)):
                order_violations += 1
        seq_violations = sum(1 for c in present if any(b <= a for a, b in zip(c.seqs, c.seqs[1:], strict=False)))
        return {
            "messages_sent": len(self.accepted),
            "deliveries_expected": expected,
            "deliveries_received": received,
            "lost": expected - received,
            "duplicates": duplicates,
            "order_violations": order_violations,
            "seq_violations": seq_violations if self.room else None,
            "refused": dict(self.errors),
            "unexpected_closes": self.unexpected_closes,
        }

    def close_all(self) -> None:
        for client in self.clients:
            if client is not None and not client.closed:
                client.close()


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return total - idle, total


async def churn_phase(load: "Load", args) -> dict:
    """Members leaving mid-broadcast and a slow reader: a tenth of the clients close
    while messages are in flight, and one client stops reading for a while; the others'
    latency is measured meanwhile, and at the end every remaining client, the slow one
    too, must have every message, in one order."""
    live = [c for c in load.clients if c is not None and not c.closed]
    slow = live[-1]
    slow.counted = False
    slow.transport.pause_reading()
    load.slow_reader = slow
    leavers = live[1 : 1 + max(1, len(live) // 10) * 2 : 2]
    first = len(load.latencies)
    count = 60 if args.quick else 150
    started = perf_counter()
    await load.sustained(seconds=60, window=min(8, args.window), max_messages=count // 2)
    load.leave(leavers)
    await load.sustained(seconds=60, window=min(8, args.window), max_messages=count - count // 2)
    paused = perf_counter() - started
    slow.transport.resume_reading()
    latencies = load.latencies[first:]
    return {
        "messages": count,
        "left": len(leavers),
        "slow_reader_paused_s": round(paused, 1),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p99_ms": ms(percentile(latencies, 0.99)),
    }


def cpu(servers: list[Server]) -> float:
    return sum(server.cpu_seconds() for server in servers)


def rss(servers: list[Server]) -> int:
    return sum(server.rss_bytes() for server in servers)


async def measure(variant: str, servers: list[Server], args, *, session_id: int | None, keys: list[str]) -> dict:
    room = variant.startswith("ours")
    n = args.clients
    load = Load(room=room, clients=n, limited=room)
    uris, origins, cookies = [], [], []
    for i in range(n):
        port = servers[i % len(servers)].port
        path = f"/ws/roundtables/{session_id}/" if room else "/"
        uris.append(f"ws://127.0.0.1:{port}{path}")
        origins.append(f"http://127.0.0.1:{port}")
        cookies.append(f"sessionid={keys[i]}" if room else None)

    started = perf_counter()
    await load.connect(uris, origins, cookies, range(WARMUP_CLIENTS))
    await asyncio.sleep(1.0)
    rss_before = rss(servers)
    await load.connect(uris, origins, cookies, range(WARMUP_CLIENTS, n))
    await asyncio.sleep(1.5)  # presence lists after the last joins
    rss_after = rss(servers)
    log(f"  {n} clients connected in {perf_counter() - started:.1f}s")

    await load.one_at_a_time(WARMUP_MESSAGES)
    deliveries0, cpu0, client0 = load.receivers(), cpu(servers), time.process_time()
    machine0, wall0 = machine_jiffies(), perf_counter()
    latency = await load.one_at_a_time(args.messages)
    cpu1 = cpu(servers)
    latency["cpu_us_per_delivery"] = round((cpu1 - cpu0) / (args.messages * deliveries0) * 1e6, 1)
    log(f"  latency: p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, p99 {latency['p99_ms']} ms")

    sent_before = len(load.accepted)
    rate = await load.sustained(seconds=args.rate_seconds, window=args.window)
    cpu2, client2 = cpu(servers), time.process_time()
    rate_deliveries = (len(load.accepted) - sent_before) * load.receivers()
    rate["cpu_us_per_delivery"] = round((cpu2 - cpu1) / max(1, rate_deliveries) * 1e6, 1)
    rate["server_cpu_share"] = round((cpu2 - cpu1) / max(1e-9, rate["active_s"]), 2)
    log(
        f"  rate: {rate['messages_per_s']} messages/s ({rate['completed']} in {rate['active_s']}s active),"
        f" {rate['cpu_us_per_delivery']} us CPU per delivery"
    )

    churn = await churn_phase(load, args)
    log(
        f"  churn: {churn['left']} left mid-broadcast, slow reader paused {churn['slow_reader_paused_s']}s;"
        f" others p50 {churn['p50_ms']} ms, p99 {churn['p99_ms']} ms"
    )
    machine1, wall1 = machine_jiffies(), perf_counter()
    own = (cpu(servers) - cpu0) + (time.process_time() - client0)
    span = max(1e-9, wall1 - wall0)

    grace = perf_counter() + args.grace
    slow = load.slow_reader
    while perf_counter() < grace and (load.pending or len(set(slow.order)) < len(load.accepted)):
        await asyncio.sleep(0.05)
    checks = load.check()
    checks["slow_reader_received_all"] = len(set(slow.order)) == len(load.accepted)
    log(f"  lost {checks['lost']}, order violations {checks['order_violations']}, refused {checks['refused']}")
    load.close_all()
    await asyncio.sleep(0.3)

    return {
        "servers": len(servers),
        "p50_ms": latency["p50_ms"],
        "p95_ms": latency["p95_ms"],
        "p99_ms": latency["p99_ms"],
        "messages_per_s": rate["messages_per_s"],
        "cpu_us_per_delivery": rate["cpu_us_per_delivery"],
        "memory_kb_per_connection": round((rss_after - rss_before) / (n - WARMUP_CLIENTS) / 1024, 1),
        "lost": checks["lost"],
        "order_violations": checks["order_violations"],
        "latency_phase": latency,
        "rate_phase": rate,
        "checks": checks,
        "churn_phase": churn,
        "client_cpu_s": round((client2 - client0), 2),
        # Share of the machine's two cores busy while measuring, and the part that was
        # not these servers or the load client (the database, Redis, anything else).
        "machine_busy_share": round((machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]), 2),
        "other_cpu_share": round(
            max(
                0.0,
                (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]) - own / (span * (os.cpu_count() or 1)),
            ),
            2,
        ),
        "server_rss_mb_after_connect": round(rss_after / 2**20, 1),
    }


def wait_for_quiet(limit: float, threshold: float = 0.35) -> tuple[float, float]:
    """Other work shares this machine: wait (up to `limit` seconds) for a second in which
    less than `threshold` of its cores are busy. Returns (seconds waited, last busy share)."""
    started = time.monotonic()
    while True:
        before = machine_jiffies()
        time.sleep(1.0)
        after = machine_jiffies()
        share = (after[0] - before[0]) / max(1, after[1] - before[1])
        waited = time.monotonic() - started
        if share < threshold or waited >= limit:
            return round(waited, 1), round(share, 2)


def run_variant(variant: str, args, seed: Seed | None, logdir: Path) -> dict:
    waited, busy = wait_for_quiet(args.quiet_wait)
    log(f"{variant}: (machine {busy:.0%} busy before it, after waiting {waited}s for quiet)")
    session_id = seed.new_room() if variant.startswith("ours") else None
    servers = start_servers(variant, args, logdir)
    try:
        result = asyncio.run(measure(variant, servers, args, session_id=session_id, keys=seed.keys if seed else []))
    except Exception:
        for server in servers:
            log(f"--- {server.name} log ---\n{server.log_tail()}")
        raise
    finally:
        for server in servers:
            server.stop()
    result["machine_busy_before"] = busy
    if seed is not None and session_id is not None:
        record = seed.room_record(session_id)
        result["checks"].update(record)
    return result


def ratio(a, b) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fan-out of the live room at 200 clients.")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=None, help="latency-phase messages (default 300, quick 100)")
    parser.add_argument("--rate-seconds", type=float, default=None, help="active seconds of the rate phase (10)")
    parser.add_argument("--window", type=int, default=32, help="messages in flight in the rate phase")
    parser.add_argument("--grace", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--quiet-wait", type=float, default=20.0, help="seconds to wait, before each variant, for an idle machine"
    )
    parser.add_argument("--only", default=",".join(VARIANTS), help="comma-separated variants")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/academy_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument(
        "--conn-max-age",
        default="60",
        help="DATABASE_CONN_MAX_AGE for the room's servers (default 60, as in production)",
    )
    args = parser.parse_args()
    if args.messages is None:
        args.messages = 100 if args.quick else 300
    if args.rate_seconds is None:
        args.rate_seconds = 4.0 if args.quick else 10.0
    variants = [v.strip() for v in args.only.split(",") if v.strip()]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")

    seed = Seed(args.database_url, args.clients) if any(v.startswith("ours") for v in variants) else None
    results = {}
    with tempfile.TemporaryDirectory(prefix="roundtable-bench-") as logdir:
        for variant in variants:
            results[variant] = run_variant(variant, args, seed, Path(logdir))

    def figure(variant, key):
        return results.get(variant, {}).get(key)

    summary = {
        "benchmark": "roundtable_fanout",
        "clients": args.clients,
        "latency_messages": args.messages,
        "database": args.database_url.split(":", 1)[0],
        **results,
        "vs_naive_p50": ratio(figure("naive", "p50_ms"), figure("ours_one_process", "p50_ms")),
        "vs_naive_rate": ratio(figure("ours_one_process", "messages_per_s"), figure("naive", "messages_per_s")),
        "vs_raw_p50": ratio(figure("ours_one_process", "p50_ms"), figure("raw", "p50_ms")),
        "vs_raw_p50_redis": ratio(figure("ours_two_processes_redis", "p50_ms"), figure("raw", "p50_ms")),
        "vs_naive_p50_redis": ratio(
            figure("naive_two_processes_redis", "p50_ms"), figure("ours_two_processes_redis", "p50_ms")
        ),
        "vs_naive_rate_redis": ratio(
            figure("ours_two_processes_redis", "messages_per_s"), figure("naive_two_processes_redis", "messages_per_s")
        ),
        "memory_vs_naive": ratio(
            figure("ours_one_process", "memory_kb_per_connection"), figure("naive", "memory_kb_per_connection")
        ),
        "lost": sum(result["lost"] for result in results.values()),
        "order_violations": sum(result["order_violations"] for result in results.values()),
    }
    print(json.dumps(summary, sort_keys=False))


if __name__ == "__main__":
    main()
