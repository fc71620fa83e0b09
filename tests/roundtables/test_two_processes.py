"""The live room across two server processes, and a crash in the middle of a session.

Two daphne processes (A and B) serve the same room through the Redis channel layer and
the same PostgreSQL database (the test database: the data this test writes is committed,
`transaction=True`, so the servers see it). People sit on both:

    A: the facilitator, the labour inspector
    B: the union official, the factory manager, and the facilitator's second tab

Everything crosses between them: presence, chat, the agenda, hands and the floor, a
poll, and a round of mixed breakouts, whose messages reach only their group (and the
facilitators) on both processes. Then B is killed with SIGKILL while the union official
has a message in flight; the people on A carry on (a breakout message, a facilitator's
word to the union official's group, the end of the breakouts, a plenary message), and
B's people reconnect to A with `?since=` the last sequence they saw and resend what they
had not seen acknowledged. They receive every event they may see after that sequence,
in order, exactly once (compared frame by frame with the facilitator, who stayed on A
and sees everything), and each resend leaves exactly one message in the database.

Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); skipped, saying so, without them.
The room gets a random id, so its channel-layer group (`roundtable.<id>`) is this run's
alone whatever other runs left in Redis.
"""

import os
import random

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from roundtables.models import RoomEvent, RoundtableSession
from tests.factories import AgendaItemFactory, RoundtableSessionFactory
from tests.roundtables.conftest import sign_in
from tests.roundtables.servers import DaphneServer, RoomClient, database_url_for


def _missing_services() -> str | None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (two server processes share the database)"
    if not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://… (two server processes share the channel layer)"
    return None


MISSING_SERVICES = _missing_services()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.skipif(MISSING_SERVICES is not None, reason=MISSING_SERVICES or ""),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Daphne processes A and B on the test database and REDIS_URL; stopped whatever happens."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.test",
        "DATABASE_URL": database_url_for(os.environ["DATABASE_URL"], connection.settings_dict["NAME"]),
        "REDIS_URL": os.environ["REDIS_URL"],
        "PYTHONUNBUFFERED": "1",
    }
    started = [DaphneServer("A", env, tmp_path), DaphneServer("B", env, tmp_path)]
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_until_healthy()
        yield started
    finally:
        for server in started:
            server.stop()
        for server in started:  # shown by pytest only when the test fails
            print(f"----- daphne {server.name} log (tail) -----\n{server.log_tail()}")


@pytest.fixture
def room(cohort_a, facilitator_a, participant_a, union_official, factory_manager):
    session = RoundtableSessionFactory(
        pk=random.randint(10**8, 2**31 - 1),  # a group name no other run uses
        cohort=cohort_a,
        title="Wages and overtime: a joint agenda",
        created_by=facilitator_a,
    )
    AgendaItemFactory(session=session, position=1, title="Opening circle: one concern each")
    AgendaItemFactory(session=session, position=2, title="Overtime limits in peak season")
    return session


def ids(frame: dict) -> set[int]:
    return {person["id"] for person in frame["people"]}


def chat(client_id: str, text: str, **extra) -> dict:
    return {"type": "chat.send", "client_id": client_id, "text": text, **extra}


def assert_in_order_once(client: RoomClient) -> None:
    seqs = [frame["seq"] for frame in client.events()]
    assert seqs == sorted(set(seqs)), f"{client.name} got events out of order or twice: {seqs}"


@sync_to_async
def rows_with_client_id(session_id: int, author_id: int, client_id: str) -> list[int]:
    return list(
        RoomEvent.objects.filter(session_id=session_id, author_id=author_id, client_id=client_id).values_list(
            "seq", flat=True
        )
    )


@sync_to_async
def logged_seqs(session_id: int) -> tuple[list[int], int]:
    seqs = list(RoomEvent.objects.filter(session_id=session_id).order_by("seq").values_list("seq", flat=True))
    return seqs, RoundtableSession.objects.get(pk=session_id).last_seq


@pytest.mark.asyncio
async def test_two_processes_share_the_room_and_a_crashed_processs_clients_resume_on_the_other(
    servers, room, facilitator_a, participant_a, union_official, factory_manager
):
    a, b = servers
    sid = room.pk
    facilitator_id, inspector_id, union_id, manager_id = (
        facilitator_a.pk,
        participant_a.pk,
        union_official.pk,
        factory_manager.pk,
    )
    everyone = {facilitator_id, inspector_id, union_id, manager_id}
    participants = {inspector_id, union_id, manager_id}
    keys = {
        user.pk: await sync_to_async(sign_in)(user)
        for user in (facilitator_a, participant_a, union_official, factory_manager)
    }
    agenda = [item.pk for item in await sync_to_async(list)(room.agenda_items.order_by("position"))]
    clients: list[RoomClient] = []

    async def join(name: str, server: DaphneServer, user_id: int, since: int | None = None):
        client, welcome = await RoomClient.open(name, server, sid, keys[user_id], since=since)
        clients.append(client)
        return client, welcome

    try:
        # ---------------------------------------------------------------- presence
        facilitator, _ = await join("facilitator", a, facilitator_id)
        inspector, _ = await join("inspector", a, inspector_id)
        union, _ = await join("union official", b, union_id)
        manager, _ = await join("factory manager", b, manager_id)
        facilitator_b, welcome = await join("facilitator's second tab", b, facilitator_id)
        assert welcome["you"]["runs"] is True
        live = [facilitator, inspector, union, manager, facilitator_b]
        for client in live:  # each process lists the people connected to the other
            await client.expect("presence", where=lambda frame: ids(frame) == everyone)

        # ---------------------------------------------------------------- chat, both ways
        sent = await inspector.request(chat("i-1", "Overtime caps need checking."))
        for client in live:
            await client.expect("chat.message", seq=sent["seq"], text="Overtime caps need checking.")
        sent = await union.request(chat("u-1", "Workers report 14-hour shifts."))
        for client in live:
            message = await client.expect("chat.message", seq=sent["seq"])
            assert message["author"]["id"] == union_id

        # ---------------------------------------------------------------- agenda, B to A
        moved = await facilitator_b.request({"type": "agenda.set", "item_id": agenda[1]})
        for client in live:
            frame = await client.expect("agenda.current", seq=moved["seq"])
            assert frame["item"]["id"] == agenda[1]

        # ---------------------------------------------------------------- hands and the floor
        await inspector.request({"type": "hand.raise"})
        for client in (union, manager, facilitator_b):  # raised on A, queued on B
            frame = await client.expect("hand.raised", where=lambda f: f["user"]["id"] == inspector_id)
            assert [p["id"] for p in frame["queue"]] == [inspector_id]
        await manager.request({"type": "hand.raise"})
        frame = await facilitator.expect("hand.raised", where=lambda f: f["user"]["id"] == manager_id)
        assert [p["id"] for p in frame["queue"]] == [inspector_id, manager_id]
        given = await facilitator_b.request({"type": "floor.give"})  # given on B, first hand first
        for client in (facilitator, inspector):
            frame = await client.expect("floor.given", seq=given["seq"])
            assert frame["speaker"]["id"] == inspector_id
            assert [p["id"] for p in frame["queue"]] == [manager_id]
            assert frame["turns"]["labour_inspectorate"] == 1

        # ---------------------------------------------------------------- a poll
        opened = await facilitator.request(
            {"type": "poll.open", "question": "Cap overtime at 2 hours a day?", "options": ["Yes", "No", "Not yet"]}
        )
        poll = (await union.expect("poll.opened", seq=opened["seq"]))["poll"]
        await manager.expect("poll.opened", seq=opened["seq"])
        await union.request({"type": "poll.vote", "poll_id": poll["id"], "option": 0})
        await manager.request({"type": "poll.vote", "poll_id": poll["id"], "option": 2})
        await inspector.request({"type": "poll.vote", "poll_id": poll["id"], "option": 0})
        for client in live:
            frame = await client.expect("poll.results", where=lambda f: f["poll"]["total"] == 3)
            assert frame["poll"]["counts"] == [2, 0, 1]
        closed = await facilitator_b.request({"type": "poll.close", "poll_id": poll["id"]})
        for client in (facilitator, inspector):
            frame = await client.expect("poll.closed", seq=closed["seq"])
            assert frame["poll"]["closed"] is True
            assert frame["poll"]["counts"] == [2, 0, 1]

        # ---------------------------------------------------------------- breakouts across processes
        started = await facilitator.request({"type": "breakouts.start", "mode": "mixed", "groups": 2, "minutes": 15})
        for client in live:
            frame = await client.expect("breakouts.started", seq=started["seq"])
        groups = {group["id"]: {m["id"] for m in group["members"]} for group in frame["round"]["groups"]}
        seat = {user_id: group_id for group_id, members in groups.items() for user_id in members}
        assert len(groups) == 2 and set(seat) == participants, groups
        assert len(groups[seat[inspector_id]]) == 2, f"a group should span A and B: {groups}"
        assert seat[union_id] != seat[inspector_id], f"the scenario expects the union official apart: {groups}"
        client_of = {inspector_id: inspector, union_id: union, manager_id: manager}
        group_messages = {}
        for group_id, members in groups.items():
            speaker = client_of[min(members)]
            ack = await speaker.request(chat(f"g-{group_id}", f"Group {group_id}: our first point."))
            assert ack["message"]["breakout"] == group_id
            group_messages[ack["seq"]] = group_id
            for user_id in members:
                await client_of[user_id].expect("chat.message", seq=ack["seq"])
            for client in (facilitator, facilitator_b):
                await client.expect("chat.message", seq=ack["seq"])
        plenary = await facilitator.request(chat("f-1", "Ten minutes left in your groups."))
        for client in live:  # events arrive in order: whoever has this, has what it may see before it
            await client.expect("chat.message", seq=plenary["seq"])
        for user_id, client in client_of.items():
            seen = {f["seq"] for f in client.events()}
            for seq, group_id in group_messages.items():
                assert (seq in seen) == (seat[user_id] == group_id), (
                    f"{client.name} (group {seat[user_id]}) and the message of group {group_id} (#{seq})"
                )
        for client in (facilitator, facilitator_b):
            assert set(group_messages) <= {f["seq"] for f in client.events()}

        # ---------------------------------------------------------------- B crashes with a message in flight
        # The factory manager's message is saved (the facilitator on A receives it) but
        # its ack is never read; the union official's is sent and B killed at once, so
        # it may or may not have been saved.
        manager_since = manager.last_seq()
        m_text = "Peak season orders come late."
        await manager.send(chat("m-pending", m_text))
        m_original = await facilitator.expect("chat.message", client_id="m-pending")
        union_since = union.last_seq()
        u_text = "We need the overtime register."
        await union.send(chat("u-pending", u_text))
        b.kill()
        union_before, manager_before = union, manager

        # ---------------------------------------------------------------- A carries on meanwhile
        outage = [
            await inspector.request(chat("i-2", "Our group agrees on a register.")),
            await facilitator.request(chat("f-2", "Union group: please share your notes.", breakout=seat[union_id])),
            await facilitator.request(chat("f-3", "Five minutes left.")),
            await facilitator.request({"type": "breakouts.end"}),
            await inspector.request(chat("i-3", "Back in the plenary.")),
        ]
        for ack in outage:
            await facilitator.expect(("chat.message", "breakouts.ended"), seq=ack["seq"])

        # ---------------------------------------------------------------- B's people reconnect to A
        union, u_welcome = await join("union official (reconnected)", a, union_id, since=union_since)
        manager, m_welcome = await join("factory manager (reconnected)", a, manager_id, since=manager_since)
        for welcome in (u_welcome, m_welcome):
            assert welcome["resumed"] is True
            assert welcome["you"]["seat"] is None  # the breakouts ended while they were away

        # Each resends what it never saw acknowledged, with the same client id.
        m_ack = await manager.request(chat("m-pending", m_text))
        assert m_ack["seq"] == m_original["seq"], "the saved message came back as a new one"
        assert m_ack["message"]["text"] == m_text
        u_ack = await union.request(chat("u-pending", u_text))
        assert u_ack["message"]["text"] == u_text
        saved_before_crash = u_ack["seq"] <= u_welcome["last_seq"]
        if saved_before_crash:  # B committed it before dying: the resend returns the original
            assert u_ack["message"]["breakout"] == seat[union_id]
        else:  # it was never saved: the resend posts it now, to the plenary
            assert "breakout" not in u_ack["message"]
            for client in (facilitator, inspector, union, manager):
                await client.expect("chat.message", seq=u_ack["seq"], client_id="u-pending")
        print(f"union official's in-flight message saved before the crash: {saved_before_crash}")
        assert await rows_with_client_id(sid, union_id, "u-pending") == [u_ack["seq"]]
        assert await rows_with_client_id(sid, manager_id, "m-pending") == [m_original["seq"]]

        # The reconnected people are present (listed by a presence frame sent after they joined).
        for client in (union, manager, facilitator):
            await client.expect("presence", where=lambda frame: {union_id, manager_id} <= ids(frame))

        # ---------------------------------------------------------------- nothing lost, nothing twice
        final = await facilitator.request(chat("f-4", "Thank you all."))
        for client in (facilitator, inspector, union, manager):
            await client.expect("chat.message", seq=final["seq"])

        logged, last_seq = await logged_seqs(sid)
        assert logged == list(range(1, last_seq + 1)) and last_seq == final["seq"]
        record = facilitator.events()  # the facilitator stayed on A and may see everything
        assert [f["seq"] for f in record] == logged, "the facilitator on A missed or repeated an event"

        def visible_to(user_id: int, after: int = 0) -> list[dict]:
            return [f for f in record if f["seq"] > after and f.get("breakout") in (None, seat[user_id])]

        assert inspector.events() == visible_to(inspector_id)
        for client, user_id, since in (
            (union_before, union_id, union_since),
            (manager_before, manager_id, manager_since),
        ):
            got = [f for f in client.events() if f["seq"] <= since]
            assert got == [f for f in visible_to(user_id) if f["seq"] <= since], f"{client.name} before the crash"
        for client, user_id, since in ((union, union_id, union_since), (manager, manager_id, manager_since)):
            expected = visible_to(user_id, after=since)
            got = client.events()
            assert [f["seq"] for f in got] == [f["seq"] for f in expected], f"{client.name} resumed after {since}"
            assert got == expected
        # The resume was filtered by group: the union official got the facilitator's word to
        # their group and the end of the breakouts, not the other group's messages.
        union_seqs = [f["seq"] for f in union.events()]
        assert outage[1]["seq"] in union_seqs and outage[3]["seq"] in union_seqs
        assert outage[0]["seq"] not in union_seqs and m_original["seq"] not in union_seqs
        for client in clients:
            assert_in_order_once(client)
    finally:
        for client in clients:
            await client.close()
