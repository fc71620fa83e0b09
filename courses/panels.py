"""What the courses app adds to the dashboard (see settings.ACADEMY_DASHBOARD_PANELS)."""

from courses.selectors import continue_learning


def continue_learning_panel(request) -> dict | None:
    """“Continue where you left off”: the next lesson of each course in progress."""
    items = continue_learning(user=request.user)
    if not items:
        return None
    return {"template": "courses/includes/continue_learning.html", "items": items}


def certificates_panel(request) -> dict | None:
    """The learner's certificates, to open and print."""
    from courses.models import Certificate

    certificates = list(Certificate.objects.filter(user=request.user).order_by("-issued_at"))
    if not certificates:
        return None
    return {"template": "courses/includes/certificates.html", "certificates": certificates}


def cohort_tools(request, cohort) -> list[tuple[str, str]]:
    """Links on the cohort management page: the progress matrix."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return [
        (_("Course progress"), reverse("cohort_progress", kwargs={"slug": cohort.slug})),
        (_("Shared reflections"), reverse("cohort_reflections", kwargs={"slug": cohort.slug})),
    ]


def improvement_plan_panel(request) -> dict | None:
    """The learner's open improvement actions, soonest first."""
    from courses.models import ImprovementAction

    actions = list(
        ImprovementAction.objects.filter(user=request.user, status=ImprovementAction.Status.OPEN).order_by("due_date")[
            :5
        ]
    )
    if not actions:
        return None
    return {"template": "courses/includes/improvement_plan.html", "actions": actions}
