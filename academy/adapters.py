"""allauth hooks: where people land after signing in, and a pending invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from academy import services
from academy.models import Invitation

PENDING_INVITATION_SESSION_KEY = "academy_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Name the platform in allauth's emails, not the host the request came in on."""
        context = {**context, "site_name": settings.WAGTAIL_SITE_NAME, "site_url": settings.ACADEMY_SITE_URL}
        super().send_mail(template_prefix, email, context)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._accept_pending_invitation(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._accept_pending_invitation(request) or super().get_signup_redirect_url(request)

    def _accept_pending_invitation(self, request: HttpRequest) -> str | None:
        """Someone who opened an invitation link, then signed up or in, joins the cohort.

        If the invitation cannot be used by this account, they are sent back to the
        invitation page, which says why.
        """
        token = request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        if not token or not request.user.is_authenticated:
            return None
        invitation = Invitation.objects.select_related("cohort").filter(token=token).first()
        if invitation is None:
            return None
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationError:
            return reverse("invitation_open", kwargs={"token": token})
        messages.success(request, _("Welcome to %(cohort)s.") % {"cohort": invitation.cohort.name})
        return invitation.cohort.get_absolute_url()
