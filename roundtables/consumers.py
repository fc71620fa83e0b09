"""The room's websocket: `/ws/roundtables/<session id>/` (docs/roundtable-protocol.md).

Thin by design. `connect` checks access (before the handshake is accepted: a refusal is
an HTTP 403) and the per-person socket limit, registers the socket with this process's
hub and sends the welcome. Each client frame is validated by `protocol.parse_frame` and
handed to one service in `roundtables.room`; the services broadcast. Nothing a frame
says can name another room: the room is the one in the URL, checked at connect.
"""

import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from roundtables import access, room, selectors, wire
from roundtables.events import collecting_broadcasts, encode, event_frame
from roundtables.hub import get_hub
from roundtables.protocol import CloseCode, ErrorCode, Frame, FrameError, parse_frame
from roundtables.wire import Wire

logger = logging.getLogger(__name__)

# The hub listens to the channel layer for the whole process, so sockets need no
# channel of their own: an alias with no layer behind it tells Channels not to make one.
NO_CHANNEL_LAYER = "roundtables-sockets-use-the-hub"
# A socket this many sequence numbers behind what it was sent is not reading: closed.
SLOW_CONSUMER_LAG = 2000


def _collected(service, **kwargs):
    with collecting_broadcasts() as messages:
        event = service(**kwargs)
    return event, messages


def _since(scope) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("since")
    if not values:
        return None
    try:
        since = int(values[0])
    except ValueError:
        return None
    return since if since >= 0 else None


class RoomConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = NO_CHANNEL_LAYER

    # State the hub reads and writes.
    actor: room.Actor
    session_id: int
    cohort_id: int
    session_key: str | None = None
    connection_id: int | None = None
    seat: int | None = None
    last_seq: int = 0
    last_pushed_seq: int = 0
    live: bool = False
    joined: bool = False
    protocol = None  # daphne's websocket protocol, when served by daphne (roundtables.wire)

    async def connect(self):
        self.pending: list[dict] = []
        user = self.scope.get("user")
        session = await database_sync_to_async(access.session_by_id)(
            user, self.scope["url_route"]["kwargs"]["session_id"]
        )
        if session is None:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.session_id, self.cohort_id = session.pk, session.cohort_id
        self.actor = room.actor_for(user, session)
        self.protocol = wire.daphne_protocol(self.base_send)
        self.session_key = self.scope.get("session_key")  # academy.websocket_auth
        await self.accept()
        connection = await database_sync_to_async(room.connection_open)(session_id=session.pk, user_id=user.pk)
        if connection is None:
            await self.send_error(FrameError(ErrorCode.TOO_MANY_SOCKETS))
            await self.close(code=CloseCode.TOO_MANY_SOCKETS)
            return
        self.connection_id = connection.pk
        hub = get_hub()
        await hub.join(self)
        self.joined = True
        last_seq, self.seat, frames = await database_sync_to_async(selectors.room_welcome)(
            session_id=session.pk, actor=self.actor, since=_since(self.scope)
        )
        for text in frames:
            await self.send(text_data=text)
        self.last_pushed_seq = last_seq
        await hub.go_live(self, last_seq)
        hub.presence_changed(session.pk)

    async def disconnect(self, code):
        await self._leave()

    async def _leave(self) -> None:
        if not self.joined:
            return
        self.joined = False
        hub = get_hub()
        await hub.leave(self)
        await database_sync_to_async(room.connection_close)(connection_id=self.connection_id)
        hub.presence_changed(self.session_id)

    # ------------------------------------------------------------------
    # Called by the hub
    # ------------------------------------------------------------------
    async def push(self, frame: Wire, seq: int | None) -> None:
        if seq is not None:
            self.last_pushed_seq = seq
        if self.protocol is None:
            await self.base_send({"type": "websocket.send", "text": frame.text})
        elif not wire.write(self.protocol, frame) and self.protocol.state == self.protocol.STATE_OPEN:
            # A reader that stopped reading: drop the connection rather than hold the
            # room's frames for it; its client reconnects and resumes from the log.
            self.protocol.dropConnection(abort=True)

    async def revoke(self) -> None:
        """Access is gone (removed, deactivated, signed out): close at once."""
        if self.joined:
            await self._leave()
            await self.close(code=CloseCode.ACCESS_REVOKED)

    # ------------------------------------------------------------------
    # Client frames
    # ------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if not self.joined:
            return
        frame = None
        try:
            frame = parse_frame(text_data, binary=bytes_data is not None)
            if frame.who == "facilitator" and not self.actor.runs:
                raise FrameError(ErrorCode.FORBIDDEN)
            if frame.who == "speaker" and not self.actor.speaks:
                raise FrameError(ErrorCode.FORBIDDEN)
            handler = getattr(self, "frame_" + frame.type.replace(".", "_"))
            await handler(frame)
        except FrameError as error:
            if error.ref is None and frame is not None:
                error.ref = frame.ref
            await self.send_error(error)
        except Exception:
            # The database or the channel layer failed: nothing was accepted, and the
            # client's outbox sends it again. The socket stays open.
            logger.exception("roundtables: frame failed in session %s", self.session_id)
            await self.send_error(FrameError(ErrorCode.UNAVAILABLE, ref=frame.ref if frame else None))

    async def send_error(self, error: FrameError) -> None:
        await self.send(text_data=encode(error.as_frame()))

    async def send_ack(self, frame: Frame, event=None, **extra) -> None:
        ack = {"type": "ack", "for": frame.type, "seq": event.seq if event is not None else None, **extra}
        if frame.ref is not None:
            ack["ref"] = frame.ref
        await self.send(text_data=encode(ack))

    async def call(self, service, **kwargs):
        """Run one room service in the database thread; publish what it broadcast."""
        event, messages = await database_sync_to_async(_collected)(
            service, session_id=self.session_id, actor=self.actor, **kwargs
        )
        if messages:
            await get_hub().publish(messages)
        return event

    async def run(self, frame: Frame, service, **kwargs) -> None:
        await self.send_ack(frame, await self.call(service, **kwargs))

    async def frame_ping(self, frame: Frame) -> None:
        seen = frame.fields["last_seq"]
        if seen is not None and self.last_pushed_seq - seen > SLOW_CONSUMER_LAG:
            await self.close(code=CloseCode.SLOW_CONSUMER)
            return
        pong = {"type": "pong", "last_seq": self.last_seq}
        if frame.ref is not None:
            pong["ref"] = frame.ref
        await self.send(text_data=encode(pong))

    async def frame_resume(self, frame: Frame) -> None:
        frames = await database_sync_to_async(selectors.resume_frames)(
            session_id=self.session_id, actor=self.actor, since=frame.fields["since"]
        )
        for text in frames:
            await self.send(text_data=text)
        await self.send_ack(frame, None, count=len(frames))

    async def _written(self, frame: Frame, service) -> None:
        fields = frame.fields
        event = await self.call(
            service,
            client_id=fields["client_id"],
            text=fields["text"],
            breakout_group_id=fields["breakout"],
        )
        await self.send_ack(frame, event, client_id=fields["client_id"], message=event_frame(event))

    async def frame_chat_send(self, frame: Frame) -> None:
        await self._written(frame, room.message_post)

    async def frame_note_add(self, frame: Frame) -> None:
        await self._written(frame, room.note_add)

    async def frame_hand_raise(self, frame: Frame) -> None:
        await self.run(frame, room.hand_raise)

    async def frame_hand_lower(self, frame: Frame) -> None:
        await self.run(frame, room.hand_lower, user_id=frame.fields["user_id"])

    async def frame_floor_give(self, frame: Frame) -> None:
        await self.run(frame, room.floor_give, user_id=frame.fields["user_id"])

    async def frame_agenda_set(self, frame: Frame) -> None:
        await self.run(frame, room.agenda_set, item_id=frame.fields["item_id"])

    async def frame_poll_open(self, frame: Frame) -> None:
        await self.run(frame, room.poll_open, question=frame.fields["question"], options=frame.fields["options"])

    async def frame_poll_vote(self, frame: Frame) -> None:
        await self.run(frame, room.poll_vote, poll_id=frame.fields["poll_id"], option=frame.fields["option"])

    async def frame_poll_close(self, frame: Frame) -> None:
        await self.run(frame, room.poll_close, poll_id=frame.fields["poll_id"])

    async def frame_message_remove(self, frame: Frame) -> None:
        await self.run(frame, room.message_remove, seq=frame.fields["seq"])

    async def frame_member_mute(self, frame: Frame) -> None:
        await self.run(frame, room.member_mute, user_id=frame.fields["user_id"])

    async def frame_member_unmute(self, frame: Frame) -> None:
        await self.run(frame, room.member_unmute, user_id=frame.fields["user_id"])

    async def frame_room_lock(self, frame: Frame) -> None:
        await self.run(frame, room.room_lock, locked=True)

    async def frame_room_unlock(self, frame: Frame) -> None:
        await self.run(frame, room.room_lock, locked=False)

    async def frame_session_end(self, frame: Frame) -> None:
        await self.run(frame, room.session_end)

    async def frame_breakouts_start(self, frame: Frame) -> None:
        fields = frame.fields
        await self.run(
            frame, room.breakouts_start, mode=fields["mode"], minutes=fields["minutes"], groups=fields["groups"]
        )

    async def frame_breakouts_end(self, frame: Frame) -> None:
        await self.run(frame, room.breakouts_end)

    async def frame_action_add(self, frame: Frame) -> None:
        fields = frame.fields
        await self.run(
            frame, room.action_add, text=fields["text"], owner_id=fields["owner_id"], due_date=fields["due_date"]
        )
