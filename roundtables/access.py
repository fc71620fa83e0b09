"""Who may see a session, join its room, and run it: built on `academy.access`.

- A session is visible to the members of its cohort (any role) and to staff; to anyone
  else it does not exist (404).
- The room admits the same people. Participants speak, raise hands and vote; observers
  watch and read; facilitators of the cohort (and staff) run the room.
- A personal calendar feed is reached by its secret token alone (calendar apps cannot
  sign in); it lists what its owner may see at the moment it is read.
- Every page, download, feed, export and websocket of this app asks here.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from academy import access
from academy.access import AnyUser
from academy.choices import MembershipRole
from academy.models import Membership
from roundtables.models import CalendarFeed, RoundtableSession, SessionMaterial


def sessions_visible_to(user: AnyUser) -> QuerySet[RoundtableSession]:
    return RoundtableSession.objects.filter(cohort__in=access.cohorts_visible_to(user))


def session_by_id(user: AnyUser, session_id: int) -> RoundtableSession | None:
    """The session with its cohort and the user's role in that cohort (one query), if
    the user may see it; None otherwise. Safe to call from a websocket's connect."""
    if not access.is_signed_in(user):
        return None
    session = (
        RoundtableSession.objects.select_related("cohort__programme")
        .annotate(
            viewer_role=Subquery(Membership.objects.filter(cohort=OuterRef("cohort_id"), user=user).values("role")[:1])
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return None
    user.__dict__.setdefault("_academy_roles", {})[session.cohort_id] = session.viewer_role
    if not access.can_view_cohort(user, session.cohort):
        return None
    return session


def access_session(user: AnyUser, session_id: int) -> RoundtableSession:
    session = session_by_id(user, session_id)
    if session is None:
        raise Http404
    return session


def can_run_session(user: AnyUser, session: RoundtableSession) -> bool:
    """Facilitators of the session's cohort, and staff."""
    return access.can_manage_cohort(user, session.cohort)


def can_speak(user: AnyUser, session: RoundtableSession) -> bool:
    """Participants and facilitators speak; observers only watch."""
    return can_run_session(user, session) or access.role_in_cohort(user, session.cohort) == MembershipRole.PARTICIPANT


def access_session_to_run(user: AnyUser, session_id: int) -> RoundtableSession:
    """The session, if the user runs it. Members who do not: 403; others: 404."""
    session = access_session(user, session_id)
    if not can_run_session(user, session):
        raise PermissionDenied
    return session


def access_material(user: AnyUser, session_id: int, material_id: int) -> SessionMaterial:
    session = access_session(user, session_id)
    material = SessionMaterial.objects.filter(session=session, pk=material_id).first()
    if material is None:
        raise Http404
    material.session = session
    return material


def access_calendar_feed(token: str) -> CalendarFeed:
    """The feed whose secret address this is, with its owner. Possession of the token is
    what grants it; an unknown or rotated token, or an inactive owner, is a 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not access.is_signed_in(feed.user):
        raise Http404
    return feed
