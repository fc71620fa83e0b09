"""The daily digest of forum notifications.

People whose email preference is the daily digest (the default) get at most one email
a day listing, thread by thread, what happened in the forums they follow since their
last digest. `send_forum_digests` (run daily by deploy/academy-forum-digests.timer)
queues one `forums.tasks.send_digest` per person who has something waiting; the task
sends the email and marks what it covered, so running the command twice, or the task
twice, never sends the same news twice.

- Only notifications not yet emailed count as waiting, and no older than
  `DIGEST_MAX_AGE` (old news left behind, say after the timer was stopped for a while,
  stays on the notifications page rather than arriving weeks late).
- What the person already read in the app is not listed again.
- A person who had a digest within `DIGEST_MIN_INTERVAL` is not queued again the same day.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from academy.models import User
from forums import access, notification_selectors, selectors
from forums.choices import EmailMode
from forums.models import Notification, Thread

DIGEST_MAX_AGE = timedelta(days=7)
DIGEST_MIN_INTERVAL = timedelta(hours=20)
# Past this many items the email lists the first ones and points to the notifications page.
DIGEST_MAX_ITEMS = 50


def _daily(prefix: str = "") -> Q:
    """People on the daily digest: those who chose it, and those who never chose."""
    return Q(**{f"{prefix}forum_email_preference__isnull": True}) | Q(
        **{f"{prefix}forum_email_preference__mode": EmailMode.DAILY}
    )


def waiting(*, now: datetime | None = None):
    """Notifications that wait for a digest (not emailed, recent enough)."""
    now = now or timezone.now()
    return Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=now - DIGEST_MAX_AGE, created_at__lte=now
    )


def people_due(*, now: datetime | None = None) -> list[int]:
    """Ids of the active daily-digest people with news waiting and no digest in the last
    `DIGEST_MIN_INTERVAL` (one query)."""
    now = now or timezone.now()
    users = (
        User.objects.filter(_daily(), is_active=True)
        .exclude(forum_email_preference__last_digest_at__gt=now - DIGEST_MIN_INTERVAL)
        .filter(pk__in=waiting(now=now).filter(read_at__isnull=True).values("user_id"))
    )
    return list(users.order_by("pk").values_list("pk", flat=True))


def digests_enqueue_due(*, now: datetime | None = None) -> list[int]:
    """Queue a digest task for each person due one. Returns their ids."""
    from forums.tasks import send_digest

    user_ids = people_due(now=now)
    for user_id in user_ids:
        send_digest.enqueue(user_id=user_id)
    return user_ids


@dataclass
class DigestItem:
    notification: Notification
    author: selectors.AuthorShown
    excerpt: str
    link: str


@dataclass
class DigestThread:
    thread: Thread
    link: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass
class Digest:
    threads: list[DigestThread]
    count: int  # items listed
    more: int  # items left out of the email (on the notifications page)
    covered_ids: list[int]  # every waiting notification the digest settles


def digest_for(*, user: User, now: datetime) -> Digest:
    """What the person's digest holds: their waiting, unread notifications about posts
    they may still see, grouped by thread (threads by their latest news, items oldest
    first). Call inside the active language: anonymous authors are labelled in it."""
    covered_ids = list(waiting(now=now).filter(user_id=user.pk).values_list("pk", flat=True))
    if not covered_ids:
        return Digest(threads=[], count=0, more=0, covered_ids=[])
    listed = list(
        notification_selectors.notifications_visible_to(user)
        .filter(pk__in=covered_ids, read_at__isnull=True)
        .select_related("post__author__organisation", "thread__category", "thread__space")
        .order_by("-created_at", "-pk")
    )
    total = len(listed)
    listed = listed[:DIGEST_MAX_ITEMS]
    groups: OrderedDict[int, DigestThread] = OrderedDict()
    for notification in listed:
        thread, post = notification.thread, notification.post
        group = groups.get(thread.pk)
        if group is None:
            group = groups[thread.pk] = DigestThread(
                thread=thread, link=notification_selectors.site_url(thread.get_absolute_url())
            )
        group.items.append(
            DigestItem(
                notification=notification,
                author=selectors.author_shown(
                    user,
                    author=post.author,
                    anonymous=post.anonymous,
                    moderator=access.can_moderate(user, thread.space),
                ),
                excerpt=notification_selectors.excerpt(post.text, chars=200),
                link=notification_selectors.site_url(notification_selectors.post_path(post)),
            )
        )
    for group in groups.values():
        group.items.reverse()
    return Digest(threads=list(groups.values()), count=len(listed), more=total - len(listed), covered_ids=covered_ids)
