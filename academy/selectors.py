"""Reads of the core, shaped for pages and for other apps.

Feature apps read people, cohorts and memberships through these functions (and
`academy.access`), never through ad-hoc queries of their own.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from academy import access
from academy.choices import MembershipRole, StakeholderGroup
from academy.models import Cohort, Invitation, Membership, Programme, User


@dataclass
class StakeholderSeat:
    """One stakeholder group's members in a cohort."""

    group: str
    label: str
    memberships: list[Membership]


def programmes_for_home() -> QuerySet[Programme]:
    return Programme.objects.annotate(cohort_count=Count("cohorts")).order_by("sort_order", "name")


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("cohort__programme")
        .annotate(member_count=Count("cohort__memberships"))
        .order_by("-cohort__start_date", "cohort__name")
    )


def cohorts_for_staff_overview(*, user: User) -> QuerySet[Cohort]:
    return (
        access.cohorts_visible_to(user)
        .select_related("programme")
        .annotate(member_count=Count("memberships"))
        .order_by("-start_date", "name")
    )


def cohort_memberships(*, cohort: Cohort) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cohort=cohort)
        .select_related("user__organisation")
        .order_by("user__display_name", "user__email")
    )


def cohort_seats(*, cohort: Cohort) -> list[StakeholderSeat]:
    """Members grouped by stakeholder group, in the fixed order of the groups.

    This is the heart of Building Bridges: who is in the room, from which side.
    """
    by_group: dict[str, list[Membership]] = {}
    for membership in cohort_memberships(cohort=cohort):
        by_group.setdefault(membership.user.stakeholder_group, []).append(membership)
    return [
        StakeholderSeat(group=value, label=label, memberships=by_group[value])
        for value, label in StakeholderGroup.choices
        if value in by_group
    ]


def cohort_facilitators(*, cohort: Cohort) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(cohort=cohort, role=MembershipRole.FACILITATOR).select_related(
            "user"
        )
    ]


def cohort_open_invitations(*, cohort: Cohort) -> QuerySet[Invitation]:
    """Invitations not yet used or withdrawn (pending and expired), newest first."""
    return (
        Invitation.objects.filter(cohort=cohort, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )
