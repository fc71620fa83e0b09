"""The record after a session, its privacy mode, its exports, and attendance."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtables import room
from roundtables.choices import PrivacyMode
from roundtables.models import RoomConnection, RoomEvent, RoundtableSession, SpeakingTurn
from roundtables.record import attendance_of, session_record, sessions_attended

pytestmark = pytest.mark.django_db


def actor_of(user, role="participant") -> room.Actor:
    return room.Actor(user_id=user.pk, name=str(user), group=user.stakeholder_group, role=role)


@pytest.fixture
def held_session(live_session, facilitator_a, participant_a, union_official):
    """A session that took place: messages, a removed one, a poll, an action, attendance."""
    facilitator = actor_of(facilitator_a, "facilitator")
    room.message_post(
        session_id=live_session.pk, actor=actor_of(participant_a), client_id="1", text="Overtime is logged by hand."
    )
    room.message_post(
        session_id=live_session.pk, actor=actor_of(union_official), client_id="2", text="Workers sign blank sheets."
    )
    removed = room.message_post(
        session_id=live_session.pk, actor=actor_of(union_official), client_id="3", text="Off topic"
    )
    room.message_remove(session_id=live_session.pk, actor=facilitator, seq=removed.seq)
    poll = room.poll_open(
        session_id=live_session.pk, actor=facilitator, question="Which first?", options=["Overtime", "Fire exits"]
    )
    room.poll_vote(
        session_id=live_session.pk, actor=actor_of(participant_a), poll_id=poll.payload["poll"]["id"], option=0
    )
    room.action_add(
        session_id=live_session.pk,
        actor=facilitator,
        text="Draft a shared overtime register",
        owner_id=union_official.pk,
        due_date=timezone.localdate() + timedelta(days=14),
    )
    start = live_session.starts_at
    RoomConnection.objects.create(
        session=live_session,
        user=participant_a,
        joined_at=start,
        last_seen_at=start,
        left_at=start + timedelta(minutes=50),
    )
    # Two overlapping sockets (phone and laptop) count once.
    RoomConnection.objects.create(
        session=live_session, user=union_official, joined_at=start, left_at=start + timedelta(minutes=30)
    )
    RoomConnection.objects.create(
        session=live_session,
        user=union_official,
        joined_at=start + timedelta(minutes=20),
        left_at=start + timedelta(minutes=40),
    )
    room.session_end(session_id=live_session.pk, actor=facilitator)
    live_session.refresh_from_db()
    return live_session


def test_attendance_joins_a_persons_sockets(held_session, union_official, participant_a):
    rows = {row.user_id: row for row in attendance_of(session=held_session)}
    assert rows[union_official.pk].minutes == 40
    assert rows[participant_a.pk].minutes == 50


def test_sessions_attended_counts_the_sessions_a_person_was_in(held_session, participant_a, factory_manager):
    assert sessions_attended(user=participant_a) == {"attended": 1, "held": 1}
    assert sessions_attended(user=factory_manager) == {"attended": 0, "held": 1}


def test_members_read_the_record_with_names_in_named_mode(client, held_session, participant_a):
    client.force_login(participant_a)
    page = client.get(reverse("roundtable_record", kwargs={"session_id": held_session.pk})).content.decode()
    assert "Vannak Heng (Labour inspectorate / government)" in page
    assert "Workers sign blank sheets." in page
    assert "Off topic" not in page
    assert "Draft a shared overtime register" in page
    assert "Fire exits" in page
    # Members see attendance by group, not who came when.
    assert "Minutes in the room" not in page


def test_the_record_gives_the_date_it_ended_when_that_was_another_day_for_the_reader(
    client, live_session, participant_a
):
    # Scheduled 16:00–18:00 UTC on 2 March, ended 17:30: the same day in London, past
    # midnight into 3 March in Phnom Penh (UTC+7).
    starts = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    RoundtableSession.objects.filter(pk=live_session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2), ended_at=starts + timedelta(minutes=90)
    )
    url = reverse("roundtable_record", kwargs={"session_id": live_session.pk})
    client.force_login(participant_a)

    participant_a.time_zone = "Asia/Phnom_Penh"
    participant_a.save(update_fields=["time_zone"])
    page = client.get(url).content.decode()
    assert "2 March 2026, 23:00" in page  # when it was to start, for this reader
    assert "ended at 3 March 2026, 00:30" in page

    participant_a.time_zone = "Europe/London"
    participant_a.save(update_fields=["time_zone"])
    page = client.get(url).content.decode()
    assert "2 March 2026, 16:00" in page
    assert "ended at 17:30" in page


def test_the_record_flags_constituencies_not_heard_but_never_programme_staff(
    client, held_session, participant_a, facilitator_a
):
    SpeakingTurn.objects.create(
        session=held_session, user=participant_a, stakeholder_group=participant_a.stakeholder_group
    )
    turns = {t.label: (t.count, t.not_heard) for t in session_record(session=held_session).turns}
    assert turns["Labour inspectorate / government"] == (1, False)
    assert turns["Trade union / worker representative"] == (0, True)
    assert turns["Programme staff / facilitator"] == (0, False)  # they run the room
    client.force_login(facilitator_a)
    page = client.get(reverse("roundtable_record", kwargs={"session_id": held_session.pk})).content.decode()
    assert "<li>Programme staff / facilitator: 0</li>" in page
    assert "<li>Trade union / worker representative: 0 <span" in page


def test_the_room_flags_the_silence_of_constituencies_only(client, live_session, participant_a):
    """The room's script flags a group with no turns when the page marks it a constituency."""
    client.force_login(participant_a)
    page = client.get(reverse("roundtable_room", kwargs={"session_id": live_session.pk})).content.decode()
    groups = page[page.index('<ul hidden id="room-groups">') :]
    groups = groups[: groups.index("</ul>")]
    assert '<li data-value="programme_staff">Programme staff / facilitator</li>' in groups
    for value in ("brand", "labour_inspectorate", "trade_union", "factory_management", "employer_association", "other"):
        assert f'<li data-value="{value}" data-constituency>' in groups


def test_chatham_house_shows_speakers_only_by_group_everywhere(client, held_session, facilitator_a):
    held_session.privacy = PrivacyMode.CHATHAM_HOUSE
    held_session.save()
    client.force_login(facilitator_a)
    page = client.get(reverse("roundtable_record", kwargs={"session_id": held_session.pk})).content.decode()
    transcript = page.split('id="transcript-heading"')[1].split("</section>")[0]
    assert "Trade union / worker representative" in transcript
    assert "Chenda Sok" not in transcript and "Vannak Heng" not in transcript
    markdown = client.get(
        reverse("roundtable_record_markdown", kwargs={"session_id": held_session.pk})
    ).content.decode()
    assert "Chatham House" in markdown
    transcript_md = markdown.split("## Transcript")[1].split("## ")[0]
    assert "Vannak Heng" not in transcript_md and "Labour inspectorate / government" in transcript_md
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("roundtable_record_csv", kwargs={"session_id": held_session.pk})).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    spoken = [row for row in rows if row[0] == "transcript"]
    assert spoken and all(
        row[3] in ("Labour inspectorate / government", "Trade union / worker representative") for row in spoken
    )


def test_facilitators_export_markdown_and_csv(client, held_session, facilitator_a):
    client.force_login(facilitator_a)
    response = client.get(reverse("roundtable_record_markdown", kwargs={"session_id": held_session.pk}))
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert body.startswith("# Wages and overtime: a joint agenda")
    assert "Overtime: 1" in body and "Chenda Sok" in body
    response = client.get(reverse("roundtable_record_csv", kwargs={"session_id": held_session.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Section"
    assert {row[0] for row in rows[1:]} == {"transcript", "poll", "action point", "attendance"}


def test_exported_text_cannot_run_as_a_spreadsheet_formula(client, live_session, facilitator_a, participant_a):
    room.message_post(session_id=live_session.pk, actor=actor_of(participant_a), client_id="f", text='=HYPERLINK("x")')
    client.force_login(facilitator_a)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("roundtable_record_csv", kwargs={"session_id": live_session.pk})).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][5].startswith("'=")


def test_members_cannot_export_and_outsiders_see_nothing(client, held_session, participant_a, participant_b):
    for name in ("roundtable_record_markdown", "roundtable_record_csv"):
        url = reverse(name, kwargs={"session_id": held_session.pk})
        client.force_login(participant_a)
        assert client.get(url).status_code == 403
        client.force_login(participant_b)
        assert client.get(url).status_code == 404
    client.force_login(participant_b)
    assert client.get(reverse("roundtable_record", kwargs={"session_id": held_session.pk})).status_code == 404


def test_the_record_opens_when_the_session_ends(client, live_session, participant_a):
    client.force_login(participant_a)
    response = client.get(reverse("roundtable_record", kwargs={"session_id": live_session.pk}), follow=True)
    assert response.redirect_chain[-1][0] == live_session.get_absolute_url()
    assert "The record opens when the facilitator ends the session." in response.content.decode()


def test_the_record_takes_a_fixed_number_of_queries(
    client, held_session, facilitator_a, participant_a, django_assert_max_num_queries
):
    client.force_login(facilitator_a)
    url = reverse("roundtable_record", kwargs={"session_id": held_session.pk})
    client.get(url)
    RoomEvent.objects.bulk_create(
        RoomEvent(
            session=held_session,
            seq=1000 + n,
            kind="chat.message",
            author=participant_a,
            author_group=participant_a.stakeholder_group,
            payload={"author": room.person(participant_a), "client_id": f"more{n}", "text": f"more {n}"},
        )
        for n in range(30)
    )
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_room_page_is_for_members_only(client, live_session, participant_a, participant_b):
    url = reverse("roundtable_room", kwargs={"session_id": live_session.pk})
    client.force_login(participant_b)
    assert client.get(url).status_code == 404
    client.force_login(participant_a)
    response = client.get(url)
    assert response.status_code == 200
    assert f"/ws/roundtables/{live_session.pk}/" in response.content.decode()


def test_the_cohort_page_counts_each_participants_sessions_attended(
    client, held_session, facilitator_a, participant_a, factory_manager
):
    url = reverse("cohort_calendar", kwargs={"slug": held_session.cohort.slug})
    client.force_login(participant_a)
    assert "You attended 1 of the 1 session held so far." in client.get(url).content.decode()
    client.force_login(factory_manager)
    assert "You attended 0 of the 1 session held so far." in client.get(url).content.decode()
    client.force_login(facilitator_a)
    page = client.get(url).content.decode()
    attendance = page.split('id="attendance-heading"')[1]
    assert "Vannak Heng" in attendance and "1 / 1" in attendance and "0 / 1" in attendance
