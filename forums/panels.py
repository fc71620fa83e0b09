"""What the forums add to other apps' pages: the cohort page (settings.ACADEMY_COHORT_LINKS)
and a roundtable's record (settings.ROUNDTABLE_RECORD_PANELS)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from forums import access, links


def cohort_links(request, cohort) -> list[tuple[str, str]]:
    """On the cohort page, for every member: the cohort's forum (no query: the address
    goes by the cohort's slug and finds, or first creates, the forum when followed)."""
    return [(_("Forum"), reverse("forum_cohort", kwargs={"slug": cohort.slug}))]


def roundtable_followups(request, session) -> dict | None:
    """On a session's record: its follow-up threads the reader may see, and whether the
    reader may start one (participants and facilitators of the cohort, staff). Two
    queries at most: the reader's memberships (remembered for the request) and the
    threads."""
    if not session.has_ended:
        return None
    user = request.user
    programme_id = session.cohort.programme_id
    stub = links.cohort_space_stub(cohort_id=session.cohort_id, programme_id=programme_id)
    threads = links.followups_of(
        user=user, cohort_id=session.cohort_id, programme_id=programme_id, session_id=session.pk
    )
    can_start = access.can_write(user, stub)
    if not (threads or can_start):
        return None
    return {
        "template": "forums/includes/roundtable_followups.html",
        "threads": threads,
        "can_start": can_start,
        "url": reverse("forum_roundtable_followup", kwargs={"session_id": session.pk}),
    }
