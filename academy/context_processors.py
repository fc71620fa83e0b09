"""Values every page's header needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from academy import access


def navigation(request) -> dict:
    user = request.user
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Lazy: only pages that show the CMS link pay for the permission query.
        "may_use_cms": SimpleLazyObject(lambda: access.may_use_cms(user)),
        # Lazy too: the feature apps' callables run only when the header is drawn.
        "header_badges": SimpleLazyObject(lambda: header_badges(request)),
    }


def header_badges(request) -> list[tuple[str, str, int | None]]:
    """Links that feature apps add to the header (settings.ACADEMY_HEADER_BADGES): each
    callable takes the request and returns (label, url, count) tuples; count None means
    no count, 0 shows none. The core names no feature app."""
    badges: list[tuple[str, str, int | None]] = []
    for path in getattr(settings, "ACADEMY_HEADER_BADGES", []):
        badges.extend(import_string(path)(request))
    return badges
