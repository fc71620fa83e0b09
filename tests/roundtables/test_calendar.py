"""Calendar files: a session's .ics download and the personal feed at a secret address.
The output is parsed with icalendar, as a calendar app would read it."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from roundtables import services
from roundtables.choices import PrivacyMode, SessionKind
from roundtables.models import CalendarFeed
from tests.factories import AgendaItemFactory, RoundtableSessionFactory


def events_of(response) -> dict[str, object]:
    """The VEVENTs of a calendar response, by SUMMARY."""
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def feed_url(user) -> str:
    feed = services.calendar_feed_get_or_create(user=user)
    return reverse("calendar_feed", kwargs={"token": feed.token})


# ------------------------------------------------------------------------------
# One session's .ics
# ------------------------------------------------------------------------------
def test_a_sessions_ics_holds_one_event_in_utc_with_agenda_and_room(login, settings, cohort_a, participant_a):
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    session = RoundtableSessionFactory(cohort=cohort_a, title="Joint agenda", description="Bring your priorities.")
    AgendaItemFactory(session=session, position=0, title="Safety committees")
    AgendaItemFactory(session=session, position=1, title="Overtime")
    response = login(participant_a).get(reverse("roundtable_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="roundtable-{session.pk}.ics"'
    (event,) = events_of(response).values()
    assert str(event["uid"]) == f"roundtable-{session.pk}@academy.example.org"
    assert event.decoded("dtstart") == session.starts_at and event.decoded("dtstart").tzinfo.utcoffset(None) == (
        timedelta(0)
    )
    assert b"DTSTART:" in response.content and "Z\r\n" in response.content.decode()
    assert event.decoded("dtend") == session.ends_at
    description = str(event["description"])
    assert "Bring your priorities." in description
    assert "1. Safety committees\n2. Overtime" in description
    room = f"https://academy.example.org/roundtables/{session.pk}/"
    assert room in description
    assert str(event["location"]) == room
    assert str(event["url"]) == f"https://academy.example.org/roundtables/{session.pk}/details/"
    assert int(event["sequence"]) == 0


def test_a_seminars_location_is_its_video_link(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(
        cohort=cohort_a, kind=SessionKind.SEMINAR, video_url="https://meet.example.org/seminar"
    )
    (event,) = events_of(login(participant_a).get(reverse("roundtable_ics", args=[session.pk]))).values()
    assert str(event["location"]) == "https://meet.example.org/seminar"
    assert "https://meet.example.org/seminar" in str(event["description"])


def test_an_edited_session_keeps_its_uid_and_raises_its_sequence(login, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a, title="Before")
    client = login(participant_a)
    (before,) = events_of(client.get(reverse("roundtable_ics", args=[session.pk]))).values()
    services.session_update(
        session=session,
        kind=SessionKind.ROUNDTABLE,
        title="After",
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
        privacy=PrivacyMode.NAMED,
    )
    (after,) = events_of(client.get(reverse("roundtable_ics", args=[session.pk]))).values()
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("last-modified") >= before.decoded("last-modified")
    assert after.decoded("dtstart") == before.decoded("dtstart") + timedelta(hours=1)


def test_another_cohorts_ics_is_not_found(login, cohort_b, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_b)
    assert login(participant_a).get(reverse("roundtable_ics", args=[session.pk])).status_code == 404


# ------------------------------------------------------------------------------
# The calendar page and the personal feed
# ------------------------------------------------------------------------------
def test_the_calendar_page_makes_the_address_once_and_offers_webcal_and_https(login, settings, participant_a):
    settings.ACADEMY_SITE_URL = "https://academy.example.org"
    client = login(participant_a)
    html = client.get(reverse("calendar_feed_settings")).content.decode()
    feed = CalendarFeed.objects.get(user=participant_a)
    assert f"https://academy.example.org/calendar/{feed.token}.ics" in html
    assert f"webcal://academy.example.org/calendar/{feed.token}.ics" in html
    assert "Revoke this address and make a new one" in html
    client.get(reverse("calendar_feed_settings"))
    assert CalendarFeed.objects.get(user=participant_a).token == feed.token


def test_the_calendar_page_lists_upcoming_sessions_of_all_my_cohorts(
    login, cohort_a, cohort_b, participant_a, facilitator_b
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=participant_a, cohort=cohort_b)
    RoundtableSessionFactory(cohort=cohort_a, title="In Cambodia")
    RoundtableSessionFactory(cohort=cohort_b, title="In Vietnam")
    now = timezone.now()
    RoundtableSessionFactory(
        cohort=cohort_a, title="Long ago", starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=5, hours=-1)
    )
    html = login(participant_a).get(reverse("calendar_feed_settings")).content.decode()
    assert "In Cambodia" in html and "In Vietnam" in html and "Long ago" not in html


def test_the_feed_lists_the_owners_sessions_from_sixty_days_ago_and_nothing_else(
    client, cohort_a, cohort_b, participant_a
):
    now = timezone.now()
    RoundtableSessionFactory(cohort=cohort_a, title="Next week", starts_at=now + timedelta(days=7))
    RoundtableSessionFactory(
        cohort=cohort_a,
        title="Last month",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30, hours=-2),
    )
    RoundtableSessionFactory(
        cohort=cohort_a, title="Too old", starts_at=now - timedelta(days=61), ends_at=now - timedelta(days=61, hours=-2)
    )
    RoundtableSessionFactory(cohort=cohort_b, title="Vietnam only", starts_at=now + timedelta(days=7))
    response = client.get(feed_url(participant_a))  # calendar apps do not sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Better Work Academy sessions"
    assert set(events_of(response)) == {"Next week", "Last month"}


def test_a_rotated_address_stops_working_and_the_new_one_works(login, client, participant_a):
    RoundtableSessionFactory(cohort=participant_a.memberships.get().cohort)
    old = feed_url(participant_a)
    response = login(participant_a).post(reverse("calendar_feed_rotate"))
    assert response.url == reverse("calendar_feed_settings")
    new = feed_url(participant_a)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_address_is_not_found(client, db):
    assert client.get(reverse("calendar_feed", kwargs={"token": "not-a-real-token"})).status_code == 404


def test_the_feed_of_a_deactivated_account_is_not_found(client, participant_a):
    url = feed_url(participant_a)
    participant_a.is_active = False
    participant_a.save()
    assert client.get(url).status_code == 404


def test_the_feed_follows_membership_as_it_is_now(client, cohort_a, participant_a):
    RoundtableSessionFactory(cohort=cohort_a, title="Cambodia")
    url = feed_url(participant_a)
    assert set(events_of(client.get(url))) == {"Cambodia"}
    participant_a.memberships.all().delete()
    assert events_of(client.get(url)) == {}


def test_the_feed_makes_the_same_queries_for_one_session_or_thirty(
    client, cohort_a, participant_a, django_assert_max_num_queries
):
    url = feed_url(participant_a)
    AgendaItemFactory(session=RoundtableSessionFactory(cohort=cohort_a))
    with django_assert_max_num_queries(5) as few:
        client.get(url)
    for n in range(30):
        session = RoundtableSessionFactory(cohort=cohort_a, starts_at=timezone.now() + timedelta(days=n))
        AgendaItemFactory(session=session)
        AgendaItemFactory(session=session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(events_of(response)) == 31


@pytest.mark.parametrize("persona", ["anonymous", "participant_b"])
def test_the_feed_answers_by_its_token_whoever_asks(request, client, login, participant_a, persona):
    RoundtableSessionFactory(cohort=participant_a.memberships.get().cohort, title="Cambodia")
    url = feed_url(participant_a)
    if persona != "anonymous":
        client = login(request.getfixturevalue(persona))
    assert set(events_of(client.get(url))) == {"Cambodia"}


def test_times_in_the_feed_are_utc(client, cohort_a, participant_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    (event,) = events_of(client.get(feed_url(participant_a))).values()
    assert event.decoded("dtstart") == session.starts_at.astimezone(UTC)
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
