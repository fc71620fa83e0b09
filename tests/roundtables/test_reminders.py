"""Reminder emails 24 hours and 1 hour before a session: who gets them, in which language
and time zone, and that none goes out twice."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from academy.choices import MembershipRole
from roundtables import services, session_selectors
from roundtables.choices import ReminderKind, RsvpAnswer
from roundtables.models import ReminderDelivery, RoundtableSession, Rsvp
from roundtables.tasks import send_session_reminders
from tests.factories import AgendaItemFactory, MembershipFactory, RoundtableSessionFactory, UserFactory


def session_in(cohort, delay: timedelta, **fields) -> RoundtableSession:
    start = (timezone.now() + delay).replace(second=0, microsecond=0)
    return RoundtableSessionFactory(cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


# ------------------------------------------------------------------------------
# Which reminder is due when
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start_in", "expected"),
    [
        (timedelta(hours=30), []),
        (timedelta(hours=24), ["24h"]),
        (timedelta(hours=5), ["24h"]),
        (timedelta(hours=1, minutes=1), ["24h"]),
        (timedelta(hours=1), ["1h"]),
        (timedelta(minutes=10), ["1h"]),
        (timedelta(0), []),
        (timedelta(hours=-1), []),
    ],
)
def test_the_reminder_due_depends_on_how_soon_the_session_starts(cohort_a, participant_a, start_in, expected):
    now = timezone.now().replace(microsecond=0) + timedelta(days=3)  # frozen: no task can run yet
    start = now + start_in
    RoundtableSessionFactory(cohort=cohort_a, starts_at=start, ends_at=start + timedelta(hours=2))
    due = [
        kind
        for kind in (ReminderKind.DAY_BEFORE, ReminderKind.HOUR_BEFORE)
        if session_selectors.sessions_due_for_reminder(kind=kind, now=now).exists()
    ]
    assert due == expected


def test_a_closed_session_is_not_due(cohort_a, participant_a):
    session = session_in(cohort_a, timedelta(hours=5))
    RoundtableSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
    assert services.reminders_enqueue_due() == []


# ------------------------------------------------------------------------------
# Who is emailed
# ------------------------------------------------------------------------------
def test_members_who_said_yes_or_have_not_answered_are_reminded_and_others_are_not(
    cohort_a, cohort_b, participant_a, union_official, factory_manager, brand_staff, observer, participant_b, mailoutbox
):
    session = session_in(cohort_a, timedelta(hours=5), title="Joint agenda")
    Rsvp.objects.create(session=session, user=participant_a, answer=RsvpAnswer.YES)
    Rsvp.objects.create(session=session, user=union_official, answer=RsvpAnswer.NO)
    Rsvp.objects.create(session=session, user=factory_manager, answer=RsvpAnswer.MAYBE)
    queued = services.reminders_enqueue_due()
    assert queued == [(session.pk, "24h")]
    # Said yes (participant A), not answered (brand staff, observer); never cohort B's people.
    assert recipients(mailoutbox) == sorted([participant_a.email, brand_staff.email, observer.email])
    assert participant_b.email not in recipients(mailoutbox)
    assert ReminderDelivery.objects.filter(session=session, kind="24h").count() == 3


def test_running_again_sends_nothing_twice(cohort_a, participant_a, mailoutbox):
    session = session_in(cohort_a, timedelta(hours=5))
    services.reminders_enqueue_due()
    assert len(mailoutbox) == 1
    assert services.reminders_enqueue_due() == []  # nobody left to remind: nothing queued
    assert send_session_reminders.call(session_id=session.pk, kind="24h") == 0  # the task itself is idempotent too
    assert len(mailoutbox) == 1


def test_the_hour_before_reminder_is_a_second_email(cohort_a, participant_a, mailoutbox):
    session = session_in(cohort_a, timedelta(minutes=45))
    ReminderDelivery.objects.create(session=session, user=participant_a, kind="24h")
    assert services.reminders_enqueue_due() == [(session.pk, "1h")]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Starting soon:")


def test_a_new_member_gets_the_reminder_others_already_had(cohort_a, participant_a, mailoutbox):
    session = session_in(cohort_a, timedelta(hours=5))
    services.reminders_enqueue_due()
    newcomer = MembershipFactory(cohort=cohort_a, role=MembershipRole.PARTICIPANT).user
    assert services.reminders_enqueue_due() == [(session.pk, "24h")]
    assert recipients(mailoutbox) == sorted([participant_a.email, newcomer.email])


def test_inactive_accounts_are_skipped(cohort_a, participant_a, mailoutbox):
    session_in(cohort_a, timedelta(hours=5))
    participant_a.is_active = False
    participant_a.save()
    services.reminders_enqueue_due()
    assert mailoutbox == []


def test_a_deleted_ended_or_started_session_sends_nothing(cohort_a, participant_a, mailoutbox):
    gone = session_in(cohort_a, timedelta(hours=5))
    gone_id = gone.pk
    gone.delete()
    assert send_session_reminders.call(session_id=gone_id, kind="24h") == 0
    ended = session_in(cohort_a, timedelta(minutes=30))
    RoundtableSession.objects.filter(pk=ended.pk).update(ended_at=timezone.now())
    assert send_session_reminders.call(session_id=ended.pk, kind="1h") == 0
    started = session_in(cohort_a, timedelta(minutes=-5))
    assert send_session_reminders.call(session_id=started.pk, kind="1h") == 0
    assert mailoutbox == []


def test_a_late_day_before_reminder_is_left_to_the_hour_before_one(cohort_a, participant_a, mailoutbox):
    session = session_in(cohort_a, timedelta(minutes=30))
    assert send_session_reminders.call(session_id=session.pk, kind="24h") == 0
    assert mailoutbox == []


# ------------------------------------------------------------------------------
# What the email says
# ------------------------------------------------------------------------------
def test_the_email_is_in_the_members_language_and_time_zone(cohort_a, mailoutbox):
    french = UserFactory(email="delegue@example.org", preferred_language="fr", time_zone="Europe/Paris")
    MembershipFactory(user=french, cohort=cohort_a)
    session = session_in(cohort_a, timedelta(hours=6), title="Dialogue social", video_url="https://meet.example.org/x")
    AgendaItemFactory(session=session, position=0, title="Tour de table")
    AgendaItemFactory(session=session, position=1, title="Priorités communes")
    send_session_reminders.call(session_id=session.pk, kind="24h")
    (message,) = mailoutbox
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo("Europe/Paris"))
    french_days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    body = message.body
    assert french_days[local.weekday()] in body
    assert local.strftime("%H:%M") in body and "Europe/Paris" in body
    assert "1. Tour de table\n2. Priorités communes" in body
    assert f"/roundtables/{session.pk}/" in body
    assert "https://meet.example.org/x" in body
    html = message.alternatives[0][0]
    assert "<li>Tour de table</li>" in html and f"/roundtables/{session.pk}/" in html
    assert "Dialogue social" in message.subject


def test_an_english_member_in_phnom_penh_gets_phnom_penh_time(cohort_a, participant_a, mailoutbox):
    session = session_in(cohort_a, timedelta(hours=6))
    send_session_reminders.call(session_id=session.pk, kind="24h")
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo("Asia/Phnom_Penh"))
    assert local.strftime("%H:%M") in mailoutbox[0].body
    assert local.strftime("%A") in mailoutbox[0].body


def test_the_management_command_queues_what_is_due(cohort_a, participant_a, mailoutbox, capsys):
    session = session_in(cohort_a, timedelta(minutes=20))
    call_command("send_session_reminders")
    assert f"queued 1h reminders for session {session.pk}" in capsys.readouterr().out
    assert recipients(mailoutbox) == [participant_a.email]
