"""Writes of the courses app."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy import access
from academy.models import User
from courses import quizzes
from courses.models import (
    Certificate,
    CohortCourse,
    CoursePage,
    ImprovementAction,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Reflection,
)
from courses.selectors import course_outline
from courses.structure import course_path_of

# Error messages, asserted by the tests.
QUIZ_NOT_PASSED = _("Pass this lesson's quiz to complete it.")
LESSON_LOCKED = _("Complete the lessons before this one first.")
NO_ATTEMPTS_LEFT = _("You have used all %(count)d attempts at this quiz.")
STALE_ATTEMPT = _("This quiz was submitted from another tab or window; here is the result.")


# A single page view never adds more than this to the time spent on a lesson, so a tab
# left open overnight does not count as study.
MAX_SECONDS_PER_VIEW = 60 * 60


class LessonError(Exception):
    pass


class QuizError(Exception):
    """A submission that cannot be recorded; `errors` maps question ids to messages."""

    def __init__(self, code: str, errors: dict[str, str]):
        super().__init__(code)
        self.code = code
        self.errors = errors


@dataclass
class QuizOutcome:
    attempt: QuizAttempt
    created: bool  # False when the same attempt had already been recorded


def quiz_submit(
    *,
    user: User,
    lesson: LessonPage,
    quiz_id: str,
    attempt_number: int,
    submitted: dict[str, list[str]],
    version: LessonPage | None = None,
) -> QuizOutcome:
    """Grade and record one attempt at a quiz.

    `attempt_number` is the number the page offered (attempts so far + 1). Submitting the
    same number again, from a double click or a second tab, records nothing new and
    returns the attempt already recorded. Past the quiz's attempts limit: QuizError.
    Unknown or missing question and option ids: QuizError, nothing recorded.

    `version` is the translation the learner read: it grades (its questions, options
    and their correct flags share the source's ids), so the feedback is in the
    learner's language. The attempt belongs to the source `lesson`.
    """
    quiz = (version and quizzes.find_quiz(version, quiz_id)) or quizzes.find_quiz(lesson, quiz_id)
    if quiz is None:
        raise QuizError("unknown_quiz", {"quiz": str(quizzes.UNKNOWN_QUESTION)})
    answers, errors = quizzes.validate_answers(quiz, submitted)
    if errors:
        raise QuizError("invalid", errors)

    attempts = QuizAttempt.objects.filter(user=user, lesson=lesson, quiz_id=quiz_id)
    existing = attempts.filter(number=attempt_number).first()
    if existing is not None:
        return QuizOutcome(attempt=existing, created=False)
    used = attempts.count()
    limit = quiz["max_attempts"]
    if limit and used >= limit:
        raise QuizError("no_attempts_left", {"quiz": str(NO_ATTEMPTS_LEFT % {"count": limit})})
    if attempt_number != used + 1:
        # A page older than the latest attempt: count this as the next one.
        attempt_number = used + 1

    result = quizzes.grade(quiz, answers)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                lesson=lesson,
                quiz_id=quiz_id,
                number=attempt_number,
                answers=answers,
                results=result.results,
                score=result.score,
                passed=result.passed,
            )
    except IntegrityError:
        # Two tabs raced for the same number: the first one counts.
        return QuizOutcome(attempt=attempts.get(number=attempt_number), created=False)
    _record_score(user=user, lesson=lesson, attempt=attempt)
    return QuizOutcome(attempt=attempt, created=True)


def _record_score(*, user: User, lesson: LessonPage, attempt: QuizAttempt) -> None:
    """Keep the best score on the progress row; passing every quiz completes the lesson."""
    progress = lesson_visit(user=user, lesson=lesson)
    LessonProgress.objects.filter(pk=progress.pk).update(
        best_score=Greatest(F("best_score"), attempt.score) if progress.best_score is not None else attempt.score
    )
    if attempt.passed and not progress.completed_at and _quizzes_passed(user=user, lesson=lesson):
        LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=timezone.now())
        certificate_issue_if_complete(user=user, course=CoursePage.objects.ancestor_of(lesson).get())


def _quizzes_passed(*, user: User, lesson: LessonPage) -> bool:
    quiz_ids = {child.id for child in lesson.body if child.block_type == "quiz"}
    passed = set(QuizAttempt.objects.filter(user=user, lesson=lesson, passed=True).values_list("quiz_id", flat=True))
    return quiz_ids <= passed


# ------------------------------------------------------------------------------
# Progress
# ------------------------------------------------------------------------------
def lesson_visit(*, user: User, lesson: LessonPage, known: LessonProgress | None = None) -> LessonProgress:
    """Note that the learner opened the lesson (creates their progress row once).
    `known` is the row the caller already loaded, which saves a query."""
    if known is not None:
        LessonProgress.objects.filter(pk=known.pk).update(last_seen_at=timezone.now())
        return known
    progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    if not created:
        LessonProgress.objects.filter(pk=progress.pk).update(last_seen_at=timezone.now())
    return progress


def lesson_add_time(*, user: User, lesson: LessonPage, seconds: int) -> None:
    """Add the time one page view spent on the lesson (sent by the page when it closes)."""
    seconds = max(0, min(int(seconds), MAX_SECONDS_PER_VIEW))
    if seconds:
        LessonProgress.objects.filter(user=user, lesson=lesson).update(time_spent=F("time_spent") + seconds)


def lesson_complete(*, user: User, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson completed. A lesson with quizzes completes by passing them; in a
    sequential course a lesson waits until the ones before it are completed."""
    outline = course_outline(user=user, course_path=course_path_of(lesson))
    step = outline.step_for(lesson) if outline else None
    if step is not None and step.locked:
        raise LessonError(LESSON_LOCKED)
    if not _quizzes_passed(user=user, lesson=lesson):
        raise LessonError(QUIZ_NOT_PASSED)
    progress = lesson_visit(user=user, lesson=lesson)
    LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    progress.refresh_from_db()
    certificate_issue_if_complete(user=user, course=CoursePage.objects.ancestor_of(lesson).get())
    return progress


# ------------------------------------------------------------------------------
# Certificates
# ------------------------------------------------------------------------------
def certificate_issue_if_complete(*, user: User, course: CoursePage) -> Certificate | None:
    """Issue the course's certificate once every live lesson is completed (once only)."""
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    outline = course_outline(user=user, course_path=course.path)
    if outline is None or not outline.completed:
        return None
    assignment = (
        CohortCourse.objects.filter(course=course, cohort__in=access.cohorts_visible_to(user))
        .select_related("cohort")
        .order_by("assigned_at")
        .first()
    )
    cohort = assignment.cohort if assignment else None
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user=user,
                course=course,
                cohort=cohort,
                learner_name=user.display_name or user.email,
                course_title=course.title,
                cohort_name=cohort.name if cohort else "",
            )
    except IntegrityError:  # issued by a concurrent request a moment ago
        return Certificate.objects.get(user=user, course=course)


# ------------------------------------------------------------------------------
# Reflections and improvement actions
# ------------------------------------------------------------------------------
def lesson_has_block(*, lesson: LessonPage, block_id: str, block_type: str) -> bool:
    return any(child.id == block_id and child.block_type == block_type for child in lesson.body)


def reflection_save(*, user: User, lesson: LessonPage, block_id: str, text: str, shared: bool):
    """Create or replace the learner's answer to one reflection prompt."""
    reflection, _created = Reflection.objects.update_or_create(
        user=user, lesson=lesson, block_id=block_id, defaults={"text": text, "shared": shared}
    )
    return reflection


def improvement_action_add(*, user: User, lesson: LessonPage | None, block_id: str, title: str, owner: str, due_date):
    """Add an action to the learner's own improvement plan."""
    return ImprovementAction.objects.create(
        user=user, lesson=lesson, block_id=block_id, title=title.strip(), owner=owner.strip(), due_date=due_date
    )


def improvement_action_set_status(*, action: ImprovementAction, status: str) -> ImprovementAction:
    if status not in ImprovementAction.Status.values:
        raise LessonError(_("Unknown status."))
    action.status = status
    action.save(update_fields=["status"])
    return action
