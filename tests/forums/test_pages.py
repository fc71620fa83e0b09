"""The forum pages as readers and writers meet them: who sees what, where a thread opens,
and that a refused post keeps what was typed."""

import pytest
from django.urls import reverse

from forums import selectors, services
from forums.models import Post, Thread


def test_the_forums_home_lists_the_cohort_forum_and_the_commons(client, inspector, cohort_a):
    client.force_login(inspector)
    response = client.get(reverse("forums_home"))
    assert response.status_code == 200
    titles = [summary.space.title for summary in response.context["spaces"]]
    assert cohort_a.name in titles
    assert any("commons" in title for title in titles)


def test_another_cohorts_forum_category_thread_and_post_are_404(client, participant_b, thread_a):
    client.force_login(participant_b)
    post = thread_a.posts.get()
    for url in (
        reverse("forum_space", args=[thread_a.space_id]),
        reverse("forum_category", args=[thread_a.category_id]),
        reverse("forum_thread", args=[thread_a.pk]),
        reverse("forum_post", args=[post.pk]),
        reverse("forum_post_edit", args=[post.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("forum_reply", args=[thread_a.pk]), {"text": "hello"}).status_code == 404
    assert thread_a.posts.count() == 1


def test_the_commons_is_shared_by_every_cohort_of_the_programme(client, commons, inspector, participant_b):
    category = commons.categories.order_by("position").first()
    thread = services.thread_create(author=inspector, category=category, title="Peak season", text="Overtime caps?")
    client.force_login(participant_b)
    assert client.get(reverse("forum_thread", args=[thread.pk])).status_code == 200
    services.post_reply(author=participant_b, thread=thread, text="In Binh Duong we plan orders earlier.")


def test_peers_never_see_an_anonymous_author_but_the_facilitator_and_the_author_do(
    client, anonymous_thread, inspector, facilitator, union_official
):
    client.force_login(inspector)
    for url in (reverse("forum_thread", args=[anonymous_thread.pk]), anonymous_thread.category.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Anonymous member" in page
        assert union_official.display_name not in page
        assert "Federation of Apparel Workers" not in page
    client.force_login(facilitator)
    page = client.get(reverse("forum_thread", args=[anonymous_thread.pk])).content.decode()
    assert union_official.display_name in page and "anonymous to peers" in page
    client.force_login(union_official)
    page = client.get(reverse("forum_thread", args=[anonymous_thread.pk])).content.decode()
    assert union_official.display_name in page


def test_a_quote_of_an_anonymous_post_names_nobody_even_when_a_facilitator_quotes(
    client, anonymous_thread, facilitator, union_official
):
    client.force_login(facilitator)
    post = anonymous_thread.posts.get()
    response = client.get(reverse("forum_reply", args=[anonymous_thread.pk]) + f"?quote={post.pk}")
    text = response.context["form"].initial["text"]
    assert text.startswith("> **Anonymous member:**")
    assert union_official.display_name not in text


def test_the_compose_form_says_which_identity_applies(client, inspector, named_category, anonymous_category):
    client.force_login(inspector)
    named = client.get(reverse("forum_thread_new", args=[named_category.pk])).content.decode()
    anonymous = client.get(reverse("forum_thread_new", args=[anonymous_category.pk])).content.decode()
    assert 'data-identity="named"' in named
    assert 'data-identity="anonymous"' in anonymous and "Anonymous to peers" in anonymous


def test_a_refused_reply_is_shown_again_with_the_message_and_the_text_kept(client, thread_a, union_official):
    Thread.objects.filter(pk=thread_a.pk).update(is_locked=True)
    client.force_login(union_official)
    typed = "The cartons are back in front of exit B, I have photos from Tuesday."
    response = client.post(reverse("forum_reply", args=[thread_a.pk]), {"text": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert str(services.THREAD_LOCKED) in page
    assert typed in page


def test_an_overlong_thread_is_refused_and_everything_typed_is_kept(client, inspector, named_category):
    client.force_login(inspector)
    typed = "Exit B " * 3000
    response = client.post(
        reverse("forum_thread_new", args=[named_category.pk]), {"title": "Exits", "kind": "discussion", "text": typed}
    )
    assert response.status_code == 400
    assert response.context["form"]["text"].value() == typed
    assert response.context["form"]["title"].value() == "Exits"
    assert "20000" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_thread_opens_at_the_first_unread_reply(client, thread_a, inspector, union_official, settings):
    client.force_login(union_official)
    client.get(reverse("forum_thread", args=[thread_a.pk]))  # read up to #1
    for number in range(25):
        services.post_reply(author=inspector, thread=thread_a, text=f"Update {number}")
    response = client.get(reverse("forum_thread", args=[thread_a.pk]))
    assert response.status_code == 302
    assert response.url.endswith("?page=1#post-2")
    page = client.get(response.url)
    assert page.context["listing"].first_new_number == 2
    assert "New since your last visit" in page.content.decode()
    # Reading page 1 moves the mark to #20; the next visit opens on page 2 at #21.
    response = client.get(reverse("forum_thread", args=[thread_a.pk]))
    assert response.url.endswith(f"?page=2#post-{selectors.POSTS_PER_PAGE + 1}")


def test_a_category_marks_threads_unread_until_they_are_read(client, thread_a, union_official):
    client.force_login(union_official)
    rows = client.get(thread_a.category.get_absolute_url()).context["listing"].rows
    assert rows[0].unread == -1
    client.get(reverse("forum_thread", args=[thread_a.pk]))
    rows = client.get(thread_a.category.get_absolute_url()).context["listing"].rows
    assert rows[0].unread == 0


def test_a_post_address_leads_to_its_page_and_anchor(client, thread_a, inspector):
    for number in range(selectors.POSTS_PER_PAGE + 2):
        services.post_reply(author=inspector, thread=thread_a, text=f"Note {number}")
    last = Post.objects.filter(thread=thread_a).order_by("-number").first()
    client.force_login(inspector)
    response = client.get(reverse("forum_post", args=[last.pk]))
    assert response.url.endswith(f"?page=2#post-{last.number}")


@pytest.mark.parametrize("name", ["forum_post_helpful", "forum_answer_accept", "forum_post_delete"])
def test_writing_actions_refuse_people_outside_the_cohort_without_confirming_the_post(
    client, thread_a, participant_b, name
):
    client.force_login(participant_b)
    assert client.post(reverse(name, args=[thread_a.posts.get().pk])).status_code == 404


def test_an_observer_is_not_offered_the_reply_box(client, thread_a, observer):
    client.force_login(observer)
    page = client.get(reverse("forum_thread", args=[thread_a.pk])).content.decode()
    assert f'action="{reverse("forum_reply", args=[thread_a.pk])}"' not in page
