"""Who may read, write and moderate in the forums: built on `academy.access`.

- A **cohort forum** is seen by the cohort's members (any role) and staff.
- A programme's **commons** is seen by the members of any of the programme's cohorts,
  and staff.
- Participants and facilitators write; observers read, follow and flag.
- A cohort forum is moderated by the cohort's facilitators; a commons by the facilitators
  of any of the programme's cohorts; staff moderate everywhere.
- A hidden thread or post is seen (greyed) only by moderators; to others a hidden thread
  does not exist (404) and a hidden post shows as removed.
- An **anonymous post's author** is known to its author and the space's moderators, and
  to nobody else: every page, feed, email, notification, search result and export asks
  `sees_author` before it shows a name.

Everything outside the user's spaces is a 404. Every view and task of this app asks here.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from academy import access
from academy.access import AnyUser
from academy.choices import MembershipRole
from academy.models import Membership
from forums.choices import SpaceKind
from forums.models import Category, Notification, Post, Space, Subscription, Thread


@dataclass(frozen=True)
class Seat:
    """One of the user's memberships, as the forum rules need it."""

    cohort_id: int
    programme_id: int
    role: str


def _seats(user: AnyUser) -> list[Seat]:
    """The user's memberships, read once per request (remembered on the user object)."""
    if not access.is_signed_in(user):
        return []
    seats = user.__dict__.get("_forum_seats")
    if seats is None:
        seats = [
            Seat(cohort_id, programme_id, role)
            for cohort_id, programme_id, role in Membership.objects.filter(user=user).values_list(
                "cohort_id", "cohort__programme_id", "role"
            )
        ]
        user.__dict__["_forum_seats"] = seats
    return seats


def _seats_in(user: AnyUser, space: Space) -> list[Seat]:
    if space.kind == SpaceKind.COHORT:
        return [seat for seat in _seats(user) if seat.cohort_id == space.cohort_id]
    return [seat for seat in _seats(user) if seat.programme_id == space.programme_id]


# ------------------------------------------------------------------------------
# Answers about a space
# ------------------------------------------------------------------------------
def can_read(user: AnyUser, space: Space) -> bool:
    return access.is_staff(user) or bool(_seats_in(user, space))


def can_moderate(user: AnyUser, space: Space) -> bool:
    if access.is_staff(user):
        return True
    return any(seat.role == MembershipRole.FACILITATOR for seat in _seats_in(user, space))


def can_write(user: AnyUser, space: Space) -> bool:
    """Participants and facilitators write; observers only read."""
    if can_moderate(user, space):
        return True
    return any(seat.role == MembershipRole.PARTICIPANT for seat in _seats_in(user, space))


def sees_author(user: AnyUser, *, author_id: int | None, anonymous: bool, moderator: bool) -> bool:
    """Whether this reader may learn who wrote a post (or opened a thread)."""
    if not anonymous:
        return True
    return moderator or (author_id is not None and access.is_signed_in(user) and user.pk == author_id)


# ------------------------------------------------------------------------------
# Lists
# ------------------------------------------------------------------------------
def spaces_visible_to(user: AnyUser) -> QuerySet[Space]:
    if not access.is_signed_in(user):
        return Space.objects.none()
    if user.is_staff:
        return Space.objects.all()
    seats = _seats(user)
    return Space.objects.filter(
        Q(kind=SpaceKind.COHORT, cohort_id__in=[seat.cohort_id for seat in seats])
        | Q(kind=SpaceKind.COMMONS, programme_id__in={seat.programme_id for seat in seats})
    )


def visible_space_ids(user: AnyUser) -> list[int]:
    return list(spaces_visible_to(user).values_list("pk", flat=True))


def moderated_space_ids(user: AnyUser) -> list[int]:
    return [space.pk for space in spaces_visible_to(user) if can_moderate(user, space)]


def threads_visible_to(user: AnyUser) -> QuerySet[Thread]:
    """Threads in the user's spaces; hidden threads only where the user moderates."""
    if not access.is_signed_in(user):
        return Thread.objects.none()
    return Thread.objects.filter(
        Q(space_id__in=visible_space_ids(user), is_hidden=False) | Q(space_id__in=moderated_space_ids(user))
    )


# ------------------------------------------------------------------------------
# One object, with its check: 404 outside the user's spaces
# ------------------------------------------------------------------------------
def access_space(user: AnyUser, space_id: int) -> Space:
    space = Space.objects.select_related("cohort", "programme").filter(pk=space_id).first()
    if space is None or not can_read(user, space):
        raise Http404
    return space


def access_space_to_moderate(user: AnyUser, space_id: int) -> Space:
    space = access_space(user, space_id)
    if not can_moderate(user, space):
        raise PermissionDenied
    return space


def access_category(user: AnyUser, category_id: int) -> Category:
    category = Category.objects.select_related("space__cohort", "space__programme").filter(pk=category_id).first()
    if category is None or not can_read(user, category.space):
        raise Http404
    return category


def access_thread(user: AnyUser, thread_id: int) -> Thread:
    thread = (
        Thread.objects.select_related("category", "space__cohort", "space__programme", "author")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or not can_read(user, thread.space):
        raise Http404
    if thread.is_hidden and not can_moderate(user, thread.space):
        raise Http404
    return thread


def access_thread_to_moderate(user: AnyUser, thread_id: int) -> Thread:
    thread = access_thread(user, thread_id)
    if not can_moderate(user, thread.space):
        raise PermissionDenied
    return thread


def access_post(user: AnyUser, post_id: int) -> Post:
    """A post in a thread the user may read (a hidden post is still reached, to be shown
    as removed, restored by a moderator, or its flags read)."""
    post = (
        Post.objects.select_related("thread__category", "thread__space__cohort", "thread__space__programme", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not can_read(user, post.thread.space):
        raise Http404
    if post.thread.is_hidden and not can_moderate(user, post.thread.space):
        raise Http404
    return post


def access_own_post(user: AnyUser, post_id: int) -> Post:
    """A post the user wrote (to edit or delete). Someone else's post: 403."""
    post = access_post(user, post_id)
    if post.author_id != user.pk:
        raise PermissionDenied
    return post


def access_post_to_moderate(user: AnyUser, post_id: int) -> Post:
    post = access_post(user, post_id)
    if not can_moderate(user, post.thread.space):
        raise PermissionDenied
    return post


def cohorts_of(user: AnyUser):
    """The cohorts whose forums (and programmes' commons) the user may open."""
    return access.cohorts_visible_to(user).select_related("programme")


def readers_of(space: Space) -> QuerySet:
    """Active people who may read the space now (for notifications and mentions)."""
    from academy.models import User

    if space.kind == SpaceKind.COHORT:
        members = Q(memberships__cohort_id=space.cohort_id)
    else:
        members = Q(memberships__cohort__programme_id=space.programme_id)
    return User.objects.filter(is_active=True).filter(members | Q(is_staff=True)).distinct()


def access_unsubscribe_owner(token: str):
    """The person an emailed unsubscribe token was made for. Possession of the signed
    token is what grants it (mail apps cannot sign in); a token not made here is a 404."""
    from academy.models import User
    from forums.unsubscribe import user_id_from

    user_id = user_id_from(token)
    owner = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if owner is None:
        raise Http404
    return owner


def access_notification(user: AnyUser, notification_id: int) -> Notification:
    """One of the person's own notifications; anyone else's is a 404."""
    notification = Notification.objects.select_related("post").filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification


def access_own_subscription(user: AnyUser, subscription_id: int) -> Subscription:
    """One of the threads or categories the person follows; anyone else's is a 404."""
    subscription = Subscription.objects.filter(pk=subscription_id, user_id=user.pk).first()
    if subscription is None:
        raise Http404
    return subscription
