"""Writing one frame to many sockets: framed once, the same bytes written to each.

Sent through ASGI, every recipient of a broadcast costs Channels' session wrapper,
daphne's reply coroutine, a UTF-8 encoding and autobahn's framing of the same text.
autobahn (daphne's websocket layer) offers the broadcast path itself: frame a payload
once (`prepareMessage`) and write the framed bytes to each connection
(`sendPreparedMessage`). A socket served by daphne finds its autobahn protocol behind
its ASGI `send` and writes there; any other server (or the test communicator) gets its
frames through ASGI as usual.

The direct path also sees what ASGI hides: the bytes a connection has not yet taken.
A reader that stops reading is closed once that backlog passes `MAX_BACKLOG_BYTES`,
instead of holding the room's memory (the room never waits for it either way).
"""

import functools

# About a thousand ordinary chat frames a client has not read.
MAX_BACKLOG_BYTES = 1024 * 1024


class Wire:
    """One frame's text, encoded and framed at most once, whoever it goes to."""

    __slots__ = ("text", "_prepared", "_factory")

    def __init__(self, text: str):
        self.text = text
        self._prepared = None
        self._factory = None

    def prepared_for(self, protocol):
        factory = protocol.factory
        if self._prepared is None or self._factory is not factory:
            self._prepared = factory.prepareMessage(self.text.encode("utf-8"), isBinary=False)
            self._factory = factory
        return self._prepared


def daphne_protocol(send):
    """The autobahn protocol behind an ASGI `send` served by daphne, or None.

    daphne hands each connection `functools.partial(server.handle_reply, protocol)`, which
    reaches the consumer as it is (academy/asgi.py wraps no `send`); a middleware that
    wraps it, as Channels' session middleware does, is followed through `real_send`.
    """
    for _ in range(8):
        if isinstance(send, functools.partial):
            protocol = send.args[0] if send.args else None
            return protocol if hasattr(protocol, "sendPreparedMessage") else None
        send = getattr(getattr(send, "__self__", None), "real_send", None)
        if send is None:
            return None
    return None


def backlog_bytes(protocol) -> int:
    """Bytes written to the connection that the network has not taken yet (Twisted's
    write buffers, and autobahn's queue)."""
    transport = getattr(protocol, "transport", None)
    pending = len(getattr(protocol, "send_queue", ()) or ())
    if transport is None:
        return pending
    buffered = len(getattr(transport, "dataBuffer", b"")) - getattr(transport, "offset", 0)
    return max(0, buffered) + getattr(transport, "_tempDataLen", 0) + pending


def write(protocol, wire: Wire) -> bool:
    """Write a frame on an open connection. False when the connection is closed or its
    reader has fallen behind by more than MAX_BACKLOG_BYTES (the caller closes it)."""
    if protocol.state != protocol.STATE_OPEN:
        return False
    backlog = backlog_bytes(protocol)
    if backlog > MAX_BACKLOG_BYTES:
        return False
    prepared = wire.prepared_for(protocol)
    if backlog or not _send_now(protocol.transport, prepared.payloadHybi):
        protocol.sendPreparedMessage(prepared)
    return True


def _send_now(transport, data: bytes) -> bool:
    """Hand the bytes to the kernel at once, as asyncio's transports do, when nothing is
    waiting before them; what the kernel does not take waits in Twisted's buffer.

    Twisted's own `write` always buffers and asks the reactor to watch the socket for
    writing (an `epoll_ctl` to start and another to stop, per write): for a broadcast to
    hundreds of sockets that is most of the cost. Only for a plain TCP connection; TLS
    and anything unknown take the ordinary path (False).
    """
    sock = getattr(transport, "socket", None)
    if (
        sock is None
        or getattr(transport, "TLS", True)
        or not getattr(transport, "connected", False)
        or getattr(transport, "disconnecting", True)
    ):
        return False
    try:
        sent = sock.send(data)
    except (BlockingIOError, InterruptedError):
        sent = 0
    except OSError:
        return False  # let Twisted's path meet the error and close the connection
    if sent < len(data):
        transport.write(data[sent:])
    return True
