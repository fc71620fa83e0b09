"""Pages of the live room and of its record. The room itself talks over the websocket
(roundtables.consumers); this page only serves the frame and the script."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from academy.choices import CONSTITUENCIES, StakeholderGroup
from roundtables import access, exports
from roundtables.record import session_record

RECORD_NOT_YET = _("The record opens when the facilitator ends the session.")


@login_required
def room(request, session_id: int):
    session = access.access_session(request.user, session_id)
    config = {
        "socketPath": f"/ws/roundtables/{session.pk}/",
        "sessionId": session.pk,
        "recordUrl": reverse("roundtable_record", kwargs={"session_id": session.pk}),
    }
    return render(
        request,
        "roundtables/room.html",
        {
            "session": session,
            "cohort": session.cohort,
            "config": config,
            "can_run": access.can_run_session(request.user, session),
            "can_speak": access.can_speak(request.user, session),
            "stakeholder_groups": [(group.value, group.label, group in CONSTITUENCIES) for group in StakeholderGroup],
        },
    )


@login_required
def record(request, session_id: int):
    session = access.access_session(request.user, session_id)
    if not session.has_ended:
        messages.info(request, RECORD_NOT_YET)
        return redirect(session.get_absolute_url())
    can_run = access.can_run_session(request.user, session)
    context = {
        "session": session,
        "cohort": session.cohort,
        "record": session_record(session=session),
        "can_run": can_run,
        "panels": record_panels(request, session),
    }
    return render(request, "roundtables/record.html", context)


def record_panels(request, session) -> list[dict]:
    """What other apps add to a record (settings.ROUNDTABLE_RECORD_PANELS: callables
    (request, session) -> {"template": ..., **context} or None), such as the forums'
    follow-up threads; roundtables names none of them."""
    panels = (import_string(path)(request, session) for path in settings.ROUNDTABLE_RECORD_PANELS)
    return [panel for panel in panels if panel]


def _record_to_export(request, session_id: int):
    session = access.access_session(request.user, session_id)
    if not access.can_run_session(request.user, session):
        raise PermissionDenied
    return session_record(session=session)


@login_required
def record_markdown(request, session_id: int):
    return exports.record_markdown(_record_to_export(request, session_id))


@login_required
def record_csv(request, session_id: int):
    return exports.record_csv(_record_to_export(request, session_id))
