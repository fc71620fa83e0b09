"""Reads of the courses app, for its pages and for other apps."""

from dataclasses import dataclass

from courses.models import LessonPage, QuizAttempt


@dataclass
class QuizState:
    """What the quiz block shows a learner: attempts, the last result, what comes next."""

    used: int
    max_attempts: int
    last: QuizAttempt | None
    best_score: int | None

    @property
    def next_number(self) -> int:
        return self.used + 1

    @property
    def can_submit(self) -> bool:
        return not self.max_attempts or self.used < self.max_attempts

    @property
    def reveal_answers(self) -> bool:
        """Correct options are shown once the quiz is passed or no attempt is left."""
        return bool(self.last) and (self.last.passed or not self.can_submit)


def quiz_states_for(*, user, lesson: LessonPage) -> dict[str, QuizState]:
    """The state of every quiz of the lesson for this learner, in one query."""
    quizzes = [child for child in lesson.body if child.block_type == "quiz"]
    if not quizzes or not user.is_authenticated:
        return {}
    attempts: dict[str, list[QuizAttempt]] = {}
    for attempt in QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    states = {}
    for child in quizzes:
        made = attempts.get(child.id, [])
        states[child.id] = QuizState(
            used=len(made),
            max_attempts=child.value["max_attempts"],
            last=made[-1] if made else None,
            best_score=max((attempt.score for attempt in made), default=None),
        )
    return states
