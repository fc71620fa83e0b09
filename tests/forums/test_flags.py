"""Flags and the moderation queue: members report posts; the space's facilitators see
them grouped by post, with the real author, and hide the post or dismiss the flags."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import moderation, services
from forums.choices import FlagReason, FlagResolution, ModerationAction
from forums.models import Flag, ModerationLogEntry, Post


def flag_url(post) -> str:
    return reverse("forum_flag", kwargs={"post_id": post.pk})


def queue_url(space) -> str:
    return reverse("forum_moderation_queue", kwargs={"space_id": space.pk})


def opening(thread) -> Post:
    return thread.posts.get(number=1)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ------------------------------------------------------------------------------
# Flagging
# ------------------------------------------------------------------------------
def test_a_member_flags_someone_elses_post_with_a_reason_and_a_note(login, brand_staff, thread_a):
    post = opening(thread_a)
    response = login(brand_staff).post(
        flag_url(post), {"reason": FlagReason.INACCURATE, "note": "Blocking exits is never fine, even for a day."}
    )
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.post, flag.space_id, flag.reporter, flag.reason) == (
        post,
        thread_a.space_id,
        brand_staff,
        FlagReason.INACCURATE,
    )
    assert flag.note == "Blocking exits is never fine, even for a day."
    assert flag.resolved_at is None


def test_an_observer_can_flag_a_post_though_they_cannot_write(login, observer, thread_a):
    response = login(observer).post(flag_url(opening(thread_a)), {"reason": FlagReason.OFF_TOPIC})
    assert response.status_code == 302
    assert Flag.objects.filter(reporter=observer).count() == 1


def test_a_second_open_flag_by_the_same_person_gets_a_message_not_an_error_page(login, brand_staff, thread_a):
    client = login(brand_staff)
    post = opening(thread_a)
    client.post(flag_url(post), {"reason": FlagReason.SPAM})
    response = client.post(flag_url(post), {"reason": FlagReason.HARASSMENT}, follow=True)
    assert response.status_code == 200
    assert str(moderation.FLAG_ALREADY_OPEN) in messages_of(response)
    assert Flag.objects.count() == 1
    page = client.get(flag_url(post))
    assert page.status_code == 200
    assert str(moderation.FLAG_ALREADY_OPEN) in page.content.decode()


def test_after_a_flag_is_resolved_the_same_person_can_flag_the_post_again(brand_staff, facilitator, thread_a):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.SPAM)
    moderation.flags_dismiss(actor=facilitator, post=post)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.SPAM)
    assert Flag.objects.filter(post=post, reporter=brand_staff).count() == 2


def test_nobody_flags_their_own_post(login, inspector, thread_a):
    post = opening(thread_a)
    with pytest.raises(ValidationError) as refused:
        moderation.flag_create(reporter=inspector, post=post, reason=FlagReason.SPAM)
    assert refused.value.messages == [str(moderation.FLAG_OWN_POST)]
    page = login(inspector).get(flag_url(post))
    assert page.status_code == 200
    assert str(moderation.FLAG_OWN_POST) in page.content.decode()
    assert Flag.objects.count() == 0


def test_a_removed_post_cannot_be_flagged(brand_staff, inspector, thread_a):
    post = services.post_delete(user=inspector, post=opening(thread_a))
    with pytest.raises(ValidationError) as refused:
        moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.SPAM)
    assert refused.value.messages == [str(moderation.FLAG_POST_GONE)]


def test_a_flag_without_a_reason_is_refused_and_keeps_the_note(login, brand_staff, thread_a):
    response = login(brand_staff).post(flag_url(opening(thread_a)), {"note": "Names a worker who spoke up."})
    assert response.status_code == 400
    content = response.content.decode()
    assert str(moderation.FLAG_REASON_MISSING) in content
    assert "Names a worker who spoke up." in content
    assert Flag.objects.count() == 0


def test_flagging_an_anonymous_post_never_shows_its_author_to_the_flagger(login, brand_staff, anonymous_thread):
    client = login(brand_staff)
    post = opening(anonymous_thread)
    page = client.get(flag_url(post))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Chenda Sok" not in content
    assert "Federation of Apparel Workers" not in content
    assert "Anonymous member" in content
    after = client.post(flag_url(post), {"reason": FlagReason.IDENTIFIES}, follow=True)
    assert "Chenda Sok" not in after.content.decode()


def test_a_member_of_another_cohort_gets_404_for_the_flag_page_and_flags_nothing(login, participant_b, thread_a):
    client = login(participant_b)
    assert client.get(flag_url(opening(thread_a))).status_code == 404
    assert client.post(flag_url(opening(thread_a)), {"reason": FlagReason.SPAM}).status_code == 404
    assert Flag.objects.count() == 0


# ------------------------------------------------------------------------------
# The queue
# ------------------------------------------------------------------------------
def test_flags_reach_the_queue_grouped_by_post_with_reasons_and_notes(
    login, facilitator, brand_staff, factory_manager, observer, thread_a, space_a
):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.INACCURATE, note="Unsafe advice.")
    moderation.flag_create(reporter=factory_manager, post=post, reason=FlagReason.OFF_TOPIC)
    moderation.flag_create(reporter=observer, post=post, reason=FlagReason.INACCURATE)
    response = login(facilitator).get(queue_url(space_a))
    assert response.status_code == 200
    queue = response.context["queue"]
    assert [item.post for item in queue.items] == [post]
    assert len(queue.items[0].flags) == 3
    assert queue.items[0].reasons == [FlagReason.INACCURATE.label, FlagReason.OFF_TOPIC.label]
    assert queue.open_flags == 3
    content = response.content.decode()
    assert "Unsafe advice." in content
    assert "After the audit, cartons were back" in content
    for link in ["forum_moderation_log", "forum_suspensions", "forum_moderation_limits", "forum_category_add"]:
        assert reverse(link, kwargs={"space_id": space_a.pk}) in content


def test_the_queue_shows_facilitators_who_wrote_an_anonymous_post(login, facilitator, brand_staff, anonymous_thread):
    moderation.flag_create(reporter=brand_staff, post=opening(anonymous_thread), reason=FlagReason.IDENTIFIES)
    response = login(facilitator).get(queue_url(anonymous_thread.space))
    assert "Chenda Sok" in response.content.decode()
    assert response.context["queue"].items[0].author.unmasked


def test_hiding_a_post_from_the_queue_resolves_all_its_open_flags_as_hidden(
    login, facilitator, brand_staff, observer, thread_a, space_a
):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.HARASSMENT)
    moderation.flag_create(reporter=observer, post=post, reason=FlagReason.HARASSMENT)
    client = login(facilitator)
    response = client.post(reverse("forum_post_hide", kwargs={"post_id": post.pk}), {"next": queue_url(space_a)})
    assert response.status_code == 302
    assert response.url == queue_url(space_a)
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert set(Flag.objects.values_list("resolution", "resolved_by")) == {(FlagResolution.HIDDEN, facilitator.pk)}
    assert client.get(queue_url(space_a)).context["queue"].items == []
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.post, entry.thread) == (
        ModerationAction.POST_HIDE,
        facilitator,
        post,
        thread_a,
    )


def test_dismissing_the_flags_keeps_the_post_and_is_logged(login, facilitator, brand_staff, thread_a, space_a):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.OFF_TOPIC)
    response = login(facilitator).post(
        reverse("forum_flags_dismiss", kwargs={"post_id": post.pk}), {"next": queue_url(space_a)}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_visible
    assert Flag.objects.get().resolution == FlagResolution.DISMISSED
    assert ModerationLogEntry.objects.get().action == ModerationAction.FLAG_DISMISS


def test_an_offsite_next_address_is_ignored(login, facilitator, brand_staff, thread_a):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.OFF_TOPIC)
    response = login(facilitator).post(
        reverse("forum_flags_dismiss", kwargs={"post_id": post.pk}), {"next": "https://evil.example/"}
    )
    assert response.url.startswith(reverse("forum_thread", kwargs={"thread_id": thread_a.pk}))


def _flag_many(thread, reporters, count: int) -> None:
    """`count` flags over `count // len(reporters)` replies, written directly (fast)."""
    per_post = len(reporters)
    now = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                space=thread.space,
                number=thread.last_number + 1 + index,
                author=thread.author,
                source=f"Reply {index}",
                html=f"<p>Reply {index}</p>",
                text=f"Reply {index}",
                created_at=now,
            )
            for index in range(count // per_post)
        ]
    )
    Flag.objects.bulk_create(
        [
            Flag(post=post, space=thread.space, reporter=reporter, reason=FlagReason.SPAM)
            for post in posts
            for reporter in reporters
        ]
    )


def test_the_queue_is_paginated_by_post(login, facilitator, brand_staff, thread_a, space_a):
    _flag_many(thread_a, [brand_staff], moderation.QUEUE_POSTS_PER_PAGE + 3)
    client = login(facilitator)
    first = client.get(queue_url(space_a)).context["queue"]
    second = client.get(queue_url(space_a), {"page": 2}).context["queue"]
    assert len(first.items) == moderation.QUEUE_POSTS_PER_PAGE
    assert len(second.items) == 3
    assert (second.page.number, second.page.count) == (2, 2)
    assert not {item.post.pk for item in first.items} & {item.post.pk for item in second.items}


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_takes_the_same_number_of_queries_for_5_and_50_flags(
    login,
    facilitator,
    brand_staff,
    factory_manager,
    observer,
    union_official,
    thread_a,
    space_a,
    count,
    django_assert_max_num_queries,
):
    reporters = [brand_staff, factory_manager, observer, union_official, facilitator]
    _flag_many(thread_a, reporters, count)
    client = login(facilitator)
    # Session, user, space, seats, the queue's three reads, the header's badge.
    with django_assert_max_num_queries(10):
        response = client.get(queue_url(space_a))
    assert response.status_code == 200
    assert response.context["queue"].open_flags == count


def test_the_thread_page_shows_moderators_the_open_flags_of_each_post(
    login, facilitator, brand_staff, inspector, thread_a
):
    moderation.flag_create(reporter=brand_staff, post=opening(thread_a), reason=FlagReason.SPAM)
    url = reverse("forum_thread", kwargs={"thread_id": thread_a.pk}) + "?page=1"
    assert "1 open flag" in login(facilitator).get(url).content.decode()
    assert "1 open flag" not in login(brand_staff).get(url).content.decode()


def test_another_cohorts_flags_never_appear_in_the_queue(
    login, facilitator, space_a, space_b, participant_b, facilitator_b
):
    thread_b = services.thread_create(
        author=participant_b,
        category=space_b.categories.first(),
        title="Overtime in peak season",
        text="How do you plan overtime so it stays voluntary?",
    )
    moderation.flag_create(reporter=facilitator_b, post=opening(thread_b), reason=FlagReason.SPAM)
    assert login(facilitator).get(queue_url(space_a)).context["queue"].items == []
