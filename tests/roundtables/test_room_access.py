"""Who may open a room's websocket, and how access that ends closes it."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session

from academy.models import Membership
from roundtables.models import RoomConnection
from roundtables.protocol import CloseCode, ErrorCode
from tests.factories import RoundtableSessionFactory
from tests.roundtables.conftest import open_socket, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_members_and_facilitators_connect(live_session, participant_a, facilitator_a, observer, join):
    for user in (participant_a, facilitator_a, observer):
        socket = await join(user, live_session)
        assert socket.frames[0]["you"]["id"] == user.pk


async def test_staff_connect_and_run_the_room(live_session, staff, join):
    socket = await join(staff, live_session)
    assert socket.frames[0]["you"]["runs"] is True


@pytest.fixture(params=["outsider", "participant_b", "facilitator_b", "trainer"])
def someone_outside(request):
    return request.getfixturevalue(request.param)


async def test_people_outside_the_cohort_are_refused_before_the_handshake(live_session, someone_outside):
    connected, _ = await open_socket(someone_outside, live_session)
    assert connected is False
    assert await database_sync_to_async(RoomConnection.objects.count)() == 0


async def test_a_visitor_without_a_session_is_refused(live_session):
    connected, _ = await open_socket(None, live_session)
    assert connected is False


async def test_a_forged_session_cookie_is_refused(live_session):
    connected, _ = await open_socket(None, live_session, session_key="not-a-real-session-key")
    assert connected is False


async def test_a_foreign_origin_is_refused(live_session, participant_a):
    connected, _ = await open_socket(participant_a, live_session, origin="https://evil.example.com")
    assert connected is False


async def test_a_missing_origin_is_refused(live_session, participant_a):
    connected, _ = await open_socket(participant_a, live_session, origin="")
    assert connected is False


async def test_an_unknown_session_is_refused_like_a_foreign_one(live_session, participant_a):
    live_session.pk = 999_999
    connected, _ = await open_socket(participant_a, live_session)
    assert connected is False


async def test_a_sixth_socket_is_closed_with_too_many_sockets(live_session, participant_a, join):
    for _ in range(5):
        await join(participant_a, live_session)
    connected, socket = await open_socket(participant_a, live_session)
    assert connected
    error = await socket.expect("error")
    assert error["code"] == ErrorCode.TOO_MANY_SOCKETS
    closed = await socket.expect("__closed__")
    assert closed["code"] == CloseCode.TOO_MANY_SOCKETS


async def _closed_within(socket, seconds: float) -> int:
    started = asyncio.get_running_loop().time()
    closed = await socket.expect("__closed__", timeout=seconds)
    assert asyncio.get_running_loop().time() - started <= seconds
    return closed["code"]


async def test_removing_a_member_closes_their_sockets_within_five_seconds(
    live_session, participant_a, union_official, join
):
    removed = await join(participant_a, live_session)
    stays = await join(union_official, live_session)
    await database_sync_to_async(Membership.objects.filter(user=participant_a).delete)()
    assert await _closed_within(removed, 5) == CloseCode.ACCESS_REVOKED
    await stays.send({"type": "ping", "ref": "still-here"})
    assert (await stays.expect("pong"))["ref"] == "still-here"


async def test_deactivating_an_account_closes_its_sockets(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    participant_a.is_active = False
    await database_sync_to_async(participant_a.save)()
    assert await _closed_within(socket, 5) == CloseCode.ACCESS_REVOKED


async def test_signing_out_closes_the_sockets_of_that_session(live_session, participant_a):
    key = await database_sync_to_async(sign_in)(participant_a)
    connected, socket = await open_socket(participant_a, live_session, session_key=key)
    assert connected
    await socket.expect("welcome")
    # Signing out deletes the session (django.contrib.auth.logout → session.flush()).
    await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
    assert await _closed_within(socket, 5) == CloseCode.ACCESS_REVOKED


async def test_a_socket_is_bound_to_its_room(live_session, cohort_a, participant_a, facilitator_a, join):
    other = await database_sync_to_async(RoundtableSessionFactory)(cohort=cohort_a, title="Another session")
    here = await join(participant_a, live_session)
    there = await join(facilitator_a, other)
    # A frame that names another room acts on its own room all the same.
    await here.send({"type": "chat.send", "client_id": "m1", "text": "Hello", "session": other.pk, "room": other.pk})
    message = await here.expect("chat.message")
    assert message["seq"] == 1
    await there.nothing_more()
    assert await database_sync_to_async(lambda: other.events.count())() == 0
