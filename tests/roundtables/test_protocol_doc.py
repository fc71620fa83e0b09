"""docs/roundtable-protocol.md documents every frame, error code and close code."""

import re
from pathlib import Path

from django.conf import settings

from roundtables import protocol
from roundtables.events import EVENT_TYPES, UNLOGGED_TYPES

DOC = (Path(settings.BASE_DIR) / "docs" / "roundtable-protocol.md").read_text()


def test_every_client_frame_is_documented():
    missing = [name for name in protocol.CLIENT_FRAMES if f"`{name}`" not in DOC]
    assert not missing


def test_every_server_frame_is_documented():
    missing = [name for name in (*EVENT_TYPES, *UNLOGGED_TYPES) if f"`{name}`" not in DOC]
    assert not missing


def test_every_event_the_services_write_is_a_known_server_frame():
    source = (Path(settings.BASE_DIR) / "roundtables" / "room.py").read_text()
    written = set(re.findall(r'"([a-z]+\.[a-z]+)"', source)) - set(protocol.CLIENT_FRAMES)
    written -= {"chat.message", "note.added"} - set(EVENT_TYPES)  # WRITTEN_KINDS, also events
    assert written <= set(EVENT_TYPES), written - set(EVENT_TYPES)


def test_every_error_code_and_close_code_is_documented():
    codes = [value for name, value in vars(protocol.ErrorCode).items() if not name.startswith("_")]
    assert codes and all(f"`{code}`" in DOC for code in codes)
    assert all(code in protocol.ERROR_MESSAGES for code in codes)
    closes = [value for name, value in vars(protocol.CloseCode).items() if not name.startswith("_")]
    assert all(f"| {code} |" in DOC for code in closes)


def test_the_documented_limits_are_the_enforced_ones():
    assert protocol.MAX_FRAME_BYTES == 16 * 1024 and "16 KiB" in DOC
    assert protocol.MAX_MESSAGE_CHARS == 4000 and "4,000 characters" in DOC
    assert (protocol.RATE_LIMIT_MESSAGES, protocol.RATE_LIMIT_SECONDS) == (5, 5) and "5 per 5 seconds" in DOC
    assert protocol.MAX_SOCKETS_PER_PERSON == 5 and "at most **5 sockets**" in DOC
