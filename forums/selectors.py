"""Reads of the forums, shaped for pages and for other apps.

Query counts do not grow with data: a category page reads one page of threads and the
reader's marks on them; a thread page reads one page of posts (by post number, so no
OFFSET scan), the reader's reactions on them and their reading state.

Authors are shown through `AuthorShown`, built by `author_shown`, which asks
`forums.access.sees_author`: the only road from a post to a name.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from academy.access import AnyUser
from forums import access
from forums.models import Category, Flag, Post, Reaction, Space, Subscription, Thread, ThreadReadState

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20


@dataclass(frozen=True)
class AuthorShown:
    name: str
    detail: str = ""  # stakeholder group and organisation, for named authors
    anonymous: bool = False  # written anonymously (shown as such to everyone who sees the name)
    is_you: bool = False
    unmasked: bool = False  # written anonymously, and this reader may see who wrote it


def anonymous_label() -> str:
    return _("Anonymous member")


def author_shown(viewer: AnyUser, *, author, anonymous: bool, moderator: bool) -> AuthorShown:
    """How the viewer sees the author of a post or thread."""
    author_id = author.pk if author is not None else None
    is_you = author_id is not None and getattr(viewer, "pk", None) == author_id
    if not access.sees_author(viewer, author_id=author_id, anonymous=anonymous, moderator=moderator):
        return AuthorShown(name=anonymous_label(), anonymous=True)
    if author is None:
        return AuthorShown(name=_("Former member"), anonymous=anonymous)
    detail = author.get_stakeholder_group_display()
    if author.organisation_id and not anonymous:
        detail = f"{detail}, {author.organisation.name}"
    return AuthorShown(name=str(author), detail=detail, anonymous=anonymous, is_you=is_you, unmasked=anonymous)


def public_author_label(*, author, anonymous: bool) -> str:
    """The name anyone may read (for quotes, which everyone sees)."""
    if anonymous or author is None:
        return anonymous_label()
    return str(author)


def mentionable_names(*, space: Space) -> dict[str, int]:
    """Display names of the people who may read the space, for @mentions (one query).
    Where two people share a name, the first by id is the one mentioned."""
    names: dict[str, int] = {}
    for name, pk in access.readers_of(space).order_by("pk").values_list("display_name", "pk"):
        if name and name not in names:
            names[name] = pk
    return names


# ------------------------------------------------------------------------------
# Forum home and a space
# ------------------------------------------------------------------------------
@dataclass
class SpaceSummary:
    space: Space
    categories: list[Category]
    moderator: bool


def spaces_for(*, user: AnyUser) -> list[SpaceSummary]:
    """The user's forums, cohorts' first, each with its categories (two queries)."""
    spaces = list(
        access.spaces_visible_to(user).select_related("cohort", "programme").order_by("kind", "programme", "title")
    )
    categories: dict[int, list[Category]] = {space.pk: [] for space in spaces}
    for category in Category.objects.filter(space__in=spaces).order_by("position", "title"):
        categories[category.space_id].append(category)
    return [SpaceSummary(space, categories[space.pk], access.can_moderate(user, space)) for space in spaces]


def categories_of(*, space: Space) -> list[Category]:
    return list(space.categories.order_by("position", "title"))


# ------------------------------------------------------------------------------
# A category's threads
# ------------------------------------------------------------------------------
@dataclass
class ThreadRow:
    thread: Thread
    author: AuthorShown
    unread: int  # replies the reader has not seen; -1: never opened
    first_unread: int


@dataclass
class Page:
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous(self) -> int:
        return self.number - 1

    @property
    def next(self) -> int:
        return self.number + 1


def _page_number(raw, count: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(count, 1))


def _rows(user: AnyUser, threads: list[Thread], moderator_spaces: set[int]) -> list[ThreadRow]:
    states = dict(
        ThreadReadState.objects.filter(user=user, thread__in=threads).values_list("thread_id", "last_read_number")
    )
    rows = []
    for thread in threads:
        seen = states.get(thread.pk)
        rows.append(
            ThreadRow(
                thread=thread,
                author=author_shown(
                    user,
                    author=thread.author,
                    anonymous=thread.anonymous,
                    moderator=thread.space_id in moderator_spaces,
                ),
                unread=-1 if seen is None else max(thread.last_number - seen, 0),
                first_unread=1 if seen is None else min(seen + 1, thread.last_number),
            )
        )
    return rows


@dataclass
class CategoryPage:
    category: Category
    rows: list[ThreadRow]
    page: Page
    following: bool
    moderator: bool


def category_page(*, category: Category, user: AnyUser, page: str | int | None) -> CategoryPage:
    """One page of a category's threads, pinned first, then by last activity; with the
    reader's unread counts. Five queries whatever the number of threads."""
    moderator = access.can_moderate(user, category.space)
    threads = Thread.objects.filter(category=category)
    if not moderator:
        threads = threads.filter(is_hidden=False)
    count = max(math.ceil(threads.count() / THREADS_PER_PAGE), 1)
    number = _page_number(page, count)
    start = (number - 1) * THREADS_PER_PAGE
    listed = list(
        threads.select_related("author__organisation").order_by("-is_pinned", "-last_posted_at", "-pk")[
            start : start + THREADS_PER_PAGE
        ]
    )
    return CategoryPage(
        category=category,
        rows=_rows(user, listed, {category.space_id} if moderator else set()),
        page=Page(number, count),
        following=Subscription.objects.filter(user=user, category=category).exists(),
        moderator=moderator,
    )


def recent_threads(*, space: Space, user: AnyUser, limit: int = 10) -> list[ThreadRow]:
    moderator = access.can_moderate(user, space)
    threads = Thread.objects.filter(space=space)
    if not moderator:
        threads = threads.filter(is_hidden=False)
    listed = list(threads.select_related("author__organisation", "category").order_by("-last_posted_at")[:limit])
    return _rows(user, listed, {space.pk} if moderator else set())


# ------------------------------------------------------------------------------
# A thread's posts
# ------------------------------------------------------------------------------
@dataclass
class PostView:
    post: Post
    author: AuthorShown
    helpful_by_me: bool
    mine: bool
    is_new: bool  # after the reader's last visit
    accepted: bool
    quoted_label: str = ""


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[PostView]
    page: Page
    moderator: bool
    can_write: bool
    following: bool
    last_read_number: int  # before this visit
    first_new_number: int | None = None
    extra: dict = field(default_factory=dict)


def page_of_number(number: int) -> int:
    return max(math.ceil(number / POSTS_PER_PAGE), 1)


def post_location(*, thread_id: int, number: int) -> str:
    """Where post `number` of a thread is read: its page of the thread and its anchor
    (pages, redirects and emails all lead there without a second redirect)."""
    url = reverse("forum_thread", kwargs={"thread_id": thread_id})
    return f"{url}?page={page_of_number(number)}#post-{number}"


def thread_page(*, thread: Thread, user: AnyUser, page: str | int | None) -> ThreadPage:
    """One page of a thread, read by number range (constant work for any page), with
    the reader's reactions and reading state. Six queries whatever the thread's length."""
    space = thread.space
    moderator = access.can_moderate(user, space)
    count = page_of_number(thread.last_number)
    number = _page_number(page, count)
    first = (number - 1) * POSTS_PER_PAGE + 1
    posts = Post.objects.filter(thread=thread, number__range=(first, first + POSTS_PER_PAGE - 1))
    if moderator:
        # Open flags per post for the moderators' tools, in the same query.
        open_flags = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True).values("post")
        posts = posts.annotate(open_flag_count=Subquery(open_flags.annotate(n=Count("pk")).values("n")[:1]))
    posts = list(posts.select_related("author__organisation", "quoted__author").order_by("number"))
    helpful = set(Reaction.objects.filter(user=user, post__in=posts).values_list("post_id", flat=True))
    state = ThreadReadState.objects.filter(user=user, thread=thread).values_list("last_read_number", flat=True).first()
    seen = state or 0
    views = [
        PostView(
            post=post,
            author=author_shown(user, author=post.author, anonymous=post.anonymous, moderator=moderator),
            helpful_by_me=post.pk in helpful,
            mine=post.author_id == user.pk,
            is_new=state is not None and post.number > seen,
            accepted=thread.accepted_post_id == post.pk,
            quoted_label=public_author_label(author=post.quoted.author, anonymous=post.quoted.anonymous)
            if post.quoted_id and post.quoted
            else "",
        )
        for post in posts
    ]
    first_new = next((view.post.number for view in views if view.is_new), None)
    return ThreadPage(
        thread=thread,
        posts=views,
        page=Page(number, count),
        moderator=moderator,
        can_write=access.can_write(user, space),
        following=Subscription.objects.filter(user=user, thread=thread).exists(),
        last_read_number=seen,
        first_new_number=first_new,
    )


def first_unread_number(*, thread: Thread, user: AnyUser) -> int | None:
    """Where the thread opens for this reader: the first post after their last visit,
    or None (open at the top) when they have never opened it or have read it all."""
    seen = ThreadReadState.objects.filter(user=user, thread=thread).values_list("last_read_number", flat=True).first()
    if seen is None or seen >= thread.last_number:
        return None
    return seen + 1
