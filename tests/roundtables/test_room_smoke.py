import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_chat_reaches_everyone(live_session, facilitator_a, participant_a, union_official, join):
    facilitator = await join(facilitator_a, live_session)
    inspector = await join(participant_a, live_session)
    union = await join(union_official, live_session)
    await inspector.send({"type": "chat.send", "client_id": "c1", "text": "Overtime caps need checking."})
    ack = await inspector.expect("ack")
    assert ack["seq"] == 1
    for socket in (facilitator, inspector, union):
        frame = await socket.expect("chat.message")
        assert frame["text"] == "Overtime caps need checking."
    for socket in (facilitator, inspector, union):
        await socket.close()
