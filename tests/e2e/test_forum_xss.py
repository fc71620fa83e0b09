"""The XSS corpus in a real browser: nothing any payload carries runs in Chromium.

The whole corpus (tests/forums/xss_payloads.py) becomes a forum: a member named after
each payload, a category titled and described with each, a thread titled with each and
opened with it, and a thread where each payload is a reply by its member, mentioning
the next. The rows are written in bulk with the real write-time renderer
(forums.markup.render_post; the services' path is tested in tests/forums/test_xss.py),
then one more thread and a reply are posted through the browser's own forms.

Another member opens the forums' pages: the forum list, the forum, the category, the
corpus thread, a payload thread, and the search results. Payloads call `__xss()` (or
`alert`): a hook installed before any page script records every call, dialogs are
recorded too, and the DOM is searched for what should not be there (event handler and
style attributes, scripts other than the site's own files, frames, plugins, SVG, MathML,
links with other schemes than http, https, mailto and tel). Page sizes are raised for
the test so that each list fits on one page: six page loads see everything.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from academy.choices import MembershipRole
from academy.models import Membership, User
from forums import search, selectors, services
from forums.choices import IdentityMode
from forums.markup import render_post
from forums.models import Category, Post, Thread
from tests.forums.xss_payloads import PAYLOADS
from tests.roundtables.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# PostgreSQL stores no NUL characters (the forms refuse them with a message).
CORPUS = [payload for payload in PAYLOADS if "\x00" not in payload]
CORPUS_WORD = "xsscorpus"

SENTINEL = """
window.__xssFired = [];
window.__xss = (value) => { window.__xssFired.push(String(value)); };
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (message) => { window.__xssFired.push(name + ":" + message); return null; };
}
"""

DOM_PROBLEMS = """
() => {
  const problems = [];
  const describe = (el) => el.outerHTML.slice(0, 120);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) problems.push("handler " + describe(el));
      // An empty style attribute is the browser's own (autofill touches hidden inputs).
      if (attr.name === "style" && attr.value.trim()) problems.push("style " + describe(el));
    }
  }
  const own = (url) => url && new URL(url, location.href).origin === location.origin
    && new URL(url, location.href).pathname.startsWith("/static/");
  for (const script of document.scripts) if (!own(script.src)) problems.push("script " + describe(script));
  for (const img of document.images) if (!own(img.src)) problems.push("img " + describe(img));
  const active = "iframe,frame,frameset,object,embed,applet,svg,math,base,portal,video,audio,style,template";
  for (const el of document.querySelectorAll(active)) problems.push("element " + describe(el));
  for (const link of document.querySelectorAll("a[href], area[href]")) {
    if (!["http:", "https:", "mailto:", "tel:"].includes(link.protocol)) problems.push("link " + describe(link));
  }
  for (const form of document.forms) {
    if (new URL(form.action, location.href).origin !== location.origin) problems.push("form " + describe(form));
  }
  return problems;
}
"""


def one_line(payload: str, limit: int) -> str:
    return " ".join(payload.split())[:limit] or "x"


def build_corpus_forum(space, facilitator):
    """Members, categories, threads and posts from the corpus, written in bulk."""
    now = timezone.now()
    members = User.objects.bulk_create(
        [
            User(email=f"xss{number}@example.org", display_name=one_line(payload, 120))
            for number, payload in enumerate(CORPUS)
        ]
    )
    members = list(User.objects.filter(email__startswith="xss", email__endswith="@example.org").order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(user=member, cohort=space.cohort, role=MembershipRole.PARTICIPANT, joined_at=now)
            for member in members
        ]
    )
    start = space.categories.count()
    Category.objects.bulk_create(
        [
            Category(
                space=space,
                title=f"{number} {one_line(payload, 110)}",
                description=payload[:300],
                identity=IdentityMode.NAMED,
                position=start + number,
            )
            for number, payload in enumerate(CORPUS)
        ]
    )
    home = services.category_add(
        space=space, actor=facilitator, title="Corpus threads", description="", identity=IdentityMode.NAMED
    )
    mentionable = selectors.mentionable_names(space=space)
    threads = Thread.objects.bulk_create(
        [
            Thread(
                space=space,
                category=home,
                title=one_line(payload, 200),
                author=member,
                last_number=1,
                created_at=now,
                last_posted_at=now,
            )
            for member, payload in zip(members, CORPUS, strict=True)
        ]
    )
    corpus_thread = Thread.objects.create(
        space=space, category=home, title="Every payload as a reply", author=facilitator, last_number=1
    )
    corpus_thread.last_number = len(CORPUS) + 1
    corpus_thread.save(update_fields=["last_number"])

    def post(thread, number, author, source):
        rendered = render_post(source, mentionable=mentionable)
        return Post(
            thread=thread,
            space=space,
            number=number,
            author=author,
            source=source,
            html=rendered.html,
            text=rendered.text,
            created_at=now,
        )

    posts = [post(corpus_thread, 1, facilitator, "Every payload of the corpus follows, one a reply.")]
    for number, (member, payload, thread) in enumerate(zip(members, CORPUS, threads, strict=True)):
        posts.append(post(thread, 1, member, f"{CORPUS_WORD} {payload}"))
        mentioned = members[(number + 1) % len(members)]
        posts.append(post(corpus_thread, number + 2, member, f"{payload}\n\n@{mentioned.display_name}"))
    posts = Post.objects.bulk_create(posts)
    get_search_backend().add_bulk(Post, list(Post.objects.filter(space=space).select_related("thread")))
    return home, corpus_thread, threads


def test_no_payload_of_the_corpus_runs_in_chromium(
    site_url, new_page, screenshot, cohort_a, facilitator_a, union_official, inspector, monkeypatch
):
    space = services.space_ensure_for_cohort(cohort=cohort_a)
    home, corpus_thread, threads = build_corpus_forum(space, facilitator_a)
    # Every list on one page (the live server runs in this process).
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 1000)
    monkeypatch.setattr(selectors, "POSTS_PER_PAGE", 1000)
    monkeypatch.setattr(search, "RESULTS_PER_PAGE", 1000)

    fired: list[str] = []
    errors: list[str] = []
    page = new_page()
    page.context.add_init_script(SENTINEL)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": sign_in(union_official), "url": site_url}]
    )
    page.on("dialog", lambda dialog: (fired.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def visit(path: str, step: str, *, expect_text: str) -> None:
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # failed image loads, autofocus and animation events
        assert expect_text in page.content(), path
        check(step)

    def check(step: str) -> None:
        fired.extend(page.evaluate("window.__xssFired || []"))
        assert fired == [], f"{step}: a payload ran: {fired}"
        assert page.evaluate(DOM_PROBLEMS) == [], step
        assert errors == [], f"{step}: {errors}"

    # The hook works: a payload that does run is caught.
    page.goto(site_url + reverse("forums_home"))
    page.set_content("<img src=x onerror=__xss('control')><svg onload=alert('control')>")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xssFired") == ["control", "alert:control"]

    visit(reverse("forums_home"), "forums-home", expect_text="Corpus threads")
    visit(reverse("forum_space", args=[space.pk]), "space", expect_text="Corpus threads")
    visit(reverse("forum_category", args=[home.pk]), "category", expect_text="Every payload as a reply")
    visit(f"{corpus_thread.get_absolute_url()}?page=1", "corpus-thread", expect_text="&lt;script&gt;__xss(1)")
    visit(f"{threads[0].get_absolute_url()}?page=1", "payload-thread", expect_text="__xss(1)")
    visit(f"{reverse('forum_search')}?q={CORPUS_WORD}", "search", expect_text="__xss(1)")
    assert len(page.locator(".search-hit").all()) == len(CORPUS)

    # And through the browser's own forms: a thread and a reply made of payloads.
    visit(reverse("forum_thread_new", args=[home.pk]), "compose", expect_text="Start a thread")
    page.get_by_label("Title").fill('"><img src=x onerror=__xss("title")><script>__xss("title2")</script>')
    page.locator("textarea[name=text]").fill("\n\n".join(CORPUS[:40]))
    page.get_by_role("button", name="Post the thread").click()
    page.wait_for_url("**/forums/threads/**")
    page.wait_for_timeout(300)
    screenshot(page, "posted-thread")
    check("posted-thread")
    page.locator("textarea[name=text]").fill("\n\n".join(CORPUS[40:80]))
    page.get_by_role("button", name="Post the reply").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    screenshot(page, "posted-reply")
    check("posted-reply")
    assert Post.objects.filter(author=union_official).count() == 2
