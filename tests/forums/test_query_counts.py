"""Query budgets of the forum pages: a thread's page and a category's page take the same
number of queries however long the thread or the category (docs/performance.md)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import selectors
from forums.models import Post, Reaction, Thread, ThreadReadState
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# The budgets, also in docs/performance.md.
THREAD_PAGE_QUERIES = 12
CATEGORY_PAGE_QUERIES = 11


def build_thread(*, category, authors, replies: int, title: str = "Overtime registers, line by line") -> Thread:
    """A thread with `replies` replies written straight to the database (numbers, counters
    and quotes as the services would leave them)."""
    start = timezone.now() - timedelta(days=30)
    total = replies + 1
    thread = Thread.objects.create(
        space=category.space,
        category=category,
        title=title,
        author=authors[0],
        created_at=start,
        last_posted_at=start + timedelta(minutes=total),
        last_number=total,
        reply_count=replies,
    )
    Post.objects.bulk_create(
        Post(
            thread=thread,
            space=category.space,
            number=number,
            author=authors[number % len(authors)],
            source=f"Reply {number}: we post the **overtime register** on the notice board.",
            html=f"<p>Reply {number}: we post the <strong>overtime register</strong> on the notice board.</p>",
            text=f"Reply {number}: we post the overtime register on the notice board.",
            created_at=start + timedelta(minutes=number),
            helpful_count=number % 3,
        )
        for number in range(1, total + 1)
    )
    # Every fifth reply quotes the one before it.
    posts = {post.number: post for post in Post.objects.filter(thread=thread).only("pk", "number")}
    quoting = [posts[number] for number in range(5, total + 1, 5)]
    for post in quoting:
        post.quoted_id = posts[post.number - 1].pk
    Post.objects.bulk_update(quoting, ["quoted"])
    return thread


@pytest.fixture
def authors(cohort_a):
    people = []
    for n in range(6):
        person = UserFactory(display_name=f"Member {n}", organisation=OrganisationFactory(name=f"Factory {n}"))
        MembershipFactory(user=person, cohort=cohort_a)
        people.append(person)
    return people


def thread_page_queries(client, thread, page: int, reader, assert_max_queries) -> int:
    """The queries of one visit to a page of the thread, within the budget."""
    # Each visit starts from the same reading state, so each takes the same path.
    ThreadReadState.objects.update_or_create(user=reader, thread=thread, defaults={"last_read_number": 0})
    url = reverse("forum_thread", kwargs={"thread_id": thread.pk}) + f"?page={page}"
    with assert_max_queries(THREAD_PAGE_QUERIES) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["listing"].posts) == min(
        selectors.POSTS_PER_PAGE, thread.last_number - (page - 1) * selectors.POSTS_PER_PAGE
    )
    return len(captured.captured_queries)


def test_each_page_of_a_thread_of_1000_replies_takes_the_same_queries_as_a_thread_of_10(
    client, inspector, named_category, authors, django_assert_max_num_queries
):
    short = build_thread(category=named_category, authors=authors, replies=10, title="Short")
    long = build_thread(category=named_category, authors=authors, replies=1000, title="Long")
    Reaction.objects.bulk_create(
        Reaction(post=post, user=inspector) for post in Post.objects.filter(thread__in=[short, long], number__lte=60)
    )
    client.force_login(inspector)
    pages = selectors.page_of_number(long.last_number)
    assert pages == 51
    visit = {"client": client, "reader": inspector, "assert_max_queries": django_assert_max_num_queries}
    thread_page_queries(thread=short, page=1, **visit)  # warm the caches every page shares
    baseline = thread_page_queries(thread=short, page=1, **visit)
    for page in (1, pages // 2, pages):
        assert thread_page_queries(thread=long, page=page, **visit) == baseline, f"page {page}"


def test_a_thread_opens_at_the_first_unread_reply_with_a_fixed_number_of_queries(
    client, inspector, named_category, authors, django_assert_max_num_queries
):
    long = build_thread(category=named_category, authors=authors, replies=1000)
    ThreadReadState.objects.create(user=inspector, thread=long, last_read_number=730)
    client.force_login(inspector)
    client.get(reverse("forum_thread", kwargs={"thread_id": long.pk}) + "?page=1")
    ThreadReadState.objects.filter(user=inspector, thread=long).update(last_read_number=730)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("forum_thread", kwargs={"thread_id": long.pk}))
    assert response.url.endswith(f"?page={selectors.page_of_number(731)}#post-731")


def build_threads(*, category, authors, count: int) -> list[Thread]:
    start = timezone.now() - timedelta(days=60)
    return Thread.objects.bulk_create(
        Thread(
            space=category.space,
            category=category,
            title=f"Thread {n}: fire drills on the night shift",
            author=authors[n % len(authors)],
            created_at=start + timedelta(hours=n),
            last_posted_at=start + timedelta(hours=n, minutes=30),
            last_number=1 + n % 7,
            reply_count=n % 7,
            is_pinned=n < 2,
        )
        for n in range(count)
    )


def category_page_queries(client, category, page: int, assert_max_queries) -> int:
    url = reverse("forum_category", kwargs={"category_id": category.pk}) + f"?page={page}"
    with assert_max_queries(CATEGORY_PAGE_QUERIES) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["listing"].rows
    return len(captured.captured_queries)


def test_each_page_of_a_category_of_500_threads_takes_the_same_queries_as_one_of_10(
    client, inspector, space_a, authors, django_assert_max_num_queries
):
    small, large = space_a.categories.order_by("position")[:2]
    for category, count in ((small, 10), (large, 500)):
        threads = build_threads(category=category, authors=authors, count=count)
        ThreadReadState.objects.bulk_create(
            ThreadReadState(user=inspector, thread=thread, last_read_number=1) for thread in threads[::3]
        )
    client.force_login(inspector)
    category_page_queries(client, small, 1, django_assert_max_num_queries)  # warm the caches every page shares
    baseline = category_page_queries(client, small, 1, django_assert_max_num_queries)
    pages = -(-500 // selectors.THREADS_PER_PAGE)
    assert pages == 17
    for page in (1, pages // 2, pages):
        assert category_page_queries(client, large, page, django_assert_max_num_queries) == baseline, f"page {page}"


def test_the_forum_space_page_takes_the_same_queries_for_10_or_500_threads(
    client, inspector, space_a, authors, django_assert_max_num_queries
):
    category = space_a.categories.order_by("position").first()
    build_threads(category=category, authors=authors, count=10)
    url = reverse("forum_space", kwargs={"space_id": space_a.pk})
    client.force_login(inspector)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    build_threads(category=category, authors=authors, count=490)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
