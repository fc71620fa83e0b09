"""The per-process fan-out of the live rooms.

The way most Channels apps broadcast (one channel per socket, `group_send` to the
room's group) pays the channel layer, a task wake-up and a handler for every member of
the room on every message. Here each server process has one `Hub`, with one channel
that joins the group of every room that has sockets in this process. A broadcast costs
one channel-layer message per *process*; the hub writes the frame's text, serialised
once by the sender, to its local sockets directly.

The hub also keeps the promises the protocol makes across processes:

- **Order.** Room events carry the room's sequence. The hub delivers them in sequence
  order; a gap (a broadcast that arrives early, or never, because its sender died
  between commit and send) is filled from the log, where every earlier event has
  already committed. Each socket skips what it already has (its welcome or resume).
- **Audience.** Breakout events reach the group's members and the facilitators only;
  the events that seat people are applied in sequence order.
- **Presence.** Every few seconds the hub refreshes its sockets' rows (heartbeats), so
  a process that dies drops out of presence within `room.PRESENCE_TIMEOUT`.
- **Access.** Every `ACCESS_CHECK_SECONDS` the hub re-checks, in two or three queries for
  all its sockets, that each person is still active, still a member of the cohort and
  still signed in; sockets that fail are closed (close code 4003). Removing a member,
  deactivating an account or signing out thus closes their sockets within that time.
"""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from importlib import import_module

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from academy.models import Membership, User
from roundtables import room, selectors
from roundtables.events import ROOM_FRAME, room_group, room_message, state_message
from roundtables.models import RoundtableSession
from roundtables.wire import Wire

logger = logging.getLogger(__name__)

ACCESS_CHECK_SECONDS = 2.0
# Often enough that a dead process's sockets leave presence (and stop counting against
# the socket limit) within room.PRESENCE_TIMEOUT; one UPDATE per process each time.
HEARTBEAT_SECONDS = 5.0
PRESENCE_DEBOUNCE_SECONDS = 0.3
# The channel layer forgets group members after a day; re-join well before that.
GROUP_REFRESH_SECONDS = 3600.0


@dataclass(eq=False)
class RoomSockets:
    session_id: int
    sockets: set = field(default_factory=set)
    delivered: int = 0  # the last sequence delivered to this process's sockets
    presence_task: asyncio.Task | None = None
    # Delivery (with its gap filling) runs one message at a time per room.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    presence_pending: bool = False
    presence_text: str = ""  # the last presence list this process sent
    presence_at: float = 0.0  # when the newest presence list delivered here was computed


class Hub:
    """One per process and event loop; see the module docstring."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        # The in-memory layer cannot reach another process: nothing to send there.
        self.single_process = isinstance(self.layer, InMemoryChannelLayer)
        self.loop = asyncio.get_running_loop()
        self.channel: str | None = None
        self.rooms: dict[int, RoomSockets] = {}
        self.tasks: list[asyncio.Task] = []
        self._start_lock = asyncio.Lock()

    # ------------------------------------------------------------------
    # Sockets
    # ------------------------------------------------------------------
    async def join(self, socket) -> None:
        """Register a socket before it reads its welcome: frames that arrive meanwhile
        wait in its `pending` list (see `go_live`)."""
        await self._start()
        entry = self.rooms.get(socket.session_id)
        if entry is None:
            entry = self.rooms[socket.session_id] = RoomSockets(socket.session_id)
            await self.layer.group_add(room_group(socket.session_id), self.channel)
            # Read after joining the group: every event after this reaches the group,
            # and every socket's welcome is read later, so it holds at least this much.
            entry.delivered = (await database_sync_to_async(_last_seqs)([socket.session_id])).get(socket.session_id, 0)
        entry.sockets.add(socket)

    async def go_live(self, socket, last_seq: int) -> None:
        """The socket has its welcome (up to `last_seq`): deliver what waited, then live."""
        entry = self.rooms.get(socket.session_id)
        if entry is None:
            return
        socket.last_seq = last_seq
        while socket.pending:
            message = socket.pending.pop(0)
            await self._deliver_to(socket, message, Wire(message["text"]))
        socket.live = True

    async def leave(self, socket) -> None:
        entry = self.rooms.get(socket.session_id)
        if entry is None:
            return
        entry.sockets.discard(socket)
        if not entry.sockets:
            del self.rooms[socket.session_id]
            if entry.presence_task is not None:
                entry.presence_task.cancel()
            with contextlib.suppress(Exception):
                await self.layer.group_discard(room_group(socket.session_id), self.channel)

    def presence_changed(self, session_id: int) -> None:
        """Someone joined or left: send the room a fresh presence list, shortly (joins and
        leaves in quick succession make one list)."""
        entry = self.rooms.get(session_id)
        if entry is None:
            # The last local socket left: another process may still need to hear it.
            asyncio.ensure_future(self._send_presence(session_id, delay=0))
            return
        entry.presence_pending = True
        if entry.presence_task is None or entry.presence_task.done():
            entry.presence_task = asyncio.ensure_future(self._presence_loop(entry))

    async def _presence_loop(self, entry: RoomSockets) -> None:
        # A change that arrives while a list is being computed makes another one.
        while entry.presence_pending:
            entry.presence_pending = False
            await self._send_presence(entry.session_id, entry=entry)

    async def _send_presence(
        self,
        session_id: int,
        delay: float = PRESENCE_DEBOUNCE_SECONDS,
        *,
        entry: RoomSockets | None = None,
        only_if_changed: bool = False,
    ) -> None:
        await asyncio.sleep(delay)
        try:
            message = await database_sync_to_async(_presence_message)(session_id)
            if entry is not None:
                if only_if_changed and message["text"] == entry.presence_text:
                    return
                entry.presence_text = message["text"]
            await self.layer.group_send(room_group(session_id), message)
        except Exception:  # a presence list is advisory: the next change sends another
            logger.exception("roundtables: could not send presence for session %s", session_id)

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------
    async def publish(self, messages: list[dict]) -> None:
        """Broadcasts a socket of this process caused: delivered here at once, and sent
        to the other processes through the channel layer (this process's copy then
        arrives as a duplicate and is skipped by its sequence)."""
        for message in messages:
            await self.deliver(message)
            if not self.single_process:
                await self.layer.group_send(room_group(message["session"]), message)

    async def deliver(self, message: dict) -> None:
        entry = self.rooms.get(message.get("session"))
        if entry is None:
            return
        async with entry.lock:
            await self._deliver_in_order(entry, message)

    async def _deliver_in_order(self, entry: RoomSockets, message: dict) -> None:
        seq = message.get("seq")
        if seq is None:
            # Presence lists from several processes may cross: the newest one wins.
            computed = message.get("computed_at", 0.0)
            if computed < entry.presence_at:
                return
            entry.presence_at = computed
            await self._fan_out(entry, message)
            return
        if seq <= entry.delivered:
            return
        if seq > entry.delivered + 1:
            await self._fill_gap(entry, upto=seq - 1)
        await self._fan_out(entry, message)
        entry.delivered = max(entry.delivered, seq)

    async def _fill_gap(self, entry: RoomSockets, *, upto: int) -> None:
        """Deliver events (delivered, upto] from the log: all of them have committed."""
        events = await database_sync_to_async(selectors.missed_events)(
            session_id=entry.session_id, after=entry.delivered, upto=upto
        )
        for event in events:
            await self._fan_out(entry, room_message(event))
            entry.delivered = max(entry.delivered, event.seq)

    async def _fan_out(self, entry: RoomSockets, message: dict) -> None:
        wire = Wire(message["text"])  # framed once, on first use, for every socket here
        for socket in list(entry.sockets):
            if socket.live:
                await self._deliver_to(socket, message, wire)
            else:
                socket.pending.append(message)

    @staticmethod
    async def _deliver_to(socket, message: dict, wire: Wire) -> None:
        seq = message.get("seq")
        if seq is not None:
            if seq <= socket.last_seq:
                return
            socket.last_seq = seq
            seats = message.get("seats")
            if seats is not None:
                socket.seat = seats.get(str(socket.actor.user_id), socket.seat)
            elif message.get("unseat"):
                socket.seat = None
        scope = message.get("scope")
        if scope is None or socket.actor.runs or socket.seat == scope:
            await socket.push(wire, seq)

    # ------------------------------------------------------------------
    # Background: the listener and the periodic checks
    # ------------------------------------------------------------------
    async def _start(self) -> None:
        if self.channel is not None:
            return
        async with self._start_lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel(prefix="roundtable-hub")
                self.tasks = [
                    asyncio.ensure_future(self._listen()),
                    asyncio.ensure_future(self._watch()),
                ]

    async def _listen(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
                if message.get("type") == ROOM_FRAME:
                    await self.deliver(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("roundtables: hub listener error; continuing")
                await asyncio.sleep(0.5)

    async def _watch(self) -> None:
        last_heartbeat = last_refresh = self.loop.time()
        while True:
            await asyncio.sleep(ACCESS_CHECK_SECONDS)
            try:
                await self.check_access()
                await self.catch_up()
                now = self.loop.time()
                if now - last_heartbeat >= HEARTBEAT_SECONDS:
                    last_heartbeat = now
                    await self.heartbeat()
                if now - last_refresh >= GROUP_REFRESH_SECONDS:
                    last_refresh = now
                    for session_id in list(self.rooms):
                        await self.layer.group_add(room_group(session_id), self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("roundtables: hub watch error; continuing")

    def _sockets(self) -> list:
        return [socket for entry in self.rooms.values() for socket in entry.sockets]

    async def check_access(self) -> None:
        sockets = self._sockets()
        if not sockets:
            return
        allowed = await database_sync_to_async(sockets_still_allowed)(
            [(s.actor.user_id, s.cohort_id, s.session_key, s.actor.runs) for s in sockets]
        )
        for socket, ok in zip(sockets, allowed, strict=True):
            if not ok:
                await socket.revoke()

    async def catch_up(self) -> None:
        """Deliver events whose broadcast never arrived (a sender that died after commit)."""
        if not self.rooms:
            return
        latest = await database_sync_to_async(_last_seqs)(list(self.rooms))
        for session_id, last_seq in latest.items():
            entry = self.rooms.get(session_id)
            if entry is not None and last_seq > entry.delivered:
                async with entry.lock:
                    if last_seq > entry.delivered:
                        await self._fill_gap(entry, upto=last_seq)

    async def heartbeat(self) -> None:
        """Refresh this process's sockets, and send a room a new presence list when people
        have dropped out of it (sockets of a process that died)."""
        ids = [s.connection_id for s in self._sockets() if s.connection_id]
        await database_sync_to_async(room.connections_touch)(connection_ids=ids)
        for entry in list(self.rooms.values()):
            await self._send_presence(entry.session_id, delay=0, entry=entry, only_if_changed=True)


def _presence_message(session_id: int) -> dict:
    computed_at = time.time()
    session = RoundtableSession.objects.only("pk", "cohort_id").get(pk=session_id)
    return {**state_message(session_id, selectors.presence_frame(session=session)), "computed_at": computed_at}


def _last_seqs(session_ids: list[int]) -> dict[int, int]:
    return dict(RoundtableSession.objects.filter(pk__in=session_ids).values_list("pk", "last_seq"))


def sockets_still_allowed(entries: list[tuple[int, int, str | None, bool]]) -> list[bool]:
    """For (user id, cohort id, session key, runs the room) of each socket: is the person
    still active, still in the cohort (staff: still staff), and still signed in?"""
    user_ids = {user_id for user_id, _, _, _ in entries}
    users = dict(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", "is_staff"))
    seats = set(
        Membership.objects.filter(user_id__in=user_ids, cohort_id__in={c for _, c, _, _ in entries}).values_list(
            "user_id", "cohort_id"
        )
    )
    signed_in = _live_session_keys({key for _, _, key, _ in entries if key})
    return [
        user_id in users and ((user_id, cohort_id) in seats or users[user_id]) and key is not None and key in signed_in
        for user_id, cohort_id, key, _ in entries
    ]


def _live_session_keys(keys: set[str]) -> set[str]:
    if not keys:
        return set()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        return set(
            Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).values_list(
                "session_key", flat=True
            )
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return {key for key in keys if store().exists(key)}


_hubs: dict[int, Hub] = {}


def get_hub() -> Hub:
    """This process's hub for the running event loop."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(id(loop))
    if hub is None or hub.loop is not loop:
        _hubs.clear()  # a finished loop's hub (tests run one loop per test) is dead
        hub = _hubs[id(loop)] = Hub()
    return hub
