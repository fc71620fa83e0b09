"""Reads for the notifications page, the header's unread count, the preferences page and
the emails.

A notification is shown only while its post is one the person may still see: in a
space they can read, in a thread that is not hidden, and neither deleted nor hidden
itself. The same rule counts the unread ones in the header (one query) and lists them
(a constant number of queries whatever their number). Authors are shown through
`forums.selectors.author_shown`, so an anonymous author stays hidden from peers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.text import Truncator

from academy import access as academy_access
from academy.access import AnyUser
from academy.models import Membership
from forums import access, selectors
from forums.choices import SpaceKind
from forums.models import Notification, Post, Subscription

NOTIFICATIONS_PER_PAGE = 25
EXCERPT_CHARS = 280


def _in_readable_spaces(user: AnyUser, *, prefix: str) -> Q:
    """Rows whose space (reached through `prefix`) the user may read, as one condition
    with subqueries: no query of its own."""
    if user.is_staff:
        return Q()
    memberships = Membership.objects.filter(user_id=user.pk)
    return Q(**{f"{prefix}cohort_id__in": memberships.values("cohort_id")}) | Q(
        **{f"{prefix}kind": SpaceKind.COMMONS, f"{prefix}programme_id__in": memberships.values("cohort__programme_id")}
    )


def notifications_visible_to(user: AnyUser) -> QuerySet[Notification]:
    """The person's notifications about posts they may still see, newest first."""
    if not academy_access.is_signed_in(user):
        return Notification.objects.none()
    return Notification.objects.filter(
        _in_readable_spaces(user, prefix="thread__space__"),
        user_id=user.pk,
        thread__is_hidden=False,
        post__deleted_at__isnull=True,
        post__hidden_at__isnull=True,
    ).order_by("-created_at", "-pk")


def unread_count(user: AnyUser) -> int:
    """For the header: one query."""
    if not academy_access.is_signed_in(user):
        return 0
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def excerpt(text: str, *, chars: int = EXCERPT_CHARS) -> str:
    return Truncator(" ".join(text.split())).chars(chars)


def post_path(post: Post) -> str:
    """A post's place in its thread (its page and anchor), without a redirect on the way."""
    return selectors.post_location(thread_id=post.thread_id, number=post.number)


@dataclass
class NotificationRow:
    notification: Notification
    author: selectors.AuthorShown
    excerpt: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


@dataclass
class NotificationsPage:
    rows: list[NotificationRow]
    page: Page
    unread: int


def notifications_page(*, user: AnyUser, page: str | int | None) -> NotificationsPage:
    """One page of the person's notifications with the authors as this reader may see
    them. Queries: the count, the unread count, the page (with posts, authors, threads,
    categories and spaces), and the person's memberships for the moderator check."""
    notifications = notifications_visible_to(user)
    paginator = Paginator(
        notifications.select_related("post__author__organisation", "thread__category", "thread__space"),
        NOTIFICATIONS_PER_PAGE,
    )
    current = paginator.get_page(page)
    listed = list(current.object_list)
    rows = [
        NotificationRow(
            notification=notification,
            author=selectors.author_shown(
                user,
                author=notification.post.author,
                anonymous=notification.post.anonymous,
                moderator=access.can_moderate(user, notification.thread.space),
            ),
            excerpt=excerpt(notification.post.text, chars=160),
        )
        for notification in listed
    ]
    return NotificationsPage(rows=rows, page=current, unread=notifications.filter(read_at__isnull=True).count())


@dataclass
class Follows:
    threads: list[Subscription]
    categories: list[Subscription]


def follows_of(*, user: AnyUser) -> Follows:
    """The threads and categories the person follows and may still read (two queries)."""
    threads = list(
        Subscription.objects.filter(
            _in_readable_spaces(user, prefix="thread__space__"),
            user_id=user.pk,
            thread__isnull=False,
            thread__is_hidden=False,
        )
        .select_related("thread__category", "thread__space")
        .order_by("-thread__last_posted_at", "-pk")
    )
    categories = list(
        Subscription.objects.filter(
            _in_readable_spaces(user, prefix="category__space__"), user_id=user.pk, category__isnull=False
        )
        .select_related("category__space")
        .order_by("category__space__title", "category__position", "category__title")
    )
    return Follows(threads=threads, categories=categories)


def site_url(path: str) -> str:
    """An absolute address on the platform, for emails (ACADEMY_SITE_URL + path)."""
    return settings.ACADEMY_SITE_URL.rstrip("/") + path
