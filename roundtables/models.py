"""Roundtables: scheduled sessions of a cohort and the live room each one opens.

- A **RoundtableSession** is a roundtable or a virtual seminar of one cohort: a title,
  agenda items, a start and an end (stored in UTC), perhaps an external video link and
  materials to download, and a privacy mode (named, or Chatham House: the record shows
  each speaker only as their stakeholder group). Members answer an **Rsvp**.
- The live room keeps an append-only log of **RoomEvents** numbered by a per-session
  sequence (`RoundtableSession.last_seq`): chat messages, hands, turns, agenda moves,
  polls, moderation, breakouts, notes, action points. A client that reconnects asks for
  the events after the last sequence it saw. Chat messages carry the client's own id, so
  a resend finds the original instead of making a second message.
- State that every server process must agree on lives in tables, not in memory:
  **RaisedHand** (the speaking queue), **SpeakingTurn** (turns given, counted per
  stakeholder group), **Poll**/**PollVote**, **Mute**, **BreakoutRound**/**BreakoutGroup**/
  **BreakoutSeat**, and **RoomConnection** (one row per open socket: presence while it is
  open and fresh, attendance once it is closed).
- After the session: **ActionPoint**s the facilitator recorded, and the record built
  from all of the above. **CalendarFeed** is a person's secret calendar address;
  **ReminderDelivery** remembers which reminder emails went out.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.choices import StakeholderGroup
from academy.models import Cohort
from roundtables.choices import BreakoutMode, PrivacyMode, ReminderKind, RsvpAnswer, SessionKind


class RoundtableSession(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="roundtable_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.ROUNDTABLE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    video_url = models.URLField(
        _("video link"),
        blank=True,
        help_text=_("For seminars: the external video meeting (Zoom, Teams, Jitsi…) people join."),
    )
    privacy = models.CharField(
        _("privacy"),
        max_length=16,
        choices=PrivacyMode.choices,
        default=PrivacyMode.NAMED,
        help_text=_("Under Chatham House, the record and exports show each speaker only as their stakeholder group."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by every edit: calendar apps replace their copy of the event (.ics SEQUENCE
    # and LAST-MODIFIED) instead of keeping the old time.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    # Live state, shared by every server process.
    last_seq = models.BigIntegerField(default=0, editable=False)
    locked = models.BooleanField(default=False, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    current_agenda_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts")
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roundtable_detail", kwargs={"session_id": self.pk})

    def get_room_url(self) -> str:
        return reverse("roundtable_room", kwargs={"session_id": self.pk})

    @property
    def is_chatham_house(self) -> bool:
        return self.privacy == PrivacyMode.CHATHAM_HOUSE

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None


class AgendaItem(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("agenda item"), max_length=200)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


def material_upload_to(instance: "SessionMaterial", filename: str) -> str:
    # Materials are served only through an access-checked view, never straight from MEDIA_URL.
    return f"roundtables/{instance.session_id}/{secrets.token_hex(8)}/{filename}"


class SessionMaterial(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "uploaded_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=8, choices=RsvpAnswer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="rsvp_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.session_id}: {self.answer}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address. Rotating the token revokes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"


class BreakoutRound(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="breakout_rounds")
    mode = models.CharField(_("grouping"), max_length=8, choices=BreakoutMode.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "started_at", "pk"]
        constraints = [
            # At most one round open at a time in a room.
            models.UniqueConstraint(
                fields=["session"], condition=Q(ended_at__isnull=True), name="breakout_one_open_round"
            )
        ]

    def __str__(self) -> str:
        return f"breakouts of {self.session_id} at {self.started_at:%H:%M}"


class BreakoutGroup(models.Model):
    round = models.ForeignKey(BreakoutRound, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="breakout_group_number_unique")]

    def __str__(self) -> str:
        return self.label or f"group {self.number}"


class BreakoutSeat(models.Model):
    round = models.ForeignKey(BreakoutRound, on_delete=models.CASCADE, related_name="seats")
    group = models.ForeignKey(BreakoutGroup, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="breakout_one_seat_per_round")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"


class RoomEvent(models.Model):
    """One entry of a room's log, numbered by the room's sequence.

    `payload` holds what the event says (the text of a message, the options of a poll);
    the frame sent to clients is built from it by `roundtables.events`. An event with a
    breakout group is seen only by that group and the facilitators.
    """

    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=32)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Copied at write time: the record shows the group the speaker belonged to then.
    author_group = models.CharField(max_length=32, choices=StakeholderGroup.choices, blank=True)
    client_id = models.CharField(max_length=64, blank=True)
    breakout_group = models.ForeignKey(
        BreakoutGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="room_event_seq_unique"),
            models.UniqueConstraint(
                fields=["session", "author", "client_id"],
                condition=~Q(client_id=""),
                name="room_event_client_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["author", "kind", "created_at"], name="room_event_rate_idx")]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} {self.kind}"


class RoomConnection(models.Model):
    """One open (or once open) socket: presence while fresh, attendance afterwards.

    `last_seen_at` is refreshed by heartbeats; a row whose process died stops being
    refreshed and drops out of presence after `PRESENCE_TIMEOUT`.
    """

    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="connections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "joined_at", "pk"]
        indexes = [models.Index(fields=["user", "left_at"]), models.Index(fields=["session", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id} from {self.joined_at:%H:%M}"


class RaisedHand(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="raised_hands")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "raised_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="raised_hand_one_per_person")]

    def __str__(self) -> str:
        return f"hand of {self.user_id} in {self.session_id}"


class SpeakingTurn(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="speaking_turns")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stakeholder_group = models.CharField(max_length=32, choices=StakeholderGroup.choices)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "started_at", "pk"]

    def __str__(self) -> str:
        return f"turn of {self.user_id} in {self.session_id}"


class Mute(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="mute_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.session_id}"


class Poll(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=300)
    options = models.JSONField(default=list)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "opened_at", "pk"]

    def __str__(self) -> str:
        return self.question


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="poll_vote_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} voted {self.option} in poll {self.poll_id}"


class ActionPoint(models.Model):
    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="action_points")
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class ReminderDelivery(models.Model):
    """A reminder email that went out: the reminder job never sends one twice."""

    session = models.ForeignKey(RoundtableSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user", "kind"], name="reminder_once_per_person_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.user_id} for {self.session_id}"
