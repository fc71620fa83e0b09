"""The record of a session, read from its log, and attendance from its sockets.

The record respects the session's privacy mode: under Chatham House every speaker is
shown only as their stakeholder group (at the time they spoke), in pages and exports
alike. Removed messages are left out. Attendance per person is for facilitators;
members see how many attended from each stakeholder group.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.choices import CONSTITUENCIES, MembershipRole, StakeholderGroup
from academy.models import User
from roundtables import room
from roundtables.models import (
    ActionPoint,
    BreakoutGroup,
    BreakoutRound,
    Poll,
    RoomConnection,
    RoomEvent,
    RoundtableSession,
    SpeakingTurn,
)

GROUP_LABELS = dict(StakeholderGroup.choices)


@dataclass
class Line:
    seq: int
    at: datetime
    speaker: str
    group: str
    text: str


@dataclass
class GroupRecord:
    label: str
    members: list[str]
    chat: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)


@dataclass
class RoundRecord:
    mode: str
    started_at: datetime
    ended_at: datetime | None
    groups: list[GroupRecord]


@dataclass
class GroupTurns:
    label: str
    count: int
    not_heard: bool  # a participants' constituency that never had the floor


@dataclass
class Attendance:
    user_id: int
    name: str
    group: str
    first_joined: datetime
    last_left: datetime
    minutes: int

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS.get(self.group, self.group))


@dataclass
class Record:
    session: RoundtableSession
    chatham_house: bool
    transcript: list[Line]
    rounds: list[RoundRecord]
    polls: list[dict]
    actions: list[ActionPoint]
    turns: list[GroupTurns]  # every stakeholder group, in order
    attendance: list[Attendance]
    attendance_by_group: list[tuple[str, int]]
    # In the current time zone (the reader's): the record then shows the date it ended too.
    ended_on_another_day: bool = False


def speaker_label(*, name: str, group: str, chatham_house: bool) -> str:
    label = str(GROUP_LABELS.get(group, GROUP_LABELS[StakeholderGroup.OTHER]))
    return label if chatham_house else f"{name} ({label})"


def attendance_of(*, session: RoundtableSession) -> list[Attendance]:
    """Join and leave times per person, from their sockets. A socket whose server died
    counts until its last heartbeat. Time is the union of the person's sockets."""
    rows = (
        RoomConnection.objects.filter(session=session)
        .select_related("user")
        .only(
            "user_id",
            "joined_at",
            "left_at",
            "last_seen_at",
            "user__display_name",
            "user__email",
            "user__stakeholder_group",
        )
        .order_by("user_id", "joined_at")
    )
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    people: dict[int, User] = {}
    for row in rows:
        people[row.user_id] = row.user
        spans[row.user_id].append((row.joined_at, row.left_at or row.last_seen_at))
    result = []
    for user_id, intervals in spans.items():
        total = timedelta()
        current_start, current_end = intervals[0]
        for start, end in intervals[1:]:
            if start <= current_end:
                current_end = max(current_end, end)
            else:
                total += current_end - current_start
                current_start, current_end = start, end
        total += current_end - current_start
        user = people[user_id]
        result.append(
            Attendance(
                user_id=user_id,
                name=str(user),
                group=user.stakeholder_group,
                first_joined=intervals[0][0],
                last_left=max(end for _, end in intervals),
                minutes=round(total.total_seconds() / 60),
            )
        )
    return sorted(result, key=lambda a: (a.name.lower(), a.user_id))


def ended_on_another_day(session: RoundtableSession) -> bool:
    """Whether the session ended on another day than it was scheduled to start, in the
    current time zone (during a request, the reader's)."""
    if session.ended_at is None:
        return False
    return timezone.localdate(session.ended_at) != timezone.localdate(session.starts_at)


def session_record(*, session: RoundtableSession) -> Record:
    """Everything the record shows, in a fixed number of queries. Call in the reader's
    time zone (as views are): it decides `ended_on_another_day`."""
    chatham = session.is_chatham_house
    written = (
        RoomEvent.objects.filter(session=session, kind__in=room.WRITTEN_KINDS, removed_at__isnull=True)
        .select_related("author")
        .order_by("seq")
    )
    transcript: list[Line] = []
    by_group: dict[int, tuple[list[Line], list[Line]]] = defaultdict(lambda: ([], []))
    for event in written:
        author = event.payload.get("author") or {}
        line = Line(
            seq=event.seq,
            at=event.created_at,
            speaker=speaker_label(
                name=author.get("name", ""), group=event.author_group or author.get("group", ""), chatham_house=chatham
            ),
            group=event.author_group,
            text=event.payload.get("text", ""),
        )
        if event.breakout_group_id is None:
            transcript.append(line)
        else:
            chat, notes = by_group[event.breakout_group_id]
            (notes if event.kind == "note.added" else chat).append(line)

    rounds = []
    groups = BreakoutGroup.objects.filter(round__session=session).prefetch_related("seats__user").order_by("number")
    groups_by_round: dict[int, list[BreakoutGroup]] = defaultdict(list)
    for group in groups:
        groups_by_round[group.round_id].append(group)
    for breakout in BreakoutRound.objects.filter(session=session).order_by("started_at"):
        described = []
        for group in groups_by_round[breakout.pk]:
            members = [seat.user for seat in group.seats.all()]
            if chatham:
                counts = defaultdict(int)
                for member in members:
                    counts[member.stakeholder_group] += 1
                names = [f"{GROUP_LABELS.get(g, g)} × {n}" for g, n in counts.items()]
            else:
                names = sorted(str(member) for member in members)
            chat, notes = by_group.get(group.pk, ([], []))
            described.append(
                GroupRecord(
                    label=group.label or _("Group %(number)s") % {"number": group.number},
                    members=names,
                    chat=chat,
                    notes=notes,
                )
            )
        rounds.append(
            RoundRecord(
                mode=breakout.mode, started_at=breakout.started_at, ended_at=breakout.ended_at, groups=described
            )
        )

    polls = [room.poll_state(poll) for poll in Poll.objects.filter(session=session)]
    for poll in polls:
        poll["rows"] = list(zip(poll["options"], poll["counts"], strict=True))
    turns = dict(
        SpeakingTurn.objects.filter(session=session)
        .values_list("stakeholder_group")
        .annotate(n=Count("pk"))
        .values_list("stakeholder_group", "n")
    )
    attendance = attendance_of(session=session)
    present_by_group: dict[str, int] = defaultdict(int)
    for person in attendance:
        present_by_group[person.group] += 1
    return Record(
        session=session,
        chatham_house=chatham,
        transcript=transcript,
        rounds=rounds,
        polls=polls,
        actions=list(ActionPoint.objects.filter(session=session).select_related("owner")),
        turns=[
            GroupTurns(
                label=str(group.label),
                count=turns.get(group, 0),
                not_heard=not turns.get(group) and group in CONSTITUENCIES,
            )
            for group in StakeholderGroup
        ],
        attendance=attendance,
        attendance_by_group=[
            (str(label), present_by_group[value])
            for value, label in StakeholderGroup.choices
            if present_by_group[value]
        ],
        ended_on_another_day=ended_on_another_day(session),
    )


def sessions_attended(*, user: User, cohort_ids: list[int] | None = None) -> dict[str, int]:
    """How many past sessions of the person's cohorts they attended (were in the room),
    of how many: {"attended": n, "held": m}."""
    past = RoundtableSession.objects.filter(cohort__memberships__user=user).filter(
        Q(ended_at__isnull=False) | Q(ends_at__lt=timezone.now())
    )
    if cohort_ids is not None:
        past = past.filter(cohort_id__in=cohort_ids)
    counts = past.aggregate(
        held=Count("pk", distinct=True),
        attended=Count("pk", filter=Q(connections__user=user), distinct=True),
    )
    return {"attended": counts["attended"] or 0, "held": counts["held"] or 0}


@dataclass
class CohortAttendance:
    held: int
    rows: list[tuple[User, int]]


def cohort_attendance(*, cohort) -> CohortAttendance:
    """Sessions attended by each participant of the cohort, of the sessions held so far
    (two queries, whatever the number of people and sessions)."""
    held = RoundtableSession.objects.filter(cohort=cohort).filter(
        Q(ended_at__isnull=False) | Q(ends_at__lt=timezone.now())
    )
    attended = (
        RoomConnection.objects.filter(user=OuterRef("pk"), session__in=held)
        .values("user")
        .annotate(n=Count("session", distinct=True))
        .values("n")
    )
    people = (
        User.objects.filter(memberships__cohort=cohort, memberships__role=MembershipRole.PARTICIPANT)
        .annotate(attended=Coalesce(Subquery(attended), 0))
        .order_by("display_name", "email")
    )
    return CohortAttendance(held=held.count(), rows=[(person, person.attended) for person in people])
