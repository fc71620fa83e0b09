"""Writes of the courses app."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from academy.models import User
from courses import quizzes
from courses.models import LessonPage, QuizAttempt

# Error messages, asserted by the tests.
NO_ATTEMPTS_LEFT = _("You have used all %(count)d attempts at this quiz.")
STALE_ATTEMPT = _("This quiz was submitted from another tab or window; here is the result.")


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
    *, user: User, lesson: LessonPage, quiz_id: str, attempt_number: int, submitted: dict[str, list[str]]
) -> QuizOutcome:
    """Grade and record one attempt at a quiz.

    `attempt_number` is the number the page offered (attempts so far + 1). Submitting the
    same number again, from a double click or a second tab, records nothing new and
    returns the attempt already recorded. Past the quiz's attempts limit: QuizError.
    Unknown or missing question and option ids: QuizError, nothing recorded.
    """
    quiz = quizzes.find_quiz(lesson, quiz_id)
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
    return QuizOutcome(attempt=attempt, created=True)
