"""Writes of the forums: spaces and categories, threads, replies, edits, deletions,
reactions, accepted answers, following and reading state.

Functions are named `<entity>_<action>`, take keyword-only typed arguments, validate and
run inside a transaction. Access has been checked by the caller through `forums.access`
(the services re-check what depends on state that can change between page and post:
locks, suspensions, limits). Broken rules raise `ValidationError`: a dict keyed by the
field at fault, or one message for a refusal. Messages are module constants the tests
assert. Notifications are written in the same transaction as the post; their emails
go out after commit (`forums.notifications`).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import Cohort, Programme, User
from forums import access, limits, notifications, selectors
from forums.choices import IdentityMode, SpaceKind, ThreadKind
from forums.markup import render_post
from forums.models import Category, Post, PostRevision, Reaction, Space, Subscription, Thread, ThreadReadState

POST_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 200

# Error messages, asserted by the tests.
POST_EMPTY = _("Write something before posting.")
POST_TOO_LONG = _("A post can be at most %(max)d characters; this one has %(count)d.")
TITLE_EMPTY = _("Give the thread a title.")
TITLE_TOO_LONG = _("A title can be at most %(max)d characters.")
THREAD_LOCKED = _("This thread is locked: no new replies.")
MAY_NOT_WRITE = _("Observers read the forum but do not post in it.")
POST_GONE = _("This post was deleted or hidden and can no longer be changed.")
ANSWER_NOT_A_QUESTION = _("Only question threads have an accepted answer.")
ANSWER_OWN_THREAD_ONLY = _("Only the person who asked, or a facilitator, can accept an answer.")
ANSWER_MUST_BE_REPLY = _("Accept a reply, not the question itself.")
REACTION_OWN_POST = _("You cannot mark your own post as helpful.")
CATEGORY_TITLE_TAKEN = _("This forum already has a category with that title.")


# ------------------------------------------------------------------------------
# Spaces and categories
# ------------------------------------------------------------------------------
def _default_categories(space: Space) -> list[Category]:
    return [
        Category(space=space, title=str(title), description=str(description), identity=identity, position=position)
        for position, (title, description, identity) in enumerate(settings.FORUM_DEFAULT_CATEGORIES)
    ]


@transaction.atomic
def space_ensure_for_cohort(*, cohort: Cohort) -> Space:
    """The cohort's forum, created with the default categories the first time it is asked for."""
    space = Space.objects.filter(cohort=cohort).first()
    if space is not None:
        return space
    try:
        with transaction.atomic():
            space = Space.objects.create(
                kind=SpaceKind.COHORT, programme_id=cohort.programme_id, cohort=cohort, title=cohort.name
            )
    except IntegrityError:  # created meanwhile by another request
        return Space.objects.get(cohort=cohort)
    Category.objects.bulk_create(_default_categories(space))
    return space


@transaction.atomic
def space_ensure_commons(*, programme: Programme) -> Space:
    """The programme's commons, created with the default categories the first time."""
    space = Space.objects.filter(programme=programme, kind=SpaceKind.COMMONS).first()
    if space is not None:
        return space
    try:
        with transaction.atomic():
            space = Space.objects.create(
                kind=SpaceKind.COMMONS,
                programme=programme,
                title=str(_("%(programme)s commons") % {"programme": programme.name}),
                description=str(_("Open to the members of every cohort of the programme.")),
            )
    except IntegrityError:
        return Space.objects.get(programme=programme, kind=SpaceKind.COMMONS)
    Category.objects.bulk_create(_default_categories(space))
    return space


def spaces_ensure_for(*, user: User) -> None:
    """Make sure the forums of the person's cohorts and programmes exist (two queries
    when they all do)."""
    cohorts = list(access.cohorts_of(user))
    have = set(Space.objects.filter(cohort__in=cohorts).values_list("cohort_id", flat=True))
    for cohort in cohorts:
        if cohort.pk not in have:
            space_ensure_for_cohort(cohort=cohort)
    programme_ids = {cohort.programme_id for cohort in cohorts}
    commons = set(
        Space.objects.filter(kind=SpaceKind.COMMONS, programme_id__in=programme_ids).values_list(
            "programme_id", flat=True
        )
    )
    for programme in Programme.objects.filter(pk__in=programme_ids - commons):
        space_ensure_commons(programme=programme)


@transaction.atomic
def category_add(*, space: Space, actor: User, title: str, description: str, identity: str) -> Category:
    """A moderator adds a category at the end of the space's list."""
    from forums import moderation

    title = title.strip()
    if not title:
        raise ValidationError({"title": [TITLE_EMPTY]})
    if identity not in IdentityMode.values:
        raise ValueError("unknown identity mode")
    if Category.objects.filter(space=space, title__iexact=title).exists():
        raise ValidationError({"title": [CATEGORY_TITLE_TAKEN]})
    position = (space.categories.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    category = Category.objects.create(
        space=space, title=title, description=description.strip(), identity=identity, position=position
    )
    moderation.log(space=space, actor=actor, action="category_add", note=title)
    return category


# ------------------------------------------------------------------------------
# Threads and posts
# ------------------------------------------------------------------------------
def _check_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": [POST_EMPTY]})
    if len(text) > POST_MAX_LENGTH:
        raise ValidationError(
            {"text": [ValidationError(POST_TOO_LONG, params={"max": POST_MAX_LENGTH, "count": len(text)})]}
        )


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": [TITLE_EMPTY]})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"title": [ValidationError(TITLE_TOO_LONG, params={"max": TITLE_MAX_LENGTH})]})
    return title


def _check_may_post(*, author: User, space: Space, link_count: int) -> None:
    if not access.can_write(author, space):
        raise ValidationError(MAY_NOT_WRITE)
    refusal = limits.posting_refusal(
        user_id=author.pk, space=space, link_count=link_count, moderator=access.can_moderate(author, space)
    )
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def thread_create(
    *,
    author: User,
    category: Category,
    title: str,
    text: str,
    kind: str = ThreadKind.DISCUSSION,
    lesson_page_id: int | None = None,
    lesson_block_id: str = "",
    roundtable_session_id: int | None = None,
) -> Thread:
    """Open a thread with its first post. The author follows it from then on. Under an
    anonymous category the thread and its first post are anonymous to peers."""
    if kind not in ThreadKind.values:
        raise ValueError("unknown thread kind")
    errors = {}
    try:
        title = _check_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _check_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    # Lock the category row: new members' interval check and the counters are serialised.
    category = Category.objects.select_for_update().select_related("space").get(pk=category.pk)
    space = category.space
    rendered = render_post(text, mentionable=selectors.mentionable_names(space=space))
    _check_may_post(author=author, space=space, link_count=rendered.link_count)
    now = timezone.now()
    thread = Thread.objects.create(
        space=space,
        category=category,
        kind=kind,
        title=title,
        author=author,
        anonymous=category.is_anonymous,
        created_at=now,
        last_posted_at=now,
        last_number=1,
        lesson_page_id=lesson_page_id,
        lesson_block_id=lesson_block_id,
        roundtable_session_id=roundtable_session_id,
    )
    post = Post.objects.create(
        thread=thread,
        space=space,
        number=1,
        author=author,
        anonymous=thread.anonymous,
        source=text,
        html=rendered.html,
        text=rendered.text,
        created_at=now,
    )
    Category.objects.filter(pk=category.pk).update(thread_count=F("thread_count") + 1, last_posted_at=now)
    Subscription.objects.get_or_create(user=author, thread=thread)
    ThreadReadState.objects.update_or_create(
        user=author, thread=thread, defaults={"last_read_number": 1, "visited_at": now}
    )
    notifications.post_published(post=post, mentioned_ids=rendered.mentioned_ids)
    return thread


@transaction.atomic
def post_reply(*, author: User, thread: Thread, text: str, quoted: Post | None = None) -> Post:
    """Add a reply at the end of the thread (numbers are taken under the thread's lock).
    The author follows the thread from then on."""
    _check_text(text)
    thread = Thread.objects.select_for_update().select_related("space", "category").get(pk=thread.pk)
    space = thread.space
    if thread.is_locked and not access.can_moderate(author, space):
        raise ValidationError(THREAD_LOCKED)
    rendered = render_post(text, mentionable=selectors.mentionable_names(space=space))
    _check_may_post(author=author, space=space, link_count=rendered.link_count)
    if quoted is not None and quoted.thread_id != thread.pk:
        quoted = None
    now = timezone.now()
    number = thread.last_number + 1
    post = Post.objects.create(
        thread=thread,
        space=space,
        number=number,
        author=author,
        anonymous=thread.category.is_anonymous,
        source=text,
        html=rendered.html,
        text=rendered.text,
        quoted=quoted,
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(last_number=number, reply_count=F("reply_count") + 1, last_posted_at=now)
    Category.objects.filter(pk=thread.category_id).update(last_posted_at=now)
    Subscription.objects.get_or_create(user=author, thread=thread)
    ThreadReadState.objects.update_or_create(
        user=author, thread=thread, defaults={"last_read_number": number, "visited_at": now}
    )
    notifications.post_published(post=post, mentioned_ids=rendered.mentioned_ids)
    return post


@transaction.atomic
def post_edit(*, editor: User, post: Post, text: str, title: str | None = None) -> Post:
    """The author changes their post (and, for an opening post, the thread's title). The
    text before is kept as a revision that moderators can read; the post shows “edited”.
    People mentioned for the first time are notified."""
    errors = {}
    try:
        _check_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if title is not None and post.is_opening:
        try:
            title = _check_title(title)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    post = Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)
    if post.author_id != editor.pk:
        raise PermissionDenied
    if not post.is_visible:
        raise ValidationError(POST_GONE)
    space = post.thread.space
    if post.thread.is_locked and not access.can_moderate(editor, space):
        raise ValidationError(THREAD_LOCKED)
    rendered = render_post(text, mentionable=selectors.mentionable_names(space=space))
    _check_may_post(author=editor, space=space, link_count=rendered.link_count)
    PostRevision.objects.create(
        post=post,
        source=post.source,
        html=post.html,
        title=post.thread.title if post.is_opening else "",
        written_at=post.edited_at or post.created_at,
    )
    # The title first: saving the post re-indexes it for search, title included.
    if title is not None and post.is_opening and title != post.thread.title:
        Thread.objects.filter(pk=post.thread_id).update(title=title)
        post.thread.title = title
    post.source, post.html, post.text = text, rendered.html, rendered.text
    post.edited_at = timezone.now()
    post.save(update_fields=["source", "html", "text", "edited_at"])
    notifications.post_published(post=post, mentioned_ids=rendered.mentioned_ids, mentions_only=True)
    return post


@transaction.atomic
def post_delete(*, user: User, post: Post) -> Post:
    """The author withdraws their post. It stays in its place as “deleted by its
    author” so the numbering and replies keep their sense; the text is kept for
    moderators only."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != user.pk:
        raise PermissionDenied
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        Thread.objects.filter(accepted_post=post).update(accepted_post=None)
    return post


@transaction.atomic
def reaction_toggle(*, user: User, post: Post) -> bool:
    """Mark a post helpful, or take the mark back. Returns whether it is marked now."""
    if post.author_id == user.pk:
        raise ValidationError(REACTION_OWN_POST)
    if not post.is_visible:
        raise ValidationError(POST_GONE)
    deleted, _ = Reaction.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
        return False
    Reaction.objects.create(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return True


@transaction.atomic
def answer_accept(*, user: User, post: Post) -> Thread:
    """The asker (or a moderator) accepts a reply as the answer to a question; accepting
    the accepted answer again takes it back."""
    thread = Thread.objects.select_for_update().select_related("space").get(pk=post.thread_id)
    if not thread.is_question:
        raise ValidationError(ANSWER_NOT_A_QUESTION)
    if thread.author_id != user.pk and not access.can_moderate(user, thread.space):
        raise ValidationError(ANSWER_OWN_THREAD_ONLY)
    if post.is_opening:
        raise ValidationError(ANSWER_MUST_BE_REPLY)
    if not post.is_visible:
        raise ValidationError(POST_GONE)
    thread.accepted_post = None if thread.accepted_post_id == post.pk else post
    thread.save(update_fields=["accepted_post"])
    if thread.accepted_post is not None:
        notifications.answer_accepted(post=post)
    return thread


# ------------------------------------------------------------------------------
# Following and reading
# ------------------------------------------------------------------------------
def thread_follow(*, user: User, thread: Thread, follow: bool) -> None:
    if follow:
        Subscription.objects.get_or_create(user=user, thread=thread)
    else:
        Subscription.objects.filter(user=user, thread=thread).delete()


def category_follow(*, user: User, category: Category, follow: bool) -> None:
    if follow:
        Subscription.objects.get_or_create(user=user, category=category)
    else:
        Subscription.objects.filter(user=user, category=category).delete()


def thread_mark_read(*, user: User, thread: Thread, up_to: int) -> None:
    """Remember the highest post number the person has seen (never lowers it)."""
    up_to = min(up_to, thread.last_number)
    now = timezone.now()
    updated = ThreadReadState.objects.filter(user=user, thread=thread, last_read_number__lt=up_to).update(
        last_read_number=up_to, visited_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                ThreadReadState.objects.get_or_create(
                    user=user, thread=thread, defaults={"last_read_number": up_to, "visited_at": now}
                )
        except IntegrityError:
            pass  # a parallel request wrote it
