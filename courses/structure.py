"""The shape of a course: its modules and lessons in order, with titles in the reader's
language and their addresses, cached until the page tree changes.

Every learner of a course reads the same structure, so it is built once per course and
language (four or five queries) and then costs nothing; the learner's own progress is
laid over it by courses.selectors.course_outline and is never cached. The cache key holds
the page tree's version (academy.page_tree): publishing, unpublishing, moving or saving
any page retires every cached structure.
"""

from dataclasses import dataclass

from django.core.cache import cache
from wagtail.models import Page

from academy.page_tree import tree_version
from courses.translations import reading_language, reads_source

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class LessonEntry:
    pk: int
    title: str
    url: str
    estimated_minutes: int


@dataclass(frozen=True)
class ModuleEntry:
    pk: int
    path: str
    title: str
    intro: str
    url: str
    lessons: tuple[LessonEntry, ...]


@dataclass(frozen=True)
class CourseStructure:
    pk: int
    path: str
    title: str
    url: str
    sequential: bool
    modules: tuple[ModuleEntry, ...]

    @property
    def lesson_ids(self) -> list[int]:
        return [lesson.pk for module in self.modules for lesson in module.lessons]


def course_path_of(page: Page) -> str:
    """The tree path of the course a course, module or lesson page belongs to."""
    from courses.models import CoursePage, LessonPage, ModulePage

    levels_below = {CoursePage: 0, ModulePage: 1, LessonPage: 2}[type(page)]
    return page.path[: len(page.path) - levels_below * Page.steplen]


def course_structure(course_path: str, language: str | None = None) -> CourseStructure | None:
    """The live course at this tree path, or None if there is none."""
    language = language or reading_language()
    key = f"courses:structure:{tree_version()}:{course_path}:{language}"
    structure = cache.get(key)
    if structure is None:
        structure = _build(course_path, language)
        if structure is not None:
            cache.set(key, structure, CACHE_SECONDS)
    return structure


def _build(course_path: str, language: str) -> CourseStructure | None:
    from courses.models import CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.live().filter(path=course_path).first()
    if course is None:
        return None
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path").defer_streamfields())
    translated: dict = {}
    if not reads_source(language):
        keys = [course.translation_key] + [page.translation_key for page in (*modules, *lessons)]
        for page in (
            Page.objects.live()
            .filter(translation_key__in=keys, locale__language_code=language)
            .specific()
            .defer_streamfields()
        ):
            translated[page.translation_key] = page

    def shown(page):
        return translated.get(page.translation_key, page)

    return CourseStructure(
        pk=course.pk,
        path=course.path,
        title=shown(course).title,
        url=course.url,
        sequential=course.sequential,
        modules=tuple(
            ModuleEntry(
                pk=module.pk,
                path=module.path,
                title=shown(module).title,
                intro=getattr(shown(module), "intro", module.intro),
                url=module.url,
                lessons=tuple(
                    LessonEntry(
                        pk=lesson.pk,
                        title=shown(lesson).title,
                        url=lesson.url,
                        estimated_minutes=lesson.estimated_minutes,
                    )
                    for lesson in lessons
                    if lesson.path.startswith(module.path)
                ),
            )
            for module in modules
        ),
    )
