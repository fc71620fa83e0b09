"""The named sets of the forums app, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpaceKind(models.TextChoices):
    COHORT = "cohort", _("Cohort forum")
    COMMONS = "commons", _("Programme commons")


class IdentityMode(models.TextChoices):
    """How authors appear in a category. Fixed on each post when it is written."""

    NAMED = "named", _("Named: members see who wrote each post")
    ANONYMOUS = "anonymous", _("Anonymous to peers: only the forum's facilitators see who wrote a post")


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question (one reply can be accepted as the answer)")


class FlagReason(models.TextChoices):
    HARASSMENT = "harassment", _("Harassment or intimidation")
    IDENTIFIES = "identifies", _("Identifies someone who should not be identified")
    OFF_TOPIC = "off_topic", _("Off topic")
    SPAM = "spam", _("Spam or advertising")
    INACCURATE = "inaccurate", _("Misleading or unsafe advice")
    OTHER = "other", _("Something else")


class FlagResolution(models.TextChoices):
    HIDDEN = "hidden", _("Post hidden")
    DISMISSED = "dismissed", _("Flag dismissed")


class ModerationAction(models.TextChoices):
    POST_HIDE = "post_hide", _("Hid a post")
    POST_RESTORE = "post_restore", _("Restored a post")
    THREAD_HIDE = "thread_hide", _("Hid a thread")
    THREAD_RESTORE = "thread_restore", _("Restored a thread")
    FLAG_DISMISS = "flag_dismiss", _("Dismissed a flag")
    THREAD_LOCK = "thread_lock", _("Locked a thread")
    THREAD_UNLOCK = "thread_unlock", _("Unlocked a thread")
    THREAD_PIN = "thread_pin", _("Pinned a thread")
    THREAD_UNPIN = "thread_unpin", _("Unpinned a thread")
    THREAD_MOVE = "thread_move", _("Moved a thread")
    MEMBER_SUSPEND = "member_suspend", _("Suspended a member from posting")
    MEMBER_UNSUSPEND = "member_unsuspend", _("Lifted a suspension")
    LIMITS_CHANGE = "limits_change", _("Changed the new members' limits")
    CATEGORY_ADD = "category_add", _("Added a category")
    REVISIONS_READ = "revisions_read", _("Read a post's edit history")


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("New reply in a thread you follow")
    NEW_THREAD = "new_thread", _("New thread in a category you follow")
    MENTION = "mention", _("Mentioned you")
    ANSWER_ACCEPTED = "answer_accepted", _("Your reply was accepted as the answer")


class EmailMode(models.TextChoices):
    EACH = "each", _("An email for each event")
    DAILY = "daily", _("One daily digest")
    NONE = "none", _("No email (in-app notifications only)")
