"""Moderation: hiding and restoring posts and threads, locking, pinning and moving
threads, suspensions, new members' limits, edit histories, categories and the audit log;
and who may do any of it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from academy.choices import MembershipRole
from forums import moderation, services
from forums.choices import FlagReason, IdentityMode, ModerationAction
from forums.models import Category, Flag, ModerationLogEntry, Post, Space, Suspension, Thread
from tests.factories import MembershipFactory, UserFactory


def opening(thread) -> Post:
    return thread.posts.get(number=1)


def thread_url(thread) -> str:
    return reverse("forum_thread", kwargs={"thread_id": thread.pk}) + "?page=1"


def reply_url(thread) -> str:
    return reverse("forum_reply", kwargs={"thread_id": thread.pk})


def actions() -> list[str]:
    return list(ModerationLogEntry.objects.order_by("pk").values_list("action", flat=True))


# ------------------------------------------------------------------------------
# The audit log
# ------------------------------------------------------------------------------
def test_log_records_who_did_what_to_which_thread_post_and_member(facilitator, inspector, thread_a, space_a):
    post = opening(thread_a)
    entry = moderation.log(
        space=space_a,
        actor=facilitator,
        action=ModerationAction.POST_HIDE,
        thread=thread_a,
        post=post,
        member=inspector,
        note="Named a worker",
    )
    entry.refresh_from_db()
    assert (entry.space, entry.actor, entry.action, entry.thread, entry.post, entry.member, entry.note) == (
        space_a,
        facilitator,
        ModerationAction.POST_HIDE,
        thread_a,
        post,
        inspector,
        "Named a worker",
    )


def test_log_refuses_an_unknown_action(facilitator, space_a):
    with pytest.raises(ValueError):
        moderation.log(space=space_a, actor=facilitator, action="post_burn")


def test_an_action_and_its_log_entry_stand_or_fall_together(facilitator, thread_a):
    post = opening(thread_a)
    with mock.patch.object(ModerationLogEntry.objects, "create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            moderation.post_hide(actor=facilitator, post=post)
    post.refresh_from_db()
    assert post.hidden_at is None


def test_the_audit_log_page_lists_actions_newest_first_for_the_facilitators(login, facilitator, thread_a, space_a):
    moderation.thread_lock(actor=facilitator, thread=thread_a, locked=True)
    moderation.thread_pin(actor=facilitator, thread=thread_a, pinned=True)
    moderation.thread_hide(actor=facilitator, thread=thread_a, hidden=True)
    response = login(facilitator).get(reverse("forum_moderation_log", kwargs={"space_id": space_a.pk}))
    assert response.status_code == 200
    labels = [label for _entry, label in response.context["log"].entries]
    assert labels == ["Hid a thread", "Pinned a thread", "Locked a thread"]
    content = response.content.decode()
    assert "Sreymom Keo" in content
    assert thread_a.title in content


def test_the_audit_log_is_paginated(login, facilitator, thread_a, space_a):
    for index in range(moderation.LOG_ENTRIES_PER_PAGE + 2):
        moderation.thread_pin(actor=facilitator, thread=thread_a, pinned=index % 2 == 0)
    url = reverse("forum_moderation_log", kwargs={"space_id": space_a.pk})
    client = login(facilitator)
    assert len(client.get(url).context["log"].entries) == moderation.LOG_ENTRIES_PER_PAGE
    assert len(client.get(url, {"page": 2}).context["log"].entries) == 2


# ------------------------------------------------------------------------------
# Posts
# ------------------------------------------------------------------------------
def test_a_hidden_post_shows_members_it_was_hidden_and_a_restored_one_comes_back(
    login, client, facilitator, brand_staff, thread_a
):
    post = opening(thread_a)
    login(facilitator).post(reverse("forum_post_hide", kwargs={"post_id": post.pk}))
    page = login(brand_staff).get(thread_url(thread_a)).content.decode()
    assert "Hidden by a facilitator." in page
    assert "cartons were back in front of exit B" not in page
    login(facilitator).post(reverse("forum_post_restore", kwargs={"post_id": post.pk}))
    page = login(brand_staff).get(thread_url(thread_a)).content.decode()
    assert "Hidden by a facilitator." not in page
    assert "cartons were back in front of exit B" in page
    assert actions() == [ModerationAction.POST_HIDE, ModerationAction.POST_RESTORE]


def test_the_thread_page_gives_moderators_their_tools_and_members_none(login, facilitator, brand_staff, thread_a):
    hide = reverse("forum_post_hide", kwargs={"post_id": opening(thread_a).pk})
    lock = reverse("forum_thread_lock", kwargs={"thread_id": thread_a.pk})
    moderator_page = login(facilitator).get(thread_url(thread_a)).content.decode()
    assert hide in moderator_page
    assert lock in moderator_page
    member_page = login(brand_staff).get(thread_url(thread_a)).content.decode()
    assert hide not in member_page
    assert lock not in member_page


# ------------------------------------------------------------------------------
# Threads
# ------------------------------------------------------------------------------
def test_a_hidden_thread_is_a_404_for_members_and_greyed_for_facilitators(login, facilitator, brand_staff, thread_a):
    response = login(facilitator).post(reverse("forum_thread_hide", kwargs={"thread_id": thread_a.pk}), {"hidden": "1"})
    assert response.status_code == 302
    assert login(brand_staff).get(thread_url(thread_a)).status_code == 404
    page = login(facilitator).get(thread_url(thread_a))
    assert page.status_code == 200
    assert "Hidden from members" in page.content.decode()
    login(facilitator).post(reverse("forum_thread_hide", kwargs={"thread_id": thread_a.pk}), {"hidden": "0"})
    assert login(brand_staff).get(thread_url(thread_a)).status_code == 200
    assert [(entry.action, entry.post_id) for entry in ModerationLogEntry.objects.order_by("pk")] == [
        (ModerationAction.THREAD_HIDE, None),
        (ModerationAction.THREAD_RESTORE, None),
    ]


def test_a_locked_thread_refuses_member_replies_with_the_text_kept_until_unlocked(
    login, facilitator, brand_staff, thread_a
):
    login(facilitator).post(reverse("forum_thread_lock", kwargs={"thread_id": thread_a.pk}), {"locked": "1"})
    thread_a.refresh_from_db()
    assert thread_a.is_locked
    client = login(brand_staff)
    response = client.post(reply_url(thread_a), {"text": "We moved the cartons to bay 4."})
    assert response.status_code == 400
    content = response.content.decode()
    assert str(services.THREAD_LOCKED) in content
    assert "We moved the cartons to bay 4.</textarea>" in content
    login(facilitator).post(reverse("forum_thread_lock", kwargs={"thread_id": thread_a.pk}), {"locked": "0"})
    assert login(brand_staff).post(reply_url(thread_a), {"text": "We moved the cartons to bay 4."}).status_code == 302
    assert actions() == [ModerationAction.THREAD_LOCK, ModerationAction.THREAD_UNLOCK]


def test_a_pinned_thread_comes_first_in_its_category(login, facilitator, inspector, thread_a, named_category):
    later = services.thread_create(
        author=inspector, category=named_category, title="Chemical labels", text="Labels in Khmer, please."
    )
    login(facilitator).post(reverse("forum_thread_pin", kwargs={"thread_id": thread_a.pk}), {"pinned": "1"})
    listing = login(inspector).get(reverse("forum_category", kwargs={"category_id": named_category.pk}))
    assert [row.thread.pk for row in listing.context["listing"].rows] == [thread_a.pk, later.pk]
    login(facilitator).post(reverse("forum_thread_pin", kwargs={"thread_id": thread_a.pk}), {"pinned": "0"})
    thread_a.refresh_from_db()
    assert not thread_a.is_pinned
    assert actions() == [ModerationAction.THREAD_PIN, ModerationAction.THREAD_UNPIN]


def test_moving_a_thread_keeps_its_space_and_updates_both_categories_counts(
    login, facilitator, thread_a, named_category, space_a
):
    target = space_a.categories.exclude(pk=named_category.pk).filter(identity=IdentityMode.NAMED).first()
    response = login(facilitator).post(
        reverse("forum_thread_move", kwargs={"thread_id": thread_a.pk}), {"category": target.pk}
    )
    assert response.status_code == 302
    thread_a.refresh_from_db()
    assert (thread_a.category_id, thread_a.space_id) == (target.pk, space_a.pk)
    assert set(thread_a.posts.values_list("space_id", flat=True)) == {space_a.pk}
    named_category.refresh_from_db()
    target.refresh_from_db()
    assert (named_category.thread_count, target.thread_count) == (0, 1)
    assert named_category.last_posted_at is None
    assert target.last_posted_at == thread_a.last_posted_at
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.thread) == (ModerationAction.THREAD_MOVE, thread_a)
    assert named_category.title in entry.note and target.title in entry.note


def test_moving_an_anonymous_thread_to_a_named_category_unmasks_nobody(
    login, facilitator, brand_staff, anonymous_thread, named_category
):
    moderation.thread_move(actor=facilitator, thread=anonymous_thread, category=named_category)
    assert set(anonymous_thread.posts.values_list("anonymous", flat=True)) == {True}
    page = login(brand_staff).get(thread_url(anonymous_thread)).content.decode()
    assert "Chenda Sok" not in page
    assert "Anonymous member" in page


def test_a_thread_cannot_move_to_a_category_of_another_space(login, facilitator, thread_a, named_category, space_b):
    elsewhere = space_b.categories.first()
    with pytest.raises(ValidationError) as refused:
        moderation.thread_move(actor=facilitator, thread=thread_a, category=elsewhere)
    assert refused.value.messages == [str(moderation.MOVE_OTHER_SPACE)]
    response = login(facilitator).post(
        reverse("forum_thread_move", kwargs={"thread_id": thread_a.pk}), {"category": elsewhere.pk}
    )
    assert response.status_code == 400
    thread_a.refresh_from_db()
    assert thread_a.category_id == named_category.pk
    assert Category.objects.get(pk=elsewhere.pk).thread_count == 0
    assert ModerationLogEntry.objects.count() == 0


def test_a_thread_cannot_move_to_the_category_it_is_in(facilitator, thread_a, named_category):
    with pytest.raises(ValidationError) as refused:
        moderation.thread_move(actor=facilitator, thread=thread_a, category=named_category)
    assert refused.value.messages == [str(moderation.MOVE_SAME_CATEGORY)]


# ------------------------------------------------------------------------------
# Suspensions
# ------------------------------------------------------------------------------
def suspensions_url(space) -> str:
    return reverse("forum_suspensions", kwargs={"space_id": space.pk})


def test_a_suspended_members_reply_is_refused_with_a_message_and_the_text_kept(
    login, facilitator, union_official, thread_a, space_a
):
    response = login(facilitator).post(
        suspensions_url(space_a),
        {"member": union_official.pk, "amount": 3, "unit": "days", "reason": "Threats against a manager"},
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert suspension.user == union_official
    assert timedelta(days=3) - timedelta(minutes=1) < suspension.until - timezone.now() <= timedelta(days=3)
    response = login(union_official).post(reply_url(thread_a), {"text": "The union will raise this at the PICC."})
    assert response.status_code == 400
    content = response.content.decode()
    assert "You are suspended from posting in this forum until" in content
    assert "The union will raise this at the PICC.</textarea>" in content
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.member, entry.note) == (
        ModerationAction.MEMBER_SUSPEND,
        union_official,
        "Threats against a manager",
    )


def test_active_suspensions_are_listed_and_one_can_be_lifted(login, facilitator, union_official, thread_a, space_a):
    suspension = moderation.member_suspend(
        actor=facilitator, space=space_a, member=union_official, hours=5, reason="Cooling off"
    )
    client = login(facilitator)
    assert client.get(suspensions_url(space_a)).context["suspensions"] == [suspension]
    lift = reverse("forum_suspension_lift", kwargs={"space_id": space_a.pk, "suspension_id": suspension.pk})
    assert client.post(lift).status_code == 302
    assert client.get(suspensions_url(space_a)).context["suspensions"] == []
    assert login(union_official).post(reply_url(thread_a), {"text": "Thank you."}).status_code == 302
    assert actions() == [ModerationAction.MEMBER_SUSPEND, ModerationAction.MEMBER_UNSUSPEND]
    with pytest.raises(ValidationError) as refused:
        moderation.suspension_lift(actor=facilitator, suspension=suspension)
    assert refused.value.messages == [str(moderation.SUSPENSION_ALREADY_LIFTED)]


def test_a_new_suspension_replaces_the_running_one(facilitator, union_official, space_a):
    first = moderation.member_suspend(actor=facilitator, space=space_a, member=union_official, hours=48, reason="a")
    second = moderation.member_suspend(actor=facilitator, space=space_a, member=union_official, hours=2, reason="b")
    first.refresh_from_db()
    assert first.lifted_at is not None
    assert moderation.suspensions_active(space=space_a) == [second]


def test_a_suspension_without_a_reason_is_refused_and_keeps_what_was_typed(login, facilitator, union_official, space_a):
    response = login(facilitator).post(
        suspensions_url(space_a), {"member": union_official.pk, "amount": 7, "unit": "hours", "reason": "  "}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert str(moderation.SUSPEND_REASON_EMPTY) in content
    assert 'value="7"' in content
    assert Suspension.objects.count() == 0


def test_facilitators_and_members_of_other_cohorts_cannot_be_suspended(
    login, facilitator, staff, participant_b, space_a
):
    with pytest.raises(ValidationError) as refused:
        moderation.member_suspend(actor=staff, space=space_a, member=facilitator, hours=1, reason="x")
    assert refused.value.message_dict["member"] == [str(moderation.SUSPEND_MODERATOR)]
    with pytest.raises(ValidationError) as refused:
        moderation.member_suspend(actor=facilitator, space=space_a, member=participant_b, hours=1, reason="x")
    assert refused.value.message_dict["member"] == [str(moderation.SUSPEND_NOT_MEMBER)]
    response = login(facilitator).post(
        suspensions_url(space_a), {"member": participant_b.pk, "amount": 1, "unit": "days", "reason": "x"}
    )
    assert response.status_code == 400
    assert Suspension.objects.count() == 0


def test_a_suspension_is_at_most_a_year(facilitator, union_official, space_a):
    with pytest.raises(ValidationError) as refused:
        moderation.member_suspend(
            actor=facilitator,
            space=space_a,
            member=union_official,
            hours=moderation.SUSPENSION_MAX_HOURS + 1,
            reason="x",
        )
    assert refused.value.message_dict["duration"] == [str(moderation.SUSPEND_DURATION)]


# ------------------------------------------------------------------------------
# New members' limits
# ------------------------------------------------------------------------------
def limits_url(space) -> str:
    return reverse("forum_moderation_limits", kwargs={"space_id": space.pk})


def test_facilitators_set_the_new_members_limits_and_the_change_is_logged(login, facilitator, space_a):
    response = login(facilitator).post(
        limits_url(space_a), {"new_member_hours": 48, "new_member_post_interval": 120, "new_member_max_links": 1}
    )
    assert response.status_code == 302
    space_a.refresh_from_db()
    assert (space_a.new_member_hours, space_a.new_member_post_interval, space_a.new_member_max_links) == (48, 120, 1)
    entry = ModerationLogEntry.objects.get()
    assert entry.action == ModerationAction.LIMITS_CHANGE
    assert "24 h, 60 s, 2 links → 48 h, 120 s, 1 links" == entry.note


def test_impossible_limits_are_refused_with_what_was_typed_kept(login, facilitator, space_a):
    response = login(facilitator).post(
        limits_url(space_a), {"new_member_hours": 48, "new_member_post_interval": -5, "new_member_max_links": 1}
    )
    assert response.status_code == 400
    assert 'value="48"' in response.content.decode()
    space_a.refresh_from_db()
    assert space_a.new_member_hours == 24
    assert ModerationLogEntry.objects.count() == 0


@pytest.fixture
def newcomer(cohort_a):
    user = UserFactory(email="newcomer@example.org", display_name="Sophea Lim")
    MembershipFactory(user=user, cohort=cohort_a, role=MembershipRole.PARTICIPANT, joined_at=timezone.now())
    return user


def test_a_new_member_posting_twice_within_the_interval_is_refused_with_the_text_kept(login, newcomer, thread_a):
    client = login(newcomer)
    assert client.post(reply_url(thread_a), {"text": "Hello from the Kandal factory."}).status_code == 302
    response = client.post(reply_url(thread_a), {"text": "And a second thought right away."})
    assert response.status_code == 400
    content = response.content.decode()
    assert "In your first day here, posts are at least a little apart" in content
    assert "And a second thought right away.</textarea>" in content
    assert thread_a.posts.filter(author=newcomer).count() == 1


def test_a_new_members_post_with_too_many_links_is_refused(login, newcomer, thread_a):
    text = "See https://a.example.org/1 and https://b.example.org/2 and https://c.example.org/3"
    response = login(newcomer).post(reply_url(thread_a), {"text": text})
    assert response.status_code == 400
    assert "In your first day here a post may hold at most 2 links; this one has 3." in response.content.decode()
    assert not thread_a.posts.filter(author=newcomer).exists()


def test_the_limits_a_facilitator_sets_are_the_ones_applied(login, facilitator, newcomer, thread_a, space_a):
    moderation.limits_change(actor=facilitator, space=space_a, hours=24, post_interval=0, max_links=5)
    client = login(newcomer)
    text = "See https://a.example.org/1 and https://b.example.org/2 and https://c.example.org/3"
    assert client.post(reply_url(thread_a), {"text": text}).status_code == 302
    assert client.post(reply_url(thread_a), {"text": "Straight after."}).status_code == 302


# ------------------------------------------------------------------------------
# Edit history
# ------------------------------------------------------------------------------
def test_facilitators_read_a_posts_edit_history_and_the_reading_is_logged(
    login, facilitator, union_official, anonymous_thread
):
    post = opening(anonymous_thread)
    services.post_edit(editor=union_official, post=post, text="Some workers say wages are late.")
    url = reverse("forum_post_history", kwargs={"post_id": post.pk})
    response = login(facilitator).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "part of their wages is being held back" in content
    assert "Some workers say wages are late." in content
    assert "Chenda Sok" in content
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.post, entry.actor) == (ModerationAction.REVISIONS_READ, post, facilitator)
    assert url in login(facilitator).get(thread_url(anonymous_thread)).content.decode()


def test_members_cannot_read_an_edit_history(login, union_official, brand_staff, anonymous_thread):
    post = opening(anonymous_thread)
    services.post_edit(editor=union_official, post=post, text="Edited.")
    url = reverse("forum_post_history", kwargs={"post_id": post.pk})
    assert login(brand_staff).get(url).status_code == 403
    assert login(union_official).get(url).status_code == 403
    assert ModerationLogEntry.objects.count() == 0


# ------------------------------------------------------------------------------
# Categories
# ------------------------------------------------------------------------------
def test_facilitators_add_an_anonymous_category_and_it_is_logged(login, facilitator, space_a):
    response = login(facilitator).post(
        reverse("forum_category_add", kwargs={"space_id": space_a.pk}),
        {"title": "Harassment reports", "description": "Speak without your name.", "identity": "anonymous"},
    )
    assert response.status_code == 302
    category = space_a.categories.get(title="Harassment reports")
    assert category.is_anonymous
    assert response.url == category.get_absolute_url()
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.note) == (ModerationAction.CATEGORY_ADD, "Harassment reports")


def test_a_category_title_already_taken_is_refused_with_the_text_kept(login, facilitator, space_a, named_category):
    response = login(facilitator).post(
        reverse("forum_category_add", kwargs={"space_id": space_a.pk}),
        {"title": named_category.title.upper(), "description": "A fresh description", "identity": "named"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert str(services.CATEGORY_TITLE_TAKEN) in content
    assert "A fresh description" in content
    assert ModerationLogEntry.objects.count() == 0


# ------------------------------------------------------------------------------
# Who may moderate
# ------------------------------------------------------------------------------
def _forgeries(thread, post, space, suspension) -> list[tuple[str, dict, dict]]:
    return [
        ("forum_post_hide", {"post_id": post.pk}, {}),
        ("forum_post_restore", {"post_id": post.pk}, {}),
        ("forum_flags_dismiss", {"post_id": post.pk}, {}),
        ("forum_thread_lock", {"thread_id": thread.pk}, {"locked": "1"}),
        ("forum_thread_pin", {"thread_id": thread.pk}, {"pinned": "1"}),
        ("forum_thread_hide", {"thread_id": thread.pk}, {"hidden": "1"}),
        ("forum_thread_move", {"thread_id": thread.pk}, {"category": space.categories.last().pk}),
        (
            "forum_suspensions",
            {"space_id": space.pk},
            {"member": suspension.user_id, "amount": 9, "unit": "days", "reason": "forged"},
        ),
        ("forum_suspension_lift", {"space_id": space.pk, "suspension_id": suspension.pk}, {}),
        (
            "forum_moderation_limits",
            {"space_id": space.pk},
            {"new_member_hours": 0, "new_member_post_interval": 0, "new_member_max_links": 99},
        ),
        ("forum_category_add", {"space_id": space.pk}, {"title": "Forged", "identity": "named"}),
    ]


def _state(space) -> dict:
    return {
        "threads": list(Thread.objects.values("category_id", "is_locked", "is_pinned", "is_hidden").order_by("pk")),
        "posts": list(Post.objects.values("hidden_at").order_by("pk")),
        "flags": list(Flag.objects.values("resolved_at").order_by("pk")),
        "suspensions": list(Suspension.objects.values("until", "lifted_at").order_by("pk")),
        "limits": Space.objects.filter(pk=space.pk).values("new_member_hours", "new_member_max_links").get(),
        "categories": Category.objects.count(),
        "log": ModerationLogEntry.objects.count(),
    }


@pytest.fixture
def moderation_world(facilitator, brand_staff, union_official, thread_a, space_a):
    post = opening(thread_a)
    moderation.flag_create(reporter=brand_staff, post=post, reason=FlagReason.SPAM)
    suspension = moderation.member_suspend(
        actor=facilitator, space=space_a, member=union_official, hours=5, reason="Cooling off"
    )
    return _forgeries(thread_a, post, space_a, suspension)


@pytest.mark.parametrize("index", range(11))
def test_a_participant_forging_a_moderation_post_gets_403_and_nothing_changes(
    login, inspector, moderation_world, space_a, index
):
    name, kwargs, data = moderation_world[index]
    before = _state(space_a)
    response = login(inspector).post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 403, name
    assert _state(space_a) == before


@pytest.mark.parametrize("index", range(11))
def test_a_facilitator_of_another_cohort_gets_404_and_nothing_changes(
    login, facilitator_b, moderation_world, space_a, index
):
    name, kwargs, data = moderation_world[index]
    before = _state(space_a)
    response = login(facilitator_b).post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 404, name
    assert _state(space_a) == before


def test_a_facilitator_of_another_cohort_gets_404_for_the_moderation_pages(login, facilitator_b, space_a, thread_a):
    client = login(facilitator_b)
    for name in [
        "forum_moderation_queue",
        "forum_moderation_log",
        "forum_suspensions",
        "forum_moderation_limits",
        "forum_category_add",
    ]:
        assert client.get(reverse(name, kwargs={"space_id": space_a.pk})).status_code == 404, name
    assert client.get(reverse("forum_thread_move", kwargs={"thread_id": thread_a.pk})).status_code == 404
    assert client.get(reverse("forum_post_history", kwargs={"post_id": opening(thread_a).pk})).status_code == 404


def test_the_commons_is_moderated_by_the_facilitators_of_any_of_the_programmes_cohorts(
    login, facilitator_b, inspector, commons
):
    thread = services.thread_create(
        author=inspector, category=commons.categories.first(), title="Inspection checklists", text="Which do you use?"
    )
    queue = reverse("forum_moderation_queue", kwargs={"space_id": commons.pk})
    assert login(inspector).get(queue).status_code == 403
    assert login(facilitator_b).get(queue).status_code == 200
    lock = reverse("forum_thread_lock", kwargs={"thread_id": thread.pk})
    assert login(facilitator_b).post(lock, {"locked": "1"}).status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked
    assert ModerationLogEntry.objects.get().space == commons


def test_in_the_commons_a_facilitator_of_one_cohort_cannot_be_suspended_by_another(facilitator, facilitator_b, commons):
    with pytest.raises(ValidationError) as refused:
        moderation.member_suspend(actor=facilitator_b, space=commons, member=facilitator, hours=1, reason="x")
    assert refused.value.message_dict["member"] == [str(moderation.SUSPEND_MODERATOR)]


def test_a_categorys_thread_count_leaves_out_hidden_threads_even_when_they_move(facilitator, thread_a, space_a):
    category = thread_a.category

    def count(pk):
        return Category.objects.get(pk=pk).thread_count

    assert count(category.pk) == 1
    moderation.thread_hide(actor=facilitator, thread=thread_a, hidden=True)
    moderation.thread_hide(actor=facilitator, thread=thread_a, hidden=True)  # twice: counted once
    assert count(category.pk) == 0
    other = space_a.categories.exclude(pk=category.pk).filter(identity="named").first()
    moderation.thread_move(actor=facilitator, thread=thread_a, category=other)
    assert (count(category.pk), count(other.pk)) == (0, 0)
    moderation.thread_hide(actor=facilitator, thread=thread_a, hidden=False)
    assert count(other.pk) == 1
