"""Who authors courses in the CMS, and how a lesson gets published.

- **Trainers** (the `Trainers` group) enter the Wagtail admin and add and edit pages in
  the course tree only: no users, no settings, no other part of the site. They upload
  and choose images and documents. They cannot publish: they submit for moderation.
- **Senior trainers** (`Senior trainers`) have the same rights plus publishing, and are
  the reviewers of the "Course review" workflow on the course tree: a trainer submits, a
  senior trainer approves (which publishes) or asks for changes.
- Revisions, preview and scheduled publishing (go-live dates) are Wagtail's own.
- Both groups translate course pages with wagtail-localize. The catalogue has a copy in
  every content language (an alias until someone translates it), and the rights and the
  workflow above apply to each, so a translation is reviewed like its source.

`setup_course_authoring()` creates or repairs all of this and is safe to run again
(`manage.py setup_course_authoring`; `seed_demo` runs it too).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from academy.choices import TRAINERS_GROUP_NAME
from courses.models import CourseIndexPage
from courses.translations import ensure_content_locales

SENIOR_TRAINERS_GROUP_NAME = "Senior trainers"
WORKFLOW_NAME = "Course review"
TASK_NAME = "Senior trainer approval"

TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
SENIOR_PAGE_PERMISSIONS = [*TRAINER_PAGE_PERMISSIONS, "publish_page"]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "choose_image"],
    "wagtaildocs": ["add_document", "choose_document"],
}


def course_catalogue() -> CourseIndexPage:
    """The course catalogue at /courses/, created under the site's root page if missing."""
    catalogue = CourseIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if catalogue is None:
        root = Site.objects.get(is_default_site=True).root_page
        catalogue = root.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    return catalogue


def catalogue_in_every_language(catalogue: CourseIndexPage) -> list[CourseIndexPage]:
    """The catalogue and its copy in every content language, made as aliases (with the
    site root's) where missing, so trainers may translate courses into any of them."""
    ensure_content_locales()
    catalogues = [catalogue]
    for locale in Locale.objects.exclude(pk=catalogue.locale_id):
        translation = catalogue.get_translation_or_none(locale)
        if translation is None:
            translation = catalogue.copy_for_translation(locale, copy_parents=True, alias=True)
        catalogues.append(translation)
    return catalogues


# Permissions that Wagtail and wagtail-localize create in data migrations rather than from
# a model: made again if missing (a database emptied without its migrations re-run).
DATA_MIGRATION_PERMISSIONS = {
    ("wagtailadmin", "access_admin"): ("admin", "Can access Wagtail admin"),
    ("wagtail_localize", "submit_translation"): ("translation", "Can submit translations"),
}


def _permission(app_label: str, codename: str) -> Permission:
    if (app_label, codename) in DATA_MIGRATION_PERMISSIONS:
        model, name = DATA_MIGRATION_PERMISSIONS[(app_label, codename)]
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})[
            0
        ]
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant(group: Group, catalogues: list[CourseIndexPage], page_codenames: list[str]) -> None:
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    group.permissions.add(_permission("wagtail_localize", "submit_translation"))
    for catalogue in catalogues:
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=_permission("wagtailcore", codename)
            )
    root_collection = Collection.get_first_root_node()
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )


@transaction.atomic
def setup_course_authoring() -> CourseIndexPage:
    catalogue = course_catalogue()
    catalogues = catalogue_in_every_language(catalogue)
    trainers, _ = Group.objects.get_or_create(name=TRAINERS_GROUP_NAME)
    seniors, _ = Group.objects.get_or_create(name=SENIOR_TRAINERS_GROUP_NAME)
    _grant(trainers, catalogues, TRAINER_PAGE_PERMISSIONS)
    _grant(seniors, catalogues, SENIOR_PAGE_PERMISSIONS)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(seniors)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    for each in catalogues:
        WorkflowPage.objects.update_or_create(page=each, defaults={"workflow": workflow})
    return catalogue
