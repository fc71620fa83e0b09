"""Every client frame of the room, with its errors, over real websockets through the
project's ASGI application."""

import json

import pytest
from channels.db import database_sync_to_async

from roundtables.models import ActionPoint, Mute, PollVote, RoomEvent, RoundtableSession
from roundtables.protocol import MAX_FRAME_BYTES, MAX_MESSAGE_CHARS, ErrorCode
from tests.factories import AgendaItemFactory, RoundtableSessionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def error_for(socket, frame: dict | str) -> dict:
    if isinstance(frame, str):
        await socket.send_text(frame)
    else:
        await socket.send(frame)
    return await socket.expect("error")


async def still_open(socket) -> None:
    await socket.send({"type": "ping", "ref": "alive"})
    assert (await socket.expect("pong"))["ref"] == "alive"


def count(queryset) -> int:
    return queryset.count()


# ------------------------------------------------------------------------------
# Welcome and chat
# ------------------------------------------------------------------------------
async def test_the_welcome_describes_the_room_and_the_person(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    welcome = socket.frames[0]
    assert welcome["session"]["privacy"] == "named"
    assert [item["title"] for item in welcome["state"]["agenda"]] == [
        "Opening circle: one concern each",
        "Overtime limits in peak season",
    ]
    assert welcome["you"] == {
        "id": participant_a.pk,
        "name": "Vannak Heng",
        "group": "labour_inspectorate",
        "role": "participant",
        "runs": False,
        "speaks": True,
        "seat": None,
    }
    assert welcome["state"]["turns"]["trade_union"] == 0
    assert welcome["last_seq"] == 0


async def test_a_message_reaches_everyone_once_with_the_next_sequence(
    live_session, facilitator_a, participant_a, union_official, join
):
    sockets = [await join(user, live_session) for user in (facilitator_a, participant_a, union_official)]
    await sockets[1].send({"type": "chat.send", "client_id": "a1", "text": "  Overtime caps need checking.  "})
    ack = await sockets[1].expect("ack", ref=None)
    assert ack["for"] == "chat.send" and ack["seq"] == 1 and ack["client_id"] == "a1"
    assert ack["message"]["text"] == "Overtime caps need checking."
    for socket in sockets:
        frame = await socket.expect("chat.message")
        assert frame["seq"] == 1
        assert frame["author"] == {"id": participant_a.pk, "name": "Vannak Heng", "group": "labour_inspectorate"}
        await socket.nothing_more()


async def test_a_resend_with_the_same_client_id_returns_the_original(live_session, participant_a, union_official, join):
    sender = await join(participant_a, live_session)
    other = await join(union_official, live_session)
    await sender.send({"type": "chat.send", "client_id": "same", "text": "First words"})
    first = await sender.expect("ack")
    await sender.send({"type": "chat.send", "client_id": "same", "text": "First words", "ref": "again"})
    second = await sender.expect("ack", ref="again")
    assert second["seq"] == first["seq"] and second["message"] == first["message"]
    await other.expect("chat.message")
    await other.nothing_more()
    assert await database_sync_to_async(count)(RoomEvent.objects.filter(client_id="same")) == 1


async def test_the_same_client_id_from_another_person_is_another_message(
    live_session, participant_a, union_official, join
):
    first = await join(participant_a, live_session)
    second = await join(union_official, live_session)
    await first.send({"type": "chat.send", "client_id": "x", "text": "one"})
    await second.send({"type": "chat.send", "client_id": "x", "text": "two"})
    assert (await first.expect("ack"))["seq"] != (await second.expect("ack"))["seq"]


@pytest.mark.parametrize(
    ("frame", "detail"),
    [
        ({"type": "chat.send", "client_id": "c", "text": "x" * (MAX_MESSAGE_CHARS + 1)}, "text: at most 4000"),
        ({"type": "chat.send", "client_id": "c", "text": "   "}, "text: must not be empty"),
        ({"type": "chat.send", "client_id": "c", "text": 42}, "text: a string"),
        ({"type": "chat.send", "client_id": 7, "text": "hi"}, "client_id: a string"),
        ({"type": "chat.send", "text": "hi"}, "client_id: a string"),
        ({"type": "chat.send", "client_id": "c" * 65, "text": "hi"}, "client_id: at most 64"),
        ({"type": "poll.vote", "poll_id": "1", "option": 0}, "poll_id: an integer"),
        ({"type": "poll.vote", "poll_id": True, "option": 0}, "poll_id: an integer"),
        ({"type": "ping", "last_seq": 1.5}, "last_seq: an integer"),
        ({"type": "ping", "ref": 12}, "ref: a string"),
    ],
)
async def test_wrong_fields_get_an_error_and_the_socket_stays_open(live_session, participant_a, join, frame, detail):
    socket = await join(participant_a, live_session)
    error = await error_for(socket, frame)
    assert error["code"] == ErrorCode.BAD_FIELD
    assert detail in error["detail"]
    await still_open(socket)
    assert await database_sync_to_async(count)(RoomEvent.objects.all()) == 0


async def test_a_message_of_exactly_4000_characters_is_accepted(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    await socket.send({"type": "chat.send", "client_id": "long", "text": "x" * MAX_MESSAGE_CHARS})
    assert (await socket.expect("chat.message"))["text"] == "x" * MAX_MESSAGE_CHARS


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", ErrorCode.BAD_JSON),
        ("[1, 2, 3]", ErrorCode.BAD_JSON),
        ('"a string"', ErrorCode.BAD_JSON),
        ("[" * 5000 + "]" * 5000, ErrorCode.BAD_JSON),
        ('{"type": "chat.shout"}', ErrorCode.UNKNOWN_TYPE),
        ('{"no": "type"}', ErrorCode.UNKNOWN_TYPE),
        ('{"type": 5}', ErrorCode.UNKNOWN_TYPE),
    ],
)
async def test_malformed_frames_get_an_error_and_the_socket_stays_open(live_session, participant_a, join, text, code):
    socket = await join(participant_a, live_session)
    assert (await error_for(socket, text))["code"] == code
    await still_open(socket)


async def test_a_frame_over_16_kib_is_refused(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    frame = json.dumps({"type": "chat.send", "client_id": "big", "text": "é" * (MAX_FRAME_BYTES // 2)})
    assert (await error_for(socket, frame))["code"] == ErrorCode.FRAME_TOO_LARGE
    await still_open(socket)


async def test_a_binary_frame_is_refused(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    await socket.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await socket.expect("error"))["code"] == ErrorCode.BINARY_FRAME
    await still_open(socket)


async def test_a_flood_is_limited_to_five_messages_in_five_seconds(live_session, participant_a, join):
    socket = await join(participant_a, live_session)
    for n in range(6):
        await socket.send({"type": "chat.send", "client_id": f"f{n}", "text": f"message {n}", "ref": f"f{n}"})
    for n in range(5):
        assert (await socket.expect("ack", ref=f"f{n}"))["seq"] == n + 1
    error = await socket.expect("error")
    assert error["code"] == ErrorCode.RATE_LIMITED and error["ref"] == "f5"
    await still_open(socket)
    assert await database_sync_to_async(count)(RoomEvent.objects.filter(kind="chat.message")) == 5


async def test_observers_read_but_do_not_write(live_session, observer, join):
    socket = await join(observer, live_session)
    for frame in (
        {"type": "chat.send", "client_id": "o", "text": "hello"},
        {"type": "hand.raise"},
        {"type": "poll.vote", "poll_id": 1, "option": 0},
    ):
        assert (await error_for(socket, frame))["code"] == ErrorCode.FORBIDDEN


# ------------------------------------------------------------------------------
# Facilitator frames from a participant: refused, nothing changes
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "frame",
    [
        {"type": "floor.give"},
        {"type": "agenda.set", "item_id": 1},
        {"type": "poll.open", "question": "Q?", "options": ["a", "b"]},
        {"type": "poll.close", "poll_id": 1},
        {"type": "message.remove", "seq": 1},
        {"type": "member.mute", "user_id": 1},
        {"type": "member.unmute", "user_id": 1},
        {"type": "room.lock"},
        {"type": "room.unlock"},
        {"type": "session.end"},
        {"type": "breakouts.start", "mode": "mixed", "groups": 2, "minutes": 10},
        {"type": "breakouts.end"},
        {"type": "action.add", "text": "Fix it"},
    ],
)
async def test_forged_facilitator_actions_are_refused(live_session, participant_a, join, frame):
    socket = await join(participant_a, live_session)
    assert (await error_for(socket, frame))["code"] == ErrorCode.FORBIDDEN
    session = await database_sync_to_async(RoundtableSession.objects.get)(pk=live_session.pk)
    assert session.last_seq == 0 and not session.locked and session.ended_at is None


# ------------------------------------------------------------------------------
# Hands, the floor, turns, agenda
# ------------------------------------------------------------------------------
async def test_hands_queue_in_order_and_the_floor_counts_turns_per_group(
    live_session, facilitator_a, participant_a, union_official, join
):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    union = await join(union_official, live_session)
    await union.send({"type": "hand.raise"})
    await facilitator.expect("hand.raised")
    await inspector.send({"type": "hand.raise"})
    raised = await facilitator.expect("hand.raised", timeout=3)
    raised = await facilitator.expect("hand.raised") if raised["user"]["id"] != participant_a.pk else raised
    assert [p["id"] for p in raised["queue"]] == [union_official.pk, participant_a.pk]
    await inspector.send({"type": "hand.raise", "ref": "twice"})
    assert (await inspector.expect("ack", ref="twice"))["seq"] is None  # already up: nothing changes

    await facilitator.send({"type": "floor.give"})
    given = await inspector.expect("floor.given")
    assert given["speaker"]["id"] == union_official.pk
    assert [p["id"] for p in given["queue"]] == [participant_a.pk]
    assert given["turns"]["trade_union"] == 1 and given["turns"]["brand"] == 0

    await inspector.send({"type": "hand.lower"})
    lowered = await facilitator.expect("hand.lowered")
    assert lowered["queue"] == []
    assert (await error_for(facilitator, {"type": "floor.give"}))["code"] == ErrorCode.CONFLICT


async def test_a_participant_cannot_lower_someone_elses_hand(live_session, participant_a, union_official, join):
    union = await join(union_official, live_session)
    inspector = await join(participant_a, live_session)
    await union.send({"type": "hand.raise"})
    await inspector.expect("hand.raised")
    error = await error_for(inspector, {"type": "hand.lower", "user_id": union_official.pk})
    assert error["code"] == ErrorCode.FORBIDDEN


async def test_the_floor_cannot_go_to_someone_outside_the_cohort(live_session, facilitator_a, participant_b, join):
    facilitator = await join(facilitator_a, live_session)
    error = await error_for(facilitator, {"type": "floor.give", "user_id": participant_b.pk})
    assert error["code"] == ErrorCode.NOT_FOUND


async def test_the_agenda_moves_for_everyone(live_session, facilitator_a, participant_a, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    second = facilitator.frames[0]["state"]["agenda"][1]
    await facilitator.send({"type": "agenda.set", "item_id": second["id"]})
    assert (await inspector.expect("agenda.current"))["item"] == second
    await facilitator.send({"type": "agenda.set", "item_id": None})
    assert (await inspector.expect("agenda.current"))["item"] is None


async def test_an_agenda_item_of_another_session_is_not_found(live_session, cohort_a, facilitator_a, join):
    other = await database_sync_to_async(RoundtableSessionFactory)(cohort=cohort_a)
    foreign = await database_sync_to_async(AgendaItemFactory)(session=other)
    facilitator = await join(facilitator_a, live_session)
    assert (await error_for(facilitator, {"type": "agenda.set", "item_id": foreign.pk}))["code"] == ErrorCode.NOT_FOUND


# ------------------------------------------------------------------------------
# Polls
# ------------------------------------------------------------------------------
async def test_a_poll_counts_one_vote_per_member_live(live_session, facilitator_a, participant_a, union_official, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    union = await join(union_official, live_session)
    question = {"type": "poll.open", "question": "Which topic first?", "options": ["Overtime", "Fire safety", "Wages"]}
    await facilitator.send(question)
    poll = (await inspector.expect("poll.opened"))["poll"]
    assert poll["counts"] == [0, 0, 0] and poll["closed"] is False
    assert (await error_for(facilitator, question))["code"] == ErrorCode.CONFLICT

    await inspector.send({"type": "poll.vote", "poll_id": poll["id"], "option": 1})
    results = await union.expect("poll.results")
    assert results["poll"]["counts"] == [0, 1, 0]
    assert "user" not in results and "author" not in results  # never who voted
    vote_again = {"type": "poll.vote", "poll_id": poll["id"], "option": 0}
    assert (await error_for(inspector, vote_again))["code"] == ErrorCode.ALREADY_VOTED
    no_such_option = {"type": "poll.vote", "poll_id": poll["id"], "option": 3}
    assert (await error_for(union, no_such_option))["code"] == ErrorCode.BAD_FIELD

    await facilitator.send({"type": "poll.close", "poll_id": poll["id"]})
    closed = await union.expect("poll.closed")
    assert closed["poll"]["closed"] is True and closed["poll"]["total"] == 1
    assert (await error_for(union, vote_again))["code"] == ErrorCode.POLL_CLOSED
    close_again = {"type": "poll.close", "poll_id": poll["id"]}
    assert (await error_for(facilitator, close_again))["code"] == ErrorCode.POLL_CLOSED
    assert await database_sync_to_async(count)(PollVote.objects.all()) == 1


async def test_a_poll_of_another_room_is_not_found(live_session, cohort_b, facilitator_a, participant_a, join):
    from roundtables.models import Poll

    other = await database_sync_to_async(RoundtableSessionFactory)(cohort=cohort_b)
    foreign = await database_sync_to_async(Poll.objects.create)(session=other, question="Elsewhere", options=["a", "b"])
    inspector = await join(participant_a, live_session)
    facilitator = await join(facilitator_a, live_session)
    vote = {"type": "poll.vote", "poll_id": foreign.pk, "option": 0}
    assert (await error_for(inspector, vote))["code"] == ErrorCode.NOT_FOUND
    close = {"type": "poll.close", "poll_id": foreign.pk}
    assert (await error_for(facilitator, close))["code"] == ErrorCode.NOT_FOUND


# ------------------------------------------------------------------------------
# Moderation
# ------------------------------------------------------------------------------
async def test_a_removed_message_leaves_the_room_and_its_history(live_session, facilitator_a, participant_a, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    await inspector.send({"type": "chat.send", "client_id": "r1", "text": "Something out of line"})
    message = await facilitator.expect("chat.message")
    await facilitator.send({"type": "message.remove", "seq": message["seq"]})
    removed = await inspector.expect("chat.removed")
    assert removed["removed_seq"] == message["seq"]
    again = {"type": "message.remove", "seq": message["seq"]}
    assert (await error_for(facilitator, again))["code"] == ErrorCode.CONFLICT
    assert (await error_for(facilitator, {"type": "message.remove", "seq": 999}))["code"] == ErrorCode.NOT_FOUND
    late = await join(participant_a, live_session)
    history = await late.expect("chat.message")
    assert history["removed"] is True and history["text"] == ""


async def test_a_muted_participant_cannot_write_raise_a_hand_or_vote(live_session, facilitator_a, participant_a, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    await inspector.send({"type": "hand.raise"})
    await facilitator.expect("hand.raised")
    await facilitator.send({"type": "member.mute", "user_id": participant_a.pk})
    muted = await inspector.expect("member.muted")
    assert muted["user"]["id"] == participant_a.pk and muted["queue"] == []
    chat = {"type": "chat.send", "client_id": "m", "text": "Can you hear me?"}
    assert (await error_for(inspector, chat))["code"] == ErrorCode.MUTED
    assert (await error_for(inspector, {"type": "hand.raise"}))["code"] == ErrorCode.MUTED
    await facilitator.send({"type": "member.unmute", "user_id": participant_a.pk})
    await inspector.expect("member.unmuted")
    await inspector.send(chat)
    assert (await inspector.expect("ack"))["seq"] is not None
    assert await database_sync_to_async(count)(Mute.objects.all()) == 0


async def test_facilitators_cannot_be_muted_and_strangers_are_not_found(
    live_session, facilitator_a, staff, participant_b, join
):
    facilitator = await join(facilitator_a, live_session)
    own = {"type": "member.mute", "user_id": facilitator_a.pk}
    assert (await error_for(facilitator, own))["code"] == ErrorCode.FORBIDDEN
    stranger = {"type": "member.mute", "user_id": participant_b.pk}
    assert (await error_for(facilitator, stranger))["code"] == ErrorCode.NOT_FOUND


async def test_a_locked_room_lets_only_facilitators_write(live_session, facilitator_a, participant_a, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    await facilitator.send({"type": "room.lock"})
    await inspector.expect("room.locked")
    chat = {"type": "chat.send", "client_id": "l", "text": "Let me in"}
    assert (await error_for(inspector, chat))["code"] == ErrorCode.LOCKED
    await facilitator.send({"type": "chat.send", "client_id": "f", "text": "Five minutes of silent reading."})
    await inspector.expect("chat.message")
    await facilitator.send({"type": "room.unlock"})
    await inspector.expect("room.unlocked")
    await inspector.send(chat)
    assert (await inspector.expect("ack"))["seq"] is not None


async def test_ending_the_session_closes_polls_and_turns_the_room_read_only(
    live_session, facilitator_a, participant_a, join
):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    await facilitator.send({"type": "poll.open", "question": "Useful?", "options": ["Yes", "No"]})
    await inspector.expect("poll.opened")
    await facilitator.send({"type": "session.end"})
    await inspector.expect("session.ended")
    chat = {"type": "chat.send", "client_id": "e", "text": "One more thing"}
    assert (await error_for(inspector, chat))["code"] == ErrorCode.ENDED
    assert (await error_for(facilitator, {"type": "session.end"}))["code"] == ErrorCode.ENDED
    await still_open(inspector)
    welcome = (await join(participant_a, live_session)).frames[0]
    assert welcome["state"]["ended"] is True and welcome["state"]["polls"][0]["closed"] is True


# ------------------------------------------------------------------------------
# Breakouts
# ------------------------------------------------------------------------------
async def test_mixed_breakouts_balance_groups_and_keep_their_talk_private(
    live_session, cohort_a, facilitator_a, participant_a, union_official, factory_manager, brand_staff, join
):
    from academy.choices import StakeholderGroup
    from tests.factories import MembershipFactory

    second_inspector = await database_sync_to_async(UserFactory)(
        display_name="Sophea Lim", stakeholder_group=StakeholderGroup.LABOUR_INSPECTORATE
    )
    await database_sync_to_async(MembershipFactory)(user=second_inspector, cohort=cohort_a)
    facilitator = await join(facilitator_a, live_session)
    people = {
        user.pk: await join(user, live_session)
        for user in (participant_a, second_inspector, union_official, factory_manager, brand_staff)
    }
    await facilitator.send({"type": "breakouts.start", "mode": "mixed", "groups": 2, "minutes": 15})
    started = await facilitator.expect("breakouts.started")
    groups = started["round"]["groups"]
    assert len(groups) == 2 and sorted(len(g["members"]) for g in groups) == [2, 3]
    # The two inspectors are dealt into different groups.
    inspectors = {participant_a.pk, second_inspector.pk}
    assert all(len(inspectors & {m["id"] for m in g["members"]}) == 1 for g in groups)

    group_one, group_two = ({m["id"] for m in g["members"]} for g in groups)
    speaker = next(iter(group_one))
    await people[speaker].send({"type": "chat.send", "client_id": "b1", "text": "In our group"})
    message = await facilitator.expect("chat.message")
    assert message["breakout"] == groups[0]["id"]
    for user_id in group_one:
        await people[user_id].expect("chat.message", breakout=groups[0]["id"])
    for user_id in group_two:
        await people[user_id].nothing_more(ignore=("presence", "breakouts.started"))

    await people[speaker].send({"type": "note.add", "client_id": "n1", "text": "Agree a shared overtime register"})
    note = await facilitator.expect("note.added")
    assert note["breakout"] == groups[0]["id"]

    await facilitator.send({"type": "breakouts.start", "mode": "mixed", "groups": 2, "minutes": 5})
    assert (await facilitator.expect("error"))["code"] == ErrorCode.CONFLICT
    await facilitator.send({"type": "breakouts.end"})
    await people[speaker].expect("breakouts.ended")
    await people[speaker].send({"type": "chat.send", "client_id": "b2", "text": "Back in the plenary"})
    for socket in people.values():
        plenary = await socket.expect("chat.message", client_id="b2")
        assert "breakout" not in plenary
    outside = {"type": "note.add", "client_id": "n2", "text": "late note"}
    assert (await error_for(people[speaker], outside))["code"] == ErrorCode.CONFLICT


async def test_caucus_breakouts_make_one_group_per_constituency(
    live_session, facilitator_a, participant_a, union_official, factory_manager, join
):
    facilitator = await join(facilitator_a, live_session)
    for user in (participant_a, union_official, factory_manager):
        await join(user, live_session)
    await facilitator.send({"type": "breakouts.start", "mode": "caucus", "minutes": 10})
    groups = (await facilitator.expect("breakouts.started"))["round"]["groups"]
    assert [[m["group"] for m in g["members"]] for g in groups] == [
        ["labour_inspectorate"],
        ["trade_union"],
        ["factory_management"],
    ]


async def test_breakouts_need_two_participants_and_a_group_count(live_session, facilitator_a, participant_a, join):
    facilitator = await join(facilitator_a, live_session)
    await join(participant_a, live_session)
    no_count = {"type": "breakouts.start", "mode": "mixed", "minutes": 10}
    assert (await error_for(facilitator, no_count))["code"] == ErrorCode.BAD_FIELD
    alone = {"type": "breakouts.start", "mode": "caucus", "minutes": 10}
    assert (await error_for(facilitator, alone))["code"] == ErrorCode.CONFLICT
    assert (await error_for(facilitator, {"type": "breakouts.end"}))["code"] == ErrorCode.CONFLICT
    bad_mode = {"type": "breakouts.start", "mode": "random", "groups": 2, "minutes": 10}
    assert (await error_for(facilitator, bad_mode))["code"] == ErrorCode.BAD_FIELD


# ------------------------------------------------------------------------------
# Action points
# ------------------------------------------------------------------------------
async def test_action_points_have_an_owner_and_a_due_date(
    live_session, facilitator_a, union_official, participant_a, participant_b, join
):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    await facilitator.send(
        {
            "type": "action.add",
            "text": "Share the overtime register template",
            "owner_id": union_official.pk,
            "due_date": "2026-12-15",
        }
    )
    action = (await inspector.expect("action.added"))["action"]
    assert action["owner"]["id"] == union_official.pk and action["due_date"] == "2026-12-15"
    stranger = {"type": "action.add", "text": "x", "owner_id": participant_b.pk}
    assert (await error_for(facilitator, stranger))["code"] == ErrorCode.NOT_FOUND
    bad_date = {"type": "action.add", "text": "x", "due_date": "15/12/2026"}
    assert (await error_for(facilitator, bad_date))["code"] == ErrorCode.BAD_FIELD
    assert await database_sync_to_async(count)(ActionPoint.objects.all()) == 1


# ------------------------------------------------------------------------------
# Presence
# ------------------------------------------------------------------------------
async def test_presence_shows_who_is_in_the_room_and_from_which_group(
    live_session, facilitator_a, participant_a, union_official, join
):
    facilitator = await join(facilitator_a, live_session)
    await join(participant_a, live_session)
    union = await join(union_official, live_session)

    async def presence_of(socket, size):
        while True:
            frame = await socket.expect("presence")
            if len(frame["people"]) == size:
                return frame["people"]

    people = await presence_of(facilitator, 3)
    assert [(p["name"], p["group"], p["role"]) for p in people] == [
        ("Vannak Heng", "labour_inspectorate", "participant"),
        ("Chenda Sok", "trade_union", "participant"),
        ("Sreymom Keo", "programme_staff", "facilitator"),
    ]
    await union.close()
    assert [p["name"] for p in await presence_of(facilitator, 2)] == ["Vannak Heng", "Sreymom Keo"]
