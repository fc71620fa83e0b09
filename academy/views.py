"""Pages of the core. Views are thin: fetch through `access`, bind a form, call one
service, render or redirect."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from academy import access, selectors, services
from academy.adapters import PENDING_INVITATION_SESSION_KEY
from academy.choices import MembershipRole, StakeholderGroup
from academy.forms import InviteForm, LanguageForm, ProfileForm, RoleForm
from academy.models import Cohort


# ------------------------------------------------------------------------------
# Public and personal pages
# ------------------------------------------------------------------------------
def home(request):
    return render(
        request,
        "academy/home.html",
        {"programmes": selectors.programmes_for_home(), "stakeholder_groups": StakeholderGroup.choices[:5]},
    )


def dashboard_panels(request) -> list[dict]:
    """Panels that feature apps add to the dashboard (settings.ACADEMY_DASHBOARD_PANELS)."""
    panels = (import_string(path)(request) for path in settings.ACADEMY_DASHBOARD_PANELS)
    return [panel for panel in panels if panel]


@login_required
def dashboard(request):
    user = request.user
    context = {
        "memberships": selectors.memberships_of_user(user=user),
        "open_invitations": services.invitations_open_for_user(user=user),
        "all_cohorts": selectors.cohorts_for_staff_overview(user=user) if access.is_staff(user) else None,
        "panels": dashboard_panels(request),
    }
    return render(request, "academy/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "academy/profile.html", {"form": form})


@require_POST
def language_set(request):
    """The language switcher: a cookie for visitors, the profile for members."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated and request.user.preferred_language != language:
            services.user_update_profile(user=request.user, preferred_language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def cms_login(request):
    """Wagtail's login URL, answered by allauth's sign-in (with two-factor).

    A signed-in person without CMS rights is refused here rather than sent back to
    the sign-in page, which would send them on to the CMS again in a loop.
    """
    next_url = request.GET.get("next", "/cms/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/cms/"
    if not request.user.is_authenticated:
        return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))
    if not access.may_use_cms(request.user):
        raise PermissionDenied
    return redirect(next_url)


def frontend_login(request):
    """Wagtail's front-end login URL (private pages), answered by allauth's sign-in."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))


# ------------------------------------------------------------------------------
# Cohorts
# ------------------------------------------------------------------------------
@login_required
def cohort_detail(request, slug: str):
    cohort = access.access_cohort(request.user, slug)
    seats = selectors.cohort_seats(cohort=cohort)
    context = {
        "cohort": cohort,
        "seats": seats,
        "member_count": sum(len(seat.memberships) for seat in seats),
        "my_role": access.role_in_cohort(request.user, cohort),
        "can_manage": access.can_manage_cohort(request.user, cohort),
        "links": cohort_links(request, cohort),
    }
    return render(request, "academy/cohort_detail.html", context)


def cohort_links(request, cohort: Cohort) -> list[tuple[str, str]]:
    """Links that feature apps add to the cohort page (settings.ACADEMY_COHORT_LINKS)."""
    return [link for path in settings.ACADEMY_COHORT_LINKS for link in import_string(path)(request, cohort)]


@login_required
@require_http_methods(["GET", "POST"])
def cohort_manage(request, slug: str):
    """The facilitator's page: invite people, follow invitations, change roles.

    After invitations are sent the page redirects (so a reload cannot send them twice)
    and shows the report once; lines that could not be used wait in the form to be
    corrected, and the lines that were used are not in it any more.
    """
    cohort = access.access_cohort_to_manage(request.user, slug)
    report_key = f"academy_invite_report_{cohort.pk}"
    if request.method == "POST":
        form = InviteForm(request.POST, request.FILES)
        if form.is_valid():
            role = form.cleaned_data["role"]
            report = services.cohort_invite_many(
                cohort=cohort, invited_by=request.user, parsed=form.cleaned_data["parsed"], role=role
            )
            request.session[report_key] = {"role": role, **report.as_dict()}
            return redirect("cohort_manage", slug=cohort.slug)
        return render(request, "academy/cohort_manage.html", _manage_context(request, cohort, form=form, report=None))

    report = request.session.pop(report_key, None)
    initial = {"role": report["role"]} if report else {}
    if report and report["errors"]:
        initial["addresses"] = "\n".join(error["text"] for error in report["errors"])
    form = InviteForm(initial=initial)
    return render(request, "academy/cohort_manage.html", _manage_context(request, cohort, form=form, report=report))


def _manage_context(request, cohort: Cohort, **extra) -> dict:
    tools = [tool for path in settings.ACADEMY_COHORT_TOOLS for tool in import_string(path)(request, cohort)]
    return {
        "tools": tools,
        "cohort": cohort,
        "memberships": selectors.cohort_memberships(cohort=cohort),
        "invitations": selectors.cohort_open_invitations(cohort=cohort),
        "roles": MembershipRole.choices,
        **extra,
    }


@login_required
@require_POST
def invitation_resend(request, slug: str, invitation_id: int):
    cohort = access.access_cohort_to_manage(request.user, slug)
    invitation = access.access_invitation_to_manage(request.user, cohort, invitation_id)
    try:
        services.invitation_resend(invitation=invitation)
        messages.success(request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email})
    except services.InvitationError as error:
        messages.error(request, error.message)
    return redirect("cohort_manage", slug=cohort.slug)


@login_required
@require_POST
def invitation_revoke(request, slug: str, invitation_id: int):
    cohort = access.access_cohort_to_manage(request.user, slug)
    invitation = access.access_invitation_to_manage(request.user, cohort, invitation_id)
    try:
        services.invitation_revoke(invitation=invitation)
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    except services.InvitationError as error:
        messages.error(request, error.message)
    return redirect("cohort_manage", slug=cohort.slug)


@login_required
@require_POST
def membership_role(request, slug: str, membership_id: int):
    cohort = access.access_cohort_to_manage(request.user, slug)
    membership = access.access_membership_to_manage(request.user, cohort, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("cohort_manage", slug=cohort.slug)
    try:
        services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(
            request,
            _("%(name)s is now %(role)s.") % {"name": membership.user, "role": membership.get_role_display().lower()},
        )
    except services.MembershipError as error:
        messages.error(request, str(error))
    return redirect("cohort_manage", slug=cohort.slug)


@login_required
@require_POST
def membership_remove(request, slug: str, membership_id: int):
    cohort = access.access_cohort_to_manage(request.user, slug)
    membership = access.access_membership_to_manage(request.user, cohort, membership_id)
    try:
        services.membership_remove(membership=membership)
        messages.success(request, _("%(name)s was removed from the cohort.") % {"name": membership.user})
    except services.MembershipError as error:
        messages.error(request, str(error))
    return redirect("cohort_manage", slug=cohort.slug)


# ------------------------------------------------------------------------------
# Opening an invitation
# ------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def invitation_open(request, token: str):
    """The page an emailed invitation link opens.

    Visitors are offered to sign up (address pre-filled) or sign in; the invitation waits
    in their session and is accepted as soon as they are signed in. A signed-in person
    who owns the invited address joins with one button. Anyone else is told why not.
    """
    invitation = access.access_invitation_by_token(token)
    user = request.user if request.user.is_authenticated else None
    try:
        services.invitation_check(invitation=invitation, user=user)
    except services.InvitationError as error:
        return _invitation_unusable(request, invitation, error)

    if user is None:
        request.session[PENDING_INVITATION_SESSION_KEY] = token
        context = {
            "invitation": invitation,
            "signup_url": reverse("account_signup") + "?" + urlencode({"email": invitation.email}),
            "login_url": reverse("account_login"),
        }
        return render(request, "academy/invitation_welcome.html", context)

    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=user)
        except services.InvitationError as error:  # used or withdrawn a moment ago
            return _invitation_unusable(request, invitation, error)
        messages.success(request, _("Welcome to %(cohort)s.") % {"cohort": membership.cohort.name})
        return redirect(membership.cohort.get_absolute_url())
    return render(request, "academy/invitation_accept.html", {"invitation": invitation})


def _invitation_unusable(request, invitation, error: services.InvitationError):
    """Say why the link cannot be used, and whom to ask."""
    context = {
        "invitation": invitation,
        "error": error,
        "facilitators": selectors.cohort_facilitators(cohort=invitation.cohort),
    }
    status = 403 if error.code == "wrong_person" else 410
    return render(request, "academy/invitation_unusable.html", context, status=status)
