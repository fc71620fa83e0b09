"""Reads of the courses app, for its pages and for other apps."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from courses.models import (
    CoursePage,
    ImprovementAction,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
    Reflection,
)


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


@dataclass
class LessonStep:
    lesson: LessonPage
    progress: LessonProgress | None
    locked: bool

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)


@dataclass
class ModuleProgress:
    module: ModulePage
    steps: list[LessonStep]

    @property
    def completed_count(self) -> int:
        return sum(1 for step in self.steps if step.completed)

    @property
    def percent(self) -> int:
        return round(100 * self.completed_count / len(self.steps)) if self.steps else 0

    @property
    def completed(self) -> bool:
        return bool(self.steps) and self.completed_count == len(self.steps)


@dataclass
class CourseOutline:
    course: CoursePage
    modules: list[ModuleProgress]

    @property
    def steps(self) -> list[LessonStep]:
        return [step for module in self.modules for step in module.steps]

    @property
    def percent(self) -> int:
        steps = self.steps
        return round(100 * sum(step.completed for step in steps) / len(steps)) if steps else 0

    @property
    def completed(self) -> bool:
        steps = self.steps
        return bool(steps) and all(step.completed for step in steps)

    def step_for(self, lesson: LessonPage) -> LessonStep | None:
        return next((step for step in self.steps if step.lesson.pk == lesson.pk), None)

    def next_step(self) -> LessonStep | None:
        """The first lesson not yet completed, in course order."""
        return next((step for step in self.steps if not step.completed), None)


def course_outline(*, user, course: CoursePage) -> CourseOutline:
    """Modules and lessons of a course in order, with the learner's progress: three
    queries whatever the size of the course. In a sequential course, a lesson is locked
    until the one before it is completed."""
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    # No StreamField bodies: the outline needs titles and paths, not sixty parsed lessons.
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path").defer_streamfields())
    progress = {}
    if user.is_authenticated:
        progress = {row.lesson_id: row for row in LessonProgress.objects.filter(user=user, lesson__in=lessons)}
    outline = CourseOutline(course=course, modules=[])
    previous_done = True
    for module in modules:
        steps = []
        for lesson in (lesson for lesson in lessons if lesson.path.startswith(module.path)):
            row = progress.get(lesson.pk)
            steps.append(LessonStep(lesson=lesson, progress=row, locked=course.sequential and not previous_done))
            previous_done = bool(row and row.completed_at)
        outline.modules.append(ModuleProgress(module=module, steps=steps))
    return outline


def continue_learning(*, user, limit: int = 3) -> list[tuple[CourseOutline, LessonStep]]:
    """For the dashboard: the courses the learner was in most recently, each with the
    lesson to open next (skipping courses they have finished)."""
    if not user.is_authenticated:
        return []
    recent = (
        LessonProgress.objects.filter(user=user).order_by("-last_seen_at").values_list("lesson__path", flat=True)[:50]
    )
    # A lesson sits two levels below its course (course > module > lesson).
    course_paths = list(dict.fromkeys(path[: len(path) - 2 * CoursePage.steplen] for path in recent))
    by_path = {course.path: course for course in CoursePage.objects.live().filter(path__in=course_paths)}
    courses = []
    for path in course_paths[: limit * 3]:  # bounded: each outline costs three queries
        if path not in by_path:
            continue
        outline = course_outline(user=user, course=by_path[path])
        step = outline.next_step()
        if step is not None:
            courses.append((outline, step))
        if len(courses) == limit:
            break
    return courses


@dataclass
class MatrixRow:
    membership: object  # academy.models.Membership, with user and organisation loaded
    module_percents: list[int]
    completed_lessons: int
    total_lessons: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed_lessons / self.total_lessons) if self.total_lessons else 0


@dataclass
class GroupRate:
    group: str
    label: str
    participants: int
    average_percent: int
    completed: int


@dataclass
class ProgressMatrix:
    course: CoursePage
    modules: list[ModulePage]
    due_dates: dict[int, object]
    rows: list[MatrixRow]
    group_rates: list[GroupRate]


def cohort_progress_matrix(
    *, cohort, course: CoursePage, stakeholder_group: str = "", organisation_id=None
) -> ProgressMatrix:
    """Participants by modules for one course of a cohort: five queries whatever the
    number of participants and lessons."""
    from academy.choices import MembershipRole, StakeholderGroup
    from academy.models import Membership
    from courses.models import ModuleDueDate

    memberships = (
        Membership.objects.filter(cohort=cohort, role=MembershipRole.PARTICIPANT)
        .select_related("user__organisation")
        .order_by("user__display_name", "user__email")
    )
    if stakeholder_group:
        memberships = memberships.filter(user__stakeholder_group=stakeholder_group)
    if organisation_id:
        memberships = memberships.filter(user__organisation_id=organisation_id)
    memberships = list(memberships)
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path").only("id", "path"))
    lessons_by_module = [[lesson.pk for lesson in lessons if lesson.path.startswith(module.path)] for module in modules]
    done: dict[int, set[int]] = {}
    for user_id, lesson_id in LessonProgress.objects.filter(
        user__in=[membership.user_id for membership in memberships], lesson__in=lessons, completed_at__isnull=False
    ).values_list("user_id", "lesson_id"):
        done.setdefault(user_id, set()).add(lesson_id)
    due_dates = dict(
        ModuleDueDate.objects.filter(assignment__cohort=cohort, assignment__course=course).values_list(
            "module_id", "due_date"
        )
    )
    rows = []
    for membership in memberships:
        completed = done.get(membership.user_id, set())
        rows.append(
            MatrixRow(
                membership=membership,
                module_percents=[
                    round(100 * len(completed & set(ids)) / len(ids)) if ids else 0 for ids in lessons_by_module
                ],
                completed_lessons=len(completed),
                total_lessons=len(lessons),
            )
        )
    rates = []
    for value, label in StakeholderGroup.choices:
        group_rows = [row for row in rows if row.membership.user.stakeholder_group == value]
        if group_rows:
            rates.append(
                GroupRate(
                    group=value,
                    label=label,
                    participants=len(group_rows),
                    average_percent=round(sum(row.percent for row in group_rows) / len(group_rows)),
                    completed=sum(1 for row in group_rows if row.total_lessons and row.percent == 100),
                )
            )
    return ProgressMatrix(course=course, modules=modules, due_dates=due_dates, rows=rows, group_rates=rates)


def courses_of_cohort(*, cohort) -> list[CoursePage]:
    return list(CoursePage.objects.filter(cohort_assignments__cohort=cohort).order_by("title"))


def lessons_of_courses(*, course_paths: list[str]) -> QuerySet[LessonPage]:
    """Lessons anywhere below the courses with these tree paths (live or not)."""
    scope = Q(pk__in=[])
    for path in course_paths:
        scope |= Q(path__startswith=path)
    return LessonPage.objects.filter(scope)


def shared_reflections(*, cohort) -> QuerySet[Reflection]:
    """Reflections the cohort's members shared with its facilitators, on its courses."""
    course_paths = list(CoursePage.objects.filter(cohort_assignments__cohort=cohort).values_list("path", flat=True))
    return (
        Reflection.objects.filter(
            shared=True, user__memberships__cohort=cohort, lesson__in=lessons_of_courses(course_paths=course_paths)
        )
        .select_related("user__organisation", "lesson")
        .order_by("-updated_at")
    )


def improvement_plan_of(*, user) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(user=user).select_related("lesson")
