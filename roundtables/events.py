"""From the room's log to the wire: frames built from events, and broadcasts after commit.

Every server frame is serialised here, once, into the text each socket receives: the
per-process hub (`roundtables.hub`) writes that same text to every local socket.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from roundtables.models import RoomEvent

ROOM_FRAME = "roundtable.frame"
# The server frames of the protocol (docs/roundtable-protocol.md): logged events, each
# with a sequence number, and the unlogged frames.
EVENT_TYPES = (
    "chat.message",
    "chat.removed",
    "hand.raised",
    "hand.lowered",
    "floor.given",
    "agenda.current",
    "poll.opened",
    "poll.results",
    "poll.closed",
    "member.muted",
    "member.unmuted",
    "room.locked",
    "room.unlocked",
    "session.ended",
    "breakouts.started",
    "breakouts.ended",
    "note.added",
    "action.added",
)
UNLOGGED_TYPES = ("welcome", "presence", "ack", "pong", "error")


def room_group(session_id: int) -> str:
    """The channel-layer group every process with sockets in the room listens to."""
    return f"roundtable.{session_id}"


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def event_frame(event: RoomEvent) -> dict:
    """The frame clients receive for one logged event."""
    frame = {"type": event.kind, "seq": event.seq, "at": event.created_at.isoformat(), **event.payload}
    if event.breakout_group_id is not None:
        frame["breakout"] = event.breakout_group_id
    if event.removed_at is not None and event.kind in ("chat.message", "note.added"):
        frame["text"] = ""
        frame["removed"] = True
    return frame


def room_message(event: RoomEvent) -> dict:
    """The channel-layer message for one event: its text, sequence and audience.

    Events that move people between breakout groups say so (`seats`, or `unseat` for
    everyone back to the plenary), so each process re-seats its own sockets in sequence
    order. The message depends on the event alone: a process that missed it rebuilds it
    from the log.
    """
    message = {
        "type": ROOM_FRAME,
        "session": event.session_id,
        "seq": event.seq,
        "scope": event.breakout_group_id,
        "text": encode(event_frame(event)),
    }
    if event.kind == "breakouts.started":
        message["seats"] = {
            str(member["id"]): group["id"] for group in event.payload["round"]["groups"] for member in group["members"]
        }
    elif event.kind in ("breakouts.ended", "session.ended"):
        message["unseat"] = True
    return message


def send_to_room(session_id: int, message: dict) -> None:
    """Hand a message to every process with sockets in the room. Sync callers only."""
    async_to_sync(get_channel_layer().group_send)(room_group(session_id), message)


_collected = threading.local()


@contextmanager
def collecting_broadcasts() -> Iterator[list[dict]]:
    """Broadcasts committed inside this block are handed back instead of sent.

    The room's socket runs its service in a worker thread with this on, and publishes
    what comes back from the event loop (`roundtables.hub.Hub.publish`): no hop back to
    the loop from the thread, and the sender's own process delivers at once.
    """
    _collected.messages = []
    try:
        yield _collected.messages
    finally:
        del _collected.messages


def publish(session_id: int, message: dict) -> None:
    messages = getattr(_collected, "messages", None)
    if messages is not None:
        messages.append(message)
    else:
        send_to_room(session_id, message)


def broadcast_event_after_commit(event: RoomEvent) -> None:
    """Call inside the transaction that wrote `event`: it is sent once that commits."""
    message = room_message(event)
    transaction.on_commit(lambda: publish(event.session_id, message))


def state_message(session_id: int, frame: dict) -> dict:
    """An unsequenced frame (presence) for everyone in the room."""
    return {"type": ROOM_FRAME, "session": session_id, "seq": None, "scope": None, "text": encode(frame)}
