from django.contrib import admin

from courses.models import Certificate, CohortCourse, LessonProgress, ModuleDueDate, QuizAttempt


class ModuleDueDateInline(admin.TabularInline):
    model = ModuleDueDate
    extra = 0


@admin.register(CohortCourse)
class CohortCourseAdmin(admin.ModelAdmin):
    """Staff assign courses to cohorts here, with optional due dates per module."""

    list_display = ["course", "cohort", "assigned_at"]
    list_filter = ["cohort"]
    inlines = [ModuleDueDateInline]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "started_at", "completed_at", "time_spent", "best_score"]
    list_filter = ["completed_at"]
    search_fields = ["user__email", "user__display_name"]
    readonly_fields = ["user", "lesson", "started_at", "last_seen_at", "time_spent", "best_score"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "number", "score", "passed", "submitted_at"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "lesson", "quiz_id", "number", "answers", "results", "score", "passed"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "learner_name", "course_title", "cohort_name", "issued_at"]
    search_fields = ["code", "learner_name", "user__email"]
    readonly_fields = ["user", "course", "cohort", "code", "learner_name", "course_title", "cohort_name"]
