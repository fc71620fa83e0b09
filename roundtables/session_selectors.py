"""Reads for the sessions pages, the calendar feeds, the dashboard and the reminders.

(The live room's reads are in `roundtables.selectors`.) Every list starts from
`roundtables.access.sessions_visible_to` or from a session already fetched through
`roundtables.access`, so nobody reads a session of a cohort they are not in.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from academy.access import AnyUser
from academy.models import Cohort, User
from roundtables.access import sessions_visible_to
from roundtables.choices import ReminderKind, RsvpAnswer
from roundtables.models import AgendaItem, CalendarFeed, ReminderDelivery, RoundtableSession, Rsvp, SessionMaterial

# Reminders go to members who said yes or have not answered.
NOT_REMINDED_ANSWERS = (RsvpAnswer.NO, RsvpAnswer.MAYBE)


def is_over(session: RoundtableSession, *, now: datetime | None = None) -> bool:
    """Closed by its facilitator, or past its scheduled end."""
    return session.ended_at is not None or session.ends_at <= (now or timezone.now())


def with_my_answer(sessions: QuerySet[RoundtableSession], user: AnyUser) -> QuerySet[RoundtableSession]:
    """Annotate `my_answer`: the user's RSVP answer, or None."""
    mine = Rsvp.objects.filter(session=OuterRef("pk"), user_id=user.pk).values("answer")[:1]
    return sessions.annotate(my_answer=Subquery(mine))


# ------------------------------------------------------------------------------
# The cohort calendar
# ------------------------------------------------------------------------------
@dataclass
class MonthGroup:
    month: date  # the first day of the month, in the viewer's time zone
    sessions: list[RoundtableSession] = field(default_factory=list)


@dataclass
class CohortCalendar:
    upcoming: list[MonthGroup]
    past: list[MonthGroup]


def _by_month(sessions: list[RoundtableSession]) -> list[MonthGroup]:
    groups: list[MonthGroup] = []
    for session in sessions:
        month = timezone.localtime(session.starts_at).date().replace(day=1)
        if not groups or groups[-1].month != month:
            groups.append(MonthGroup(month=month))
        groups[-1].sessions.append(session)
    return groups


def cohort_calendar(*, cohort: Cohort, user: AnyUser, now: datetime | None = None) -> CohortCalendar:
    """The cohort's sessions in one query: upcoming (soonest first), then past (latest
    first), grouped by month in the active time zone. Each carries `my_answer` and
    `yes_count`."""
    now = now or timezone.now()
    sessions = list(
        with_my_answer(RoundtableSession.objects.filter(cohort=cohort), user)
        .annotate(yes_count=Count("rsvps", filter=Q(rsvps__answer=RsvpAnswer.YES)))
        .order_by("starts_at", "pk")
    )
    upcoming = [session for session in sessions if not is_over(session, now=now)]
    past = [session for session in reversed(sessions) if is_over(session, now=now)]
    return CohortCalendar(upcoming=_by_month(upcoming), past=_by_month(past))


# ------------------------------------------------------------------------------
# One session
# ------------------------------------------------------------------------------
@dataclass
class MaterialRow:
    material: SessionMaterial
    filename: str
    size: int | None  # None when the file is missing from storage


@dataclass
class SessionDetail:
    agenda: list[AgendaItem]
    materials: list[MaterialRow]
    my_answer: str | None
    answer_counts: dict[str, int]
    over: bool


def session_detail(*, session: RoundtableSession, user: AnyUser) -> SessionDetail:
    """What the details page shows, in four queries whatever the session holds."""
    answers = dict(
        Rsvp.objects.filter(session=session).values_list("answer").annotate(count=Count("pk")).order_by("answer")
    )
    rows = []
    for material in SessionMaterial.objects.filter(session=session):
        try:
            size = material.file.size
        except OSError:
            size = None
        rows.append(MaterialRow(material=material, filename=material.file.name.rsplit("/", 1)[-1], size=size))
    return SessionDetail(
        agenda=list(session.agenda_items.all()),
        materials=rows,
        my_answer=Rsvp.objects.filter(session=session, user_id=user.pk).values_list("answer", flat=True).first(),
        answer_counts={answer: answers.get(answer, 0) for answer in RsvpAnswer.values},
        over=is_over(session),
    )


# ------------------------------------------------------------------------------
# A person's sessions: dashboard, calendar page, feed
# ------------------------------------------------------------------------------
def upcoming_sessions_for(
    *, user: AnyUser, limit: int | None = None, now: datetime | None = None
) -> list[RoundtableSession]:
    """Sessions not over yet in every cohort the user sees, soonest first, each with its
    cohort and `my_answer`. One query."""
    now = now or timezone.now()
    sessions = (
        with_my_answer(sessions_visible_to(user), user)
        .filter(ended_at__isnull=True, ends_at__gt=now)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )
    return list(sessions[:limit] if limit else sessions)


def feed_sessions(*, feed: CalendarFeed, now: datetime | None = None) -> list[RoundtableSession]:
    """Every session the feed's owner may see now, from ROUNDTABLE_FEED_PAST_DAYS ago
    onward, with cohort and agenda: two queries whatever their number."""
    since = (now or timezone.now()) - timedelta(days=settings.ROUNDTABLE_FEED_PAST_DAYS)
    return list(
        sessions_visible_to(feed.user)
        .filter(starts_at__gte=since)
        .select_related("cohort")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")))
        .order_by("starts_at", "pk")
    )


# ------------------------------------------------------------------------------
# Reminders
# ------------------------------------------------------------------------------
def reminder_window(*, kind: str, now: datetime) -> tuple[datetime, datetime]:
    """Sessions starting in (after, until] are due for this kind of reminder: the 24-hour
    one from a day before until an hour before, the 1-hour one in the last hour."""
    if kind == ReminderKind.DAY_BEFORE:
        return now + timedelta(hours=1), now + timedelta(hours=24)
    if kind == ReminderKind.HOUR_BEFORE:
        return now, now + timedelta(hours=1)
    raise ValueError(f"unknown reminder kind {kind!r}")


def reminder_recipients(*, session: RoundtableSession, kind: str) -> QuerySet[User]:
    """Active members of the session's cohort (any role) who said yes or have not
    answered, and have not had this reminder yet."""
    declined = Rsvp.objects.filter(session=session, user=OuterRef("pk"), answer__in=NOT_REMINDED_ANSWERS)
    reminded = ReminderDelivery.objects.filter(session=session, user=OuterRef("pk"), kind=kind)
    return (
        User.objects.filter(is_active=True, memberships__cohort_id=session.cohort_id)
        .exclude(Exists(declined))
        .exclude(Exists(reminded))
        .order_by("pk")
    )


def sessions_due_for_reminder(*, kind: str, now: datetime) -> QuerySet[RoundtableSession]:
    """Sessions in the kind's window, not closed, with at least one person still to remind."""
    after, until = reminder_window(kind=kind, now=now)
    pending = (
        User.objects.filter(is_active=True, memberships__cohort_id=OuterRef("cohort_id"))
        .exclude(
            Exists(
                Rsvp.objects.filter(
                    session=OuterRef(OuterRef("pk")), user=OuterRef("pk"), answer__in=NOT_REMINDED_ANSWERS
                )
            )
        )
        .exclude(
            Exists(ReminderDelivery.objects.filter(session=OuterRef(OuterRef("pk")), user=OuterRef("pk"), kind=kind))
        )
    )
    return (
        RoundtableSession.objects.filter(ended_at__isnull=True, starts_at__gt=after, starts_at__lte=until)
        .filter(Exists(pending))
        .order_by("starts_at", "pk")
    )
