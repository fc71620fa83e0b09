"""What stops a post before it is written: suspensions, and new members' first-day limits.

A member is *new* in a space during the space's `new_member_hours` after their first
membership in it (the cohort, or for a commons any of the programme's cohorts). While
new, they wait `new_member_post_interval` seconds between posts and may put at most
`new_member_max_links` links in one. Moderators are never limited.

`posting_refusal` returns the message to show, or None. Call it inside the transaction
that writes the post, after locking the thread or category row, so two quick posts
cannot both pass the interval check.
"""

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy.models import Membership
from forums.choices import SpaceKind
from forums.models import Post, Space, Suspension


def active_suspension(*, user_id: int, space: Space, now: datetime | None = None) -> Suspension | None:
    now = now or timezone.now()
    return (
        Suspension.objects.filter(space=space, user_id=user_id, until__gt=now, lifted_at__isnull=True)
        .order_by("-until")
        .first()
    )


def joined_space_at(*, user_id: int, space: Space) -> datetime | None:
    memberships = Membership.objects.filter(user_id=user_id)
    if space.kind == SpaceKind.COHORT:
        memberships = memberships.filter(cohort_id=space.cohort_id)
    else:
        memberships = memberships.filter(cohort__programme_id=space.programme_id)
    return memberships.aggregate(first=Min("joined_at"))["first"]


def is_new_member(*, user_id: int, space: Space, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    joined = joined_space_at(user_id=user_id, space=space)
    return joined is not None and joined > now - timedelta(hours=space.new_member_hours)


def posting_refusal(*, user_id: int, space: Space, link_count: int, moderator: bool) -> str | None:
    """Why this person may not post this now, in words for them; None if they may."""
    if moderator:
        return None
    now = timezone.now()
    suspension = active_suspension(user_id=user_id, space=space, now=now)
    if suspension is not None:
        until = formats.date_format(timezone.localtime(suspension.until), "DATETIME_FORMAT")
        return _("You are suspended from posting in this forum until %(until)s.") % {"until": until}
    if not is_new_member(user_id=user_id, space=space, now=now):
        return None
    if link_count > space.new_member_max_links:
        return ngettext(
            "In your first day here a post may hold at most %(max)d link; this one has %(count)d.",
            "In your first day here a post may hold at most %(max)d links; this one has %(count)d.",
            space.new_member_max_links,
        ) % {"max": space.new_member_max_links, "count": link_count}
    last = (
        Post.objects.filter(space=space, author_id=user_id).order_by("-created_at").values_list("created_at", flat=True)
    ).first()
    if last is not None:
        wait = space.new_member_post_interval - int((now - last).total_seconds())
        if wait > 0:
            return ngettext(
                "In your first day here, posts are at least a little apart: please wait %(seconds)d more second.",
                "In your first day here, posts are at least a little apart: please wait %(seconds)d more seconds.",
                wait,
            ) % {"seconds": wait}
    return None
