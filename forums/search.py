"""Search across the forums a person may read (Wagtail search: PostgreSQL full text in
production, SQLite's FTS5 on the embedded run).

What is indexed (`Post.search_fields`): each post's plain text and, with the opening
post, its thread's title. Never an author's name, so an anonymous author cannot be
found by name.

What is returned is decided by the filters, which the database backend applies to the
live rows of the posts table (not to a copy in the index): posts in the reader's spaces
only, never deleted or hidden ones, and threads that are hidden only where the reader
moderates. A post hidden, deleted or moved leaves the results at once, even before the
index has caught up with it. Authors are shown through `selectors.author_shown`.

The number of queries does not grow with the number of posts or hits: the reader's
spaces, the count, and one page of hits with their threads, categories, spaces and
authors.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search.backends import get_search_backend

from academy.access import AnyUser
from forums import access, selectors
from forums.models import Post, Space, Thread
from forums.selectors import AuthorShown, Page

QUERY_MAX_LENGTH = 200
RESULTS_PER_PAGE = 20
# Beyond this many hits, the reader is asked to narrow the search rather than page on.
RESULTS_MAX = 200
EXCERPT_LENGTH = 240

# Messages, asserted by the tests.
QUERY_TOO_LONG = _("Search for at most %(max)d characters; this search has %(count)d.")
NO_WORDS = _("Type a word or two to look for.")


@dataclass
class SearchHit:
    post: Post
    thread: Thread
    space: Space
    author: AuthorShown
    excerpt: list[tuple[str, bool]]  # pieces of the post's text; True marks a searched word


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int  # at most RESULTS_MAX
    capped: bool  # more hits than RESULTS_MAX
    page: Page


def query_words(query: str) -> list[str]:
    """The words of a query: runs of letters, marks and digits (Khmer's vowel signs are
    marks). Punctuation never reaches the backends' query syntaxes (FTS5, tsquery)."""
    kept = "".join(char if unicodedata.category(char)[0] in "LMN" else " " for char in query)
    return kept.split()


def _page_number(raw, count: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), count)


def _highlighted(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """An excerpt of `text` around the first searched word, cut into pieces with the
    searched words marked. Plain strings: the template escapes them."""
    text = " ".join(text.split())
    if not words:
        return [(text[:EXCERPT_LENGTH], False)]
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first is not None and first.start() > EXCERPT_LENGTH // 3:
        start = text.rfind(" ", 0, first.start() - EXCERPT_LENGTH // 3) + 1
    window = text[start : start + EXCERPT_LENGTH]
    pieces: list[tuple[str, bool]] = [("… ", False)] if start else []
    position = 0
    for match in pattern.finditer(window):
        if match.start() > position:
            pieces.append((window[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    pieces.append((window[position:], False))
    if start + EXCERPT_LENGTH < len(text):
        pieces.append((" …", False))
    return [piece for piece in pieces if piece[0]]


def searchable_posts(
    user: AnyUser, *, space_id: int | None = None, spaces: list[Space] | None = None
) -> tuple[Q, set[int]]:
    """The filter of the posts this reader may find, and the spaces they moderate.
    `space_id` narrows the search to one of the reader's spaces (ignored otherwise);
    `spaces` are `access.spaces_visible_to(user)` if the caller has read them already."""
    if spaces is None:
        spaces = list(access.spaces_visible_to(user))
    readable = {space.pk for space in spaces}
    moderated = {space.pk for space in spaces if access.can_moderate(user, space)}
    if space_id is not None and space_id in readable:
        readable &= {space_id}
        moderated &= {space_id}
    visible = Q(space_id__in=sorted(readable), deleted_at__isnull=True, hidden_at__isnull=True)
    # Hidden threads: only in the spaces the reader moderates.
    threads = Q(thread__is_hidden=False)
    if moderated:
        threads |= Q(space_id__in=sorted(moderated))
    return visible & threads, moderated


def search_posts(
    *,
    user: AnyUser,
    query: str,
    page: str | int | None = None,
    space_id: int | None = None,
    spaces: list[Space] | None = None,
) -> SearchResults:
    """One page of the posts the reader may see that match `query`, best first."""
    query = " ".join(query.split())
    where, moderated = searchable_posts(user, space_id=space_id, spaces=spaces)
    words = query_words(query)
    if not words:
        return SearchResults(query=query, hits=[], total=0, capped=False, page=Page(1, 1))
    posts = (
        Post.objects.filter(where)
        .select_related("thread__category", "space", "author__organisation")
        .order_by()  # relevance
    )
    results = get_search_backend().search(" ".join(words), posts, operator="and")
    found = results.count()
    total = min(found, RESULTS_MAX)
    count = max(math.ceil(total / RESULTS_PER_PAGE), 1)
    number = _page_number(page, count)
    start = (number - 1) * RESULTS_PER_PAGE
    listed = list(results[start : min(start + RESULTS_PER_PAGE, total)]) if total else []
    hits = [
        SearchHit(
            post=post,
            thread=post.thread,
            space=post.space,
            author=selectors.author_shown(
                user, author=post.author, anonymous=post.anonymous, moderator=post.space_id in moderated
            ),
            excerpt=_highlighted(post.text, words),
        )
        for post in listed
    ]
    return SearchResults(query=query, hits=hits, total=total, capped=found > RESULTS_MAX, page=Page(number, count))
