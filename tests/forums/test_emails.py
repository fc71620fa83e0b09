"""Forum emails: one per event, the daily digest, the one-click unsubscribe; each in the
recipient's language, and never naming an anonymous author to a peer."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import Membership
from forums import services, unsubscribe
from forums.choices import EmailMode, NotificationKind, ThreadKind
from forums.digest import DIGEST_MAX_AGE, DIGEST_MIN_INTERVAL, people_due
from forums.models import EmailPreference, Notification, Post
from forums.tasks import send_digest, send_notification_email


def wants(user, mode: str) -> None:
    EmailPreference.objects.update_or_create(user=user, defaults={"mode": mode})


def everything_in(message) -> str:
    """Every part of an email a person could read: subject, headers, text and HTML."""
    parts = [message.subject, message.body, *(content for content, _type in message.alternatives)]
    parts += [f"{name}: {value}" for name, value in message.extra_headers.items()]
    parts += [str(message.message())]  # the whole MIME message, as it leaves
    return "\n".join(parts)


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def unsubscribe_path(message) -> str:
    link = re.search(r"(\S+/forums/unsubscribe/[^/\s]+/)", message.body).group(1)
    return urlsplit(link).path


def reply(thread, author, text, django_capture_on_commit_callbacks) -> Post:
    with django_capture_on_commit_callbacks(execute=True):
        return services.post_reply(author=author, thread=thread, text=text)


# ------------------------------------------------------------------------------
# One email per event
# ------------------------------------------------------------------------------
def test_a_follower_who_wants_each_event_gets_one_email_with_an_excerpt_and_a_link(
    thread_a, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks, settings
):
    wants(inspector, EmailMode.EACH)
    post = reply(
        thread_a, union_official, "We painted a keep-clear zone in front of exit B.", django_capture_on_commit_callbacks
    )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [inspector.email]
    assert message.subject == f"New reply in “{thread_a.title}”"
    assert "Chenda Sok replied" in message.body
    assert "We painted a keep-clear zone in front of exit B." in message.body
    link = settings.ACADEMY_SITE_URL.rstrip("/") + f"/forums/threads/{thread_a.pk}/?page=1#post-{post.number}"
    assert link in message.body and link in html_of(message)
    assert Notification.objects.get(user=inspector).emailed_at is not None


def test_a_new_thread_and_an_accepted_answer_each_have_their_own_email(
    named_category, inspector, union_official, brand_staff, mailoutbox, django_capture_on_commit_callbacks
):
    wants(brand_staff, EmailMode.EACH)
    wants(union_official, EmailMode.EACH)
    services.category_follow(user=brand_staff, category=named_category, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.thread_create(
            author=inspector, category=named_category, title="Heat stress", text="Limits?", kind=ThreadKind.QUESTION
        )
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.post_reply(author=union_official, thread=question, text="32°C in the guidance.")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(user=inspector, post=answer)
    assert [(message.to[0], message.subject) for message in mailoutbox] == [
        (brand_staff.email, f"New thread in {named_category.title}: “Heat stress”"),
        (union_official.email, "Your reply in “Heat stress” was accepted as the answer"),
    ]


def test_people_on_the_daily_digest_get_no_email_per_event(
    thread_a, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks
):
    reply(thread_a, union_official, "A reply", django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert Notification.objects.get(user=inspector).emailed_at is None  # waits for the digest


def test_the_email_is_in_the_recipients_language(
    thread_a, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks
):
    inspector.preferred_language = "fr"
    inspector.time_zone = "Asia/Phnom_Penh"
    inspector.save(update_fields=["preferred_language", "time_zone"])
    wants(inspector, EmailMode.EACH)
    reply(thread_a, union_official, "Une réponse", django_capture_on_commit_callbacks)
    message = mailoutbox[0]
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in html_of(message)


def test_an_email_task_run_twice_sends_once(thread_a, inspector, union_official, mailoutbox):
    wants(inspector, EmailMode.EACH)
    services.post_reply(author=union_official, thread=thread_a, text="Once")  # on-commit work not run
    notification = Notification.objects.get(user=inspector)
    send_notification_email.enqueue(notification_id=notification.pk)
    send_notification_email.enqueue(notification_id=notification.pk)
    assert len(mailoutbox) == 1


def test_no_email_when_the_post_was_hidden_or_the_recipient_left_meanwhile(
    thread_a, inspector, brand_staff, union_official, cohort_a, mailoutbox
):
    wants(inspector, EmailMode.EACH)
    wants(brand_staff, EmailMode.EACH)
    services.thread_follow(user=brand_staff, thread=thread_a, follow=True)
    post = services.post_reply(author=union_official, thread=thread_a, text="Soon gone")
    Membership.objects.filter(user=brand_staff, cohort=cohort_a).delete()
    send_notification_email.enqueue(notification_id=Notification.objects.get(user=brand_staff).pk)
    Post.objects.filter(pk=post.pk).update(hidden_at=timezone.now())
    send_notification_email.enqueue(notification_id=Notification.objects.get(user=inspector).pk)
    assert mailoutbox == []


def test_an_email_carries_the_one_click_unsubscribe_headers(
    thread_a, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks, settings
):
    wants(inspector, EmailMode.EACH)
    reply(thread_a, union_official, "A reply", django_capture_on_commit_callbacks)
    headers = mailoutbox[0].extra_headers
    path = unsubscribe_path(mailoutbox[0])
    assert headers["List-Unsubscribe"] == f"<{settings.ACADEMY_SITE_URL.rstrip('/')}{path}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# ------------------------------------------------------------------------------
# Anonymous authors
# ------------------------------------------------------------------------------
UNION_OFFICIAL_TRACES = ("Chenda Sok", "union.a@example.org", "Federation of Apparel Workers")


def test_an_anonymous_author_is_never_named_in_an_email_to_a_peer_but_is_to_a_facilitator(
    anonymous_thread, inspector, facilitator, union_official, mailoutbox, django_capture_on_commit_callbacks
):
    for person in (inspector, facilitator):
        wants(person, EmailMode.EACH)
        services.thread_follow(user=person, thread=anonymous_thread, follow=True)
    reply(
        anonymous_thread, union_official, "They were told to keep quiet about it.", django_capture_on_commit_callbacks
    )
    by_recipient = {message.to[0]: message for message in mailoutbox}
    to_peer = everything_in(by_recipient[inspector.email])
    assert "Anonymous member replied" in to_peer
    assert not any(trace in to_peer for trace in UNION_OFFICIAL_TRACES)
    to_facilitator = by_recipient[facilitator.email]
    assert "Chenda Sok replied" in to_facilitator.body
    assert "Posted anonymously: other members do not see this name." in to_facilitator.body


def test_an_anonymous_author_who_mentions_someone_stays_anonymous_in_the_email(
    anonymous_thread, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks
):
    wants(inspector, EmailMode.EACH)
    reply(
        anonymous_thread,
        union_official,
        "@Vannak Heng, can the inspectorate visit?",
        django_capture_on_commit_callbacks,
    )
    (message,) = mailoutbox
    assert Notification.objects.get(user=inspector).kind == NotificationKind.MENTION
    assert message.subject == f"Anonymous member mentioned you in “{anonymous_thread.title}”"
    assert not any(trace in everything_in(message) for trace in UNION_OFFICIAL_TRACES)


def test_an_anonymous_author_is_never_named_in_a_digest_to_a_peer(
    anonymous_thread, inspector, union_official, mailoutbox
):
    services.thread_follow(user=inspector, thread=anonymous_thread, follow=True)
    services.post_reply(author=union_official, thread=anonymous_thread, text="Held back since March.")
    send_digest.enqueue(user_id=inspector.pk)
    (message,) = mailoutbox
    assert "Anonymous member replied" in message.body
    assert not any(trace in everything_in(message) for trace in UNION_OFFICIAL_TRACES)


# ------------------------------------------------------------------------------
# The daily digest
# ------------------------------------------------------------------------------
def test_the_digest_lists_waiting_news_by_thread_and_marks_it_emailed(
    thread_a, named_category, inspector, union_official, brand_staff, mailoutbox
):
    other = services.thread_create(author=inspector, category=named_category, title="Overtime caps", text="How?")
    services.post_reply(author=union_official, thread=thread_a, text="First on exits")
    services.post_reply(author=brand_staff, thread=other, text="Caps on overtime in our code")
    services.post_reply(author=brand_staff, thread=thread_a, text="Second on exits")
    assert send_digest.enqueue(user_id=inspector.pk).return_value == 3
    (message,) = mailoutbox
    assert message.subject == "Your forums today: 3 new posts"
    body = message.body
    # Threads by their latest news; within a thread, oldest first.
    assert body.index(thread_a.title) < body.index("First on exits") < body.index("Second on exits")
    assert body.index("Second on exits") < body.index("Overtime caps") < body.index("Caps on overtime")
    assert body.count(f"== {thread_a.title} ==") == 1
    assert not Notification.objects.filter(user=inspector, emailed_at__isnull=True).exists()
    assert EmailPreference.objects.get(user=inspector).last_digest_at is not None


def test_the_digest_run_twice_sends_once(thread_a, inspector, union_official, mailoutbox):
    services.post_reply(author=union_official, thread=thread_a, text="Once only")
    call_command("send_forum_digests", stdout=io.StringIO())
    call_command("send_forum_digests", stdout=io.StringIO())
    send_digest.enqueue(user_id=inspector.pk)
    assert len(mailoutbox) == 1


def test_news_after_todays_digest_waits_for_tomorrows(thread_a, inspector, union_official, mailoutbox):
    services.post_reply(author=union_official, thread=thread_a, text="Morning news")
    call_command("send_forum_digests", stdout=io.StringIO())
    services.post_reply(author=union_official, thread=thread_a, text="Afternoon news")
    assert people_due() == []
    assert people_due(now=timezone.now() + DIGEST_MIN_INTERVAL) == [inspector.pk]
    assert len(mailoutbox) == 1


def test_the_digest_leaves_out_what_was_read_and_goes_only_to_daily_people(
    thread_a, inspector, union_official, brand_staff, factory_manager, mailoutbox
):
    for person in (brand_staff, factory_manager):
        services.thread_follow(user=person, thread=thread_a, follow=True)
    wants(brand_staff, EmailMode.EACH)
    wants(factory_manager, EmailMode.NONE)
    services.post_reply(author=union_official, thread=thread_a, text="Read already")
    Notification.objects.filter(user=inspector).update(read_at=timezone.now())
    services.post_reply(author=union_official, thread=thread_a, text="Not read yet")
    assert people_due() == [inspector.pk]
    call_command("send_forum_digests", stdout=io.StringIO())
    (message,) = mailoutbox
    assert message.to == [inspector.email]
    assert "Not read yet" in message.body and "Read already" not in message.body


def test_news_older_than_a_week_is_not_sent_late(thread_a, inspector, union_official, mailoutbox):
    services.post_reply(author=union_official, thread=thread_a, text="Old news")
    Notification.objects.update(created_at=timezone.now() - DIGEST_MAX_AGE - timedelta(hours=1))
    assert people_due() == []


def test_the_digest_is_in_the_recipients_language(thread_a, inspector, union_official, mailoutbox):
    inspector.preferred_language = "fr"
    inspector.save(update_fields=["preferred_language"])
    services.post_reply(author=union_official, thread=thread_a, text="Une réponse")
    send_digest.enqueue(user_id=inspector.pk)
    assert mailoutbox[0].extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in html_of(mailoutbox[0])


# ------------------------------------------------------------------------------
# One-click unsubscribe
# ------------------------------------------------------------------------------
@pytest.fixture
def digest_email(thread_a, inspector, union_official, mailoutbox):
    services.post_reply(author=union_official, thread=thread_a, text="News")
    send_digest.enqueue(user_id=inspector.pk)
    return mailoutbox[0]


def test_the_unsubscribe_link_shows_one_button_then_turns_emails_off(client, digest_email, inspector):
    path = unsubscribe_path(digest_email)
    response = client.get(path)
    assert response.status_code == 200
    assert "Unsubscribe from forum emails" in response.content.decode()
    assert not EmailPreference.objects.filter(user=inspector, mode=EmailMode.NONE).exists()
    response = client.post(path)
    assert response.status_code == 200 and response.context["done"]
    assert f"{inspector.email} no longer receives forum emails" in response.content.decode()
    assert EmailPreference.objects.get(user=inspector).mode == EmailMode.NONE


def test_the_one_click_post_of_a_mail_app_needs_no_session_or_csrf_token(digest_email, inspector):
    mail_app = Client(enforce_csrf_checks=True)
    response = mail_app.post(
        unsubscribe_path(digest_email),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=inspector).mode == EmailMode.NONE


def test_the_html_part_links_to_the_same_unsubscribe_page(digest_email):
    assert unsubscribe_path(digest_email) in html_of(digest_email)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="some.other.salt"),
        "tampered",
    ],
)
def test_a_forged_unsubscribe_token_is_not_found(client, inspector, token):
    if token == "tampered":
        good = unsubscribe.token_for(user_id=inspector.pk)
        token = signing.dumps(inspector.pk + 1, salt=unsubscribe.SALT).split(":", 1)[0] + ":" + good.split(":", 1)[1]
    path = reverse("forum_unsubscribe", kwargs={"token": token})
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not EmailPreference.objects.filter(mode=EmailMode.NONE).exists()


def test_after_unsubscribing_no_more_forum_email_arrives(
    client, digest_email, thread_a, inspector, union_official, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(unsubscribe_path(digest_email))
    mailoutbox.clear()
    reply(thread_a, union_official, "After", django_capture_on_commit_callbacks)
    send_digest.enqueue(user_id=inspector.pk)
    assert mailoutbox == []


def test_a_signed_in_staff_member_without_two_factor_can_still_unsubscribe(client, digest_email, inspector):
    """The link acts on its own token: the two-factor set-up page must not stand in front."""
    inspector.is_staff = True  # staff must use two-factor, and this account has none
    inspector.save()
    client.force_login(inspector)
    response = client.get(unsubscribe_path(digest_email))
    assert response.status_code == 200
    assert "Unsubscribe from forum emails" in response.content.decode()
