"""forums.search and its page: the posts a person may read, and nothing else.

Runs on SQLite (FTS5) locally and on PostgreSQL (full text) in CI: the same tests.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import search, services
from forums.models import Post, Thread

URL = reverse("forum_search")


@pytest.fixture
def thread_b(space_b, participant_b):
    category = space_b.categories.order_by("position").first()
    return services.thread_create(
        author=participant_b,
        category=category,
        title="Overtime records in Dong Nai",
        text="The inspectors found two sets of timesheets in the finishing section.",
    )


def hits_for(client, user, query, **params):
    client.force_login(user)
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.context["results"].hits


def thread_titles(hits) -> list[str]:
    return [hit.thread.title for hit in hits]


# ------------------------------------------------------------------------------
# What is found
# ------------------------------------------------------------------------------
def test_a_member_finds_a_post_by_a_word_of_its_text(client, thread_a, union_official):
    hits = hits_for(client, union_official, "cartons")
    assert thread_titles(hits) == ["Fire exits blocked by finished goods"]
    hit = hits[0]
    assert hit.space == thread_a.space and hit.thread.category == thread_a.category
    assert hit.author.name == "Vannak Heng"
    assert ("cartons", True) in hit.excerpt


def test_a_thread_is_found_by_a_word_of_its_title(client, thread_a, union_official):
    assert thread_titles(hits_for(client, union_official, "finished goods")) == [thread_a.title]


def test_a_reply_is_found_and_leads_to_its_place_in_the_thread(client, thread_a, union_official, factory_manager):
    reply = services.post_reply(author=factory_manager, thread=thread_a, text="A painted floor zone kept exit B clear.")
    hits = hits_for(client, union_official, "painted zone")
    assert [hit.post for hit in hits] == [reply]
    page = client.get(URL, {"q": "painted zone"}).content.decode()
    assert reply.get_absolute_url() in page and "reply #2" in page


def test_all_the_words_must_match_in_any_case(client, thread_a, union_official):
    assert len(hits_for(client, union_official, "CARTONS exit")) == 1
    assert hits_for(client, union_official, "cartons chemicals") == []


def test_the_commons_is_searched_by_members_of_every_cohort(client, commons, participant_a, participant_b):
    category = commons.categories.order_by("position").first()
    services.thread_create(
        author=participant_a, category=category, title="Lead times and overtime", text="Late orders push overtime."
    )
    assert len(hits_for(client, participant_a, "overtime")) == 1
    assert len(hits_for(client, participant_b, "overtime")) == 1


def test_the_search_can_be_narrowed_to_one_forum(client, thread_a, commons, union_official):
    category = commons.categories.order_by("position").first()
    services.thread_create(author=union_official, category=category, title="Exit signs", text="Cartons again.")
    assert len(hits_for(client, union_official, "cartons")) == 2
    assert thread_titles(hits_for(client, union_official, "cartons", space=commons.pk)) == ["Exit signs"]


# ------------------------------------------------------------------------------
# What is never found
# ------------------------------------------------------------------------------
def test_a_word_only_in_another_cohorts_forum_finds_nothing(client, thread_a, thread_b, participant_a, participant_b):
    assert hits_for(client, participant_a, "timesheets") == []
    assert hits_for(client, participant_a, "Dong Nai") == []
    assert thread_titles(hits_for(client, participant_b, "timesheets")) == ["Overtime records in Dong Nai"]
    assert hits_for(client, participant_b, "cartons") == []


def test_another_cohorts_forum_cannot_be_chosen_to_search_in(client, thread_b, participant_a, space_b):
    client.force_login(participant_a)
    response = client.get(URL, {"q": "timesheets", "space": space_b.pk})
    assert response.status_code == 400
    assert response.context["results"] is None


def test_someone_in_no_cohort_finds_nothing(client, thread_a, outsider):
    assert hits_for(client, outsider, "cartons") == []


def test_a_hidden_post_leaves_the_results_at_once(client, thread_a, union_official, facilitator):
    # A queryset update, as moderation does: no save(), so the index still has the text.
    Post.objects.filter(thread=thread_a).update(hidden_at=timezone.now())
    assert hits_for(client, union_official, "cartons") == []
    assert hits_for(client, facilitator, "cartons") == []


def test_a_deleted_post_leaves_the_results(client, thread_a, inspector, union_official):
    services.post_delete(user=inspector, post=thread_a.posts.get())
    assert hits_for(client, union_official, "cartons") == []
    assert hits_for(client, inspector, "cartons") == []


def test_a_hidden_thread_is_found_only_by_its_forums_moderators(
    client, thread_a, union_official, facilitator_a, facilitator_b, staff
):
    Thread.objects.filter(pk=thread_a.pk).update(is_hidden=True)
    assert hits_for(client, union_official, "cartons") == []
    assert hits_for(client, facilitator_b, "cartons") == []
    assert len(hits_for(client, facilitator_a, "cartons")) == 1
    assert len(hits_for(client, staff, "cartons")) == 1
    assert "Hidden" in client.get(URL, {"q": "cartons"}).content.decode()


def test_a_thread_moved_to_another_forum_is_found_only_there(client, thread_a, space_b, participant_a, participant_b):
    # What moderation's move does to the rows: the index is not touched.
    category_b = space_b.categories.order_by("position").first()
    Thread.objects.filter(pk=thread_a.pk).update(space=space_b, category=category_b)
    Post.objects.filter(thread=thread_a).update(space=space_b)
    assert hits_for(client, participant_a, "cartons") == []
    assert len(hits_for(client, participant_b, "cartons")) == 1


def test_an_edited_post_is_found_by_its_new_words_and_its_new_title_only(client, thread_a, inspector, union_official):
    services.post_edit(
        editor=inspector, post=thread_a.posts.get(), text="Pallets now stand in a marked zone.", title="Marked zones"
    )
    assert hits_for(client, union_official, "cartons") == []
    assert hits_for(client, union_official, "finished goods") == []
    assert thread_titles(hits_for(client, union_official, "pallets")) == ["Marked zones"]
    assert thread_titles(hits_for(client, union_official, "marked zones")) == ["Marked zones"]


# ------------------------------------------------------------------------------
# Anonymous authors
# ------------------------------------------------------------------------------
def test_an_anonymous_author_is_not_shown_to_peers_in_results(client, anonymous_thread, inspector):
    hits = hits_for(client, inspector, "walkout")
    assert len(hits) == 1
    assert hits[0].author.name == "Anonymous member"
    page = client.get(URL, {"q": "walkout"}).content.decode()
    assert "Chenda Sok" not in page and "Federation of Apparel Workers" not in page


def test_the_facilitator_sees_who_wrote_an_anonymous_post_in_results(client, anonymous_thread, facilitator):
    hits = hits_for(client, facilitator, "walkout")
    assert hits[0].author.name == "Chenda Sok" and hits[0].author.unmasked


def test_an_author_cannot_be_found_by_their_name(client, anonymous_thread, thread_a, inspector, union_official):
    assert hits_for(client, inspector, "Chenda Sok") == []
    assert hits_for(client, inspector, "Federation") == []
    assert hits_for(client, union_official, "Vannak Heng") == []


# ------------------------------------------------------------------------------
# The form, bad input, pages
# ------------------------------------------------------------------------------
def test_an_empty_search_shows_the_form_alone(client, thread_a, union_official):
    client.force_login(union_official)
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert response.context["results"] is None
        assert 'name="q"' in response.content.decode()


def test_an_overlong_search_is_refused_with_a_message_and_kept(client, thread_a, union_official):
    client.force_login(union_official)
    query = "cartons " * 30
    response = client.get(URL, {"q": query})
    assert response.status_code == 400
    assert response.context["results"] is None
    message = str(search.QUERY_TOO_LONG) % {"max": 200, "count": len(query.strip())}
    assert response.context["form"].errors["q"] == [message]
    assert "cartons cartons" in response.content.decode()


def test_a_search_of_punctuation_alone_asks_for_words(client, union_official):
    client.force_login(union_official)
    response = client.get(URL, {"q": '"*() :-'})
    assert response.status_code == 400
    assert response.context["form"].errors["q"] == [str(search.NO_WORDS)]


@pytest.mark.parametrize(
    "query",
    ['cartons"', '"cartons', "cartons*", "cartons:", "(cartons)", "^cartons", "-cartons", "\\cartons\\", "cartons'--"],
)
def test_query_syntax_characters_are_ignored(client, thread_a, union_official, query):
    assert thread_titles(hits_for(client, union_official, query)) == [thread_a.title]


@pytest.mark.parametrize(
    "query",
    [
        "cartons AND",
        "OR cartons",
        "NOT cartons",
        "NEAR(cartons exit)",
        "text:cartons",
        "cartons'; DROP TABLE forums_post; --",
        "cartons & | ! <-> :*",
        "a",
        "the of and",
        "x" * 200,
    ],
)
def test_query_syntax_words_are_searched_as_words_never_an_error(client, thread_a, union_official, query):
    hits_for(client, union_official, query)
    assert Post.objects.filter(thread=thread_a).exists()


def test_a_null_character_in_a_search_gets_a_message(client, union_official):
    client.force_login(union_official)
    response = client.get(URL, {"q": "cartons\x00"})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]


def test_words_in_other_scripts_are_found(client, named_category, union_official, inspector):
    services.thread_create(
        author=inspector,
        category=named_category,
        title="Thanh tra an toàn",
        text="Lối thoát hiểm bị chặn. ច្រកចេញបន្ទាន់ត្រូវបានបិទ",
    )
    assert len(hits_for(client, union_official, "thoát")) == 1
    assert len(hits_for(client, union_official, "ច្រកចេញបន្ទាន់ត្រូវបានបិទ")) == 1


def test_results_are_paginated_and_capped(client, thread_a, union_official, monkeypatch):
    for number in range(24):
        services.post_reply(author=union_official, thread=thread_a, text=f"Cartons again, week {number}.")
    client.force_login(union_official)
    first = client.get(URL, {"q": "cartons"}).context["results"]
    assert (first.total, first.capped, len(first.hits), first.page.count) == (25, False, 20, 2)
    second = client.get(URL, {"q": "cartons", "page": 2})
    assert len(second.context["results"].hits) == 5
    assert {hit.post.pk for hit in first.hits}.isdisjoint(hit.post.pk for hit in second.context["results"].hits)
    assert "q=cartons&amp;page=1" in second.content.decode()

    monkeypatch.setattr(search, "RESULTS_MAX", 22)
    capped = client.get(URL, {"q": "cartons", "page": 9}).context["results"]
    assert (capped.total, capped.capped, capped.page.number, len(capped.hits)) == (22, True, 2, 2)


def test_the_search_takes_the_same_number_of_queries_for_one_hit_as_for_a_page_of_them(
    client, thread_a, commons, anonymous_thread, union_official, factory_manager
):
    client.force_login(union_official)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "cartons"}).status_code == 200
        return len(captured)

    one = queries()
    category = commons.categories.order_by("position").first()
    for number in range(12):
        thread = services.thread_create(
            author=factory_manager, category=category, title=f"Cartons {number}", text="Cartons in the aisle."
        )
        services.post_reply(author=union_official, thread=thread, text="Cartons moved.")
    many = queries()
    assert len(client.get(URL, {"q": "cartons"}).context["results"].hits) == 20
    assert many == one


def test_the_search_page_stays_within_its_query_budget(client, thread_a, union_official, django_assert_max_num_queries):
    client.force_login(union_official)
    client.get(URL, {"q": "cartons"})
    # session and user, the person's memberships, their spaces, the count, one page of hits.
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "cartons"})


def test_the_index_rebuilt_from_scratch_finds_titles_and_texts(client, thread_a, union_official):
    call_command("update_index", stdout=open("/dev/null", "w"))
    assert len(hits_for(client, union_official, "finished goods")) == 1
    assert len(hits_for(client, union_official, "cartons")) == 1


def test_visitors_are_asked_to_sign_in(client, db):
    response = client.get(URL, {"q": "cartons"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
