"""The demo forums: written through the services, safe to seed twice, and showing what
the forums do (anonymous posts, flags waiting, an accepted answer, unread marks)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import demo as academy_demo
from forums import demo
from forums.choices import IdentityMode, NotificationKind, SpaceKind
from forums.models import (
    Category,
    Flag,
    Notification,
    Post,
    Reaction,
    Space,
    Subscription,
    Thread,
    ThreadReadState,
)
from roundtables import demo as roundtables_demo
from roundtables.models import RoundtableSession
from tests.factories import give_totp

COUNTED = [Space, Category, Thread, Post, Reaction, Flag, Notification, Subscription, ThreadReadState]


@pytest.fixture
def seeded(db):
    academy_demo.seed()
    roundtables_demo.seed()
    return demo.seed()


def counts() -> list[int]:
    return [model.objects.count() for model in COUNTED]


def test_seeding_the_forums_twice_changes_nothing_and_reports_the_same_summary(seeded):
    before = counts()
    states = sorted(ThreadReadState.objects.values_list("user_id", "thread_id", "last_read_number"))
    assert demo.seed() == seeded
    assert counts() == before
    assert sorted(ThreadReadState.objects.values_list("user_id", "thread_id", "last_read_number")) == states
    assert seeded["forum threads"] == len(demo.THREADS)
    assert seeded["forum flags waiting"] >= 3


def test_the_demo_has_a_cambodia_forum_and_the_building_bridges_commons(seeded):
    cambodia = Space.objects.get(cohort__slug=demo.KH)
    commons = Space.objects.get(kind=SpaceKind.COMMONS, programme__slug=demo.PROGRAMME)
    assert Thread.objects.filter(space=cambodia).count() >= 6
    assert Thread.objects.filter(space=commons).count() >= 3
    assert not Post.objects.filter(text__icontains="lorem").exists()


def test_the_anonymous_thread_is_anonymous_to_peers_and_known_to_the_facilitator(client, seeded):
    from academy.models import User

    thread = Thread.objects.get(title="Wages held back after a walkout")
    assert thread.category.identity == IdentityMode.ANONYMOUS
    assert thread.posts.count() >= 4 and not thread.posts.filter(anonymous=False).exists()
    author = User.objects.get(email=demo.CHENDA)
    client.force_login(User.objects.get(email=demo.VANNAK))
    page = client.get(reverse("forum_thread", args=[thread.pk]) + "?page=1").content.decode()
    assert "Anonymous member" in page and author.display_name not in page
    facilitator = User.objects.get(email=demo.FACILITATOR)
    give_totp(facilitator)  # facilitators sign in with two factors
    client.force_login(facilitator)
    page = client.get(reverse("forum_thread", args=[thread.pk]) + "?page=1").content.decode()
    assert author.display_name in page


def test_flags_wait_in_the_cambodia_moderation_queue(seeded):
    waiting = Flag.objects.filter(resolved_at__isnull=True)
    assert waiting.filter(space__cohort__slug=demo.KH).count() >= 3
    assert waiting.filter(space__kind=SpaceKind.COMMONS).exists()


def test_the_demo_shows_an_accepted_answer_quotes_mentions_and_helpful_marks(seeded):
    question = Thread.objects.get(title__startswith="How could a follow-up visit")
    assert question.is_question and question.accepted_post.author.email == demo.VANNAK
    assert Post.objects.filter(quoted__isnull=False).count() >= 5
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() >= 3
    assert Post.objects.filter(html__contains='class="mention"').exists()
    assert Reaction.objects.count() >= 30


def test_the_follow_up_thread_is_linked_to_the_demo_roundtable(seeded):
    session = RoundtableSession.objects.get(title=demo.PAST_ROUNDTABLE_TITLE)
    assert Thread.objects.filter(roundtable_session_id=session.pk).count() == 1


def test_the_demo_reads_like_weeks_of_activity_with_unread_marks(client, seeded):
    from academy.models import User

    oldest = Post.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timedelta(days=28)
    assert not Post.objects.filter(created_at__gt=timezone.now() - timedelta(days=1)).exists()
    inspector = User.objects.get(email=demo.VANNAK)
    picc = Thread.objects.get(title__startswith="Our PICC")
    assert ThreadReadState.objects.get(user=inspector, thread=picc).last_read_number == 4
    client.force_login(inspector)
    listing = client.get(picc.category.get_absolute_url()).context["listing"]
    assert {row.thread.pk: row.unread for row in listing.rows}[picc.pk] == 2
