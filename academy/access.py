"""The one authority on who may see or do what.

Every view, export, feed and websocket asks here. Two kinds of answer:

- `visible_to`-style querysets (`cohorts_visible_to`) for lists;
- `access_*` helpers that fetch one object *with* its permission check. An object the
  user may not see raises `Http404`, never a 403 that would confirm it exists. A
  member who may see an object but not act on it gets `PermissionDenied`.

The rules (docs/roles.md says the same in prose):
- Staff (`is_staff`) see and manage every cohort.
- A member of a cohort (participant, facilitator, observer) sees it and its members.
- A facilitator of a cohort manages it: invitations, roles, removals.
- Trainers are a group with rights on the course tree; by themselves they see no cohort.
- An inactive account sees nothing.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from academy.choices import TRAINERS_GROUP_NAME, MembershipRole
from academy.models import Cohort, Invitation, Membership, User

AnyUser = User | AnonymousUser


def is_signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_staff(user: AnyUser) -> bool:
    return is_signed_in(user) and user.is_staff


def is_trainer(user: AnyUser) -> bool:
    if not is_signed_in(user):
        return False
    cached = getattr(user, "_academy_is_trainer", None)
    if cached is None:
        cached = user.groups.filter(name=TRAINERS_GROUP_NAME).exists()
        user._academy_is_trainer = cached
    return cached


def is_facilitator_anywhere(user: AnyUser) -> bool:
    if not is_signed_in(user):
        return False
    cached = getattr(user, "_academy_facilitates", None)
    if cached is None:
        cached = user.memberships.filter(role=MembershipRole.FACILITATOR).exists()
        user._academy_facilitates = cached
    return cached


def requires_mfa(user: AnyUser) -> bool:
    """Staff and facilitators hold other people's data: they must use two-factor."""
    return is_staff(user) or is_facilitator_anywhere(user)


def may_use_cms(user: AnyUser) -> bool:
    """Whether the person may enter the Wagtail admin (its own `access_admin` permission).

    Only staff and trainers can hold it, so everyone else is answered without loading
    their permissions; Wagtail still checks its finer permissions on every CMS page.
    """
    if not (is_staff(user) or is_trainer(user)):
        return False
    return user.has_perm("wagtailadmin.access_admin")


# ------------------------------------------------------------------------------
# Cohorts
# ------------------------------------------------------------------------------
def cohorts_visible_to(user: AnyUser) -> QuerySet[Cohort]:
    if not is_signed_in(user):
        return Cohort.objects.none()
    if user.is_staff:
        return Cohort.objects.all()
    return Cohort.objects.filter(memberships__user=user)


def cohorts_managed_by(user: AnyUser) -> QuerySet[Cohort]:
    if not is_signed_in(user):
        return Cohort.objects.none()
    if user.is_staff:
        return Cohort.objects.all()
    return Cohort.objects.filter(memberships__user=user, memberships__role=MembershipRole.FACILITATOR)


def role_in_cohort(user: AnyUser, cohort: Cohort) -> str | None:
    """The user's membership role in the cohort, or None."""
    if not is_signed_in(user):
        return None
    cache = user.__dict__.setdefault("_academy_roles", {})
    if cohort.pk not in cache:
        cache[cohort.pk] = Membership.objects.filter(user=user, cohort=cohort).values_list("role", flat=True).first()
    return cache[cohort.pk]


def can_view_cohort(user: AnyUser, cohort: Cohort) -> bool:
    return is_staff(user) or role_in_cohort(user, cohort) is not None


def can_manage_cohort(user: AnyUser, cohort: Cohort) -> bool:
    return is_staff(user) or role_in_cohort(user, cohort) == MembershipRole.FACILITATOR


def access_cohort(user: AnyUser, slug: str) -> Cohort:
    """The cohort, if the user may see it; 404 otherwise. One query: the user's role in
    it comes along (and is remembered for the checks that follow)."""
    cohorts = Cohort.objects.select_related("programme").filter(slug=slug)
    if is_signed_in(user):
        cohorts = cohorts.annotate(
            viewer_role=Subquery(Membership.objects.filter(cohort=OuterRef("pk"), user=user).values("role")[:1])
        )
    cohort = cohorts.first()
    if cohort is not None and is_signed_in(user):
        user.__dict__.setdefault("_academy_roles", {})[cohort.pk] = cohort.viewer_role
    if cohort is None or not can_view_cohort(user, cohort):
        raise Http404
    return cohort


def access_cohort_to_manage(user: AnyUser, slug: str) -> Cohort:
    """The cohort, if the user facilitates it. Members who do not: 403; others: 404."""
    cohort = access_cohort(user, slug)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    return cohort


def access_membership_to_manage(user: AnyUser, cohort: Cohort, membership_id: int) -> Membership:
    """A membership of a cohort the user manages (call after access_cohort_to_manage)."""
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    membership = Membership.objects.select_related("user", "cohort").filter(cohort=cohort, pk=membership_id).first()
    if membership is None:
        raise Http404
    return membership


def access_invitation_to_manage(user: AnyUser, cohort: Cohort, invitation_id: int) -> Invitation:
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    invitation = Invitation.objects.filter(cohort=cohort, pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def access_invitation_by_token(token: str) -> Invitation:
    """Possession of the emailed token is what grants sight of an invitation."""
    invitation = Invitation.objects.select_related("cohort__programme", "invited_by").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation
