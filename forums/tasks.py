"""Background work of the forums, run by django-tasks (at once in development, by the
`db_worker` process in production): the email for one notification, and the daily
digest.

Every forum email is written in the recipient's language and time zone, shows authors
only through `forums.selectors.author_shown` (an anonymous author is never named to a
peer, in the subject, the body or a header), and carries a one-click unsubscribe link
and the RFC 8058 headers (`forums.unsubscribe`). What an email covered is marked
(`Notification.emailed_at`) in the transaction that sends it: running a task twice, or
two workers at once, never sends the same news twice, and a failed send is retried.
"""

import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


def _language_of(user) -> str:
    languages = dict(settings.LANGUAGES)
    return user.preferred_language if user.preferred_language in languages else settings.LANGUAGE_CODE


def _zone_of(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _message(*, recipient, template: str, context: dict, language: str) -> EmailMultiAlternatives:
    """Render `forums/email/<template>_{subject.txt,body.txt,body.html}` in the active
    language and time zone (the caller overrides both) into an email with the
    unsubscribe headers."""
    from forums.notification_selectors import site_url
    from forums.unsubscribe import email_headers, unsubscribe_url

    context = {
        **context,
        "recipient": recipient,
        "language_code": language,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "unsubscribe_link": unsubscribe_url(user_id=recipient.pk),
        "preferences_link": site_url(reverse("forum_preferences")),
        "notifications_link": site_url(reverse("forum_notifications")),
    }
    subject = " ".join(render_to_string(f"forums/email/{template}_subject.txt", context).split())
    body = render_to_string(f"forums/email/{template}_body.txt", context)
    html = render_to_string(f"forums/email/{template}_body.html", context)
    headers = {
        **email_headers(user_id=recipient.pk),
        "Content-Language": language,
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """Email one notification to its recipient, if they still want emails one by one
    and may still see the post. Returns whether an email went out."""
    from forums import access, notification_selectors, notifications, selectors
    from forums.choices import EmailMode
    from forums.models import Notification

    notification = (
        Notification.objects.select_related(
            "user",
            "post__author__organisation",
            "thread__category",
            "thread__space__cohort",
            "thread__space__programme",
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient, thread, post = notification.user, notification.thread, notification.post
    space = thread.space
    if not recipient.is_active or not recipient.email:
        return False
    if notifications.email_mode_of(user=recipient) != EmailMode.EACH:
        return False  # changed their mind since: the digest or nothing
    if not access.can_read(recipient, space) or not post.is_visible:
        return False
    moderator = access.can_moderate(recipient, space)
    if thread.is_hidden and not moderator:
        return False
    language = _language_of(recipient)
    with translation.override(language), timezone.override(_zone_of(recipient)):
        context = {
            "notification": notification,
            "kind": notification.kind,
            "thread": thread,
            "category": thread.category,
            "space": space,
            "post": post,
            "author": selectors.author_shown(
                recipient, author=post.author, anonymous=post.anonymous, moderator=moderator
            ),
            "excerpt": notification_selectors.excerpt(post.text),
            "post_link": notification_selectors.site_url(notification_selectors.post_path(post)),
        }
        message = _message(recipient=recipient, template="notification", context=context, language=language)
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False  # another run got there first
        message.send()  # an error rolls the mark back: the next run tries again
    return True


@task()
def send_digest(*, user_id: int) -> int:
    """Email the person's daily digest: every notification waiting for them, grouped by
    thread; then mark them emailed and remember when. Returns how many items it listed
    (0: nothing sent)."""
    from academy.models import User
    from forums import digest
    from forums.choices import EmailMode
    from forums.models import EmailPreference, Notification

    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if recipient is None or not recipient.email:
        return 0
    language = _language_of(recipient)
    with transaction.atomic():
        # The preference row is the person's lock: a second run waits here, then finds
        # nothing waiting.
        preference, _created = EmailPreference.objects.select_for_update().get_or_create(user=recipient)
        if preference.mode != EmailMode.DAILY:
            return 0
        now = timezone.now()
        with translation.override(language), timezone.override(_zone_of(recipient)):
            content = digest.digest_for(user=recipient, now=now)
            if not content.covered_ids:
                return 0
            message = None
            if content.threads:
                message = _message(
                    recipient=recipient,
                    template="digest",
                    context={"digest": content, "count": content.count + content.more},
                    language=language,
                )
        Notification.objects.filter(pk__in=content.covered_ids, emailed_at__isnull=True).update(emailed_at=now)
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
        if message is not None:
            message.send()  # an error rolls everything back: the next run tries again
    logger.info("Forum digest for user %d: %d item(s)", recipient.pk, content.count)
    return content.count
