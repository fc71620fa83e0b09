"""A version token for Wagtail's page tree, changed whenever a page is saved, published,
unpublished, moved or deleted, or a view restriction changes.

Caches of what the tree looks like (which page lives at which path, the modules and
lessons of a course) put the token in their keys, so any change to the tree retires them
all at once, in every process sharing the cache. Nothing per person is kept under it.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

KEY = "pages:tree-version"


def tree_version() -> str:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        version = cache.get(KEY)
    return version


def tree_changed(**kwargs) -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page | PageViewRestriction):
        tree_changed()


class CachedViewRestrictionsMixin:
    """For page types served to many people: whether the page or an ancestor has a view
    restriction (Wagtail asks on every page served) comes from the cache, kept under the
    tree version, which any change to a restriction retires. With none, an empty
    queryset answers without a query; otherwise Wagtail's own query runs."""

    def get_view_restrictions(self):
        key = f"pages:restricted:{tree_version()}:{self.path}"
        restricted = cache.get(key)
        if restricted is None:
            restricted = super().get_view_restrictions().exists()
            cache.set(key, restricted, 3600)
        return super().get_view_restrictions() if restricted else PageViewRestriction.objects.none()


def connect() -> None:
    page_published.connect(tree_changed, dispatch_uid="page_tree_published")
    page_unpublished.connect(tree_changed, dispatch_uid="page_tree_unpublished")
    post_page_move.connect(tree_changed, dispatch_uid="page_tree_moved")
    post_save.connect(_page_saved_or_deleted, dispatch_uid="page_tree_saved")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid="page_tree_deleted")
