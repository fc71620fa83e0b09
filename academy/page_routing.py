"""Serving Wagtail pages: always through the source-language tree, and without walking it.

Wagtail routes a URL by asking each page on the way down for its child with the next
slug (two queries per level), and starts from the site root's translation in the active
language. Course pages are translated (see courses/translations.py), but a page has one
address whatever the reader's language, so routing here:

1. finds the site root of the source language from Wagtail's cached root paths;
2. looks the page up by its stored `url_path` and keeps the page itself in the cache
   until the page tree changes (academy.page_tree), so a warm route costs no query;
   then hands it to Wagtail's own `serve` view, so view restrictions and the serve
   hooks apply as before;
3. falls back to Wagtail's walk down the tree for anything else (a path with arguments
   for a routable page, a page outside the source tree), in the source language.

Nothing cached here depends on who asks: only which page lives at which path.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from academy.page_tree import tree_version

MISSING = "missing"


def serve(request, path: str):
    if not hasattr(request, "_wagtail_route_for_request"):
        result = route_in_source_tree(request, path)
        if result is None:
            with translation.override(settings.LANGUAGE_CODE):
                result = Page.route_for_request(request, path)
        request._wagtail_route_for_request = result
    return wagtail_serve(request, path)


def source_root_path(request) -> str | None:
    """The url_path of the source-language site root serving this request."""
    paths = Site.get_site_root_paths()
    site_ids = {root.site_id for root in paths}
    if len(site_ids) > 1:
        site = Site.find_for_request(request)
        if site is None:
            return None
        site_ids = {site.pk}
    in_site = [root for root in paths if root.site_id in site_ids]
    source = [root for root in in_site if root.language_code == settings.LANGUAGE_CODE]
    chosen = source or in_site
    return chosen[0].root_path if chosen else None


def route_in_source_tree(request, path: str) -> RouteResult | None:
    root_path = source_root_path(request)
    if root_path is None:
        return None
    components = [component for component in path.split("/") if component]
    url_path = root_path + "".join(f"{component}/" for component in components)
    key = f"pages:route:{tree_version()}:{url_path}"
    page = cache.get(key)
    if page is None:
        page = _specific_page_at(url_path) or MISSING
        # Pickled as loaded, before anything parses its StreamFields: a few kilobytes.
        cache.set(key, page, 3600)
    if page == MISSING or not page.live:
        return None
    return RouteResult(page)


def _specific_page_at(url_path: str) -> Page | None:
    found = Page.objects.filter(url_path=url_path).values_list("content_type_id", "pk").first()
    if found is None:
        return None
    model = ContentType.objects.get_for_id(found[0]).model_class()
    return model._default_manager.filter(pk=found[1]).first() if model else None
