"""The room's websocket protocol: limits, error codes, close codes, and the validation
of every client frame. `docs/roundtable-protocol.md` describes the same in prose; a
test checks that every frame type and error code here is documented there.

A client frame is a JSON object with a `type` and the fields its type names; any frame
may carry `ref` (a string the server echoes in its `ack` or `error`). Validation never
raises anything but `FrameError`, which the consumer turns into an `error` frame.
"""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_FRAME_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 4000
MAX_NOTE_CHARS = 2000
RATE_LIMIT_MESSAGES = 5
RATE_LIMIT_SECONDS = 5
MAX_SOCKETS_PER_PERSON = 5
MAX_CLIENT_ID_CHARS = 64
HISTORY_ON_JOIN = 200


class ErrorCode:
    BAD_JSON = "bad_json"
    FRAME_TOO_LARGE = "frame_too_large"
    BINARY_FRAME = "binary_frame"
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELD = "bad_field"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    MUTED = "muted"
    LOCKED = "locked"
    ENDED = "ended"
    RATE_LIMITED = "rate_limited"
    POLL_CLOSED = "poll_closed"
    ALREADY_VOTED = "already_voted"
    CONFLICT = "conflict"
    TOO_MANY_SOCKETS = "too_many_sockets"
    UNAVAILABLE = "unavailable"


class CloseCode:
    """Application close codes (4000–4999). A refused handshake is an HTTP 403 instead."""

    ACCESS_REVOKED = 4003
    SLOW_CONSUMER = 4008
    TOO_MANY_SOCKETS = 4029


# Messages people read, by error code (the `message` field of an error frame).
ERROR_MESSAGES = {
    ErrorCode.BAD_JSON: _("The frame is not a JSON object."),
    ErrorCode.FRAME_TOO_LARGE: _("The frame is larger than 16 KiB."),
    ErrorCode.BINARY_FRAME: _("Binary frames are not accepted; send JSON text."),
    ErrorCode.UNKNOWN_TYPE: _("Unknown frame type."),
    ErrorCode.BAD_FIELD: _("A field is missing or has the wrong type."),
    ErrorCode.FORBIDDEN: _("You may not do this in this room."),
    ErrorCode.NOT_FOUND: _("There is no such thing in this room."),
    ErrorCode.MUTED: _("The facilitator has muted you in this room."),
    ErrorCode.LOCKED: _("The room is locked: only facilitators can write."),
    ErrorCode.ENDED: _("This session has ended."),
    ErrorCode.RATE_LIMITED: _("You are sending too fast: at most 5 messages in 5 seconds."),
    ErrorCode.POLL_CLOSED: _("This poll is closed."),
    ErrorCode.ALREADY_VOTED: _("You have already voted in this poll."),
    ErrorCode.CONFLICT: _("That cannot be done in the room's present state."),
    ErrorCode.TOO_MANY_SOCKETS: _("You have too many open connections (at most 5)."),
    ErrorCode.UNAVAILABLE: _("The server could not do this just now; it was not saved. Try again."),
}


class FrameError(Exception):
    """A frame the server will not act on. The socket stays open."""

    def __init__(self, code: str, detail: str = "", *, ref: str | None = None):
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.ref = ref

    def as_frame(self) -> dict:
        frame = {"type": "error", "code": self.code, "message": str(ERROR_MESSAGES[self.code])}
        if self.detail:
            frame["detail"] = self.detail
        if self.ref is not None:
            frame["ref"] = self.ref
        return frame


# ------------------------------------------------------------------------------
# Field kinds
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    max_chars: int
    required: bool = True
    strip: bool = True

    def clean(self, name: str, value: Any) -> str | None:
        if value is None and not self.required:
            return None
        if not isinstance(value, str):
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: a string is required")
        value = value.strip() if self.strip else value
        if not value:
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: must not be empty")
        if len(value) > self.max_chars:
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: at most {self.max_chars} characters")
        return value


@dataclass(frozen=True)
class Integer:
    minimum: int = 0
    maximum: int = 2**62
    required: bool = True

    def clean(self, name: str, value: Any) -> int | None:
        if value is None and not self.required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: an integer is required")
        if not self.minimum <= value <= self.maximum:
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: between {self.minimum} and {self.maximum}")
        return value


@dataclass(frozen=True)
class Choice:
    choices: tuple[str, ...]

    def clean(self, name: str, value: Any) -> str:
        if value not in self.choices:
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: one of {', '.join(self.choices)}")
        return value


@dataclass(frozen=True)
class TextList:
    min_items: int
    max_items: int
    max_chars: int

    def clean(self, name: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not self.min_items <= len(value) <= self.max_items:
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: a list of {self.min_items} to {self.max_items} strings")
        return [Text(self.max_chars).clean(f"{name}[{index}]", item) for index, item in enumerate(value)]


@dataclass(frozen=True)
class IsoDate:
    required: bool = False

    def clean(self, name: str, value: Any) -> datetime.date | None:
        if value in (None, "") and not self.required:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise FrameError(ErrorCode.BAD_FIELD, f"{name}: a date as YYYY-MM-DD") from None


CLIENT_ID = Text(MAX_CLIENT_ID_CHARS)
ID = Integer(minimum=1)


@dataclass(frozen=True)
class FrameSpec:
    fields: dict = field(default_factory=dict)
    # Who may send it: "member" (anyone in the room), "speaker" (participants and
    # facilitators, not observers) or "facilitator".
    who: str = "member"


CLIENT_FRAMES: dict[str, FrameSpec] = {
    "ping": FrameSpec({"last_seq": Integer(required=False)}),
    "resume": FrameSpec({"since": Integer()}),
    "chat.send": FrameSpec(
        {"client_id": CLIENT_ID, "text": Text(MAX_MESSAGE_CHARS), "breakout": Integer(minimum=1, required=False)},
        who="speaker",
    ),
    "hand.raise": FrameSpec(who="speaker"),
    "hand.lower": FrameSpec({"user_id": Integer(minimum=1, required=False)}, who="speaker"),
    "floor.give": FrameSpec({"user_id": Integer(minimum=1, required=False)}, who="facilitator"),
    "agenda.set": FrameSpec({"item_id": Integer(minimum=1, required=False)}, who="facilitator"),
    "poll.open": FrameSpec({"question": Text(300), "options": TextList(2, 8, 120)}, who="facilitator"),
    "poll.vote": FrameSpec({"poll_id": ID, "option": Integer(maximum=7)}, who="speaker"),
    "poll.close": FrameSpec({"poll_id": ID}, who="facilitator"),
    "message.remove": FrameSpec({"seq": ID}, who="facilitator"),
    "member.mute": FrameSpec({"user_id": ID}, who="facilitator"),
    "member.unmute": FrameSpec({"user_id": ID}, who="facilitator"),
    "room.lock": FrameSpec(who="facilitator"),
    "room.unlock": FrameSpec(who="facilitator"),
    "session.end": FrameSpec(who="facilitator"),
    "breakouts.start": FrameSpec(
        {
            "groups": Integer(minimum=2, maximum=20, required=False),
            "mode": Choice(("mixed", "caucus")),
            "minutes": Integer(minimum=1, maximum=180),
        },
        who="facilitator",
    ),
    "breakouts.end": FrameSpec(who="facilitator"),
    "note.add": FrameSpec(
        {"client_id": CLIENT_ID, "text": Text(MAX_NOTE_CHARS), "breakout": Integer(minimum=1, required=False)},
        who="speaker",
    ),
    "action.add": FrameSpec(
        {"text": Text(500), "owner_id": Integer(minimum=1, required=False), "due_date": IsoDate()},
        who="facilitator",
    ),
}


@dataclass
class Frame:
    type: str
    fields: dict
    ref: str | None
    who: str


def parse_frame(text: str | None, *, binary: bool = False) -> Frame:
    """Turn a websocket text frame into a validated `Frame`, or raise `FrameError`."""
    if binary:
        raise FrameError(ErrorCode.BINARY_FRAME)
    if text is None or len(text.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError(ErrorCode.FRAME_TOO_LARGE)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError(ErrorCode.BAD_JSON) from None
    if not isinstance(data, dict):
        raise FrameError(ErrorCode.BAD_JSON)
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str) or len(ref) > MAX_CLIENT_ID_CHARS):
        raise FrameError(ErrorCode.BAD_FIELD, "ref: a string of at most 64 characters")
    frame_type = data.get("type")
    spec = CLIENT_FRAMES.get(frame_type) if isinstance(frame_type, str) else None
    if spec is None:
        raise FrameError(ErrorCode.UNKNOWN_TYPE, ref=ref)
    try:
        fields = {name: kind.clean(name, data.get(name)) for name, kind in spec.fields.items()}
    except FrameError as error:
        error.ref = ref
        raise
    return Frame(type=frame_type, fields=fields, ref=ref, who=spec.who)
