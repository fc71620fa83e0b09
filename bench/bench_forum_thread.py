"""A forum thread's page for a signed-in member: a thread of 1,000 replies, its middle
page, against a bare Django view rendering a template like the thread page's from plain
values, in the same process (timed in alternating windows, median of per-round ratios);
and, for reference, against a bare view returning a short `HttpResponse`.

    DJANGO_SETTINGS_MODULE=academy.settings.test .venv/bin/python bench/bench_forum_thread.py

Last line: {"bare_rps": …, "thread_rps": …, "ratio": …, "plain_rps": …, "ratio_vs_plain": …,
"replies": 1000, "page": 26, "queries": …, "thread_page_kb": …}
"""

from datetime import timedelta

from harness import paired_throughput, report, setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from forums import selectors, services  # noqa: E402
from forums.forms import ReplyForm  # noqa: E402
from forums.markup import render_post  # noqa: E402
from forums.models import Post, Reaction, Thread, ThreadReadState  # noqa: E402
from tests.factories import CohortFactory, MembershipFactory, OrganisationFactory, UserFactory  # noqa: E402

REPLIES, AUTHORS = 1000, 12
SOURCE = (
    "In our factory the overtime register now sits on the canteen notice board, next to the **pay slips** "
    "of the month (names covered). Workers check their hours there before payday.\n\n"
    "What changed most:\n\n- overtime is asked for the day before, in writing;\n"
    "- the PICC reads the register at each meeting;\n- the night shift has the same list in Khmer.\n\n"
    "Inspectors compare the register with three pay slips on each visit."
)


def bare_context() -> dict:
    """The thread page's content as plain values, for the baseline's template."""
    html = render_post(SOURCE).html
    now = timezone.now()
    return {
        "thread": {
            "title": "Overtime registers on the notice board: one month on",
            "space_title": "Building Bridges Cambodia",
            "space_url": "/forums/1/",
            "category_title": "Industrial relations",
            "category_url": "/forums/categories/1/",
        },
        "page": {"number": 26, "count": 51, "previous": 25, "next": 27},
        "posts": [
            {
                "id": 1000 + n,
                "number": 500 + n,
                "author": f"Member {n}",
                "detail": f"Factory management, Factory {n}",
                "created_at": now,
                "html": html,
                "helpful_count": n % 3,
                "quoted_label": "Member 2" if n % 5 == 0 else "",
                "url": f"/forums/posts/{1000 + n}/",
            }
            for n in range(selectors.POSTS_PER_PAGE)
        ],
        "form": ReplyForm(),
    }


def bare(request):
    """The baseline: a template like the thread page's, from plain values, no database work."""
    return render(request, "forums/bench_baseline.html", bare_context())


def plain(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("bench/plain/", plain), path("", include("academy.urls"))]


def build_thread(category, authors) -> Thread:
    """A thread of REPLIES replies, written straight to the database as the services
    would leave it (numbers, counters, quotes)."""
    rendered = render_post(SOURCE)
    start = timezone.now() - timedelta(days=40)
    total = REPLIES + 1
    thread = Thread.objects.create(
        space=category.space,
        category=category,
        title="Overtime registers on the notice board: one month on",
        author=authors[0],
        created_at=start,
        last_posted_at=start + timedelta(minutes=total),
        last_number=total,
        reply_count=REPLIES,
    )
    Post.objects.bulk_create(
        Post(
            thread=thread,
            space=category.space,
            number=number,
            author=authors[number % len(authors)],
            source=SOURCE,
            html=rendered.html,
            text=rendered.text,
            created_at=start + timedelta(minutes=number),
            helpful_count=number % 3,
        )
        for number in range(1, total + 1)
    )
    posts = {post.number: post for post in Post.objects.filter(thread=thread).only("pk", "number")}
    quoting = [posts[number] for number in range(5, total + 1, 5)]
    for post in quoting:
        post.quoted_id = posts[post.number - 1].pk
    Post.objects.bulk_update(quoting, ["quoted"])
    return thread


@override_settings(ROOT_URLCONF=__name__)
def main() -> None:
    cohort = CohortFactory(name="Building Bridges Cambodia", slug="bb-kh")
    space = services.space_ensure_for_cohort(cohort=cohort)
    category = space.categories.order_by("position").first()
    authors = []
    for n in range(AUTHORS):
        person = UserFactory(display_name=f"Member {n}", organisation=OrganisationFactory(name=f"Factory {n}"))
        MembershipFactory(user=person, cohort=cohort)
        authors.append(person)
    reader = UserFactory()
    MembershipFactory(user=reader, cohort=cohort)
    thread = build_thread(category, authors)
    page = selectors.page_of_number(thread.last_number) // 2 + 1
    first = (page - 1) * selectors.POSTS_PER_PAGE + 1
    Reaction.objects.bulk_create(
        Reaction(post=post, user=reader)
        for post in Post.objects.filter(thread=thread, number__range=(first, first + 5))
    )
    # The member has read the thread up to the page before: this page's posts are new.
    ThreadReadState.objects.create(user=reader, thread=thread, last_read_number=first - 1)
    services.thread_follow(user=reader, thread=thread, follow=True)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(reader)
    url = f"{thread.get_absolute_url()}?page={page}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'id="post-{first}"' in html and f'id="post-{first + selectors.POSTS_PER_PAGE - 1}"' in html
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        client.get(url)
    weight = len(response.content)

    bare_rps, thread_rps, ratio = paired_throughput(lambda: client.get("/bench/bare/"), lambda: client.get(url))
    plain_rps, thread_rps_2, ratio_vs_plain = paired_throughput(
        lambda: client.get("/bench/plain/"), lambda: client.get(url), rounds=11
    )
    report(
        {
            "benchmark": "forum_thread",
            "database": connection.vendor,
            "replies": REPLIES,
            "page": page,
            "queries": len(executed),
            "bare_rps": round(bare_rps, 1),
            "thread_rps": round(thread_rps, 1),
            "ratio": round(ratio, 3),
            "plain_rps": round(plain_rps, 1),
            "ratio_vs_plain": round(ratio_vs_plain, 3),
            "thread_page_kb": round(weight / 1024, 1),
        }
    )


if __name__ == "__main__":
    main()
