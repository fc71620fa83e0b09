"""Nothing lost: persist first, broadcast after commit, resume in order, deliver in
sequence order whatever order broadcasts arrive in."""

import json

import pytest
from channels.db import database_sync_to_async

from roundtables import room, selectors
from roundtables.events import room_message
from roundtables.hub import Hub
from roundtables.models import RoomEvent

pytestmark = pytest.mark.django_db(transaction=True)


def actor_of(user, role="participant") -> room.Actor:
    return room.Actor(user_id=user.pk, name=str(user), group=user.stakeholder_group, role=role)


def post(session, user, n: int) -> RoomEvent:
    return room.message_post(session_id=session.pk, actor=actor_of(user), client_id=f"m{n}", text=f"message {n}")


@pytest.mark.django_db  # inside the test's transaction, so the commit can be held back
def test_a_message_is_broadcast_only_after_its_transaction_commits(
    live_session, participant_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("roundtables.events.send_to_room", lambda session_id, message: sent.append(message))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = post(live_session, participant_a, 1)
    assert sent == [] and len(callbacks) == 1
    assert RoomEvent.objects.filter(pk=event.pk).exists()  # persisted first
    callbacks[0]()
    assert sent[0]["seq"] == 1 and json.loads(sent[0]["text"])["text"] == "message 1"


def test_a_refused_message_is_neither_saved_nor_broadcast(live_session, participant_a, monkeypatch):
    from roundtables.protocol import FrameError

    sent = []
    monkeypatch.setattr("roundtables.events.send_to_room", lambda session_id, message: sent.append(message))
    live_session.locked = True
    live_session.save()
    with pytest.raises(FrameError):
        post(live_session, participant_a, 1)
    assert sent == [] and not RoomEvent.objects.exists()
    live_session.refresh_from_db()
    assert live_session.last_seq == 0


def test_sequence_numbers_have_no_gaps(live_session, participant_a, union_official):
    for n in range(3):
        post(live_session, participant_a, n)
        post(live_session, union_official, n)
    assert list(RoomEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("missed", [10, 500])
def test_resuming_after_many_missed_messages_takes_a_fixed_number_of_queries(
    live_session, participant_a, union_official, django_assert_max_num_queries, missed
):
    users = [participant_a, union_official]
    RoomEvent.objects.bulk_create(
        RoomEvent(
            session=live_session,
            seq=n,
            kind="chat.message",
            author=users[n % 2],
            author_group=users[n % 2].stakeholder_group,
            client_id=f"bulk{n}",
            payload={"author": room.person(users[n % 2]), "client_id": f"bulk{n}", "text": f"line {n}"},
        )
        for n in range(1, missed + 11)
    )
    live_session.last_seq = missed + 10
    live_session.save()
    with django_assert_max_num_queries(14):
        last_seq, _, frames = selectors.room_welcome(
            session_id=live_session.pk, actor=actor_of(participant_a), since=10
        )
    assert last_seq == missed + 10
    assert [json.loads(text)["seq"] for text in frames[1:]] == list(range(11, missed + 11))
    with django_assert_max_num_queries(1):
        selectors.resume_frames(session_id=live_session.pk, actor=actor_of(participant_a), since=10)


@pytest.mark.asyncio
async def test_a_client_that_reconnects_with_its_last_sequence_gets_what_it_missed_in_order(
    live_session, participant_a, union_official, join
):
    inspector = await join(participant_a, live_session)
    union = await join(union_official, live_session)
    await inspector.send({"type": "chat.send", "client_id": "before", "text": "Before the tunnel"})
    seen = (await inspector.expect("chat.message"))["seq"]
    await inspector.close()
    for n in range(4):
        await union.send({"type": "chat.send", "client_id": f"gone{n}", "text": f"While you were away {n}"})
        await union.expect("ack")
    back = await join(participant_a, live_session, since=seen)
    welcome = back.frames[0]
    assert welcome["resumed"] is True and welcome["last_seq"] == seen + 4
    missed = [await back.expect("chat.message") for _ in range(4)]
    assert [m["seq"] for m in missed] == [seen + 1, seen + 2, seen + 3, seen + 4]
    assert [m["client_id"] for m in missed] == ["gone0", "gone1", "gone2", "gone3"]
    await back.nothing_more()


@pytest.mark.asyncio
async def test_the_resume_frame_replays_the_log_after_a_sequence(live_session, participant_a, union_official, join):
    union = await join(union_official, live_session)
    for n in range(3):
        await union.send({"type": "chat.send", "client_id": f"r{n}", "text": f"line {n}"})
        await union.expect("ack")
    inspector = await join(participant_a, live_session)
    await inspector.send({"type": "resume", "since": 1, "ref": "r"})
    ack = await inspector.expect("ack", ref="r")
    assert ack["count"] == 2


@pytest.mark.asyncio
async def test_a_fresh_join_gets_the_recent_history_and_no_other_groups_talk(
    live_session, participant_a, union_official, join
):
    union = await join(union_official, live_session)
    await union.send({"type": "chat.send", "client_id": "h1", "text": "Worth keeping"})
    await union.expect("ack")
    late = await join(participant_a, live_session)
    assert late.frames[0]["resumed"] is False
    assert (await late.expect("chat.message"))["text"] == "Worth keeping"


class FakeSocket:
    def __init__(self, user_id: int, *, runs: bool = False, seat=None):
        self.actor = room.Actor(user_id=user_id, name="x", group="other", role="facilitator" if runs else "participant")
        self.seat = seat
        self.last_seq = 0
        self.live = True
        self.pending: list = []
        self.received: list[int] = []

    async def push(self, wire, seq):
        self.received.append(json.loads(wire.text).get("seq"))


@pytest.mark.asyncio
async def test_the_hub_delivers_in_sequence_order_and_fills_gaps_from_the_log(
    live_session, participant_a, union_official
):
    events = [await database_sync_to_async(post)(live_session, user, n) for n, user in enumerate([participant_a] * 3)]
    events += [await database_sync_to_async(post)(live_session, union_official, n) for n in range(3, 5)]
    hub = Hub()
    socket = FakeSocket(99)
    from roundtables.hub import RoomSockets

    hub.rooms[live_session.pk] = RoomSockets(live_session.pk, sockets={socket}, delivered=0)
    # Broadcasts arrive out of order, one twice, one never (its sender died).
    for index in (1, 0, 1, 4):
        await hub.deliver(room_message(events[index]))
    assert socket.received == [1, 2, 3, 4, 5]


@pytest.mark.asyncio
async def test_the_hub_catches_up_on_broadcasts_that_never_came(live_session, participant_a):
    events = [await database_sync_to_async(post)(live_session, participant_a, n) for n in range(2)]
    hub = Hub()
    from roundtables.hub import RoomSockets

    socket = FakeSocket(99)
    hub.rooms[live_session.pk] = RoomSockets(live_session.pk, sockets={socket}, delivered=0)
    await hub.deliver(room_message(events[0]))
    await hub.catch_up()
    assert socket.received == [1, 2]


@pytest.mark.asyncio
async def test_breakout_events_reach_only_their_group_and_the_facilitators(live_session, participant_a):
    hub = Hub()
    from roundtables.hub import RoomSockets

    inside, outside, facilitator = FakeSocket(1, seat=7), FakeSocket(2, seat=8), FakeSocket(3, runs=True)
    hub.rooms[live_session.pk] = RoomSockets(live_session.pk, sockets={inside, outside, facilitator}, delivered=0)
    message = {"type": "roundtable.frame", "session": live_session.pk, "seq": 1, "scope": 7, "text": '{"seq":1}'}
    await hub.deliver(message)
    assert (inside.received, outside.received, facilitator.received) == ([1], [], [1])
    # The sequence still advances for the socket that did not see it: no duplicate later.
    assert outside.last_seq == 1


def test_posting_a_message_takes_a_fixed_number_of_queries(
    live_session, participant_a, union_official, django_assert_max_num_queries
):
    post(live_session, participant_a, 1)
    post(live_session, union_official, 2)
    with django_assert_max_num_queries(6):  # earlier/rate, sequence, checks, insert (+ transaction)
        post(live_session, participant_a, 3)
