"""Moderation of the forums: flags and the queue, hiding and restoring, locking, pinning
and moving threads, suspensions, new members' limits, edit histories, and the audit log.

Writes follow `forums.services`: keyword-only typed arguments, one transaction, refusals
as `ValidationError` with the module's message constants (asserted by the tests). The
caller has fetched the object through a `forums.access.access_*_to_moderate` helper (or
`access_post` for a member's flag). Every moderation action writes a `ModerationLogEntry`
through `log` in the same transaction, so an action and its record stand or fall together.

The reads at the bottom (the queue, the log, suspensions) take a constant number of
queries whatever the number of flags or entries.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.access import AnyUser
from academy.choices import MembershipRole
from academy.models import User
from forums import access, selectors
from forums.choices import FlagReason, FlagResolution, ModerationAction, SpaceKind
from forums.models import Category, Flag, ModerationLogEntry, Post, PostRevision, Space, Suspension, Thread

QUEUE_POSTS_PER_PAGE = 20
LOG_ENTRIES_PER_PAGE = 50
SUSPENSION_MAX_HOURS = 24 * 365
FLAG_NOTE_MAX_LENGTH = 500

# Messages, asserted by the tests.
FLAG_OWN_POST = _("You cannot flag your own post.")
FLAG_ALREADY_OPEN = _("You have already flagged this post. The facilitators will look at it.")
FLAG_POST_GONE = _("This post has already been removed, so there is nothing to flag.")
FLAG_REASON_MISSING = _("Choose what is wrong with this post.")
MOVE_OTHER_SPACE = _("A thread can only move to another category of the same forum.")
MOVE_SAME_CATEGORY = _("The thread is already in that category.")
SUSPEND_NOT_MEMBER = _("Only members of this forum can be suspended from it.")
SUSPEND_MODERATOR = _("Facilitators and staff cannot be suspended.")
SUSPEND_REASON_EMPTY = _("Say why the member is suspended; they will not see it, other facilitators will.")
SUSPEND_DURATION = _("A suspension lasts at least one hour and at most a year.")
SUSPENSION_ALREADY_LIFTED = _("This suspension has already ended.")


# ------------------------------------------------------------------------------
# The audit log
# ------------------------------------------------------------------------------
def log(
    *,
    space: Space,
    actor: User,
    action: str,
    thread: Thread | None = None,
    post: Post | None = None,
    member: User | None = None,
    note: str = "",
) -> ModerationLogEntry:
    """Record one moderation action. Call inside the transaction that does the action."""
    if action not in ModerationAction.values:
        raise ValueError(f"unknown moderation action: {action}")
    return ModerationLogEntry.objects.create(
        space=space,
        actor=actor,
        action=action,
        thread=thread,
        post=post,
        member=member,
        note=str(note)[:500],
    )


def action_label(entry: ModerationLogEntry) -> str:
    """What the entry records, in words."""
    return entry.get_action_display()


# ------------------------------------------------------------------------------
# Flags
# ------------------------------------------------------------------------------
def open_flag_of(*, reporter: User, post: Post) -> Flag | None:
    return Flag.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()


@transaction.atomic
def flag_create(*, reporter: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member who can read the post reports it to the space's moderators. One open
    flag per person and post. Nothing about the post's author is returned or shown."""
    if post.author_id == reporter.pk:
        raise ValidationError(FLAG_OWN_POST)
    if not post.is_visible:
        raise ValidationError(FLAG_POST_GONE)
    if reason not in FlagReason.values:
        raise ValidationError({"reason": [FLAG_REASON_MISSING]})
    if open_flag_of(reporter=reporter, post=post) is not None:
        raise ValidationError(FLAG_ALREADY_OPEN)
    try:
        with transaction.atomic():
            return Flag.objects.create(
                post=post,
                space_id=post.space_id,
                reporter=reporter,
                reason=reason,
                note=note.strip()[:FLAG_NOTE_MAX_LENGTH],
            )
    except IntegrityError:  # the same person's second click, a moment apart
        raise ValidationError(FLAG_ALREADY_OPEN) from None


def _resolve_flags(*, post: Post, actor: User, resolution: str) -> int:
    return Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


@transaction.atomic
def flags_dismiss(*, actor: User, post: Post) -> int:
    """The moderator finds nothing wrong: the post's open flags are closed, the post stays."""
    dismissed = _resolve_flags(post=post, actor=actor, resolution=FlagResolution.DISMISSED)
    if dismissed:
        log(
            space=post.thread.space,
            actor=actor,
            action=ModerationAction.FLAG_DISMISS,
            thread=post.thread,
            post=post,
            note=str(dismissed),
        )
    return dismissed


# ------------------------------------------------------------------------------
# Posts
# ------------------------------------------------------------------------------
@transaction.atomic
def post_hide(*, actor: User, post: Post, note: str = "") -> Post:
    """Hide a post from members (it shows as hidden by a facilitator); its open flags
    are resolved as `hidden`."""
    post = Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)
    if post.hidden_at is None:
        post.hidden_at = timezone.now()
        post.save(update_fields=["hidden_at"])
    _resolve_flags(post=post, actor=actor, resolution=FlagResolution.HIDDEN)
    log(
        space=post.thread.space,
        actor=actor,
        action=ModerationAction.POST_HIDE,
        thread=post.thread,
        post=post,
        note=note,
    )
    return post


@transaction.atomic
def post_restore(*, actor: User, post: Post) -> Post:
    """Show a hidden post to members again."""
    post = Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)
    if post.hidden_at is not None:
        post.hidden_at = None
        post.save(update_fields=["hidden_at"])
    log(space=post.thread.space, actor=actor, action=ModerationAction.POST_RESTORE, thread=post.thread, post=post)
    return post


@transaction.atomic
def post_history_read(*, actor: User, post: Post) -> list[PostRevision]:
    """A post's earlier texts, newest first. Reading them is logged: they may hold what
    the author chose to take back."""
    log(space=post.thread.space, actor=actor, action=ModerationAction.REVISIONS_READ, thread=post.thread, post=post)
    return list(post.revisions.order_by("-replaced_at", "-pk"))


# ------------------------------------------------------------------------------
# Threads
# ------------------------------------------------------------------------------
def _thread_for_update(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("space", "category").get(pk=thread.pk)


@transaction.atomic
def thread_lock(*, actor: User, thread: Thread, locked: bool) -> Thread:
    """Lock a thread (no new replies from members) or unlock it."""
    thread = _thread_for_update(thread)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    action = ModerationAction.THREAD_LOCK if locked else ModerationAction.THREAD_UNLOCK
    log(space=thread.space, actor=actor, action=action, thread=thread)
    return thread


@transaction.atomic
def thread_pin(*, actor: User, thread: Thread, pinned: bool) -> Thread:
    """Pin a thread at the top of its category, or unpin it."""
    thread = _thread_for_update(thread)
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    action = ModerationAction.THREAD_PIN if pinned else ModerationAction.THREAD_UNPIN
    log(space=thread.space, actor=actor, action=action, thread=thread)
    return thread


@transaction.atomic
def thread_hide(*, actor: User, thread: Thread, hidden: bool) -> Thread:
    """Hide a whole thread (members get a 404 for it) or show it again. The category's
    thread count is what members see, so it leaves out hidden threads."""
    thread = _thread_for_update(thread)
    if thread.is_hidden != hidden:
        change = -1 if hidden else 1
        Category.objects.filter(pk=thread.category_id).update(thread_count=Greatest(F("thread_count") + change, 0))
    thread.is_hidden = hidden
    thread.save(update_fields=["is_hidden"])
    action = ModerationAction.THREAD_HIDE if hidden else ModerationAction.THREAD_RESTORE
    log(space=thread.space, actor=actor, action=action, thread=thread)
    return thread


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, category: Category) -> Thread:
    """Move a thread to another category of the same space. Its posts keep their own
    `anonymous` flag, so a move to a named category unmasks nobody; replies written
    after the move follow the new category's identity."""
    thread = _thread_for_update(thread)
    source = thread.category
    if category.space_id != thread.space_id:
        raise ValidationError(MOVE_OTHER_SPACE)
    if category.pk == source.pk:
        raise ValidationError(MOVE_SAME_CATEGORY)
    # Both counters change: lock both rows, in a fixed order (no deadlock with a move back).
    locked = {
        c.pk: c for c in Category.objects.select_for_update().filter(pk__in=[source.pk, category.pk]).order_by("pk")
    }
    target = locked[category.pk]
    thread.category = target
    thread.save(update_fields=["category"])
    remaining = Thread.objects.filter(category_id=source.pk).aggregate(last=Max("last_posted_at"))["last"]
    counted = 0 if thread.is_hidden else 1  # counts leave out hidden threads
    Category.objects.filter(pk=source.pk).update(
        thread_count=max(locked[source.pk].thread_count - counted, 0), last_posted_at=remaining
    )
    last = max(filter(None, [target.last_posted_at, thread.last_posted_at]))
    Category.objects.filter(pk=target.pk).update(thread_count=F("thread_count") + counted, last_posted_at=last)
    log(
        space=thread.space,
        actor=actor,
        action=ModerationAction.THREAD_MOVE,
        thread=thread,
        note=f"{source.title} → {target.title}",
    )
    return thread


def move_targets(*, thread: Thread) -> list[Category]:
    """The categories a thread may move to: the others of its own space."""
    return list(
        Category.objects.filter(space_id=thread.space_id).exclude(pk=thread.category_id).order_by("position", "title")
    )


# ------------------------------------------------------------------------------
# Members: suspensions and new members' limits
# ------------------------------------------------------------------------------
def _moderator_memberships(space: Space) -> Q:
    if space.kind == SpaceKind.COHORT:
        return Q(memberships__cohort_id=space.cohort_id, memberships__role=MembershipRole.FACILITATOR)
    return Q(memberships__cohort__programme_id=space.programme_id, memberships__role=MembershipRole.FACILITATOR)


def suspendable_members(*, space: Space) -> QuerySet[User]:
    """Members who may read the space and do not moderate it."""
    moderators = User.objects.filter(_moderator_memberships(space)).values("pk")
    return access.readers_of(space).filter(is_staff=False).exclude(pk__in=moderators).order_by("display_name", "email")


@transaction.atomic
def member_suspend(*, actor: User, space: Space, member: User, hours: int, reason: str) -> Suspension:
    """Stop a member from posting in the space for `hours`. A suspension already running
    is replaced by this one (lifted now), so the latest decision is the one that holds."""
    reason = reason.strip()
    errors = {}
    if not 1 <= hours <= SUSPENSION_MAX_HOURS:
        errors["duration"] = [SUSPEND_DURATION]
    if not reason:
        errors["reason"] = [SUSPEND_REASON_EMPTY]
    if not access.can_read(member, space) or not member.is_active:
        errors["member"] = [SUSPEND_NOT_MEMBER]
    elif access.can_moderate(member, space):
        errors["member"] = [SUSPEND_MODERATOR]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    Suspension.objects.filter(space=space, user=member, lifted_at__isnull=True, until__gt=now).update(lifted_at=now)
    suspension = Suspension.objects.create(
        space=space, user=member, until=now + timedelta(hours=hours), reason=reason[:300], created_by=actor
    )
    log(space=space, actor=actor, action=ModerationAction.MEMBER_SUSPEND, member=member, note=reason)
    return suspension


@transaction.atomic
def suspension_lift(*, actor: User, suspension: Suspension) -> Suspension:
    """End a suspension before its time."""
    suspension = Suspension.objects.select_for_update().select_related("space", "user").get(pk=suspension.pk)
    now = timezone.now()
    if suspension.lifted_at is not None or suspension.until <= now:
        raise ValidationError(SUSPENSION_ALREADY_LIFTED)
    suspension.lifted_at = now
    suspension.save(update_fields=["lifted_at"])
    log(space=suspension.space, actor=actor, action=ModerationAction.MEMBER_UNSUSPEND, member=suspension.user)
    return suspension


def access_suspension(*, space: Space, suspension_id: int) -> Suspension:
    """A suspension of this space (the caller checked the user moderates it); else 404."""
    suspension = Suspension.objects.filter(space=space, pk=suspension_id).first()
    if suspension is None:
        raise Http404
    return suspension


@transaction.atomic
def limits_change(*, actor: User, space: Space, hours: int, post_interval: int, max_links: int) -> Space:
    """Set the limits that apply to members in their first hours in the space."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    before = (space.new_member_hours, space.new_member_post_interval, space.new_member_max_links)
    after = (hours, post_interval, max_links)
    if before != after:
        space.new_member_hours, space.new_member_post_interval, space.new_member_max_links = after
        space.save(update_fields=["new_member_hours", "new_member_post_interval", "new_member_max_links"])
        note = "{} h, {} s, {} links → {} h, {} s, {} links".format(*before, *after)
        log(space=space, actor=actor, action=ModerationAction.LIMITS_CHANGE, note=note)
    return space


# ------------------------------------------------------------------------------
# Reads: the queue, the log, suspensions (constant queries)
# ------------------------------------------------------------------------------
def _page(raw, total: int, per_page: int) -> selectors.Page:
    count = max(math.ceil(total / per_page), 1)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return selectors.Page(min(max(number, 1), count), count)


@dataclass
class QueueItem:
    post: Post
    author: selectors.AuthorShown
    flags: list[Flag]

    @property
    def reasons(self) -> list[str]:
        """Each reason given, once, in the order first given."""
        return list(dict.fromkeys(flag.get_reason_display() for flag in self.flags))


@dataclass
class QueuePage:
    items: list[QueueItem]
    page: selectors.Page
    open_flags: int


def queue_page(*, space: Space, user: AnyUser, page: str | int | None) -> QueuePage:
    """One page of the posts with open flags, oldest flag first, each with its flags and
    its real author (moderators see who wrote anonymous posts). Four queries."""
    flagged = Post.objects.filter(flags__space=space, flags__resolved_at__isnull=True)
    totals = Flag.objects.filter(space=space, resolved_at__isnull=True).aggregate(
        posts=Count("post_id", distinct=True), flags=Count("pk")
    )
    current = _page(page, totals["posts"], QUEUE_POSTS_PER_PAGE)
    start = (current.number - 1) * QUEUE_POSTS_PER_PAGE
    posts = list(
        flagged.annotate(first_flagged=Min("flags__created_at"))
        .select_related("thread__category", "author__organisation")
        .order_by("first_flagged", "pk")[start : start + QUEUE_POSTS_PER_PAGE]
    )
    flags: dict[int, list[Flag]] = {post.pk: [] for post in posts}
    for flag in (
        Flag.objects.filter(post__in=posts, resolved_at__isnull=True).select_related("reporter").order_by("created_at")
    ):
        flags[flag.post_id].append(flag)
    items = [
        QueueItem(
            post=post,
            author=selectors.author_shown(user, author=post.author, anonymous=post.anonymous, moderator=True),
            flags=flags[post.pk],
        )
        for post in posts
    ]
    return QueuePage(items=items, page=current, open_flags=totals["flags"])


@dataclass
class LogPage:
    entries: list[tuple[ModerationLogEntry, str]]
    page: selectors.Page


def log_page(*, space: Space, page: str | int | None) -> LogPage:
    """One page of the space's audit log, newest first. Two queries."""
    entries = ModerationLogEntry.objects.filter(space=space)
    current = _page(page, entries.count(), LOG_ENTRIES_PER_PAGE)
    start = (current.number - 1) * LOG_ENTRIES_PER_PAGE
    listed = entries.select_related("actor", "thread", "post", "member").order_by("-created_at", "-pk")[
        start : start + LOG_ENTRIES_PER_PAGE
    ]
    return LogPage(entries=[(entry, action_label(entry)) for entry in listed], page=current)


def suspensions_active(*, space: Space) -> list[Suspension]:
    return list(
        Suspension.objects.filter(space=space, lifted_at__isnull=True, until__gt=timezone.now())
        .select_related("user", "created_by")
        .order_by("until")
    )
