"""Background work of the roundtables app, run by django-tasks (at once in development,
by the `db_worker` process in production)."""

import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_session_reminders(*, session_id: int, kind: str) -> int:
    """Email the reminder of this kind ("24h" or "1h") to each active member of the
    session's cohort who said yes or has not answered, in their language and time zone.
    Returns how many emails went out.

    Each email is recorded (ReminderDelivery, unique per person, session and kind) in the
    same transaction that sends it: running the task twice, or two workers at once,
    never sends one twice, and a failed send is retried by the next run. A session that
    was deleted, closed or has started (or, for the 24-hour kind, starts within the
    hour, which the 1-hour reminder covers) is skipped.
    """
    from roundtables import session_selectors
    from roundtables.choices import ReminderKind
    from roundtables.models import ReminderDelivery, RoundtableSession

    kind = ReminderKind(kind)
    session = RoundtableSession.objects.select_related("cohort__programme").filter(pk=session_id).first()
    now = timezone.now()
    if session is None or session.ended_at is not None or session.starts_at <= now:
        return 0
    after, _until = session_selectors.reminder_window(kind=kind, now=now)
    if session.starts_at <= after:
        return 0
    agenda = [item.title for item in session.agenda_items.order_by("position", "pk")]
    sent = 0
    for user in session_selectors.reminder_recipients(session=session, kind=kind):
        try:
            with transaction.atomic():
                ReminderDelivery.objects.create(session=session, user=user, kind=kind)
                _send_reminder(session=session, user=user, kind=kind, agenda=agenda)
        except IntegrityError:
            continue  # another run got there first
        sent += 1
    logger.info("Sent %d %s reminders for session %d", sent, kind, session.pk)
    return sent


def _send_reminder(*, session, user, kind: str, agenda: list[str]) -> None:
    from roundtables.ics import site_url

    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    language = user.preferred_language if user.preferred_language in dict(settings.LANGUAGES) else "en"
    context = {
        "session": session,
        "user": user,
        "kind": kind,
        "agenda": agenda,
        "zone_name": str(zone.key).replace("_", " "),
        "room_link": site_url(session.get_room_url()),
        "details_link": site_url(session.get_absolute_url()),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override(language), timezone.override(zone):
        subject = render_to_string("roundtables/email/reminder_subject.txt", context).strip()
        body = render_to_string("roundtables/email/reminder_body.txt", context)
        html = render_to_string("roundtables/email/reminder_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
