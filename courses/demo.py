"""Demo data of the courses app, run by `manage.py seed_demo` (settings.ACADEMY_DEMO_SEEDERS).

Idempotent: a course that already exists is left as it is (a trainer may have edited it).
"""

from django.contrib.auth.models import Group
from django.utils import timezone

from academy.choices import TRAINERS_GROUP_NAME
from academy.models import Cohort, Programme, User
from courses.authoring import SENIOR_TRAINERS_GROUP_NAME, setup_course_authoring
from courses.demo_content import IR_COURSE, OSH_COURSE
from courses.demo_translations import VIETNAMESE
from courses.models import CohortCourse, ComplianceCluster, CoursePage, LessonPage, LessonProgress, ModulePage
from courses.translations import translate_page

# Course slug -> the demo cohorts it is assigned to.
ASSIGNED_TO = {
    "osh-leadership": ["building-bridges-cambodia", "building-bridges-vietnam"],
    "industrial-relations-leadership": ["building-bridges-cambodia"],
}
# Demo learners part-way through: email -> number of lessons completed, in course order.
PROGRESS = {"inspector.kh@example.org": 3, "union.kh@example.org": 1, "inspector.vn@example.org": 2}


def seed() -> dict[str, int]:
    catalogue = setup_course_authoring()
    Group.objects.get(name=TRAINERS_GROUP_NAME).user_set.add(*User.objects.filter(email="trainer@example.org"))
    Group.objects.get(name=SENIOR_TRAINERS_GROUP_NAME).user_set.add(
        *User.objects.filter(email="trainer.senior@example.org")
    )
    courses = {
        spec["slug"]: CoursePage.objects.filter(slug=spec["slug"], locale=catalogue.locale_id).first()
        or _create_course(catalogue, spec)
        for spec in (OSH_COURSE, IR_COURSE)
    }
    for course_slug, cohort_slugs in ASSIGNED_TO.items():
        for cohort in Cohort.objects.filter(slug__in=cohort_slugs):
            CohortCourse.objects.get_or_create(cohort=cohort, course=courses[course_slug])
    lessons = list(LessonPage.objects.live().descendant_of(courses["osh-leadership"]).order_by("path"))
    for email, completed in PROGRESS.items():
        user = User.objects.filter(email=email).first()
        for lesson in lessons[:completed] if user else []:
            LessonProgress.objects.get_or_create(
                user=user, lesson=lesson, defaults={"completed_at": timezone.now(), "time_spent": 15 * 60}
            )
    _translate_first_module(catalogue, courses["osh-leadership"])
    return {
        "courses": CoursePage.objects.filter(locale=catalogue.locale_id).count(),
        "lessons": LessonPage.objects.filter(locale=catalogue.locale_id).count(),
        "lesson translations": LessonPage.objects.exclude(locale=catalogue.locale_id).count(),
    }


def _translate_first_module(catalogue, course: CoursePage) -> None:
    """OSH Leadership's first module in Vietnamese, as a trainer would with wagtail-localize
    (skipped once the lesson's translation exists)."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    lessons = list(LessonPage.objects.child_of(module).order_by("path")) if module else []
    if not lessons or lessons[0].get_translations().filter(locale__language_code="vi").exists():
        return
    for page in (catalogue, course, module, *lessons):
        translate_page(page, "vi", VIETNAMESE)


def _create_course(catalogue, spec: dict) -> CoursePage:
    course = catalogue.add_child(
        instance=CoursePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            duration=spec["duration"],
            audience=spec["audience"],
            programme=Programme.objects.filter(slug=spec["slug"]).first(),
        )
    )
    course.clusters.set(ComplianceCluster.objects.filter(slug__in=spec["clusters"]))
    course.save_revision().publish()
    for number, module_spec in enumerate(spec["modules"], 1):
        module = course.add_child(
            instance=ModulePage(title=module_spec["title"], slug=f"module-{number}", intro=module_spec["intro"])
        )
        for position, lesson_spec in enumerate(module_spec["lessons"], 1):
            module.add_child(
                instance=LessonPage(
                    title=lesson_spec["title"],
                    slug=f"lesson-{position}",
                    estimated_minutes=lesson_spec["minutes"],
                    body=lesson_spec["body"],
                )
            )
    return course
