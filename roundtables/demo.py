"""Demo sessions, run by `manage.py seed_demo` (settings.ACADEMY_DEMO_SEEDERS).

Cambodia has a roundtable that took place (with its record: talk, a poll, breakout
notes, action points, attendance, under the Chatham House rule) and one coming up;
Vietnam has a virtual seminar with a video link. Idempotent: sessions are found by
title and cohort, and a record is written only once.
"""

from datetime import timedelta

from django.utils import timezone

from academy.models import Cohort, User
from roundtables import room
from roundtables.choices import PrivacyMode, RsvpAnswer, SessionKind
from roundtables.models import AgendaItem, BreakoutRound, RoomConnection, RoomEvent, RoundtableSession, Rsvp

KH, VN = "building-bridges-cambodia", "building-bridges-vietnam"

PAST_ROUNDTABLE = {
    "title": "Opening roundtable: overtime in the peak season",
    "description": (
        "Inspectors, unions, factory managers and the employers' association sit in one circle to agree "
        "what the cohort will work on first: how overtime is asked for, recorded and paid when orders peak."
    ),
    "agenda": [
        "Opening circle: one concern from each seat",
        "What the inspection findings show about overtime",
        "Caucus: what each side needs from the others",
        "A joint agenda for the next six months",
    ],
}
UPCOMING_ROUNDTABLE = {
    "title": "Roundtable: fire safety drills that workers trust",
    "description": (
        "After the first module of OSH Leadership, each factory brings one drill record. Together we look at "
        "what makes a drill real, who leads it, and how the safety committee follows up."
    ),
    "agenda": [
        "Drill records from three factories",
        "The safety committee's role, seen by workers and by managers",
        "One improvement each factory will try before the next session",
    ],
}
SEMINAR = {
    "title": "Virtual seminar: social dialogue after a wage dispute",
    "description": (
        "A virtual seminar for the Vietnam cohort: a mediator and a union leader walk through a dispute that "
        "was settled at the factory, and what each side did to keep talking."
    ),
    "agenda": ["The dispute, step by step", "Questions from the cohort", "What we take back to our workplaces"],
    "video_url": "https://meet.jit.si/better-work-academy-vn-seminar",
}

# The past roundtable's talk: (email, text).
TALK = [
    ("facilitator.kh@example.org", "Welcome. One concern each, two minutes each. Who starts?"),
    (
        "union.kh@example.org",
        "In peak season, overtime is announced at 4 pm for the same evening. Workers cannot refuse.",
    ),
    (
        "manager.kh@example.org",
        "Orders change at short notice. We try to ask for volunteers first, but the buyer's dates are fixed.",
    ),
    (
        "inspector.kh@example.org",
        "In our visits, the overtime register often does not match the pay slips. That is what we cite most.",
    ),
    ("employers.kh@example.org", "The association can share a template register that members already use."),
    ("steward.kh@example.org", "A register helps only if workers can see it. Ours is in the office."),
]
NOTES = {
    "Labour inspectorate / government": ["Ask for the register at every visit, compare with three pay slips."],
    "Trade union / worker representative": [
        "Overtime must be asked for the day before, in writing.",
        "Post the register on the notice board.",
    ],
    "Factory management": ["We need a way to plan overtime with the buyer's order dates."],
}
ACTIONS = [
    ("employers.kh@example.org", "Share the association's overtime register template with the cohort", 14),
    ("manager.kh@example.org", "Try posting the overtime register on the canteen notice board for one month", 30),
    ("inspector.kh@example.org", "Bring three anonymised inspection findings on overtime to the next roundtable", 28),
]


def seed() -> dict[str, int]:
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    cohorts = {cohort.slug: cohort for cohort in Cohort.objects.filter(slug__in=[KH, VN])}
    now = timezone.now().replace(second=0, microsecond=0)
    if KH in cohorts:
        facilitator = people.get("facilitator.kh@example.org")
        past, new = _session(
            cohorts[KH],
            PAST_ROUNDTABLE,
            starts_at=(now - timedelta(days=12)).replace(hour=2, minute=0),
            privacy=PrivacyMode.CHATHAM_HOUSE,
            created_by=facilitator,
        )
        if new and facilitator:
            _hold(past, facilitator, people)
        upcoming, _ = _session(
            cohorts[KH],
            UPCOMING_ROUNDTABLE,
            starts_at=(now + timedelta(days=3)).replace(hour=2, minute=0),
            created_by=facilitator,
        )
        for email, answer in (("inspector.kh@example.org", RsvpAnswer.YES), ("union.kh@example.org", RsvpAnswer.MAYBE)):
            if email in people:
                Rsvp.objects.get_or_create(session=upcoming, user=people[email], defaults={"answer": answer})
    if VN in cohorts:
        _session(
            cohorts[VN],
            SEMINAR,
            starts_at=(now + timedelta(days=6)).replace(hour=7, minute=0),
            kind=SessionKind.SEMINAR,
            created_by=people.get("facilitator.vn@example.org"),
        )
    # Totals, not what this run added: a second run reports the same figures.
    return {"roundtable sessions": RoundtableSession.objects.filter(cohort__slug__in=[KH, VN]).count()}


def _session(cohort, spec: dict, *, starts_at, created_by, privacy=PrivacyMode.NAMED, kind=SessionKind.ROUNDTABLE):
    session = RoundtableSession.objects.filter(cohort=cohort, title=spec["title"]).first()
    if session is not None:
        return session, False
    session = RoundtableSession.objects.create(
        cohort=cohort,
        kind=kind,
        title=spec["title"],
        description=spec["description"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        video_url=spec.get("video_url", ""),
        privacy=privacy,
        created_by=created_by,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(session=session, position=position, title=title) for position, title in enumerate(spec["agenda"])
    )
    return session, True


def _actor(user: User, role: str = "participant") -> room.Actor:
    return room.Actor(user_id=user.pk, name=str(user), group=user.stakeholder_group, role=role)


def _hold(session: RoundtableSession, facilitator: User, people: dict[str, User]) -> None:
    """Play the past roundtable through the room's own services, so its record is real."""
    lead = _actor(facilitator, "facilitator")
    speakers = [people[email] for email, _ in TALK if email in people]
    start = session.starts_at
    # Everyone is "in the room" while the session is played, so breakouts seat them.
    for person in {user.pk: user for user in [facilitator, *speakers]}.values():
        RoomConnection.objects.create(session=session, user=person, joined_at=start)
    first_item = session.agenda_items.first()
    room.agenda_set(session_id=session.pk, actor=lead, item_id=first_item.pk if first_item else None)
    for number, (email, text) in enumerate(TALK):
        if email in people:
            author = _actor(people[email], "facilitator" if people[email] == facilitator else "participant")
            room.message_post(session_id=session.pk, actor=author, client_id=f"demo-{number}", text=text)
    for email in ("union.kh@example.org", "manager.kh@example.org", "inspector.kh@example.org"):
        if email in people:
            room.hand_raise(session_id=session.pk, actor=_actor(people[email]))
            room.floor_give(session_id=session.pk, actor=lead)
    poll = room.poll_open(
        session_id=session.pk,
        actor=lead,
        question="What should the cohort work on first?",
        options=["Overtime registers", "Notice of overtime", "Pay for overtime hours"],
    )
    poll_id = poll.payload["poll"]["id"]
    for email, option in (
        ("union.kh@example.org", 1),
        ("manager.kh@example.org", 0),
        ("inspector.kh@example.org", 0),
        ("steward.kh@example.org", 1),
        ("employers.kh@example.org", 0),
    ):
        if email in people:
            room.poll_vote(session_id=session.pk, actor=_actor(people[email]), poll_id=poll_id, option=option)
    room.poll_close(session_id=session.pk, actor=lead, poll_id=poll_id)
    started = room.breakouts_start(session_id=session.pk, actor=lead, mode="caucus", minutes=20, groups=None)
    by_id = {user.pk: user for user in speakers}
    for group in started.payload["round"]["groups"]:
        scribe = by_id[group["members"][0]["id"]]
        for number, text in enumerate(NOTES.get(group["label"], [])):
            room.note_add(
                session_id=session.pk, actor=_actor(scribe), client_id=f"note-{group['id']}-{number}", text=text
            )
    room.breakouts_end(session_id=session.pk, actor=lead)
    for email, text, days in ACTIONS:
        if email in people:
            room.action_add(
                session_id=session.pk,
                actor=lead,
                text=text,
                owner_id=people[email].pk,
                due_date=(session.starts_at + timedelta(days=days)).date(),
            )
    room.session_end(session_id=session.pk, actor=lead)
    # Put the record back at the time the session took place.
    RoundtableSession.objects.filter(pk=session.pk).update(ended_at=start + timedelta(minutes=115))
    RoomConnection.objects.filter(session=session).update(
        last_seen_at=start + timedelta(minutes=110), left_at=start + timedelta(minutes=110)
    )
    for event in RoomEvent.objects.filter(session=session).only("pk", "seq"):
        RoomEvent.objects.filter(pk=event.pk).update(created_at=start + timedelta(minutes=3 * event.seq))
    BreakoutRound.objects.filter(session=session).update(
        started_at=start + timedelta(minutes=50),
        ends_at=start + timedelta(minutes=70),
        ended_at=start + timedelta(minutes=72),
    )
