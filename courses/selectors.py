"""Reads of the courses app, for its pages and for other apps."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from courses.models import (
    CoursePage,
    ImprovementAction,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Reflection,
)
from courses.structure import CourseStructure, LessonEntry, ModuleEntry, course_structure


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


def quiz_states_for(
    *, user, lesson: LessonPage, version: LessonPage | None = None, progress: LessonProgress | None = None
) -> dict[str, QuizState]:
    """The state of every quiz of the lesson for this learner, in one query. `version`
    is the translation shown, if any; attempts belong to the source lesson. `progress`,
    the learner's row for the lesson when the caller has it, saves the query when it
    shows no attempt yet (every attempt records a best score on it)."""
    quizzes = [child for child in (version or lesson).body if child.block_type == "quiz"]
    if not quizzes or not user.is_authenticated:
        return {}
    attempts: dict[str, list[QuizAttempt]] = {}
    never_attempted = progress is not None and progress.best_score is None
    for attempt in () if never_attempted else QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"):
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
    lesson: LessonEntry
    progress: LessonProgress | None
    locked: bool
    module: ModuleEntry

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)


@dataclass
class ModuleProgress:
    module: ModuleEntry
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
    course: CourseStructure
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

    def step_for(self, lesson) -> LessonStep | None:
        return next((step for step in self.steps if step.lesson.pk == lesson.pk), None)

    def step_after(self, step: LessonStep) -> LessonStep | None:
        steps = self.steps
        index = steps.index(step)
        return steps[index + 1] if index + 1 < len(steps) else None

    def next_step(self) -> LessonStep | None:
        """The first lesson not yet completed, in course order."""
        return next((step for step in self.steps if not step.completed), None)


def course_outline(*, user, course_path: str) -> CourseOutline | None:
    """Modules and lessons of the course at this tree path, in order, with the learner's progress: one query for the progress, the rest from the
    cached course structure. In a sequential course, a lesson is locked until the one
    before it is completed. None if the course is not live."""
    structure = course_structure(course_path)
    if structure is None:
        return None
    progress = {}
    if user.is_authenticated:
        # All the learner's rows, kept for this course's lessons in Python: the simplest
        # query there is (no join, no list of ids), and a learner has at most one row per
        # lesson they ever opened.
        lesson_ids = set(structure.lesson_ids)
        progress = {
            row.lesson_id: row for row in LessonProgress.objects.filter(user=user) if row.lesson_id in lesson_ids
        }
    outline = CourseOutline(course=structure, modules=[])
    previous_done = True
    for module in structure.modules:
        steps = []
        for lesson in module.lessons:
            row = progress.get(lesson.pk)
            steps.append(
                LessonStep(
                    lesson=lesson, progress=row, locked=structure.sequential and not previous_done, module=module
                )
            )
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
    courses = []
    for path in course_paths[: limit * 3]:  # bounded: each outline costs a query
        outline = course_outline(user=user, course_path=path)
        step = outline.next_step() if outline else None
        if step is not None:
            courses.append((outline, step))
        if len(courses) == limit:
            break
    return courses


@dataclass
class Participant:
    """Who a matrix row is about: plain values, loaded in one query without model instances."""

    user_id: int
    name: str
    email: str
    stakeholder_group: str
    stakeholder_group_label: str
    organisation_id: int | None
    organisation: str


@dataclass
class MatrixRow:
    participant: Participant
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
    modules: tuple[ModuleEntry, ...]
    due_dates: dict[int, object]
    rows: list[MatrixRow]
    group_rates: list[GroupRate]


def cohort_participants(*, cohort) -> list[Participant]:
    """The cohort's participants, by name, as plain values: one query."""
    from academy.choices import MembershipRole, StakeholderGroup
    from academy.models import Membership

    labels = {value: str(label) for value, label in StakeholderGroup.choices}
    rows = (
        Membership.objects.filter(cohort=cohort, role=MembershipRole.PARTICIPANT)
        .order_by("user__display_name", "user__email")
        .values_list(
            "user_id",
            "user__display_name",
            "user__email",
            "user__stakeholder_group",
            "user__organisation_id",
            "user__organisation__name",
        )
    )
    return [
        Participant(
            user_id=user_id,
            name=name or email,
            email=email,
            stakeholder_group=group,
            stakeholder_group_label=labels.get(group, group),
            organisation_id=organisation_id,
            organisation=organisation or "",
        )
        for user_id, name, email, group, organisation_id, organisation in rows
    ]


def organisations_of(participants: list[Participant]) -> list[tuple[int, str]]:
    """(id, name) of the participants' organisations, by name, for a filter."""
    named = {p.organisation_id: p.organisation for p in participants if p.organisation_id}
    return sorted(named.items(), key=lambda item: item[1].casefold())


def cohort_progress_matrix(
    *,
    cohort,
    course: CoursePage,
    participants: list[Participant] | None = None,
    stakeholder_group: str = "",
    organisation_id=None,
) -> ProgressMatrix:
    """Participants by modules for one course of a cohort: two queries (three without
    `participants` already read) whatever the number of participants and lessons; the
    course's shape comes from its cached structure. Rows are plain values: at 200
    participants, model instances were most of the time."""
    from academy.choices import MembershipRole, StakeholderGroup
    from academy.models import Membership
    from courses.models import ModuleDueDate

    if participants is None:
        participants = cohort_participants(cohort=cohort)
    if stakeholder_group:
        participants = [p for p in participants if p.stakeholder_group == stakeholder_group]
    if organisation_id:
        participants = [p for p in participants if p.organisation_id == organisation_id]
    memberships = Membership.objects.filter(cohort=cohort, role=MembershipRole.PARTICIPANT)
    structure = course_structure(course.path)
    modules = structure.modules if structure else ()
    lesson_ids = structure.lesson_ids if structure else []
    module_index = {module.path: index for index, module in enumerate(modules)}
    sizes = [len(module.lessons) for module in modules]
    # Completed lessons counted per participant and module by the database (a module's
    # path is the start of its lessons' paths): one row per pair, not per lesson.
    done: dict[int, list[int]] = {}
    counted = (
        LessonProgress.objects.filter(
            user_id__in=memberships.values("user_id"),
            lesson__path__startswith=course.path,
            lesson__live=True,
            completed_at__isnull=False,
        )
        .values_list("user_id", Substr("lesson__path", 1, len(course.path) + CoursePage.steplen))
        .annotate(completed=Count("id"))
        .order_by()
    )
    for user_id, module_path, count in counted:
        index = module_index.get(module_path)
        if index is None:  # a module unpublished since
            continue
        counts = done.get(user_id)
        if counts is None:
            counts = done[user_id] = [0] * len(modules)
        counts[index] += count
    due_dates = dict(
        ModuleDueDate.objects.filter(assignment__cohort=cohort, assignment__course=course).values_list(
            "module_id", "due_date"
        )
    )
    nothing = [0] * len(modules)
    rows = []
    for participant in participants:
        counts = done.get(participant.user_id, nothing)
        rows.append(
            MatrixRow(
                participant=participant,
                module_percents=[round(100 * n / size) if size else 0 for n, size in zip(counts, sizes, strict=True)],
                completed_lessons=sum(counts),
                total_lessons=len(lesson_ids),
            )
        )
    rates = []
    for value, label in StakeholderGroup.choices:
        group_rows = [row for row in rows if row.participant.stakeholder_group == value]
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


@dataclass
class SearchHit:
    lesson: LessonPage  # the source lesson: its address, its progress
    title: str  # as found: the translation's title when the match was in a translation


def search_lessons(*, allowed: QuerySet[LessonPage], query: str, language: str, limit: int = 50) -> list[SearchHit]:
    """Wagtail search over the live lessons in `allowed` (source-language lessons the
    person may open) and over their live translations in the reader's language; a
    match in a translation leads to its source lesson. Two searches at most."""
    from courses.translations import locale_codes, reads_source

    keys = dict(allowed.values_list("translation_key", "pk"))
    if not keys:
        return []
    hits: dict[int, SearchHit] = {}
    locale_id = next((pk for pk, code in locale_codes().items() if code == language), None)
    if not reads_source(language) and locale_id is not None:
        # Filtered on fields Wagtail's search indexes (locale, translation_key).
        translations = LessonPage.objects.live().filter(translation_key__in=list(keys), locale=locale_id)
        found = list(translations.search(query)[:limit])
        sources = LessonPage.objects.in_bulk([keys[hit.translation_key] for hit in found])
        for hit in found:
            source = sources.get(keys[hit.translation_key])
            if source is not None:
                hits.setdefault(source.pk, SearchHit(lesson=source, title=hit.title))
    for lesson in LessonPage.objects.live().filter(pk__in=keys.values()).search(query)[:limit]:
        hits.setdefault(lesson.pk, SearchHit(lesson=lesson, title=lesson.title))
    return list(hits.values())[:limit]


# ------------------------------------------------------------------------------
# For the forums: a lesson's discussion prompt
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscussionPrompt:
    """A discussion prompt of a lesson, as another app needs it to open its thread."""

    lesson_id: int  # the source lesson (translations share its threads)
    lesson_title: str
    lesson_url: str
    block_id: str
    prompt: str
    cohort_ids: tuple[int, ...]  # the cohorts the lesson's course is assigned to, by id


def discussion_prompt_for(*, user, lesson_id: int, block_id: str) -> DiscussionPrompt | None:
    """The discussion prompt `block_id` of a live source-language lesson the user may
    open, with the cohorts its course is assigned to; None when the user may not open
    the lesson or the lesson has no such prompt (both are a 404 to the caller)."""
    from django.http import Http404

    from courses.access import access_lesson
    from courses.models import CohortCourse
    from courses.structure import course_path_of

    try:
        lesson = access_lesson(user, lesson_id)
    except Http404:
        return None
    block = next((child for child in lesson.body if child.block_type == "discussion" and child.id == block_id), None)
    if block is None:
        return None
    cohort_ids = CohortCourse.objects.filter(course__path=course_path_of(lesson)).order_by("cohort_id")
    return DiscussionPrompt(
        lesson_id=lesson.pk,
        lesson_title=lesson.title,
        lesson_url=lesson.url or "",
        block_id=block_id,
        prompt=block.value["prompt"],
        cohort_ids=tuple(cohort_ids.values_list("cohort_id", flat=True)),
    )
