"""Forums: where participants talk among themselves between roundtables.

- A **Space** is a forum: each cohort has a private one (its members only), and each
  programme has a **commons** open to the members of all its cohorts. A space carries
  the limits that apply to its new members on their first day.
- A space has **Categories** by theme. A category is *named* or *anonymous to peers*:
  under the second, members never learn who wrote a post; the space's facilitators do.
- A **Thread** (a discussion, or a question with one accepted answer) holds **Posts**,
  numbered 1, 2, 3… within the thread (1 is the opening post). The text is written in a
  small Markdown subset and stored twice: as typed (for editing) and as HTML cleaned
  once at write time by `academy.sanitizer`. Each post keeps whether it was written
  anonymously: moving a thread or changing a category never unmasks anyone.
- Editing keeps the earlier text in **PostRevisions** (moderators read them); deleting
  one's own post is soft; moderators hide and restore posts, lock, pin and move threads.
- **Reactions** (“helpful”), **Flags** (a member reports a post to the moderators),
  **Suspensions** (no posting until a time) and the **ModerationLogEntry** audit trail.
- **Subscriptions** (follow a thread or a category), **Notifications** (in-app, emailed
  each or as a daily digest according to the **EmailPreference**), and
  **ThreadReadStates** (the last post number a person has seen in a thread).

Who may see or do what is decided in `forums.access`, built on `academy.access`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from academy.models import Cohort, Programme
from forums.choices import (
    EmailMode,
    FlagReason,
    FlagResolution,
    IdentityMode,
    ModerationAction,
    NotificationKind,
    SpaceKind,
    ThreadKind,
)


class Space(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="forum_spaces"
    )
    # Set for a cohort's forum; empty for the programme's commons.
    cohort = models.OneToOneField(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, null=True, blank=True, related_name="forum_space"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    # Limits for members in their first `new_member_hours` in the space's cohorts.
    new_member_hours = models.PositiveSmallIntegerField(
        _("new members' period (hours)"), default=24, help_text=_("How long after joining the limits below apply.")
    )
    new_member_post_interval = models.PositiveIntegerField(_("seconds between posts for new members"), default=60)
    new_member_max_links = models.PositiveSmallIntegerField(_("links per post for new members"), default=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "kind", "title"]
        verbose_name = _("forum space")
        verbose_name_plural = _("forum spaces")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=SpaceKind.COHORT, cohort__isnull=False) | Q(kind=SpaceKind.COMMONS, cohort__isnull=True)
                ),
                name="forum_space_cohort_iff_cohort_kind",
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(kind=SpaceKind.COMMONS), name="forum_one_commons_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum_space", kwargs={"space_id": self.pk})


class Category(models.Model):
    space = models.ForeignKey(Space, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="categories")
    title = models.CharField(_("title"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    identity = models.CharField(_("identity"), max_length=16, choices=IdentityMode.choices, default=IdentityMode.NAMED)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    thread_count = models.PositiveIntegerField(default=0)
    last_posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["space", "position", "title"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["space", "title"], name="forum_category_title_unique")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum_category", kwargs={"category_id": self.pk})

    @property
    def is_anonymous(self) -> bool:
        return self.identity == IdentityMode.ANONYMOUS


class Thread(models.Model):
    # `space` repeats the category's space so visibility filters need no join; every
    # move updates both (forums.moderation.thread_move).
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(_("kind"), max_length=16, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)
    # The highest post number given out (posts are never renumbered); the page count
    # and unread marks come from it without counting rows.
    last_number = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    accepted_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Where the thread came from, if it was opened from another part of the platform:
    # a lesson's discussion prompt (page id and block id) or a roundtable's record. Plain
    # ids: the forums app reads those apps only through their selectors.
    lesson_page_id = models.PositiveIntegerField(null=True, blank=True)
    lesson_block_id = models.CharField(max_length=64, blank=True)
    roundtable_session_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["category", "-is_pinned", "-last_posted_at"], name="forum_thread_listing"),
            models.Index(fields=["space", "-last_posted_at"], name="forum_thread_space_recent"),
        ]
        constraints = [
            # One thread per lesson prompt in each space: the prompt's link opens it.
            models.UniqueConstraint(
                fields=["space", "lesson_page_id", "lesson_block_id"],
                condition=Q(lesson_page_id__isnull=False),
                name="forum_thread_one_per_lesson_prompt",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum_thread", kwargs={"thread_id": self.pk})

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Repeated from the thread so search can filter on it (Wagtail's filter fields are
    # the model's own columns); thread moves update it.
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    anonymous = models.BooleanField(default=False)
    source = models.TextField(_("text"))
    html = models.TextField()
    # Plain text of the post, for search and for email excerpts.
    text = models.TextField()
    quoted = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)

    # Indexed: the post's text and, for an opening post, its thread's title; never an
    # author's name (anonymous authors must not be findable by name). Filters are applied
    # to the live rows, so a post hidden or deleted, or a thread hidden, leaves the results
    # at once, whatever the index still holds (forums.search).
    search_fields = [
        index.SearchField("text"),
        index.SearchField("search_title"),
        index.FilterField("space_id"),
        index.FilterField("deleted_at"),
        index.FilterField("hidden_at"),
        index.RelatedFields("thread", [index.FilterField("is_hidden")]),
    ]

    class Meta:
        ordering = ["thread", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["thread", "number"], name="forum_post_number_unique")]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("forum_post", kwargs={"post_id": self.pk})

    def search_title(self) -> str:
        """The thread's title, indexed with the opening post (so titles are searchable)."""
        return self.thread.title if self.number == 1 else ""

    @classmethod
    def get_indexed_objects(cls):
        # `manage.py update_index` reads the thread of every post (its title, is_hidden).
        return super().get_indexed_objects().select_related("thread")

    @property
    def is_opening(self) -> bool:
        return self.number == 1

    @property
    def is_visible(self) -> bool:
        """Shown with its text to members: neither deleted by its author nor hidden."""
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    html = models.TextField()
    title = models.CharField(max_length=200, blank=True)  # the thread's title, for opening posts
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "-replaced_at"]

    def __str__(self) -> str:
        return f"{self.post} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    """“Helpful”: one per person and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_reaction_once")]

    def __str__(self) -> str:
        return f"{self.user_id} finds {self.post} helpful"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note for the moderators"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=16, choices=FlagResolution.choices, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="forum_flag_one_open_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class Suspension(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="suspensions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} suspended in {self.space} until {self.until:%Y-%m-%d %H:%M}"


class ModerationLogEntry(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=24, choices=ModerationAction.choices)
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Subscription(models.Model):
    """A person follows one thread or one category."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, category__isnull=True)
                | Q(thread__isnull=True, category__isnull=False),
                name="forum_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(thread__isnull=False), name="forum_follow_thread_once"
            ),
            models.UniqueConstraint(
                fields=["user", "category"], condition=Q(category__isnull=False), name="forum_follow_category_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread or self.category}"


class ThreadReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forum_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread} to #{self.last_read_number}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by email (alone or in a digest); empty while it waits.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="forum_notification_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "post", "kind"], name="forum_notification_once_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}: {self.post}"


class EmailPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_email_preference"
    )
    mode = models.CharField(_("forum emails"), max_length=8, choices=EmailMode.choices, default=EmailMode.DAILY)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_mode_display()}"
