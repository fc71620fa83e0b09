"""Who hears of a new post, and how: in-app notifications written with the post, emails
after commit.

- A reply notifies the thread's followers; a new thread notifies the category's
  followers; a mention notifies the person named. One notification per person and
  post: a mention wins over the others. Nobody is notified of their own post, and
  nobody who can no longer read the space.
- The notification stores the post, never the author's name: pages and emails show
  the author through `forums.access.sees_author`, so an anonymous author stays hidden.
- People whose email preference is "each" get an email per notification, queued on
  commit through django-tasks (`forums.tasks`); "daily" people get the digest
  (`forums.digest`); "none" only the in-app page.

The writes of the notifications page and the preferences page live here too: reading
a notification, marking them all read, choosing the email mode, unfollowing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import User
from forums import access
from forums.choices import EmailMode, NotificationKind
from forums.models import EmailPreference, Notification, Post, Subscription

EMAIL_MODE_UNKNOWN = _("Choose one of the email options.")


def _readers(space, user_ids) -> set[int]:
    if not user_ids:
        return set()
    return set(access.readers_of(space).filter(pk__in=user_ids).values_list("pk", flat=True))


def post_published(*, post: Post, mentioned_ids: list[int], mentions_only: bool = False) -> list[Notification]:
    """Write the notifications a post causes. Call inside the transaction that wrote it."""
    thread, space = post.thread, post.space
    kinds: dict[int, str] = {}
    if not mentions_only:
        if post.is_opening:
            followers = Subscription.objects.filter(category_id=thread.category_id).values_list("user_id", flat=True)
            kinds.update(dict.fromkeys(followers, NotificationKind.NEW_THREAD))
        else:
            followers = Subscription.objects.filter(thread_id=thread.pk).values_list("user_id", flat=True)
            kinds.update(dict.fromkeys(followers, NotificationKind.REPLY))
    kinds.update(dict.fromkeys(mentioned_ids, NotificationKind.MENTION))
    kinds.pop(post.author_id, None)
    if mentions_only and kinds:
        # An edit: people already told about this post (as followers or named before)
        # are not told again.
        told = Notification.objects.filter(post=post, user_id__in=list(kinds)).values_list("user_id", flat=True)
        for user_id in told:
            kinds.pop(user_id, None)
    allowed = _readers(space, list(kinds))
    notifications = [
        Notification(user_id=user_id, kind=kind, thread=thread, post=post)
        for user_id, kind in kinds.items()
        if user_id in allowed
    ]
    return _save(notifications)


def answer_accepted(*, post: Post) -> list[Notification]:
    if post.author_id is None or post.author_id == post.thread.author_id:
        return []
    if post.author_id not in _readers(post.space, [post.author_id]):
        return []
    return _save(
        [Notification(user_id=post.author_id, kind=NotificationKind.ANSWER_ACCEPTED, thread=post.thread, post=post)]
    )


def _save(notifications: list[Notification]) -> list[Notification]:
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    user_ids = [notification.user_id for notification in notifications]
    post_id = notifications[0].post_id
    transaction.on_commit(lambda: queue_emails(post_id=post_id, user_ids=user_ids))
    return notifications


def queue_emails(*, post_id: int, user_ids: list[int]) -> None:
    """After commit: an email task for each notification whose recipient wants one per
    event (the default preference is the daily digest)."""
    from forums.tasks import send_notification_email

    each = set(
        EmailPreference.objects.filter(user_id__in=user_ids, mode=EmailMode.EACH).values_list("user_id", flat=True)
    )
    for notification_id in Notification.objects.filter(
        post_id=post_id, user_id__in=each, emailed_at__isnull=True
    ).values_list("pk", flat=True):
        send_notification_email.enqueue(notification_id=notification_id)


# ------------------------------------------------------------------------------
# The notifications page and the preferences page
# ------------------------------------------------------------------------------
def notification_mark_read(*, user: User, notification: Notification) -> None:
    """The person opened the notification (kept read if it already was)."""
    if notification.user_id != user.pk:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def notifications_mark_read_for_posts(*, user: User, post_ids: list[int]) -> int:
    """The person has just read these posts on their thread's page: what notified them of
    those posts is read too. Returns how many were unread."""
    return Notification.objects.filter(user_id=user.pk, post_id__in=post_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user: User) -> int:
    """Every unread notification of the person is read now. Returns how many were unread."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())


def email_mode_of(*, user: User) -> str:
    """The person's email choice; daily digest when they never chose."""
    mode = EmailPreference.objects.filter(user_id=user.pk).values_list("mode", flat=True).first()
    return mode or EmailMode.DAILY


@transaction.atomic
def email_preference_set(*, user: User, mode: str) -> EmailPreference:
    """Choose how forum notifications reach the person by email: one email each, a daily
    digest, or none (the in-app page only). Choosing the digest after "none" starts it
    from now: what happened while the person wanted no email is not sent later."""
    if mode not in EmailMode.values:
        raise ValidationError({"mode": [EMAIL_MODE_UNKNOWN]})
    preference, created = EmailPreference.objects.select_for_update().get_or_create(user_id=user.pk)
    if preference.mode == mode and not created:
        return preference
    if mode != EmailMode.NONE and preference.mode == EmailMode.NONE and not created:
        Notification.objects.filter(user_id=user.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    preference.mode = mode
    preference.save(update_fields=["mode"])
    return preference


def subscription_remove(*, user: User, subscription: Subscription) -> None:
    """Stop following a thread or a category (from the preferences page)."""
    if subscription.user_id != user.pk:
        raise Http404
    Subscription.objects.filter(pk=subscription.pk).delete()
