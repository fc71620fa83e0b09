"""Frames written straight to daphne's websocket protocol: framed once, slow readers dropped."""

import functools

from roundtables import wire


class Prepared:
    def __init__(self, payload_hybi: bytes):
        self.payloadHybi = payload_hybi


class FakeFactory:
    def __init__(self):
        self.prepared = 0

    def prepareMessage(self, payload, isBinary=False):  # noqa: N802 (autobahn's name)
        self.prepared += 1
        return Prepared(b"\x81" + bytes([len(payload)]) + payload)


class FakeSocket:
    def __init__(self, takes: int):
        self.takes = takes
        self.sent = b""

    def send(self, data):
        self.sent += data[: self.takes]
        return min(self.takes, len(data))


class FakeTransport:
    TLS = False
    connected = True
    disconnecting = False

    def __init__(self, buffered: int = 0, takes: int = 10**6):
        self.dataBuffer = b"x" * buffered
        self.offset = 0
        self._tempDataLen = 0
        self.socket = FakeSocket(takes)
        self.written = b""

    def write(self, data):
        self.written += data
        self._tempDataLen += len(data)


class FakeProtocol:
    STATE_OPEN = 1

    def __init__(self, factory, buffered: int = 0, state: int = 1):
        self.factory = factory
        self.transport = FakeTransport(buffered)
        self.state = state
        self.sent = []

    def sendPreparedMessage(self, prepared):  # noqa: N802
        self.sent.append(prepared)


class SessionWrapper:
    """Like Channels' InstanceSessionWrapper: keeps daphne's send as `real_send`."""

    def __init__(self, real_send):
        self.real_send = real_send

    async def send(self, message):
        return await self.real_send(message)


def test_a_frame_is_framed_once_for_every_connection():
    factory = FakeFactory()
    frame = wire.Wire('{"type":"chat.message","text":"Xin chào"}')
    connections = [FakeProtocol(factory) for _ in range(200)]
    assert all(wire.write(connection, frame) for connection in connections)
    assert factory.prepared == 1
    payload = '{"type":"chat.message","text":"Xin chào"}'.encode()
    # Written straight to the kernel, nothing left in Twisted's buffer.
    assert connections[0].transport.socket.sent == b"\x81" + bytes([len(payload)]) + payload
    assert connections[0].transport.written == b""


def test_what_the_kernel_does_not_take_waits_in_order_behind():
    factory = FakeFactory()
    connection = FakeProtocol(factory)
    connection.transport.socket.takes = 3
    first, second = wire.Wire("first"), wire.Wire("second")
    assert wire.write(connection, first) and wire.write(connection, second)
    # The rest of the first frame was buffered, so the second goes behind it, not ahead.
    assert connection.transport.socket.sent == b"\x81\x05f"
    assert connection.transport.written == b"irst"
    assert connection.sent[0].payloadHybi == b"\x81\x06second"


def test_a_reader_far_behind_or_a_closed_connection_is_not_written_to():
    factory = FakeFactory()
    frame = wire.Wire("{}")
    behind = FakeProtocol(factory, buffered=wire.MAX_BACKLOG_BYTES + 1)
    closed = FakeProtocol(factory, state=3)
    assert wire.write(behind, frame) is False and behind.sent == []
    assert wire.write(closed, frame) is False and closed.sent == []


def test_the_protocol_is_found_behind_the_session_wrapper():
    class Server:
        async def handle_reply(self, protocol, message):
            return None

    protocol = FakeProtocol(FakeFactory())
    daphne_send = functools.partial(Server().handle_reply, protocol)
    assert wire.daphne_protocol(SessionWrapper(daphne_send).send) is protocol
    assert wire.daphne_protocol(SessionWrapper(lambda message: None).send) is None
