"""forums.services: threads, replies, edits, deletions, reactions, answers, reading state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums import services
from forums.choices import ThreadKind
from forums.models import Post, PostRevision, Subscription, Thread, ThreadReadState


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def test_a_thread_opens_with_post_number_one_and_its_author_follows_it(thread_a, inspector):
    post = thread_a.posts.get()
    assert post.number == 1 and thread_a.last_number == 1 and thread_a.reply_count == 0
    assert Subscription.objects.filter(user=inspector, thread=thread_a).exists()
    assert ThreadReadState.objects.get(user=inspector, thread=thread_a).last_read_number == 1
    assert thread_a.category.__class__.objects.get(pk=thread_a.category_id).thread_count == 1


def test_replies_are_numbered_in_order_and_counted(thread_a, union_official, factory_manager):
    first = services.post_reply(author=union_official, thread=thread_a, text="We moved the cartons to a marked zone.")
    second = services.post_reply(author=factory_manager, thread=thread_a, text="A daily walk-through helped us.")
    thread_a.refresh_from_db()
    assert (first.number, second.number) == (2, 3)
    assert (thread_a.last_number, thread_a.reply_count) == (3, 2)


def test_a_post_in_an_anonymous_category_is_marked_anonymous(anonymous_thread, inspector):
    assert anonymous_thread.anonymous
    reply = services.post_reply(author=inspector, thread=anonymous_thread, text="Has this been raised at the PICC?")
    assert reply.anonymous


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_post_is_refused(thread_a, union_official, text):
    with pytest.raises(ValidationError) as error:
        services.post_reply(author=union_official, thread=thread_a, text=text)
    assert error.value.message_dict == {"text": [str(services.POST_EMPTY)]}


def test_a_post_over_twenty_thousand_characters_is_refused(thread_a, union_official):
    with pytest.raises(ValidationError) as error:
        services.post_reply(author=union_official, thread=thread_a, text="x" * 20_001)
    assert "20000" in error.value.message_dict["text"][0]
    assert thread_a.posts.count() == 1


def test_a_thread_needs_a_title_and_text(named_category, inspector):
    with pytest.raises(ValidationError) as error:
        services.thread_create(author=inspector, category=named_category, title=" ", text="")
    assert set(error.value.message_dict) == {"title", "text"}
    assert not Thread.objects.exists()


def test_a_locked_thread_takes_no_replies_but_its_facilitators_can_still_write(thread_a, union_official, facilitator):
    Thread.objects.filter(pk=thread_a.pk).update(is_locked=True)
    with pytest.raises(ValidationError) as error:
        services.post_reply(author=union_official, thread=thread_a, text="One more thing")
    assert messages_of(error.value) == [str(services.THREAD_LOCKED)]
    services.post_reply(author=facilitator, thread=thread_a, text="Closing this: see the new thread.")


def test_observers_read_but_do_not_post(thread_a, observer):
    with pytest.raises(ValidationError) as error:
        services.post_reply(author=observer, thread=thread_a, text="I agree")
    assert messages_of(error.value) == [str(services.MAY_NOT_WRITE)]


def test_editing_keeps_the_earlier_text_and_marks_the_post_edited(thread_a, inspector):
    post = thread_a.posts.get()
    services.post_edit(editor=inspector, post=post, text="Cartons were back within **three days**.", title="Exit B")
    post.refresh_from_db()
    thread_a.refresh_from_db()
    assert post.edited_at is not None
    assert "<strong>three days</strong>" in post.html
    assert thread_a.title == "Exit B"
    revision = PostRevision.objects.get(post=post)
    assert "within a week" in revision.source and revision.title == "Fire exits blocked by finished goods"


def test_only_the_author_edits_or_deletes_a_post(thread_a, union_official):
    post = thread_a.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(editor=union_official, post=post, text="changed")
    with pytest.raises(PermissionDenied):
        services.post_delete(user=union_official, post=post)


def test_deleting_is_soft_and_the_post_keeps_its_place(thread_a, union_official):
    reply = services.post_reply(author=union_official, thread=thread_a, text="Wrong thread, sorry")
    services.post_delete(user=union_official, post=reply)
    reply.refresh_from_db()
    assert reply.deleted_at is not None and reply.number == 2 and not reply.is_visible
    with pytest.raises(ValidationError):
        services.post_edit(editor=union_official, post=reply, text="back")


def test_helpful_toggles_once_per_person_and_never_on_ones_own_post(thread_a, inspector, union_official):
    post = thread_a.posts.get()
    assert services.reaction_toggle(user=union_official, post=post) is True
    assert Post.objects.get(pk=post.pk).helpful_count == 1
    assert services.reaction_toggle(user=union_official, post=post) is False
    assert Post.objects.get(pk=post.pk).helpful_count == 0
    with pytest.raises(ValidationError) as error:
        services.reaction_toggle(user=inspector, post=post)
    assert messages_of(error.value) == [str(services.REACTION_OWN_POST)]


def test_the_asker_accepts_an_answer_and_can_take_it_back(named_category, inspector, union_official, brand_staff):
    question = services.thread_create(
        author=inspector,
        category=named_category,
        title="Who signs off a fire drill?",
        text="?",
        kind=ThreadKind.QUESTION,
    )
    answer = services.post_reply(author=union_official, thread=question, text="The OSH committee chair.")
    with pytest.raises(ValidationError) as error:
        services.answer_accept(user=brand_staff, post=answer)
    assert messages_of(error.value) == [str(services.ANSWER_OWN_THREAD_ONLY)]
    with pytest.raises(ValidationError):
        services.answer_accept(user=inspector, post=question.posts.get(number=1))
    assert services.answer_accept(user=inspector, post=answer).accepted_post_id == answer.pk
    assert services.answer_accept(user=inspector, post=answer).accepted_post_id is None


def test_a_discussion_has_no_accepted_answer(thread_a, inspector, union_official):
    reply = services.post_reply(author=union_official, thread=thread_a, text="Marked zones.")
    with pytest.raises(ValidationError) as error:
        services.answer_accept(user=inspector, post=reply)
    assert messages_of(error.value) == [str(services.ANSWER_NOT_A_QUESTION)]


def test_reading_state_only_moves_forward(thread_a, union_official):
    services.post_reply(author=union_official, thread=thread_a, text="a")
    services.thread_mark_read(user=union_official, thread=thread_a, up_to=1)
    assert ThreadReadState.objects.get(user=union_official, thread=thread_a).last_read_number == 2
    thread_a.refresh_from_db()
    services.thread_mark_read(user=union_official, thread=thread_a, up_to=99)
    assert ThreadReadState.objects.get(user=union_official, thread=thread_a).last_read_number == 2


def test_spaces_are_made_once_for_the_persons_cohorts_and_programme(inspector, cohort_a):
    services.spaces_ensure_for(user=inspector)
    services.spaces_ensure_for(user=inspector)
    from forums.models import Space

    assert Space.objects.filter(cohort=cohort_a).count() == 1
    assert Space.objects.filter(kind="commons", programme=cohort_a.programme).count() == 1
    space = Space.objects.get(cohort=cohort_a)
    assert space.categories.filter(identity="anonymous").count() == 1
