"""iCalendar files for sessions: one event to download, and the personal feed.

Built with the `icalendar` package. Times are written in UTC (calendar apps show them in
their own zone). Each session keeps one UID for life, and its SEQUENCE and LAST-MODIFIED
come from the session's revision, so an edited session replaces the old event instead
of sitting beside it. Text is in the active language: the caller chooses it.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from roundtables.models import RoundtableSession

PRODID = "-//Better Work Academy//Roundtables//EN"


def site_url(path: str) -> str:
    """An absolute address on the platform (ACADEMY_SITE_URL + path)."""
    return settings.ACADEMY_SITE_URL.rstrip("/") + path


def session_uid(session: RoundtableSession) -> str:
    host = urlsplit(settings.ACADEMY_SITE_URL).hostname or "localhost"
    return f"roundtable-{session.pk}@{host}"


def session_description(session: RoundtableSession, agenda: Iterable[str]) -> str:
    """Plain text: the description, the agenda, then where to go."""
    parts = []
    if session.description:
        parts.append(session.description)
    agenda = list(agenda)
    if agenda:
        parts.append(_("Agenda:") + "\n" + "\n".join(f"{number}. {title}" for number, title in enumerate(agenda, 1)))
    places = [_("Room: %(url)s") % {"url": site_url(session.get_room_url())}]
    if session.video_url:
        places.append(_("Video link: %(url)s") % {"url": session.video_url})
    places.append(_("Details: %(url)s") % {"url": site_url(session.get_absolute_url())})
    parts.append("\n".join(places))
    return "\n\n".join(parts)


def session_event(session: RoundtableSession, *, agenda: Iterable[str]) -> Event:
    """The VEVENT of one session. `agenda`: its item titles in order."""
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("created", session.created_at.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("sequence", session.revision)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    event.add("description", session_description(session, agenda))
    event.add("location", session.video_url or site_url(session.get_room_url()))
    event.add("url", site_url(session.get_absolute_url()))
    event.add("categories", [session.get_kind_display()])
    event.add("status", "CONFIRMED")
    return event


def calendar_bytes(events: Iterable[Event], *, name: str | None = None) -> bytes:
    """A VCALENDAR holding these events. A `name` marks it as a subscribed feed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        # Ask subscribing apps to refresh hourly (most poll less often whatever we say).
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def session_ics(session: RoundtableSession) -> bytes:
    """The .ics file of one session."""
    agenda = [item.title for item in session.agenda_items.order_by("position", "pk")]
    return calendar_bytes([session_event(session, agenda=agenda)])


def feed_ics(sessions: Iterable[RoundtableSession], *, name: str) -> bytes:
    """A personal feed: sessions with their agenda items prefetched."""
    return calendar_bytes(
        (session_event(session, agenda=[item.title for item in session.agenda_items.all()]) for session in sessions),
        name=name,
    )
