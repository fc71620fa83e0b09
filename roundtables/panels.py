"""What the roundtables app adds to the dashboard and the cohort pages (see
settings.ACADEMY_DASHBOARD_PANELS, ACADEMY_COHORT_TOOLS and ACADEMY_COHORT_LINKS)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from roundtables.session_selectors import upcoming_sessions_for

NEXT_SESSIONS_SHOWN = 3


def next_sessions_panel(request) -> dict | None:
    """“Your next sessions”: the next three sessions across the person's cohorts, with
    their answer to each."""
    sessions = upcoming_sessions_for(user=request.user, limit=NEXT_SESSIONS_SHOWN)
    if not sessions:
        return None
    return {"template": "roundtables/includes/next_sessions.html", "sessions": sessions}


def cohort_tools(request, cohort) -> list[tuple[str, str]]:
    """On the cohort management page: the sessions calendar, where facilitators schedule."""
    return [(_("Sessions and calendar"), reverse("cohort_calendar", kwargs={"slug": cohort.slug}))]


def cohort_links(request, cohort) -> list[tuple[str, str]]:
    """On the cohort page, for every member: the sessions calendar."""
    return [(_("Sessions and calendar"), reverse("cohort_calendar", kwargs={"slug": cohort.slug}))]
