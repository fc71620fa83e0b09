"""Reads of the live room: what a socket receives when it joins or resumes, who is
present, and the room's log as frames. The record after a session is in
`roundtables.record`; sessions and calendars in `roundtables.session_selectors`.

Each read takes a fixed number of queries, whatever the size of the room or its log.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from academy.choices import MembershipRole, StakeholderGroup
from academy.models import Membership
from roundtables import room
from roundtables.events import encode, event_frame
from roundtables.models import (
    ActionPoint,
    AgendaItem,
    BreakoutRound,
    BreakoutSeat,
    Mute,
    Poll,
    PollVote,
    RoomConnection,
    RoomEvent,
    RoundtableSession,
    SpeakingTurn,
)
from roundtables.protocol import HISTORY_ON_JOIN

# A client further behind than this gets a fresh start (snapshot and recent history)
# rather than the whole log replayed.
MAX_RESUME_EVENTS = 5000


def visible_events(*, session_id: int, actor: room.Actor) -> QuerySet[RoomEvent]:
    """The log as this person may see it: the plenary, and breakout groups they sat in
    (facilitators see every group)."""
    events = RoomEvent.objects.filter(session_id=session_id)
    if not actor.runs:
        events = events.filter(Q(breakout_group__isnull=True) | Q(breakout_group__seats__user_id=actor.user_id))
    return events


def presence(*, session: RoundtableSession) -> list[dict]:
    """Who has a live socket in the room, with their stakeholder group and role."""
    fresh = timezone.now() - room.PRESENCE_TIMEOUT
    rows = (
        RoomConnection.objects.filter(session=session, left_at__isnull=True, last_seen_at__gte=fresh)
        .annotate(
            role=Subquery(
                Membership.objects.filter(cohort_id=session.cohort_id, user_id=OuterRef("user_id")).values("role")[:1]
            )
        )
        .values("user_id", "user__display_name", "user__email", "user__stakeholder_group", "user__is_staff", "role")
        .distinct()
    )
    order = {value: index for index, value in enumerate(StakeholderGroup.values)}
    people = {
        row["user_id"]: {
            "id": row["user_id"],
            "name": row["user__display_name"] or row["user__email"],
            "group": row["user__stakeholder_group"],
            "role": MembershipRole.FACILITATOR if row["user__is_staff"] else (row["role"] or MembershipRole.OBSERVER),
        }
        for row in rows
    }
    return sorted(people.values(), key=lambda p: (order.get(p["group"], 99), p["name"].lower()))


def presence_frame(*, session: RoundtableSession) -> dict:
    return {"type": "presence", "people": presence(session=session)}


def breakout_state(*, session: RoundtableSession) -> dict | None:
    breakout = BreakoutRound.objects.filter(session=session, ended_at__isnull=True).first()
    if breakout is None:
        return None
    seats = BreakoutSeat.objects.filter(round=breakout).select_related("user", "group").order_by("group__number")
    groups: dict[int, dict] = {}
    for seat in seats:
        group = groups.setdefault(
            seat.group_id,
            {"id": seat.group_id, "number": seat.group.number, "label": seat.group.label, "members": []},
        )
        group["members"].append(room.person(seat.user))
    return {
        "id": breakout.pk,
        "mode": breakout.mode,
        "ends_at": breakout.ends_at.isoformat(),
        "groups": sorted(groups.values(), key=lambda g: g["number"]),
    }


def seat_of(*, session_id: int, user_id: int) -> int | None:
    return (
        BreakoutSeat.objects.filter(round__session_id=session_id, round__ended_at__isnull=True, user_id=user_id)
        .values_list("group_id", flat=True)
        .first()
    )


def room_state(*, session: RoundtableSession, actor: room.Actor) -> dict:
    """Everything the room shows besides the chat, as of now."""
    agenda = [{"id": item.pk, "title": item.title} for item in AgendaItem.objects.filter(session=session)]
    current = next((item for item in agenda if item["id"] == session.current_agenda_item_id), None)
    polls = list(Poll.objects.filter(session=session))
    my_votes = dict(
        PollVote.objects.filter(poll__session=session, user_id=actor.user_id).values_list("poll_id", "option")
    )
    last_turn = (
        SpeakingTurn.objects.filter(session=session).select_related("user").order_by("-started_at", "-pk").first()
    )
    return {
        "agenda": agenda,
        "current_item": current,
        "locked": session.locked,
        "ended": session.ended_at is not None,
        "queue": room.hand_queue(session.pk),
        "speaker": room.person(last_turn.user) if last_turn else None,
        "turns": room.turn_counts(session.pk),
        "polls": [room.poll_state(poll) for poll in polls],
        "my_votes": {str(poll_id): option for poll_id, option in my_votes.items()},
        "muted": list(Mute.objects.filter(session=session).values_list("user_id", flat=True)),
        "breakouts": breakout_state(session=session),
        "actions": [
            room.action_state(action) for action in ActionPoint.objects.filter(session=session).select_related("owner")
        ],
    }


def room_welcome(*, session_id: int, actor: room.Actor, since: int | None) -> tuple[int, int | None, list[str]]:
    """What a socket receives on joining: a `welcome` frame, then the events it missed
    (`since` given) or the recent history. Returns (last_seq, seat, frames as text).

    Events after `last_seq` reach the socket live; the state frames carry whole states,
    so one that is both in the snapshot and live is harmless.
    """
    session = RoundtableSession.objects.select_related("cohort").get(pk=session_id)
    last_seq = session.last_seq
    seat = seat_of(session_id=session_id, user_id=actor.user_id)
    events = visible_events(session_id=session_id, actor=actor).filter(seq__lte=last_seq)
    resumed = since is not None and 0 <= since <= last_seq and last_seq - since <= MAX_RESUME_EVENTS
    if resumed:
        backlog = list(events.filter(seq__gt=since).order_by("seq"))
    else:
        backlog = list(events.filter(kind__in=room.WRITTEN_KINDS).order_by("-seq")[:HISTORY_ON_JOIN])[::-1]
    welcome = {
        "type": "welcome",
        "session": {
            "id": session.pk,
            "title": session.title,
            "kind": session.kind,
            "privacy": session.privacy,
            "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(),
            "video_url": session.video_url,
        },
        "you": {**actor.as_person(), "role": actor.role, "runs": actor.runs, "speaks": actor.speaks, "seat": seat},
        "state": room_state(session=session, actor=actor),
        "presence": presence(session=session),
        "last_seq": last_seq,
        "resumed": resumed,
    }
    return last_seq, seat, [encode(welcome), *(encode(event_frame(event)) for event in backlog)]


def missed_events(*, session_id: int, after: int, upto: int) -> list[RoomEvent]:
    """Events (after, upto] of the room, for a process that saw a gap in the broadcast."""
    return list(RoomEvent.objects.filter(session_id=session_id, seq__gt=after, seq__lte=upto).order_by("seq"))


def resume_frames(*, session_id: int, actor: room.Actor, since: int) -> list[str]:
    """The events after `since` this person may see (the `resume` frame), at most
    MAX_RESUME_EVENTS of them."""
    events = visible_events(session_id=session_id, actor=actor).filter(seq__gt=since).order_by("seq")
    return [encode(event_frame(event)) for event in events[:MAX_RESUME_EVENTS]]


# ------------------------------------------------------------------------------
# For the forums: what a follow-up thread starts from
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FollowUpAction:
    text: str
    owner: str  # as recorded on the action point (the record shows it too); "" if none
    due_date: date | None


@dataclass(frozen=True)
class FollowUpSource:
    """A session seen by another app: its title, where it lives, and (once it has ended)
    its action points. Never who said what: under Chatham House the record names
    nobody but the owners of action points, and neither does this."""

    session_id: int
    title: str
    cohort_id: int
    programme_id: int
    has_ended: bool
    session_url: str
    record_url: str
    actions: tuple[FollowUpAction, ...]


def followup_source(*, user, session_id: int) -> FollowUpSource | None:
    """The session if the user may see it (None otherwise: a 404 to the caller), with
    its action points once it has ended. Two queries."""
    from django.urls import reverse

    from roundtables.access import session_by_id

    session = session_by_id(user, session_id)
    if session is None:
        return None
    actions = ()
    if session.has_ended:
        actions = tuple(
            FollowUpAction(text=action.text, owner=str(action.owner) if action.owner else "", due_date=action.due_date)
            for action in ActionPoint.objects.filter(session=session).select_related("owner")
        )
    return FollowUpSource(
        session_id=session.pk,
        title=session.title,
        cohort_id=session.cohort_id,
        programme_id=session.cohort.programme_id,
        has_ended=session.has_ended,
        session_url=session.get_absolute_url(),
        record_url=reverse("roundtable_record", kwargs={"session_id": session.pk}),
        actions=actions,
    )


def session_id_titled(*, cohort_id: int, title: str) -> int | None:
    """The id of the cohort's session with this title, if any (for demo data that links
    to a session)."""
    return RoundtableSession.objects.filter(cohort_id=cohort_id, title=title).values_list("pk", flat=True).first()
