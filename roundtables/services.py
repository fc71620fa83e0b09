"""Writes of the sessions part of the roundtables app: scheduling, agendas, materials,
RSVPs, calendar feeds and the reminder schedule.

Functions are named `<entity>_<action>`, take keyword-only typed arguments, validate and
run inside a transaction. Access has been checked by the caller through
`roundtables.access`. Broken rules raise `ValidationError`: with a dict keyed by the
argument at fault (the views put it on the form field of the same name), or with one
message for a refusal. The messages are module constants that the tests assert.
"""

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import Cohort, User
from roundtables import session_selectors
from roundtables.choices import PrivacyMode, ReminderKind, RsvpAnswer, SessionKind
from roundtables.models import AgendaItem, CalendarFeed, RoundtableSession, Rsvp, SessionMaterial, new_feed_token

AGENDA_MAX_ITEMS = 30
AGENDA_ITEM_MAX_LENGTH = 200

# Error messages, asserted by the tests.
SESSION_ENDS_BEFORE_START = _("The session must end after it starts.")
SESSION_STARTS_IN_PAST = _("This time has already passed: choose a start in the future.")
SESSION_ENDED = _("This session has ended: it can no longer be changed.")
VIDEO_URL_INVALID = _("Give a full web address that starts with https:// (or http://).")
AGENDA_TOO_MANY_ITEMS = _("An agenda has at most %(max)d items; this one has %(count)d.")
AGENDA_ITEM_TOO_LONG = _("Agenda item %(number)d is longer than %(max)d characters.")
RSVP_INVALID_ANSWER = _("Choose one of the answers: yes, maybe or no.")
RSVP_CLOSED = _("This session is over: answers are closed.")
MATERIAL_WRONG_TYPE = _("Files ending in “%(extension)s” cannot be shared here. Allowed: %(allowed)s.")
MATERIAL_TOO_LARGE = _("This file is %(size)s; the limit is %(limit)s.")


# ------------------------------------------------------------------------------
# Sessions and their agenda
# ------------------------------------------------------------------------------
def _check_session(
    *,
    kind: str,
    privacy: str,
    starts_at: datetime,
    ends_at: datetime,
    video_url: str,
    agenda: Sequence[str],
    start_must_be_future: bool,
) -> None:
    errors: dict[str, list] = {}
    if kind not in SessionKind.values or privacy not in PrivacyMode.values:
        raise ValueError("unknown session kind or privacy mode")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("session times must be aware datetimes")
    if ends_at <= starts_at:
        errors["ends_at"] = [SESSION_ENDS_BEFORE_START]
    # The minute now is fine: the form's time picker has no seconds.
    if start_must_be_future and starts_at < timezone.now().replace(second=0, microsecond=0):
        errors["starts_at"] = [SESSION_STARTS_IN_PAST]
    if video_url and urlsplit(video_url).scheme.lower() not in {"http", "https"}:
        errors["video_url"] = [VIDEO_URL_INVALID]
    agenda_errors = []
    if len(agenda) > AGENDA_MAX_ITEMS:
        agenda_errors.append(
            ValidationError(AGENDA_TOO_MANY_ITEMS, params={"max": AGENDA_MAX_ITEMS, "count": len(agenda)})
        )
    agenda_errors += [
        ValidationError(AGENDA_ITEM_TOO_LONG, params={"number": number, "max": AGENDA_ITEM_MAX_LENGTH})
        for number, title in enumerate(agenda, start=1)
        if len(title) > AGENDA_ITEM_MAX_LENGTH
    ]
    if agenda_errors:
        errors["agenda"] = agenda_errors
    if errors:
        raise ValidationError(errors)


def _clean_agenda(agenda: Sequence[str]) -> list[str]:
    return [title.strip() for title in agenda if title.strip()]


def agenda_replace(*, session: RoundtableSession, agenda: Sequence[str]) -> list[AgendaItem]:
    """Make the session's agenda these titles, in this order. Rows whose title stays are
    kept (with their id), so the room's current item survives an edit; the rest are
    deleted or created. Call inside transaction.atomic."""
    existing: dict[str, list[AgendaItem]] = {}
    for item in session.agenda_items.order_by("position", "pk"):
        existing.setdefault(item.title, []).append(item)
    kept, created, moved = [], [], []
    for position, title in enumerate(agenda):
        if existing.get(title):
            item = existing[title].pop(0)
            if item.position != position:
                item.position = position
                moved.append(item)
        else:
            item = AgendaItem(session=session, position=position, title=title)
            created.append(item)
        kept.append(item)
    leftover = [item.pk for items in existing.values() for item in items]
    if leftover:
        AgendaItem.objects.filter(pk__in=leftover).delete()
    if moved:
        AgendaItem.objects.bulk_update(moved, ["position"])
    if created:
        AgendaItem.objects.bulk_create(created)
    return kept


@transaction.atomic
def session_schedule(
    *,
    cohort: Cohort,
    created_by: User,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    video_url: str = "",
    privacy: str = PrivacyMode.NAMED,
    agenda: Sequence[str] = (),
) -> RoundtableSession:
    """Schedule a roundtable or seminar for the cohort. Times are aware datetimes (stored
    in UTC); the start must not have passed; the agenda is a list of item titles."""
    agenda = _clean_agenda(agenda)
    _check_session(
        kind=kind,
        privacy=privacy,
        starts_at=starts_at,
        ends_at=ends_at,
        video_url=video_url,
        agenda=agenda,
        start_must_be_future=True,
    )
    session = RoundtableSession.objects.create(
        cohort=cohort,
        created_by=created_by,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        video_url=video_url,
        privacy=privacy,
    )
    agenda_replace(session=session, agenda=agenda)
    return session


@transaction.atomic
def session_update(
    *,
    session: RoundtableSession,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    video_url: str = "",
    privacy: str = PrivacyMode.NAMED,
    agenda: Sequence[str] = (),
) -> RoundtableSession:
    """Change a session that has not ended. A start may stay where it was even if that
    time has passed (a session under way can have its end moved); a start that changes
    must not be in the past. Bumps the revision, so calendar apps replace their copy."""
    locked = RoundtableSession.objects.select_for_update().get(pk=session.pk)
    if locked.ended_at is not None:
        raise ValidationError(SESSION_ENDED, code="ended")
    agenda = _clean_agenda(agenda)
    _check_session(
        kind=kind,
        privacy=privacy,
        starts_at=starts_at,
        ends_at=ends_at,
        video_url=video_url,
        agenda=agenda,
        start_must_be_future=starts_at != locked.starts_at,
    )
    changes = {
        "kind": kind,
        "title": title.strip(),
        "description": description.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "video_url": video_url,
        "privacy": privacy,
        "updated_at": timezone.now(),
    }
    RoundtableSession.objects.filter(pk=session.pk).update(revision=F("revision") + 1, **changes)
    agenda_replace(session=session, agenda=agenda)
    for name, value in changes.items():
        setattr(session, name, value)
    session.revision = locked.revision + 1
    return session


# ------------------------------------------------------------------------------
# Materials
# ------------------------------------------------------------------------------
def _check_material_file(file: UploadedFile) -> None:
    allowed = [extension.lower() for extension in settings.ROUNDTABLE_MATERIAL_EXTENSIONS]
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            {
                "file": ValidationError(
                    MATERIAL_WRONG_TYPE,
                    params={
                        "extension": f".{extension}" if extension else "—",
                        "allowed": ", ".join(f".{a}" for a in allowed),
                    },
                )
            }
        )
    limit = settings.ROUNDTABLE_MATERIAL_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    MATERIAL_TOO_LARGE, params={"size": filesizeformat(file.size or 0), "limit": filesizeformat(limit)}
                )
            }
        )


@transaction.atomic
def material_add(*, session: RoundtableSession, uploaded_by: User, title: str, file: UploadedFile) -> SessionMaterial:
    """Share a file with the session's members: a type from
    ROUNDTABLE_MATERIAL_EXTENSIONS, at most ROUNDTABLE_MATERIAL_MAX_BYTES. Stored under
    a random directory of MEDIA_ROOT/roundtables/ and served only through the
    access-checked download view."""
    _check_material_file(file)
    return SessionMaterial.objects.create(session=session, uploaded_by=uploaded_by, title=title.strip(), file=file)


@transaction.atomic
def material_delete(*, material: SessionMaterial) -> None:
    """Remove a material; its file is deleted from storage once the row is gone."""
    storage, name = material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))


# ------------------------------------------------------------------------------
# RSVPs
# ------------------------------------------------------------------------------
@transaction.atomic
def rsvp_answer(*, session: RoundtableSession, user: User, answer: str) -> Rsvp:
    """Record or change the person's answer (one per person and session). Closed once the
    session is over."""
    if answer not in RsvpAnswer.values:
        raise ValidationError(RSVP_INVALID_ANSWER, code="invalid")
    if session_selectors.is_over(session):
        raise ValidationError(RSVP_CLOSED, code="closed")
    rsvp, _created = Rsvp.objects.update_or_create(
        session=session, user=user, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    return rsvp


# ------------------------------------------------------------------------------
# Personal calendar feeds
# ------------------------------------------------------------------------------
@transaction.atomic
def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    """The person's secret feed address, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> CalendarFeed:
    """Give the person a new secret address; the old one answers 404 from now on."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": new_feed_token(), "created_at": timezone.now()}
    )
    return feed


# ------------------------------------------------------------------------------
# Reminders
# ------------------------------------------------------------------------------
def reminders_enqueue_due(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """Queue a reminder task for each session that has someone to remind now: the
    24-hour reminder from a day before the start until an hour before, the 1-hour
    reminder in the last hour. Run every few minutes (manage.py send_session_reminders);
    the task records each email sent, so running this again queues only what is left."""
    from roundtables.tasks import send_session_reminders

    now = now or timezone.now()
    queued = []
    for kind in (ReminderKind.DAY_BEFORE, ReminderKind.HOUR_BEFORE):
        for session_id in session_selectors.sessions_due_for_reminder(kind=kind, now=now).values_list("pk", flat=True):
            send_session_reminders.enqueue(session_id=session_id, kind=kind.value)
            queued.append((session_id, kind.value))
    return queued
