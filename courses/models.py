"""Courses: the leadership programmes, authored by trainers in Wagtail's page tree.

    CourseIndexPage (the catalogue)
      └─ CoursePage (OSH Leadership, Industrial Relations Leadership, ...)
           └─ ModulePage (one of the 7 OSH modules, the IR mapping, ...)
                └─ LessonPage (a StreamField of blocks from courses/blocks.py)

A **compliance cluster** is one of the 8 areas Better Work assessments check; courses
are tagged with them. A cohort is assigned courses (**CohortCourse**), with optional due
dates per module (**ModuleDueDate**); members of an assigned cohort open the lessons.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from academy.choices import StakeholderGroup
from academy.models import Cohort, Programme
from academy.page_tree import CachedViewRestrictionsMixin
from courses.blocks import LessonStreamBlock


@register_snippet
class ComplianceCluster(models.Model):
    """One of the eight areas a Better Work assessment checks."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("compliance cluster")
        verbose_name_plural = _("compliance clusters")

    def __str__(self) -> str:
        return self.name


class StakeholderGroupsField(models.JSONField):
    """A list of stakeholder groups, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=StakeholderGroup.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


# Trainers translate titles and text; the slug stays the source's, so a page has one
# address in every language (courses/translations.py).
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    SynchronizedField("slug"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
]


class ReadingVersionsMixin(CachedViewRestrictionsMixin):
    """Pages read in the reader's language, with progress kept on the source page (and
    their view restrictions cached: academy.page_tree)."""

    def reading_versions(self, request) -> tuple[Page, Page]:
        """(source, shown): the source-language page that access and progress belong
        to, and the version the reader sees: the live translation in their language if
        there is one, else the source. A translation previewed in the CMS shows itself."""
        from courses.translations import display_version, is_source, source_of

        cached = getattr(request, "_reading_versions", None)
        if cached and cached[0].pk == self.pk:
            return cached[1]
        versions = (self, display_version(self)) if is_source(self) else (source_of(self), self)
        request._reading_versions = (self, versions)
        return versions


class CourseIndexPage(ReadingVersionsMixin, Page):
    """The catalogue of courses."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1  # its copies in other languages are made by setup_course_authoring
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        """The catalogue, filtered by compliance cluster and intended audience."""
        from courses.translations import display_versions

        context = super().get_context(request, *args, **kwargs)
        source, shown = self.reading_versions(request)
        context.update(page=shown, self=shown)
        courses = CoursePage.objects.live().child_of(source).order_by("path").prefetch_related("clusters")
        cluster = request.GET.get("cluster", "")
        audience = request.GET.get("audience", "")
        if cluster:
            courses = courses.filter(clusters__slug=cluster)
        courses = list(courses)
        if audience in StakeholderGroup.values:
            # Audience is a short JSON list; filtered here so it works on SQLite too.
            courses = [course for course in courses if audience in (course.audience or [])]
        shown_courses = display_versions(courses)
        context.update(
            courses=[(course, shown_courses.get(course.pk, course)) for course in courses],
            clusters=ComplianceCluster.objects.all(),
            audiences=StakeholderGroup.choices,
            selected_cluster=cluster,
            selected_audience=audience,
        )
        return context


class CoursePage(ReadingVersionsMixin, Page):
    """A course of a leadership programme; its overview is public."""

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences: what changes for the learner."))
    audience = StakeholderGroupsField(_("intended audience"), default=list, blank=True)
    duration = models.CharField(
        _("duration"), max_length=120, blank=True, help_text=_("For example “7 modules, about 14 hours”.")
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clusters = ParentalManyToManyField(ComplianceCluster, verbose_name=_("compliance clusters"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sequential = models.BooleanField(
        _("sequential"), default=False, help_text=_("Learners open each lesson only after completing the one before.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("programme"),
                FieldPanel("audience"),
                FieldPanel("duration"),
                FieldPanel("clusters", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sequential"),
            ],
            heading=_("About the course"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("summary"),
        TranslatableField("duration"),
        SynchronizedField("audience"),
        SynchronizedField("programme"),
        SynchronizedField("image"),
        SynchronizedField("sequential"),
    ]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from courses.access import can_open_course
        from courses.selectors import course_outline
        from courses.structure import course_structure

        context = super().get_context(request, *args, **kwargs)
        source, shown = self.reading_versions(request)
        can_open = can_open_course(request.user, source)
        context.update(
            page=shown,
            self=shown,
            can_open=can_open,
            structure=course_structure(source.path),
            outline=course_outline(user=request.user, course_path=source.path) if can_open else None,
        )
        return context


class ModulePage(ReadingVersionsMixin, Page):
    """A module of a course, such as one of the seven OSH Leadership modules."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_outline
        from courses.structure import course_path_of

        context = super().get_context(request, *args, **kwargs)
        source, shown = self.reading_versions(request)
        outline = course_outline(user=request.user, course_path=course_path_of(source))
        context.update(
            page=shown,
            self=shown,
            outline=outline,
            module_progress=next((m for m in outline.modules if m.module.pk == source.pk), None) if outline else None,
        )
        return context

    def serve(self, request, *args, **kwargs):
        from django.http import Http404

        from courses.access import refuse_unless_course_open
        from courses.structure import course_path_of, course_structure

        if getattr(request, "is_preview", False):  # only editors preview (Wagtail checks)
            return super().serve(request, *args, **kwargs)
        source, _shown = self.reading_versions(request)
        course = course_structure(course_path_of(source))
        if course is None:
            raise Http404
        return refuse_unless_course_open(request, course) or super().serve(request, *args, **kwargs)


class LessonPage(ReadingVersionsMixin, Page):
    """A lesson: a stream of blocks a learner works through, often on a phone."""

    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    body = StreamField(LessonStreamBlock(), verbose_name=_("lesson"))

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("body"),
        SynchronizedField("estimated_minutes"),
    ]

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.http import Http404
        from django.shortcuts import redirect

        from courses import services
        from courses.access import refuse_unless_course_open
        from courses.selectors import course_outline
        from courses.structure import course_path_of, course_structure

        if getattr(request, "is_preview", False):
            # Only people who may edit the page preview it (Wagtail checks): no course
            # access, no lock, and nothing recorded as the previewer's progress.
            return super().serve(request, *args, **kwargs)
        source, _shown = self.reading_versions(request)
        course = course_structure(course_path_of(source))
        if course is None:
            raise Http404
        refusal = refuse_unless_course_open(request, course)
        if refusal:
            return refusal
        outline = course_outline(user=request.user, course_path=course.path)
        step = outline.step_for(source)
        if step and step.locked:
            messages.info(request, services.LESSON_LOCKED)
            return redirect(outline.next_step().lesson.url)
        services.lesson_visit(user=request.user, lesson=source, known=step.progress if step else None)
        request.course_outline = outline  # reused by get_context: no second set of queries
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_outline, quiz_states_for
        from courses.structure import course_path_of
        from courses.translations import language_of

        context = super().get_context(request, *args, **kwargs)
        source, shown = self.reading_versions(request)
        outline = getattr(request, "course_outline", None) or course_outline(
            user=request.user, course_path=course_path_of(source)
        )
        step = outline.step_for(source) if outline else None
        following = outline.step_after(step) if step else None
        block_types = {child.block_type for child in shown.body}
        context.update(
            page=shown,
            self=shown,
            lesson=source,
            is_preview=getattr(request, "is_preview", False),
            content_language=language_of(shown),
            outline=outline,
            step=step,
            next_lesson=following.lesson if following else None,
            has_quiz="quiz" in block_types,
            quiz_states=quiz_states_for(
                user=request.user, lesson=source, version=shown, progress=step.progress if step else None
            ),
        )
        # Only lessons with these blocks pay for their queries.
        if request.user.is_authenticated and "reflection" in block_types:
            context["reflections"] = {
                r.block_id: r for r in Reflection.objects.filter(user=request.user, lesson=source)
            }
        if request.user.is_authenticated and "improvement_step" in block_types:
            actions: dict[str, list] = {}
            for action in ImprovementAction.objects.filter(user=request.user, lesson=source):
                actions.setdefault(action.block_id, []).append(action)
            context["lesson_actions"] = actions
        return context


class CohortCourse(models.Model):
    """A course assigned to a cohort: its members open the course's lessons."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="course_assignments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="cohort_assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        constraints = [models.UniqueConstraint(fields=["cohort", "course"], name="cohort_course_unique")]

    def __str__(self) -> str:
        return f"{self.course} → {self.cohort}"


class ModuleDueDate(models.Model):
    """When a cohort should have completed a module (optional)."""

    assignment = models.ForeignKey(CohortCourse, on_delete=models.CASCADE, related_name="due_dates")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("module due date")
        verbose_name_plural = _("module due dates")
        constraints = [models.UniqueConstraint(fields=["assignment", "module"], name="module_due_date_unique")]

    def __str__(self) -> str:
        return f"{self.module} due {self.due_date}"


class QuizAttempt(models.Model):
    """One submitted attempt at one quiz of a lesson.

    `number` counts a learner's attempts at that quiz from 1; the unique constraint makes
    a double submit, or the same attempt sent from two tabs, count once. `results` keeps
    what the learner was told (right or wrong per question, the feedback of the options
    they chose), so the page shows it again without re-grading.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text=_("Percentage of questions answered correctly."))
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lesson", "quiz_id", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson", "quiz_id", "number"], name="quiz_attempt_counted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} · attempt {self.number}: {self.score}%"


class LessonProgress(models.Model):
    """One summary row per learner and lesson: the only progress record there is.

    Module and course completion are rolled up from these rows; nothing else is stored.
    Progress belongs to the lesson whatever language it was read in.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    time_spent = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    best_score = models.PositiveSmallIntegerField(_("best quiz score"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_one_row")]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="progress_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


def new_certificate_code() -> str:
    """12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), grouped for
    reading aloud or typing from paper: e.g. K7QM-4XTR-9BHC."""
    import secrets

    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """Issued once per learner and course when every lesson is completed.

    The learner's name, the course title and the cohort name are copied at issue, so the
    certificate says what was true that day even if they change later.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates")
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_certificate_code)
    learner_name = models.CharField(_("name"), max_length=120)
    course_title = models.CharField(_("course"), max_length=255)
    cohort_name = models.CharField(_("cohort"), max_length=160, blank=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course")]

    def __str__(self) -> str:
        return f"{self.learner_name} · {self.course_title} · {self.code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificate_detail", kwargs={"code": self.code})


class Reflection(models.Model):
    """A learner's written answer to a reflection prompt: private unless they share it
    with their cohort's facilitators."""

    MAX_LENGTH = 10_000

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="reflections")
    block_id = models.CharField(max_length=64)
    text = models.TextField(_("your reflection"), max_length=MAX_LENGTH)
    shared = models.BooleanField(_("shared with the facilitators"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="reflection_one_per_prompt")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class ImprovementAction(models.Model):
    """One action of a learner's improvement plan: what, who owns it, by when.

    Written at a lesson's improvement-plan step (lesson and block id kept) or, later,
    directly in the learner's plan."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="improvement_actions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    block_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=120)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")

    def __str__(self) -> str:
        return self.title
