"""Values every page's header needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from academy import access


def navigation(request) -> dict:
    user = request.user
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Lazy: only pages that show the CMS link pay for the permission query.
        "may_use_cms": SimpleLazyObject(lambda: access.may_use_cms(user)),
    }
