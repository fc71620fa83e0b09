"""Who may open which course, built on academy.access.

- Anyone may read a course's overview page (the catalogue is public).
- A course's modules and lessons open to members of a cohort the course is assigned to,
  to trainers and to staff. Anyone else gets a 404, as for any object outside their
  cohorts.
- Unpublished pages are never served (Wagtail answers 404); trainers see drafts through
  the CMS preview.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404

from academy import access
from courses.models import Certificate, CohortCourse, CoursePage, ImprovementAction, LessonPage
from courses.selectors import lessons_of_courses
from courses.structure import course_path_of, course_structure


def courses_open_to(user) -> QuerySet[CoursePage]:
    """Courses (in the source language: translations share their access) whose lessons
    the user may open."""
    if access.is_staff(user) or access.is_trainer(user):
        return CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    if not access.is_signed_in(user):
        return CoursePage.objects.none()
    return CoursePage.objects.filter(cohort_assignments__cohort__in=access.cohorts_visible_to(user)).distinct()


def can_open_course(user, course) -> bool:
    """`course`: a source-language CoursePage, or its cached structure (anything with its pk)."""
    if access.is_staff(user) or access.is_trainer(user):
        return True
    if not access.is_signed_in(user):
        return False
    cache = user.__dict__.setdefault("_courses_open", {})
    if course.pk not in cache:
        cache[course.pk] = CohortCourse.objects.filter(
            course_id=course.pk, cohort__in=access.cohorts_visible_to(user)
        ).exists()
    return cache[course.pk]


def refuse_unless_course_open(request, course):
    """None if the user may open the course's modules and lessons; otherwise a redirect
    to sign in for visitors, and Http404 for signed-in people outside the course."""
    if not access.is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    if not can_open_course(request.user, course):
        raise Http404
    return None


def access_lesson(user, lesson_id: int) -> LessonPage:
    """A live source-language lesson of a course the user may open; 404 otherwise.
    (Progress and answers always belong to the source lesson, whatever was read.)"""
    lesson = LessonPage.objects.live().filter(pk=lesson_id, locale__language_code=settings.LANGUAGE_CODE).first()
    course = course_structure(course_path_of(lesson)) if lesson else None
    if course is None or not can_open_course(user, course):
        raise Http404
    return lesson


def access_own_certificate(user, code: str) -> Certificate:
    """The user's own certificate (staff may open any); 404 otherwise."""
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or not (access.is_staff(user) or certificate.user_id == user.pk):
        raise Http404
    return certificate


def lessons_open_to(user) -> QuerySet[LessonPage]:
    """Live lessons of the courses the user may open (for search, exports, feeds)."""
    course_paths = list(courses_open_to(user).live().values_list("path", flat=True))
    return lessons_of_courses(course_paths=course_paths).live()


def access_own_action(user, action_id: int) -> ImprovementAction:
    """An action of the user's own improvement plan; anyone else's is a 404."""
    action = ImprovementAction.objects.filter(pk=action_id, user=user).first()
    if action is None:
        raise Http404
    return action
