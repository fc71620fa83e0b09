"""Links into the forums: a lesson's discussion prompt opens (or starts) its thread in the
learner's cohort forum; a roundtable's record starts follow-up threads; the cohort page
leads to the cohort's forum."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from academy.choices import MembershipRole
from forums import links, services
from forums.choices import IdentityMode
from forums.models import Post, Space, Suspension, Thread
from roundtables.choices import PrivacyMode
from roundtables.models import ActionPoint
from tests.factories import CohortFactory, MembershipFactory, RoundtableSessionFactory, assign_course, course_tree

PROMPT = "When did your safety committee last walk the exits together?\nWhat did you find?"


@pytest.fixture
def lesson(cohort_a):
    course, lessons = course_tree(
        title="OSH Leadership",
        body=[("text", "<p>Exits stay clear only if someone checks.</p>"), ("discussion", {"prompt": PROMPT})],
    )
    assign_course(cohort_a, course)
    return lessons[0]


@pytest.fixture
def block_id(lesson):
    return lesson.body[1].id


def prompt_url(lesson, block_id) -> str:
    return reverse("forum_lesson_prompt", kwargs={"lesson_id": lesson.pk, "block_id": block_id})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ------------------------------------------------------------------------------
# A lesson's discussion prompt
# ------------------------------------------------------------------------------
def test_the_lesson_shows_a_button_to_discuss_the_prompt_in_the_cohort_forum(client, inspector, lesson, block_id):
    client.force_login(inspector)
    page = client.get(lesson.url).content.decode()
    assert "Discuss in your cohort&#x27;s forum" in page or "Discuss in your cohort's forum" in page
    assert f'action="{prompt_url(lesson, block_id)}"' in page


def test_the_first_learner_to_open_a_prompt_starts_its_thread_in_the_first_named_category(
    client, inspector, cohort_a, lesson, block_id
):
    client.force_login(inspector)
    response = client.post(prompt_url(lesson, block_id))
    thread = Thread.objects.get(lesson_page_id=lesson.pk, lesson_block_id=block_id)
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    space = Space.objects.get(cohort=cohort_a)
    assert thread.space == space
    assert thread.category == space.categories.filter(identity=IdentityMode.NAMED).order_by("position").first()
    assert thread.author == inspector and not thread.anonymous
    assert thread.title.startswith("Lesson 1.1: When did your safety committee")
    opening = thread.posts.get()
    assert f'href="{lesson.url}"' in opening.html
    assert "<blockquote>" in opening.html and "What did you find?" in opening.html


def test_everyone_after_the_first_opens_the_same_thread(client, inspector, union_official, lesson, block_id):
    client.force_login(inspector)
    first = client.post(prompt_url(lesson, block_id)).url
    client.force_login(union_official)
    assert client.post(prompt_url(lesson, block_id)).url == first
    assert client.get(prompt_url(lesson, block_id)).url == first
    assert Thread.objects.filter(lesson_page_id=lesson.pk).count() == 1


def test_opening_a_prompt_by_get_changes_nothing_and_offers_to_start_it(client, inspector, lesson, block_id):
    client.force_login(inspector)
    response = client.get(prompt_url(lesson, block_id))
    assert response.status_code == 200
    assert "Start the discussion" in response.content.decode()
    assert 'data-identity="named"' in response.content.decode()
    assert not Thread.objects.exists()


def test_two_learners_starting_a_prompt_at_once_get_one_thread(inspector, union_official, cohort_a, lesson, block_id):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    args = {
        "space": space,
        "lesson_id": lesson.pk,
        "lesson_title": lesson.title,
        "lesson_url": lesson.url,
        "block_id": block_id,
        "prompt": PROMPT,
    }
    first, created = links.prompt_thread_open(user=inspector, **args)
    assert created
    # The second request looked before the first one's insert was visible to it.
    original = links.prompt_thread
    calls = []

    def not_yet(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else original(**kwargs)

    links.prompt_thread, saved = not_yet, links.prompt_thread
    try:
        second, created = links.prompt_thread_open(user=union_official, **args)
    finally:
        links.prompt_thread = saved
    assert (second, created) == (first, False)
    assert Thread.objects.count() == 1 and Post.objects.count() == 1


def test_the_database_refuses_a_second_thread_for_the_same_prompt_in_a_space(inspector, cohort_a, lesson, block_id):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    category = links.first_named_category(space)
    services.thread_create(
        author=inspector, category=category, title="One", text="x", lesson_page_id=lesson.pk, lesson_block_id=block_id
    )
    with pytest.raises(IntegrityError):
        services.thread_create(
            author=inspector,
            category=category,
            title="Two",
            text="y",
            lesson_page_id=lesson.pk,
            lesson_block_id=block_id,
        )


def test_someone_who_may_not_open_the_lesson_gets_404(client, participant_b, outsider, lesson, block_id):
    for person in (participant_b, outsider):
        client.force_login(person)
        assert client.get(prompt_url(lesson, block_id)).status_code == 404
        assert client.post(prompt_url(lesson, block_id)).status_code == 404
    assert not Thread.objects.exists()


def test_a_block_that_is_not_a_discussion_prompt_is_404(client, inspector, lesson):
    client.force_login(inspector)
    assert client.post(prompt_url(lesson, lesson.body[0].id)).status_code == 404
    assert client.post(prompt_url(lesson, "no-such-block")).status_code == 404


def test_a_learner_in_two_cohorts_of_the_course_discusses_in_the_first_unless_they_choose(
    client, inspector, cohort_a, programme, lesson, block_id
):
    other = CohortFactory(programme=programme, name="Building Bridges Cambodia, second intake", slug="bb-kh-2")
    assign_course(other, lesson.get_parent().get_parent().specific)
    MembershipFactory(user=inspector, cohort=other)
    first, second = sorted([cohort_a, other], key=lambda cohort: cohort.pk)
    client.force_login(inspector)
    page = client.get(prompt_url(lesson, block_id)).content.decode()
    assert f"?cohort={second.pk}" in page
    client.post(prompt_url(lesson, block_id))
    assert Thread.objects.get().space.cohort == first
    client.post(prompt_url(lesson, block_id), {"cohort": second.pk})
    assert sorted(thread.space.cohort_id for thread in Thread.objects.all()) == [first.pk, second.pk]


def test_an_observer_may_not_start_a_prompts_thread_but_opens_it_once_started(
    client, observer, inspector, lesson, block_id
):
    client.force_login(observer)
    response = client.post(prompt_url(lesson, block_id))
    assert response.status_code == 403
    assert str(services.MAY_NOT_WRITE) in response.content.decode()
    assert str(links.PROMPT_NOT_STARTED) in client.get(prompt_url(lesson, block_id)).content.decode()
    assert not Thread.objects.exists()
    client.force_login(inspector)
    url = client.post(prompt_url(lesson, block_id)).url
    client.force_login(observer)
    assert client.post(prompt_url(lesson, block_id)).url == url


def test_a_trainer_outside_the_cohorts_is_sent_back_to_the_lesson_with_a_message(client, trainer, lesson, block_id):
    client.force_login(trainer)
    response = client.post(prompt_url(lesson, block_id))
    assert response.status_code == 302 and response.url == lesson.url
    assert messages_of(response) == [str(links.NO_COHORT_FORUM)]
    assert not Thread.objects.exists()


def test_a_hidden_prompt_thread_is_closed_to_members_and_opens_for_the_facilitator(
    client, inspector, union_official, facilitator, lesson, block_id
):
    client.force_login(inspector)
    url = client.post(prompt_url(lesson, block_id)).url
    Thread.objects.update(is_hidden=True)
    client.force_login(union_official)
    response = client.post(prompt_url(lesson, block_id))
    assert response.url == lesson.url
    assert messages_of(response) == [str(links.PROMPT_THREAD_CLOSED)]
    client.force_login(facilitator)
    assert client.post(prompt_url(lesson, block_id)).url == url
    assert Thread.objects.count() == 1


def test_a_suspended_learner_is_told_why_the_thread_was_not_started(
    client, inspector, facilitator, cohort_a, lesson, block_id
):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    Suspension.objects.create(
        space=space, user=inspector, until=timezone.now() + timedelta(days=1), reason="x", created_by=facilitator
    )
    client.force_login(inspector)
    response = client.post(prompt_url(lesson, block_id))
    assert response.status_code == 400
    assert "suspended from posting" in response.content.decode()
    assert not Thread.objects.exists()


# ------------------------------------------------------------------------------
# A roundtable's follow-up threads
# ------------------------------------------------------------------------------
@pytest.fixture
def ended_session(cohort_a, facilitator, factory_manager, union_official):
    now = timezone.now()
    session = RoundtableSessionFactory(
        cohort=cohort_a,
        title="Opening roundtable: overtime in the peak season",
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
        privacy=PrivacyMode.CHATHAM_HOUSE,
    )
    session.ended_at = now - timedelta(days=2)
    session.save(update_fields=["ended_at"])
    ActionPoint.objects.create(
        session=session,
        text="Post the overtime register on the canteen notice board",
        owner=factory_manager,
        due_date=date(2027, 1, 15),
    )
    ActionPoint.objects.create(session=session, text="Share a template register with the cohort")
    return session


def followup_url(session) -> str:
    return reverse("forum_roundtable_followup", kwargs={"session_id": session.pk})


def record_url(session) -> str:
    return reverse("roundtable_record", kwargs={"session_id": session.pk})


def test_the_record_offers_members_who_write_a_follow_up_thread(client, inspector, observer, ended_session):
    client.force_login(inspector)
    page = client.get(record_url(ended_session)).content.decode()
    assert "Start a follow-up thread" in page and followup_url(ended_session) in page
    client.force_login(observer)
    page = client.get(record_url(ended_session)).content.decode()
    assert "Start a follow-up thread" not in page


def test_the_follow_up_form_is_prefilled_with_the_title_and_the_action_points_and_their_owners(
    client, inspector, union_official, ended_session
):
    client.force_login(inspector)
    response = client.get(followup_url(ended_session))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Follow-up: Opening roundtable: overtime in the peak season"
    text = form.initial["text"]
    assert "- Post the overtime register on the canteen notice board (Rithy Pich, due 15 Jan 2027)" in text
    assert "- Share a template register with the cohort (no owner)" in text
    assert record_url(ended_session) in text
    # Chatham House: nobody but the owners of action points is named.
    assert union_official.display_name not in text and inspector.display_name not in text


def test_posting_the_follow_up_starts_a_thread_linked_to_the_session_and_the_record_lists_it(
    client, inspector, observer, cohort_a, ended_session
):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    category = space.categories.order_by("position")[1]
    client.force_login(inspector)
    response = client.post(
        followup_url(ended_session),
        {"title": "Overtime register: one month on", "category": category.pk, "text": "Where are we with it?"},
    )
    thread = Thread.objects.get(roundtable_session_id=ended_session.pk)
    assert response.url == thread.get_absolute_url()
    assert thread.category == category and thread.author == inspector
    client.force_login(observer)
    assert "Overtime register: one month on" in client.get(record_url(ended_session)).content.decode()
    client.force_login(inspector)
    assert "Overtime register: one month on" in client.get(followup_url(ended_session)).content.decode()


def test_a_refused_follow_up_keeps_what_was_typed(client, inspector, cohort_a, ended_session):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    client.force_login(inspector)
    response = client.post(
        followup_url(ended_session),
        {"title": "   ", "category": links.first_named_category(space).pk, "text": "Our register is up since Monday."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert str(services.TITLE_EMPTY) in page and "Our register is up since Monday." in page
    assert not Thread.objects.exists()


def test_a_follow_up_cannot_be_put_in_another_forums_category(client, inspector, cohort_b, ended_session):
    elsewhere = links.cohort_space(cohort_id=cohort_b.pk).categories.first()
    client.force_login(inspector)
    response = client.post(followup_url(ended_session), {"title": "x", "category": elsewhere.pk, "text": "y"})
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_follow_ups_open_only_after_the_session_has_ended(client, inspector, cohort_a):
    session = RoundtableSessionFactory(cohort=cohort_a)
    client.force_login(inspector)
    response = client.get(followup_url(session))
    assert response.url == session.get_absolute_url()
    assert messages_of(response) == [str(links.FOLLOWUP_NOT_YET)]
    response = client.post(followup_url(session), {"title": "x", "text": "y"})
    assert response.status_code == 302
    assert not Thread.objects.exists()


def test_an_observer_gets_403_and_another_cohort_404_for_follow_ups(
    client, observer, participant_b, trainer, ended_session
):
    client.force_login(observer)
    assert client.get(followup_url(ended_session)).status_code == 403
    for person in (participant_b, trainer):
        client.force_login(person)
        assert client.get(followup_url(ended_session)).status_code == 404


def test_a_hidden_follow_up_is_listed_only_for_the_facilitator(
    client, inspector, union_official, facilitator, cohort_a, ended_session
):
    space = links.cohort_space(cohort_id=cohort_a.pk)
    thread = services.thread_create(
        author=inspector,
        category=links.first_named_category(space),
        title="A follow-up that went wrong",
        text="x",
        roundtable_session_id=ended_session.pk,
    )
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    client.force_login(union_official)
    assert "A follow-up that went wrong" not in client.get(record_url(ended_session)).content.decode()
    client.force_login(facilitator)
    assert "A follow-up that went wrong" in client.get(record_url(ended_session)).content.decode()


# ------------------------------------------------------------------------------
# The cohort page
# ------------------------------------------------------------------------------
def test_the_cohort_page_links_to_the_cohorts_forum(client, inspector, cohort_a):
    client.force_login(inspector)
    page = client.get(reverse("cohort_detail", kwargs={"slug": cohort_a.slug})).content.decode()
    url = reverse("forum_cohort", kwargs={"slug": cohort_a.slug})
    assert url in page
    response = client.get(url)
    assert response.url == Space.objects.get(cohort=cohort_a).get_absolute_url()


def test_another_cohorts_forum_address_is_404(client, participant_b, cohort_a):
    client.force_login(participant_b)
    assert client.get(reverse("forum_cohort", kwargs={"slug": cohort_a.slug})).status_code == 404
    assert not Space.objects.filter(cohort=cohort_a).exists()


def test_a_member_who_joined_as_observer_reaches_the_forum_too(client, cohort_a):
    from tests.factories import UserFactory

    person = UserFactory()
    MembershipFactory(user=person, cohort=cohort_a, role=MembershipRole.OBSERVER)
    client.force_login(person)
    assert client.get(reverse("forum_cohort", kwargs={"slug": cohort_a.slug})).status_code == 302
