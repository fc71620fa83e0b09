"""The XSS corpus (tests/forums/xss_payloads.py) through everything people write in the
forums: post bodies, thread titles, category names and descriptions, display names, and
search queries. Stored HTML is parsed and held to the sanitizer's allow-list; rendered
pages are parsed and must hold no active content. The real browser's verdict is in
tests/e2e/test_forum_xss.py.
"""

import pytest
from django.urls import reverse

from academy.choices import MembershipRole
from forums import services
from forums.choices import IdentityMode
from forums.markup import render_post
from forums.models import Notification, Post
from tests.factories import MembershipFactory, UserFactory
from tests.forums.html_checks import page_problems, stored_post_problems
from tests.forums.xss_payloads import PAYLOADS

# PostgreSQL cannot store NUL characters; the forms refuse them with a message before
# any service sees them (test_a_null_character_is_refused_with_a_message_and_kept).
STORABLE = [payload for payload in PAYLOADS if "\x00" not in payload]
CORPUS_WORD = "xsscorpus"


def first_line(payload: str, limit: int) -> str:
    """The payload as a one-line title of at most `limit` characters (what the forms
    and services would accept)."""
    return " ".join(payload.split())[:limit] or "x"


# ------------------------------------------------------------------------------
# The renderer alone: every payload, with mentionable names made of payloads
# ------------------------------------------------------------------------------
MENTIONABLE = {first_line(payload, 120): number for number, payload in enumerate(PAYLOADS, start=1)}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_rendered_post_keeps_only_the_allowed_tags_and_attributes(payload):
    rendered = render_post(payload, mentionable=MENTIONABLE)
    assert stored_post_problems(rendered.html) == []
    # And, belt and braces, as strings.
    lowered = rendered.html.lower()
    for marker in ("<script", "<iframe", "<object", "<embed", "<svg", "<math", "<img", "<style"):
        assert marker not in lowered
    for scheme in ("javascript:", "vbscript:", "data:"):
        assert f'href="{scheme}' not in lowered


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_mentioning_a_payload_named_member_stays_clean(payload):
    name = first_line(payload, 120)
    rendered = render_post(f"@{name} {payload} @{name}", mentionable=MENTIONABLE)
    assert stored_post_problems(rendered.html) == []


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 100
    lowered = [payload.lower() for payload in PAYLOADS]
    for family in (
        "<script",
        "onerror",
        "javascript:",
        "vbscript:",
        "data:",
        "<svg",
        "<math",
        "<iframe",
        "style=",
        "{{",
    ):
        assert sum(family in payload for payload in lowered) >= 2, family
    assert any(payload.startswith("[") and "](javascript:" in payload for payload in PAYLOADS)
    assert any(payload.startswith("<javascript:") for payload in PAYLOADS)
    assert any("&#106;" in payload or "&#x6a;" in payload.lower() for payload in PAYLOADS)


# ------------------------------------------------------------------------------
# Through the services, and the pages that show what was written
# ------------------------------------------------------------------------------
@pytest.fixture
def corpus_forum(space_a, facilitator_a, union_official, inspector):
    """For each payload: a category named after it, a member named after it, a thread
    titled with it and opened with it, and a reply with it that mentions the next member."""
    members = []
    for payload in STORABLE:
        member = UserFactory(display_name=first_line(payload, 120))
        MembershipFactory(user=member, cohort=space_a.cohort, role=MembershipRole.PARTICIPANT)
        members.append(member)
    threads = []
    for index, payload in enumerate(STORABLE):
        category = services.category_add(
            space=space_a,
            actor=facilitator_a,
            title=f"{index} {first_line(payload, 110)}",
            description=payload[:300],
            identity=IdentityMode.NAMED,
        )
        thread = services.thread_create(
            author=members[index], category=category, title=first_line(payload, 200), text=payload
        )
        mentioned = members[(index + 1) % len(members)]
        services.post_reply(
            author=members[index], thread=thread, text=f"{CORPUS_WORD} {payload}\n\n@{mentioned.display_name}"
        )
        threads.append(thread)
    return threads


def test_nothing_written_from_the_corpus_is_active_where_it_is_stored_or_shown(
    client, corpus_forum, observer, facilitator_a, space_a
):
    """One forum built from the whole corpus (built once: it is slow), then checked:
    stored posts against the allow-list; every page showing the titles, category names,
    descriptions, display names and posts, as a member, a facilitator and a mentioned
    member would see them; and the search results."""
    posts = Post.objects.filter(thread__in=corpus_forum)
    assert posts.count() == 2 * len(STORABLE)
    for post in posts:
        assert stored_post_problems(post.html) == [], (post.source, post.html)

    def check(url: str, **params) -> str:
        response = client.get(url, params)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert page_problems(page) == [], url
        return page

    # Titles, category names and display names are plain text, escaped wherever shown.
    client.force_login(observer)
    check(reverse("forums_home"))
    check(reverse("forum_space", args=[space_a.pk]))
    for thread in corpus_forum:
        check(reverse("forum_category", args=[thread.category_id]))
        check(thread.get_absolute_url(), page=1)
    first = next(thread for thread in corpus_forum if thread.title.startswith("<script>"))
    assert "&lt;script&gt;__xss(1)&lt;/script&gt;" in check(first.get_absolute_url(), page=1)

    # Search results show titles, excerpts, names, forums and categories.
    results = client.get(reverse("forum_search"), {"q": CORPUS_WORD}).context["results"]
    assert results.total == len(STORABLE)
    for number in range(1, results.page.count + 1):
        check(reverse("forum_search"), q=CORPUS_WORD, page=number)

    # Moderators' pages (the log names every category added) and a mentioned member's
    # notifications.
    client.force_login(facilitator_a)
    check(reverse("forum_moderation_log", args=[space_a.pk]))
    check(reverse("forum_moderation_queue", args=[space_a.pk]))
    check(first.get_absolute_url(), page=1)
    # The first payload's member is mentioned by the last one.
    mentioned = Post.objects.get(thread=corpus_forum[0], number=1).author
    client.force_login(mentioned)
    assert Notification.objects.filter(user=mentioned, post__thread=corpus_forum[-1]).exists()
    check(reverse("forum_notifications"))


def test_every_payload_as_a_search_query_is_answered_and_escaped(client, thread_a, union_official):
    client.force_login(union_official)
    for payload in PAYLOADS:
        response = client.get(reverse("forum_search"), {"q": payload})
        assert response.status_code in (200, 400), payload
        assert page_problems(response.content.decode()) == [], payload


@pytest.mark.parametrize("payload", [payload for payload in PAYLOADS if "\x00" in payload])
def test_a_null_character_is_refused_with_a_message_and_kept(client, named_category, union_official, payload):
    client.force_login(union_official)
    response = client.post(
        reverse("forum_thread_new", args=[named_category.pk]), {"title": "Nul", "kind": "discussion", "text": payload}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert response.context["form"]["text"].value() == payload
    assert not named_category.threads.exists()
