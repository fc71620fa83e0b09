"""Per-request preferences of the signed-in person, and the two-factor requirement."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy import access


class UserPreferencesMiddleware:
    """Show a signed-in person the site in their preferred language and time zone.

    Runs after LocaleMiddleware (which serves anonymous visitors by cookie and
    Accept-Language); the language switcher saves the choice on the profile, so the
    two never disagree.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        language, zone = None, None
        if user.is_authenticated:
            if user.preferred_language in dict(settings.LANGUAGES):
                language = user.preferred_language
                request.LANGUAGE_CODE = language
            try:
                zone = zoneinfo.ZoneInfo(user.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        # For this request only: the thread serves someone else next.
        with translation.override(language or translation.get_language()), timezone.override(zone):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Paths a person who still has to set up two-factor may reach; feature apps add theirs
# (links in emails that act on a token, not on the session) in ACADEMY_MFA_OPEN_PATHS.
MFA_SETUP_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/media/")


class RequireMFAMiddleware:
    """Staff and facilitators must set up TOTP before they do anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _("Your role requires two-factor authentication. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.ACADEMY_MFA_REQUIRED or request.path.startswith(
            MFA_SETUP_ALLOWED_PREFIXES + tuple(settings.ACADEMY_MFA_OPEN_PATHS)
        ):
            return False
        user = request.user
        if not user.is_authenticated or user.email.lower() in settings.ACADEMY_MFA_EXEMPT_EMAILS:
            return False
        if not access.requires_mfa(user):
            return False
        has_totp = getattr(user, "_academy_has_totp", None)  # loaded with the user (academy.auth_backends)
        if has_totp is None:
            from allauth.mfa.models import Authenticator

            has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        return not has_totp
