"""Pages of the sessions part: the cohort calendar, scheduling, a session's details, RSVPs,
materials, .ics files and the personal calendar feed.

Views are thin: fetch through `roundtables.access` (or `academy.access`), bind a form,
call one service, render or redirect. The live room's views are in `room_views`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import access as academy_access
from roundtables import access, ics, record, services, session_selectors
from roundtables.choices import PrivacyMode, SessionKind
from roundtables.forms import PRIVACY_EXPLANATIONS, MaterialForm, RsvpForm, SessionForm
from roundtables.models import RoundtableSession


def _zone_name() -> str:
    """The active time zone (the viewer's, set by academy.middleware), readable."""
    return timezone.get_current_timezone_name().replace("_", " ")


def _material_form(*args) -> MaterialForm:
    return MaterialForm(
        *args, extensions=settings.ROUNDTABLE_MATERIAL_EXTENSIONS, max_bytes=settings.ROUNDTABLE_MATERIAL_MAX_BYTES
    )


# ------------------------------------------------------------------------------
# The cohort's calendar, scheduling and editing
# ------------------------------------------------------------------------------
@login_required
@require_GET
def cohort_calendar(request, slug: str):
    cohort = academy_access.access_cohort(request.user, slug)
    can_manage = academy_access.can_manage_cohort(request.user, cohort)
    context = {
        "cohort": cohort,
        "calendar": session_selectors.cohort_calendar(cohort=cohort, user=request.user),
        "can_manage": can_manage,
        "zone_name": _zone_name(),
        # Each participant's record of sessions attended: their own, or (facilitators) everyone's.
        "my_attendance": record.sessions_attended(user=request.user, cohort_ids=[cohort.pk]),
        "cohort_attendance": record.cohort_attendance(cohort=cohort) if can_manage else None,
    }
    return render(request, "roundtables/cohort_calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def roundtable_schedule(request, slug: str):
    cohort = academy_access.access_cohort_to_manage(request.user, slug)
    form = SessionForm(
        request.POST or None,
        zone_name=_zone_name(),
        initial={"kind": SessionKind.ROUNDTABLE, "privacy": PrivacyMode.NAMED},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(cohort=cohort, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect(session)
    return render(request, "roundtables/session_form.html", {"cohort": cohort, "form": form, "session": None})


@login_required
@require_http_methods(["GET", "POST"])
def roundtable_edit(request, session_id: int):
    session = access.access_session_to_run(request.user, session_id)
    if session.has_ended:
        messages.error(request, services.SESSION_ENDED)
        return redirect(session)
    form = SessionForm(request.POST or None, zone_name=_zone_name(), initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # closed meanwhile
                messages.error(request, error.messages[0])
                return redirect(session)
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is updated."))
            return redirect(session)
    return render(
        request, "roundtables/session_form.html", {"cohort": session.cohort, "form": form, "session": session}
    )


# ------------------------------------------------------------------------------
# One session
# ------------------------------------------------------------------------------
def _detail(request, session: RoundtableSession, *, material_form: MaterialForm | None = None):
    detail = session_selectors.session_detail(session=session, user=request.user)
    can_run = access.can_run_session(request.user, session)
    context = {
        "session": session,
        "cohort": session.cohort,
        "detail": detail,
        "privacy_explanation": PRIVACY_EXPLANATIONS[session.privacy],
        "rsvp_form": RsvpForm(initial={"answer": detail.my_answer}),
        "can_run": can_run,
        "material_form": (material_form or _material_form()) if can_run else None,
        "zone_name": _zone_name(),
    }
    return render(request, "roundtables/session_detail.html", context)


@login_required
@require_GET
def roundtable_detail(request, session_id: int):
    return _detail(request, access.access_session(request.user, session_id))


@login_required
@require_POST
def roundtable_rsvp(request, session_id: int):
    session = access.access_session(request.user, session_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.RSVP_INVALID_ANSWER)
        return redirect(session)
    try:
        rsvp = services.rsvp_answer(session=session, user=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your answer is saved: %(answer)s.") % {"answer": rsvp.get_answer_display()})
    return redirect(session)


@login_required
@require_GET
def roundtable_ics(request, session_id: int):
    session = access.access_session(request.user, session_id)
    response = HttpResponse(ics.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roundtable-{session.pk}.ics"'
    return response


# ------------------------------------------------------------------------------
# Materials
# ------------------------------------------------------------------------------
@login_required
@require_POST
def roundtable_material_add(request, session_id: int):
    session = access.access_session_to_run(request.user, session_id)
    form = _material_form(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.material_add(session=session, uploaded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(title)s” is shared with the cohort.") % {"title": material.title})
            return redirect(session)
    return _detail(request, session, material_form=form)


@login_required
@require_GET
def roundtable_material(request, session_id: int, material_id: int):
    """Download a material: only through this access check, never from MEDIA_URL."""
    material = access.access_material(request.user, session_id, material_id)
    try:
        handle = material.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def roundtable_material_delete(request, session_id: int, material_id: int):
    session = access.access_session_to_run(request.user, session_id)
    material = access.access_material(request.user, session.pk, material_id)
    services.material_delete(material=material)
    messages.success(request, _("“%(title)s” was removed.") % {"title": material.title})
    return redirect(session)


# ------------------------------------------------------------------------------
# The personal calendar
# ------------------------------------------------------------------------------
@login_required
@require_GET
def calendar_feed_settings(request):
    """The person's upcoming sessions and their secret feed address (made on first visit)."""
    feed = services.calendar_feed_get_or_create(user=request.user)
    https_url = ics.site_url(reverse("calendar_feed", kwargs={"token": feed.token}))
    context = {
        "sessions": session_selectors.upcoming_sessions_for(user=request.user),
        "feed_url": https_url,
        "webcal_url": "webcal://" + https_url.split("://", 1)[1],
        "zone_name": _zone_name(),
    }
    return render(request, "roundtables/calendar_feed_settings.html", context)


@login_required
@require_POST
def calendar_feed_rotate(request):
    services.calendar_feed_rotate(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old one stopped working: subscribe again with this one.")
    )
    return redirect("calendar_feed_settings")


@require_GET
def calendar_feed(request, token: str):
    """The personal feed, read by calendar apps: the secret token is the only key."""
    feed = access.access_calendar_feed(token)
    owner = feed.user
    sessions = session_selectors.feed_sessions(feed=feed)
    with override(owner.preferred_language):
        content = ics.feed_ics(sessions, name=_("%(site)s sessions") % {"site": settings.WAGTAIL_SITE_NAME})
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="academy-sessions.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
