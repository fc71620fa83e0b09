"""Writes of the live room: one service per client frame, and the sockets' own rows.

Every service runs in one transaction that locks the session row, checks what the
frame may do, writes its rows, appends one event to the room's log with the next
sequence number, and broadcasts that event after commit (`roundtables.events`). The
lock is what makes the sequence gap-free and the same order for everyone: when event n
commits, every event before it has committed. Refusals raise `FrameError`.

Services take an `Actor` (who acts, in what role) fixed when the socket connected; the
consumer re-checks access continuously (`roundtables.hub`), so a removed member's
socket is closed rather than trusted.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from academy.choices import MembershipRole, StakeholderGroup
from academy.models import Membership, User
from roundtables import access
from roundtables.events import broadcast_event_after_commit
from roundtables.models import (
    ActionPoint,
    AgendaItem,
    BreakoutGroup,
    BreakoutRound,
    BreakoutSeat,
    Mute,
    Poll,
    PollVote,
    RaisedHand,
    RoomConnection,
    RoomEvent,
    RoundtableSession,
    SpeakingTurn,
)
from roundtables.protocol import (
    MAX_SOCKETS_PER_PERSON,
    RATE_LIMIT_MESSAGES,
    RATE_LIMIT_SECONDS,
    ErrorCode,
    FrameError,
)

# A socket whose process stopped refreshing it (every hub.HEARTBEAT_SECONDS) for this
# long no longer counts as present, nor against the socket limit.
PRESENCE_TIMEOUT = timedelta(seconds=15)
WRITTEN_KINDS = ("chat.message", "note.added")


@dataclass(frozen=True)
class Actor:
    """Who sends frames on one socket, as fixed when it connected."""

    user_id: int
    name: str
    group: str
    role: str  # "facilitator" (also staff), "participant" or "observer"

    @property
    def runs(self) -> bool:
        return self.role == MembershipRole.FACILITATOR

    @property
    def speaks(self) -> bool:
        return self.role in (MembershipRole.FACILITATOR, MembershipRole.PARTICIPANT)

    def as_person(self) -> dict:
        return {"id": self.user_id, "name": self.name, "group": self.group}


def actor_for(user: User, session: RoundtableSession) -> Actor:
    """Call after `access.session_by_id` (which loaded the user's role in the cohort)."""
    if access.can_run_session(user, session):
        role = MembershipRole.FACILITATOR
    else:
        role = getattr(session, "viewer_role", None) or MembershipRole.OBSERVER
    return Actor(user_id=user.pk, name=str(user), group=user.stakeholder_group, role=role)


def person(user: User) -> dict:
    return {"id": user.pk, "name": str(user), "group": user.stakeholder_group}


# ------------------------------------------------------------------------------
# The log
# ------------------------------------------------------------------------------
def _locked(session_id: int) -> RoundtableSession:
    """The session row, locked until the transaction ends. Call inside transaction.atomic."""
    return RoundtableSession.objects.select_for_update().get(pk=session_id)


def _append(
    session: "RoundtableSession | Claimed",
    kind: str,
    payload: dict,
    *,
    author: Actor | None = None,
    client_id: str = "",
    breakout_group_id: int | None = None,
    seq_claimed: bool = False,
) -> RoomEvent:
    """Log one event with the next sequence number and broadcast it after commit.
    Call inside transaction.atomic with `session` locked (or its number claimed by
    `_claim_next_seq`, which already holds it in `session.last_seq`)."""
    if not seq_claimed:
        session.last_seq += 1
        RoundtableSession.objects.filter(pk=session.pk).update(last_seq=session.last_seq)
    event = RoomEvent.objects.create(
        session_id=session.pk,
        seq=session.last_seq,
        kind=kind,
        author_id=author.user_id if author else None,
        author_group=author.group if author else "",
        client_id=client_id,
        breakout_group_id=breakout_group_id,
        payload=payload,
    )
    broadcast_event_after_commit(event)
    return event


def _check_open(session: RoundtableSession) -> None:
    if session.ended_at is not None:
        raise FrameError(ErrorCode.ENDED)


def _open_round(session: RoundtableSession) -> BreakoutRound | None:
    return BreakoutRound.objects.filter(session=session, ended_at__isnull=True).first()


def _earlier_or_rate_limited(*, session_id: int, actor: Actor, client_id: str) -> RoomEvent | None:
    """The message this client id already made, if any; else refuse a sender over the
    rate limit. One query for both (hand-written: this runs for every message)."""
    since = timezone.now() - timedelta(seconds=RATE_LIMIT_SECONDS)
    table = RoomEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, session_id = %s AND client_id = %s FROM {table} "  # noqa: S608 (table names only)
            "WHERE author_id = %s AND ((session_id = %s AND client_id = %s) "
            "OR (kind IN (%s, %s) AND created_at >= %s))",
            [session_id, client_id, actor.user_id, session_id, client_id, *WRITTEN_KINDS, since],
        )
        rows = cursor.fetchall()
    earlier = next((event_id for event_id, same in rows if same), None)
    if earlier is not None:
        return RoomEvent.objects.get(pk=earlier)
    if len(rows) >= RATE_LIMIT_MESSAGES:
        raise FrameError(ErrorCode.RATE_LIMITED)
    return None


@dataclass
class Claimed:
    """The session as `_claim_next_seq` left it: its new sequence and what the checks need."""

    pk: int
    last_seq: int
    locked: bool
    ended: bool
    muted: bool
    seat: int | None


def _claim_next_seq(session_id: int, user_id: int) -> Claimed:
    """Take the room's next sequence number, and with it the row lock that orders the
    room's writes (taken first, so SQLite's write lock is taken first too), reading in
    the same statement what the checks need: locked, ended, the sender muted, the
    sender's open breakout group. Call inside transaction.atomic; an exception rolls the
    number back."""
    session_table = RoundtableSession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {session_table} SET last_seq = last_seq + 1 WHERE id = %s "  # noqa: S608 (table names only)
            f"RETURNING last_seq, locked, ended_at, "
            f"EXISTS (SELECT 1 FROM {Mute._meta.db_table} WHERE session_id = %s AND user_id = %s), "
            f"(SELECT seat.group_id FROM {BreakoutSeat._meta.db_table} seat "
            f"JOIN {BreakoutRound._meta.db_table} r ON r.id = seat.round_id "
            "WHERE r.session_id = %s AND r.ended_at IS NULL AND seat.user_id = %s)",
            [session_id, session_id, user_id, session_id, user_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise FrameError(ErrorCode.NOT_FOUND)
    last_seq, locked, ended_at, muted, seat = row
    return Claimed(
        pk=session_id, last_seq=last_seq, locked=bool(locked), ended=ended_at is not None, muted=bool(muted), seat=seat
    )


def _written(
    *, session_id: int, actor: Actor, client_id: str, kind: str, text: str, breakout_group_id: int | None = None
) -> RoomEvent:
    """A chat message or a breakout note: idempotent by the client's id.

    The hot path of the room: three queries (earlier message and rate; sequence, lock
    and checks; insert), whatever the size of the room.
    """
    earlier = _earlier_or_rate_limited(session_id=session_id, actor=actor, client_id=client_id)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            session = _claim_next_seq(session_id, actor.user_id)
            if session.ended:
                raise FrameError(ErrorCode.ENDED)
            if not actor.runs:
                if session.locked:
                    raise FrameError(ErrorCode.LOCKED)
                if session.muted:
                    raise FrameError(ErrorCode.MUTED)
            if kind == "note.added":
                scope = session.seat if not actor.runs else (breakout_group_id or session.seat)
                if scope is None:
                    raise FrameError(ErrorCode.CONFLICT, "notes are kept in breakout groups")
            elif actor.runs:
                scope = breakout_group_id  # a facilitator speaks to the plenary or to one group
            else:
                scope = session.seat
            if breakout_group_id is not None and scope != breakout_group_id:
                raise FrameError(ErrorCode.FORBIDDEN)
            if (
                scope is not None
                and scope != session.seat
                and not BreakoutGroup.objects.filter(
                    pk=scope, round__session_id=session_id, round__ended_at__isnull=True
                ).exists()
            ):
                raise FrameError(ErrorCode.NOT_FOUND, "breakout")
            return _append(
                session,
                kind,
                {"author": actor.as_person(), "client_id": client_id, "text": text},
                author=actor,
                client_id=client_id,
                breakout_group_id=scope,
                seq_claimed=True,
            )
    except IntegrityError:
        # The same client id sent twice at once (two sockets resending): the first won.
        return RoomEvent.objects.get(session_id=session_id, author_id=actor.user_id, client_id=client_id)


# ------------------------------------------------------------------------------
# Chat and notes
# ------------------------------------------------------------------------------
def message_post(
    *, session_id: int, actor: Actor, client_id: str, text: str, breakout_group_id: int | None = None
) -> RoomEvent:
    """Post a chat message (to the sender's breakout group while they sit in one).

    A second post with the same `client_id` returns the first message unchanged.
    """
    return _written(
        session_id=session_id,
        actor=actor,
        client_id=client_id,
        kind="chat.message",
        text=text,
        breakout_group_id=breakout_group_id,
    )


def note_add(
    *, session_id: int, actor: Actor, client_id: str, text: str, breakout_group_id: int | None = None
) -> RoomEvent:
    """Add a line to the notes of the sender's breakout group (idempotent by client id)."""
    return _written(
        session_id=session_id,
        actor=actor,
        client_id=client_id,
        kind="note.added",
        text=text,
        breakout_group_id=breakout_group_id,
    )


@transaction.atomic
def message_remove(*, session_id: int, actor: Actor, seq: int) -> RoomEvent:
    """Hide a message or note from the room and the record (it stays in the log)."""
    session = _locked(session_id)
    target = RoomEvent.objects.filter(session=session, seq=seq, kind__in=WRITTEN_KINDS).first()
    if target is None:
        raise FrameError(ErrorCode.NOT_FOUND, "seq")
    if target.removed_at is not None:
        raise FrameError(ErrorCode.CONFLICT, "already removed")
    target.removed_at = timezone.now()
    target.save(update_fields=["removed_at"])
    return _append(
        session, "chat.removed", {"removed_seq": seq}, author=actor, breakout_group_id=target.breakout_group_id
    )


# ------------------------------------------------------------------------------
# Hands and the floor
# ------------------------------------------------------------------------------
def hand_queue(session_id: int) -> list[dict]:
    hands = RaisedHand.objects.filter(session_id=session_id).select_related("user").order_by("raised_at", "pk")
    return [{**person(hand.user), "raised_at": hand.raised_at.isoformat()} for hand in hands]


def turn_counts(session_id: int) -> dict[str, int]:
    """Speaking turns per stakeholder group, every group listed (zero shows who is missing)."""
    counts = dict(
        SpeakingTurn.objects.filter(session_id=session_id)
        .values_list("stakeholder_group")
        .annotate(turns=Count("pk"))
        .values_list("stakeholder_group", "turns")
    )
    return {group: counts.get(group, 0) for group in StakeholderGroup.values}


@transaction.atomic
def hand_raise(*, session_id: int, actor: Actor) -> RoomEvent | None:
    """Join the speaking queue; raising a hand already raised changes nothing (None)."""
    session = _locked(session_id)
    _check_open(session)
    if Mute.objects.filter(session=session, user_id=actor.user_id).exists():
        raise FrameError(ErrorCode.MUTED)
    _, created = RaisedHand.objects.get_or_create(session=session, user_id=actor.user_id)
    if not created:
        return None
    return _append(session, "hand.raised", {"user": actor.as_person(), "queue": hand_queue(session.pk)}, author=actor)


@transaction.atomic
def hand_lower(*, session_id: int, actor: Actor, user_id: int | None = None) -> RoomEvent | None:
    """Leave the queue; facilitators may lower anyone's hand."""
    session = _locked(session_id)
    _check_open(session)
    user_id = user_id or actor.user_id
    if user_id != actor.user_id and not actor.runs:
        raise FrameError(ErrorCode.FORBIDDEN)
    deleted, _ = RaisedHand.objects.filter(session=session, user_id=user_id).delete()
    if not deleted:
        return None
    return _append(session, "hand.lowered", {"user_id": user_id, "queue": hand_queue(session.pk)}, author=actor)


@transaction.atomic
def floor_give(*, session_id: int, actor: Actor, user_id: int | None = None) -> RoomEvent:
    """Give the floor to the first raised hand, or to a named member of the cohort."""
    session = _locked(session_id)
    _check_open(session)
    if user_id is None:
        hand = RaisedHand.objects.filter(session=session).order_by("raised_at", "pk").first()
        if hand is None:
            raise FrameError(ErrorCode.CONFLICT, "no hand is raised")
        user_id = hand.user_id
    speaker = User.objects.filter(pk=user_id, memberships__cohort_id=session.cohort_id, is_active=True).first()
    if speaker is None:
        raise FrameError(ErrorCode.NOT_FOUND, "user_id")
    RaisedHand.objects.filter(session=session, user=speaker).delete()
    SpeakingTurn.objects.create(session=session, user=speaker, stakeholder_group=speaker.stakeholder_group)
    payload = {"speaker": person(speaker), "queue": hand_queue(session.pk), "turns": turn_counts(session.pk)}
    return _append(session, "floor.given", payload, author=actor)


# ------------------------------------------------------------------------------
# Agenda and polls
# ------------------------------------------------------------------------------
@transaction.atomic
def agenda_set(*, session_id: int, actor: Actor, item_id: int | None) -> RoomEvent:
    """Move the room to an agenda item (None: no current item)."""
    session = _locked(session_id)
    _check_open(session)
    item = None
    if item_id is not None:
        item = AgendaItem.objects.filter(session=session, pk=item_id).first()
        if item is None:
            raise FrameError(ErrorCode.NOT_FOUND, "item_id")
    session.current_agenda_item = item
    session.save(update_fields=["current_agenda_item"])
    payload = {"item": {"id": item.pk, "title": item.title} if item else None}
    return _append(session, "agenda.current", payload, author=actor)


def poll_state(poll: Poll) -> dict:
    counts = dict(PollVote.objects.filter(poll=poll).values_list("option").annotate(n=Count("pk")))
    tallies = [counts.get(index, 0) for index in range(len(poll.options))]
    return {
        "id": poll.pk,
        "question": poll.question,
        "options": poll.options,
        "counts": tallies,
        "total": sum(tallies),
        "closed": poll.closed_at is not None,
    }


@transaction.atomic
def poll_open(*, session_id: int, actor: Actor, question: str, options: list[str]) -> RoomEvent:
    """Open a poll; one poll is open at a time."""
    session = _locked(session_id)
    _check_open(session)
    if Poll.objects.filter(session=session, closed_at__isnull=True).exists():
        raise FrameError(ErrorCode.CONFLICT, "close the open poll first")
    poll = Poll.objects.create(session=session, question=question, options=options)
    return _append(session, "poll.opened", {"poll": poll_state(poll)}, author=actor)


@transaction.atomic
def poll_vote(*, session_id: int, actor: Actor, poll_id: int, option: int) -> RoomEvent:
    """One vote per member and poll; the new counts go to everyone (never who voted)."""
    session = _locked(session_id)
    _check_open(session)
    poll = Poll.objects.filter(session=session, pk=poll_id).first()
    if poll is None:
        raise FrameError(ErrorCode.NOT_FOUND, "poll_id")
    if poll.closed_at is not None:
        raise FrameError(ErrorCode.POLL_CLOSED)
    if option >= len(poll.options):
        raise FrameError(ErrorCode.BAD_FIELD, "option: not one of the poll's options")
    if PollVote.objects.filter(poll=poll, user_id=actor.user_id).exists():
        raise FrameError(ErrorCode.ALREADY_VOTED)
    PollVote.objects.create(poll=poll, user_id=actor.user_id, option=option)
    return _append(session, "poll.results", {"poll": poll_state(poll)})


@transaction.atomic
def poll_close(*, session_id: int, actor: Actor, poll_id: int) -> RoomEvent:
    session = _locked(session_id)
    poll = Poll.objects.filter(session=session, pk=poll_id).first()
    if poll is None:
        raise FrameError(ErrorCode.NOT_FOUND, "poll_id")
    if poll.closed_at is not None:
        raise FrameError(ErrorCode.POLL_CLOSED)
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    return _append(session, "poll.closed", {"poll": poll_state(poll)}, author=actor)


# ------------------------------------------------------------------------------
# Moderation
# ------------------------------------------------------------------------------
def _member(session: RoundtableSession, user_id: int) -> Membership:
    membership = Membership.objects.select_related("user").filter(cohort_id=session.cohort_id, user_id=user_id).first()
    if membership is None:
        raise FrameError(ErrorCode.NOT_FOUND, "user_id")
    return membership


@transaction.atomic
def member_mute(*, session_id: int, actor: Actor, user_id: int) -> RoomEvent | None:
    """Stop a participant writing, raising a hand or voting in this room (their hand drops)."""
    session = _locked(session_id)
    _check_open(session)
    membership = _member(session, user_id)
    if membership.role == MembershipRole.FACILITATOR or membership.user.is_staff:
        raise FrameError(ErrorCode.FORBIDDEN, "facilitators cannot be muted")
    _, created = Mute.objects.get_or_create(session=session, user_id=user_id)
    if not created:
        return None
    RaisedHand.objects.filter(session=session, user_id=user_id).delete()
    payload = {"user": person(membership.user), "queue": hand_queue(session.pk)}
    return _append(session, "member.muted", payload, author=actor)


@transaction.atomic
def member_unmute(*, session_id: int, actor: Actor, user_id: int) -> RoomEvent | None:
    session = _locked(session_id)
    _check_open(session)
    membership = _member(session, user_id)
    deleted, _ = Mute.objects.filter(session=session, user_id=user_id).delete()
    if not deleted:
        return None
    return _append(session, "member.unmuted", {"user": person(membership.user)}, author=actor)


@transaction.atomic
def room_lock(*, session_id: int, actor: Actor, locked: bool) -> RoomEvent | None:
    """Lock (only facilitators write) or unlock the room."""
    session = _locked(session_id)
    _check_open(session)
    if session.locked == locked:
        return None
    session.locked = locked
    session.save(update_fields=["locked"])
    return _append(session, "room.locked" if locked else "room.unlocked", {}, author=actor)


@transaction.atomic
def session_end(*, session_id: int, actor: Actor) -> RoomEvent:
    """End the session: breakouts and polls close, the room turns read-only, the record opens."""
    session = _locked(session_id)
    _check_open(session)
    now = timezone.now()
    _end_breakouts(session, now)
    Poll.objects.filter(session=session, closed_at__isnull=True).update(closed_at=now)
    RaisedHand.objects.filter(session=session).delete()
    session.ended_at = now
    session.save(update_fields=["ended_at"])
    return _append(session, "session.ended", {}, author=actor)


# ------------------------------------------------------------------------------
# Breakouts
# ------------------------------------------------------------------------------
def present_user_ids(session_id: int) -> list[int]:
    fresh = timezone.now() - PRESENCE_TIMEOUT
    return list(
        RoomConnection.objects.filter(session_id=session_id, left_at__isnull=True, last_seen_at__gte=fresh)
        .values_list("user_id", flat=True)
        .distinct()
    )


def split_into_groups(people: list[User], *, mode: str, groups: int) -> list[tuple[str, list[User]]]:
    """Mixed: deal people out by stakeholder group so each group gets a balanced share of
    every constituency. Caucus: one group per stakeholder group present."""
    order = {value: index for index, value in enumerate(StakeholderGroup.values)}
    people = sorted(people, key=lambda user: (order.get(user.stakeholder_group, 99), str(user), user.pk))
    if mode == "caucus":
        by_group: dict[str, list[User]] = {}
        for user in people:
            by_group.setdefault(user.stakeholder_group, []).append(user)
        labels = dict(StakeholderGroup.choices)
        return [(str(labels.get(group, group)), members) for group, members in by_group.items()]
    count = max(1, min(groups, len(people)))
    dealt: list[list[User]] = [[] for _ in range(count)]
    for index, user in enumerate(people):
        dealt[index % count].append(user)
    return [("", members) for members in dealt]


@transaction.atomic
def breakouts_start(*, session_id: int, actor: Actor, mode: str, minutes: int, groups: int | None) -> RoomEvent:
    """Split the participants present into groups with a timer. Facilitators stay free to
    visit every group; observers and late-comers stay in the plenary."""
    session = _locked(session_id)
    _check_open(session)
    if _open_round(session) is not None:
        raise FrameError(ErrorCode.CONFLICT, "breakouts are already running")
    if mode == "mixed" and groups is None:
        raise FrameError(ErrorCode.BAD_FIELD, "groups: required for mixed groups")
    present = present_user_ids(session.pk)
    people = list(
        User.objects.filter(
            pk__in=present,
            is_active=True,
            memberships__cohort_id=session.cohort_id,
            memberships__role=MembershipRole.PARTICIPANT,
        )
    )
    if len(people) < 2:
        raise FrameError(ErrorCode.CONFLICT, "at least two participants must be present")
    now = timezone.now()
    breakout = BreakoutRound.objects.create(
        session=session, mode=mode, started_at=now, ends_at=now + timedelta(minutes=minutes)
    )
    described = []
    for number, (label, members) in enumerate(split_into_groups(people, mode=mode, groups=groups or 0), start=1):
        group = BreakoutGroup.objects.create(round=breakout, number=number, label=label)
        BreakoutSeat.objects.bulk_create([BreakoutSeat(round=breakout, group=group, user=user) for user in members])
        described.append({"id": group.pk, "number": number, "label": label, "members": [person(u) for u in members]})
    payload = {"round": {"id": breakout.pk, "mode": mode, "ends_at": breakout.ends_at.isoformat(), "groups": described}}
    return _append(session, "breakouts.started", payload, author=actor)


def _end_breakouts(session: RoundtableSession, now) -> None:
    breakout = _open_round(session)
    if breakout is not None:
        breakout.ended_at = now
        breakout.save(update_fields=["ended_at"])


@transaction.atomic
def breakouts_end(*, session_id: int, actor: Actor) -> RoomEvent:
    """Everyone returns to the plenary; the groups' notes stay in the record."""
    session = _locked(session_id)
    _check_open(session)
    breakout = _open_round(session)
    if breakout is None:
        raise FrameError(ErrorCode.CONFLICT, "no breakouts are running")
    _end_breakouts(session, timezone.now())
    return _append(session, "breakouts.ended", {"round_id": breakout.pk}, author=actor)


# ------------------------------------------------------------------------------
# Action points
# ------------------------------------------------------------------------------
def action_state(action: ActionPoint) -> dict:
    return {
        "id": action.pk,
        "text": action.text,
        "owner": person(action.owner) if action.owner else None,
        "due_date": action.due_date.isoformat() if action.due_date else None,
    }


@transaction.atomic
def action_add(
    *, session_id: int, actor: Actor, text: str, owner_id: int | None = None, due_date: date | None = None
) -> RoomEvent:
    """Record an action point (what, who, by when) for the session's record."""
    session = _locked(session_id)
    _check_open(session)
    owner = _member(session, owner_id).user if owner_id is not None else None
    action = ActionPoint.objects.create(session=session, text=text, owner=owner, due_date=due_date)
    return _append(session, "action.added", {"action": action_state(action)}, author=actor)


# ------------------------------------------------------------------------------
# Sockets: presence and attendance
# ------------------------------------------------------------------------------
def open_socket_count(*, user_id: int) -> int:
    fresh = timezone.now() - PRESENCE_TIMEOUT
    return RoomConnection.objects.filter(user_id=user_id, left_at__isnull=True, last_seen_at__gte=fresh).count()


def connection_open(*, session_id: int, user_id: int) -> RoomConnection | None:
    """Record a socket joining the room, unless the person already has the most sockets
    allowed (None then)."""
    if open_socket_count(user_id=user_id) >= MAX_SOCKETS_PER_PERSON:
        return None
    return RoomConnection.objects.create(session_id=session_id, user_id=user_id)


def connection_close(*, connection_id: int) -> None:
    now = timezone.now()
    RoomConnection.objects.filter(pk=connection_id, left_at__isnull=True).update(left_at=now, last_seen_at=now)


def connections_touch(*, connection_ids: list[int]) -> None:
    """Heartbeat: these sockets are still open (one query for a whole process)."""
    if connection_ids:
        RoomConnection.objects.filter(pk__in=connection_ids, left_at__isnull=True).update(last_seen_at=timezone.now())
