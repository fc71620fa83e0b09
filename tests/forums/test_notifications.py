"""forums.notifications and its pages: who is notified of what, the notifications page,
opening and marking read, the header's unread count, the preferences page."""

import pytest
from django.urls import reverse

from academy.models import Membership
from forums import notifications, services
from forums.choices import EmailMode, NotificationKind, ThreadKind
from forums.models import EmailPreference, Notification, Post, Subscription, Thread
from forums.notification_selectors import NOTIFICATIONS_PER_PAGE, unread_count


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


# ------------------------------------------------------------------------------
# Who is notified
# ------------------------------------------------------------------------------
def test_a_reply_notifies_the_threads_followers_but_never_its_author(thread_a, inspector, union_official):
    reply = services.post_reply(author=union_official, thread=thread_a, text="We painted a keep-clear zone.")
    assert kinds_for(inspector) == [NotificationKind.REPLY]
    assert Notification.objects.get(user=inspector).post == reply
    assert kinds_for(union_official) == []  # the author follows the thread now, but not their own post


def test_a_new_thread_notifies_the_categorys_followers(named_category, inspector, brand_staff):
    services.category_follow(user=brand_staff, category=named_category, follow=True)
    services.category_follow(user=inspector, category=named_category, follow=True)
    thread = services.thread_create(
        author=inspector, category=named_category, title="Night shifts", text="Who has rules on night shifts?"
    )
    assert kinds_for(brand_staff) == [NotificationKind.NEW_THREAD]
    assert Notification.objects.get(user=brand_staff).thread == thread
    assert kinds_for(inspector) == []


def test_a_mention_notifies_the_person_named_and_wins_over_following(thread_a, inspector, union_official, brand_staff):
    services.post_reply(
        author=union_official, thread=thread_a, text="@Emma Larsen and @Vannak Heng: what did buyers say?"
    )
    assert kinds_for(brand_staff) == [NotificationKind.MENTION]
    assert kinds_for(inspector) == [NotificationKind.MENTION]  # a follower, named: one notification


def test_an_edit_notifies_only_the_people_named_for_the_first_time(thread_a, inspector, union_official, brand_staff):
    reply = services.post_reply(author=union_official, thread=thread_a, text="@Vannak Heng, see the photos.")
    services.post_edit(editor=union_official, post=reply, text="@Vannak Heng and @Emma Larsen, see the photos.")
    assert kinds_for(inspector) == [NotificationKind.MENTION]
    assert kinds_for(brand_staff) == [NotificationKind.MENTION]


def test_an_accepted_answer_notifies_its_author(named_category, inspector, union_official):
    question = services.thread_create(
        author=inspector, category=named_category, title="Heat stress", text="Limits?", kind=ThreadKind.QUESTION
    )
    answer = services.post_reply(author=union_official, thread=question, text="The ministry's guidance is 32°C.")
    services.answer_accept(user=inspector, post=answer)
    assert kinds_for(union_official) == [NotificationKind.ANSWER_ACCEPTED]


def test_a_member_removed_from_the_cohort_is_no_longer_notified(thread_a, inspector, union_official, cohort_a):
    Membership.objects.filter(user=inspector, cohort=cohort_a).delete()
    services.post_reply(author=union_official, thread=thread_a, text="Anyone?")
    assert kinds_for(inspector) == []


def test_another_cohorts_member_cannot_be_mentioned_into_a_forum(thread_a, union_official, participant_b):
    services.post_reply(author=union_official, thread=thread_a, text="@Nguyen Thi Lan, what do you think?")
    assert kinds_for(participant_b) == []


# ------------------------------------------------------------------------------
# The notifications page
# ------------------------------------------------------------------------------
def test_the_notifications_page_lists_newest_first_with_unread_marked(login, thread_a, inspector, union_official):
    first = services.post_reply(author=union_official, thread=thread_a, text="First answer about exits.")
    second = services.post_reply(author=union_official, thread=thread_a, text="Second answer about exits.")
    Notification.objects.filter(post=first).update(read_at=first.created_at)
    response = login(inspector).get(reverse("forum_notifications"))
    assert response.status_code == 200
    rows = response.context["listing"].rows
    assert [row.notification.post for row in rows] == [second, first]
    assert [row.unread for row in rows] == [True, False]
    assert "Chenda Sok" in response.content.decode()
    assert response.context["listing"].unread == 1


def test_the_notifications_page_hides_an_anonymous_author_from_peers_but_not_from_facilitators(
    login, anonymous_thread, inspector, facilitator, union_official
):
    services.thread_follow(user=inspector, thread=anonymous_thread, follow=True)
    services.thread_follow(user=facilitator, thread=anonymous_thread, follow=True)
    services.post_reply(author=union_official, thread=anonymous_thread, text="They were told to keep quiet.")
    page = login(inspector).get(reverse("forum_notifications")).content.decode()
    assert "Anonymous member" in page and "Chenda Sok" not in page and "Federation of Apparel Workers" not in page
    page = login(facilitator).get(reverse("forum_notifications")).content.decode()
    assert "Chenda Sok" in page


def test_the_notifications_page_costs_the_same_queries_for_few_or_many(
    login, thread_a, inspector, union_official, django_assert_max_num_queries
):
    client = login(inspector)
    for number in range(3):
        services.post_reply(author=union_official, thread=thread_a, text=f"Reply {number}")
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("forum_notifications")).status_code == 200
    for number in range(NOTIFICATIONS_PER_PAGE + 5):
        services.post_reply(author=union_official, thread=thread_a, text=f"More {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("forum_notifications"), {"page": 2})
    assert response.status_code == 200 and len(response.context["listing"].rows) == 8


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(login, thread_a, inspector, union_official):
    reply = services.post_reply(author=union_official, thread=thread_a, text="See the photo.")
    notification = Notification.objects.get(user=inspector)
    response = login(inspector).get(reverse("forum_notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == f"{reverse('forum_thread', args=[thread_a.pk])}?page=1#post-{reply.number}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(login, thread_a, inspector, union_official, brand_staff):
    services.post_reply(author=union_official, thread=thread_a, text="See the photo.")
    notification = Notification.objects.get(user=inspector)
    response = login(brand_staff).get(reverse("forum_notification_open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read(login, thread_a, inspector, union_official):
    for text in ("One", "Two"):
        services.post_reply(author=union_official, thread=thread_a, text=text)
    response = login(inspector).post(reverse("forum_notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=inspector, read_at__isnull=True).exists()


def test_notifications_about_a_space_one_left_or_a_hidden_post_are_neither_listed_nor_counted(
    login, thread_a, inspector, union_official, cohort_a
):
    kept = services.post_reply(author=union_official, thread=thread_a, text="Kept")
    hidden = services.post_reply(author=union_official, thread=thread_a, text="Hidden later")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=hidden.created_at)
    assert unread_count(inspector) == 1
    rows = login(inspector).get(reverse("forum_notifications")).context["listing"].rows
    assert [row.notification.post for row in rows] == [kept]
    Membership.objects.filter(user=inspector, cohort=cohort_a).delete()
    assert unread_count(inspector) == 0
    assert login(inspector).get(reverse("forum_notifications")).context["listing"].rows == []


# ------------------------------------------------------------------------------
# The header
# ------------------------------------------------------------------------------
def test_the_header_shows_the_forums_and_the_unread_count(login, thread_a, inspector, union_official):
    client = login(inspector)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("forums_home")}">Forums</a>' in page
    assert f'href="{reverse("forum_notifications")}">Notifications</a>' in page  # nothing unread: no count
    for text in ("One", "Two"):
        services.post_reply(author=union_official, thread=thread_a, text=text)
    page = client.get(reverse("dashboard")).content.decode()
    assert '<span class="badge" aria-hidden="true">2</span><span class="visually-hidden">(2 unread)</span>' in page
    client.post(reverse("forum_notifications_read_all"))
    assert "(2 unread)" not in client.get(reverse("dashboard")).content.decode()


def test_visitors_see_no_forum_links_in_the_header(client, db):
    page = client.get(reverse("home")).content.decode()
    assert reverse("forum_notifications") not in page


def test_the_unread_count_is_one_query(thread_a, inspector, union_official, django_assert_num_queries):
    services.post_reply(author=union_official, thread=thread_a, text="One")
    with django_assert_num_queries(1):
        assert unread_count(inspector) == 1


# ------------------------------------------------------------------------------
# Preferences
# ------------------------------------------------------------------------------
def test_the_email_preference_defaults_to_the_daily_digest_and_is_saved(login, inspector):
    client = login(inspector)
    response = client.get(reverse("forum_preferences"))
    assert response.status_code == 200 and response.context["form"]["mode"].value() == EmailMode.DAILY
    response = client.post(reverse("forum_preferences"), {"mode": EmailMode.EACH})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=inspector).mode == EmailMode.EACH


def test_an_unknown_email_mode_is_refused_with_a_message(login, inspector):
    response = login(inspector).post(reverse("forum_preferences"), {"mode": "hourly"})
    assert response.status_code == 400
    assert str(notifications.EMAIL_MODE_UNKNOWN) in response.content.decode()
    assert not EmailPreference.objects.filter(user=inspector).exists()


def test_choosing_emails_again_after_none_does_not_send_the_backlog(thread_a, inspector, union_official):
    notifications.email_preference_set(user=inspector, mode=EmailMode.NONE)
    services.post_reply(author=union_official, thread=thread_a, text="While emails were off")
    notifications.email_preference_set(user=inspector, mode=EmailMode.DAILY)
    assert not Notification.objects.filter(user=inspector, emailed_at__isnull=True).exists()


def test_the_preferences_page_lists_what_one_follows_and_unfollows_it(
    login, thread_a, named_category, inspector, union_official
):
    services.category_follow(user=inspector, category=named_category, follow=True)
    client = login(inspector)
    follows = client.get(reverse("forum_preferences")).context["follows"]
    assert [s.thread for s in follows.threads] == [thread_a]
    assert [s.category for s in follows.categories] == [named_category]
    subscription = Subscription.objects.get(user=inspector, thread=thread_a)
    assert client.post(reverse("forum_unfollow", args=[subscription.pk])).status_code == 302
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    services.post_reply(author=union_official, thread=thread_a, text="Not for the inspector any more")
    assert kinds_for(inspector) == []


def test_someone_elses_follow_cannot_be_removed(login, thread_a, inspector, union_official):
    subscription = Subscription.objects.get(user=inspector, thread=thread_a)
    assert login(union_official).post(reverse("forum_unfollow", args=[subscription.pk])).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


@pytest.mark.parametrize("name", ["forum_notifications", "forum_preferences"])
def test_the_pages_ask_visitors_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_hidden_thread_is_not_followed_on_the_preferences_page(login, thread_a, inspector):
    Thread.objects.filter(pk=thread_a.pk).update(is_hidden=True)
    assert login(inspector).get(reverse("forum_preferences")).context["follows"].threads == []


def test_reading_the_posts_on_their_thread_page_reads_their_notifications(client, thread_a, inspector, union_official):
    reply = services.post_reply(author=union_official, thread=thread_a, text="Exit B is clear today.")
    notification = Notification.objects.get(user=inspector, post=reply)
    assert notification.read_at is None
    client.force_login(inspector)
    client.get(reverse("forum_thread", args=[thread_a.pk]) + "?page=1")
    notification.refresh_from_db()
    assert notification.read_at is not None
