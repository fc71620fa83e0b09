"""Views of the courses app that are not Wagtail pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy import access as academy_access
from courses import access as course_access
from courses import selectors, services
from courses.exports import progress_matrix_csv
from courses.forms import ProgressFilterForm
from courses.learner_forms import ImprovementActionForm, ReflectionForm
from courses.models import Certificate, CoursePage
from courses.translations import reading_language


@login_required
@require_POST
def quiz_submit(request, lesson_id: int, quiz_id: str):
    """Grade a quiz on the server. Bad ids: the lesson again with field errors (400),
    nothing recorded; otherwise back to the quiz, which shows the result."""
    lesson = course_access.access_lesson(request.user, lesson_id)
    submitted = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        attempt_number = int(request.POST.get("attempt", ""))
    except ValueError:
        attempt_number = 0
    try:
        outcome = services.quiz_submit(
            user=request.user,
            lesson=lesson,
            quiz_id=quiz_id,
            attempt_number=attempt_number,
            submitted=submitted,
            version=lesson.reading_versions(request)[1],
        )
    except services.QuizError as error:
        if error.code == "unknown_quiz":
            raise Http404 from error
        if error.code == "no_attempts_left":
            messages.error(request, error.errors["quiz"])
            return redirect(f"{lesson.url}#quiz-{quiz_id}")
        response = lesson.serve(request)
        response.context_data.update(quiz_errors={quiz_id: error.errors}, quiz_answers={quiz_id: submitted})
        response.status_code = 400
        return response
    if not outcome.created:
        messages.info(request, services.STALE_ATTEMPT)
    return redirect(f"{lesson.url}#quiz-{quiz_id}")


@login_required
@require_POST
def lesson_complete(request, lesson_id: int):
    """Mark a lesson completed and go on to the next one."""
    lesson = course_access.access_lesson(request.user, lesson_id)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except services.LessonError as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    messages.success(request, _("Lesson completed."))
    course = CoursePage.objects.ancestor_of(lesson).get()
    outline = selectors.course_outline(user=request.user, course_path=course.path)
    following = outline.next_step() if outline else None
    return redirect(following.lesson.url if following else course.url)


@login_required
@require_POST
def lesson_time(request, lesson_id: int):
    """Time spent on one view of a lesson, sent by the page as it closes (sendBeacon)."""
    lesson = course_access.access_lesson(request.user, lesson_id)
    try:
        seconds = int(request.POST.get("seconds", ""))
    except ValueError:
        return JsonResponse({"error": "invalid_seconds"}, status=400)
    services.lesson_add_time(user=request.user, lesson=lesson, seconds=seconds)
    return HttpResponse(status=204)


@login_required
def certificate_detail(request, code: str):
    """The learner's own certificate, laid out to print (or save as PDF) from the browser."""
    certificate = course_access.access_own_certificate(request.user, code)
    verify_url = request.build_absolute_uri(reverse("certificate_verify", kwargs={"code": certificate.code}))
    return render(request, "courses/certificate.html", {"certificate": certificate, "verify_url": verify_url})


def certificate_verify(request, code: str):
    """Public: confirms that a certificate with this code was issued, and nothing else."""
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    status = 200 if certificate else 404
    return render(request, "courses/certificate_verify.html", {"certificate": certificate, "code": code}, status=status)


@login_required
def cohort_progress(request, slug: str):
    """The facilitator's matrix: participants by modules for one course, with filters,
    completion rates per stakeholder group, and a CSV export of the same view."""
    cohort = academy_access.access_cohort_to_manage(request.user, slug)
    courses = selectors.courses_of_cohort(cohort=cohort)
    participants = selectors.cohort_participants(cohort=cohort)
    form = ProgressFilterForm(
        request.GET or None, courses=courses, organisations=selectors.organisations_of(participants)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    course = next((c for c in courses if c.pk == filters.get("course")), courses[0] if courses else None)
    matrix = None
    if course is not None:
        matrix = selectors.cohort_progress_matrix(
            cohort=cohort,
            course=course,
            participants=participants,
            stakeholder_group=filters.get("stakeholder_group", ""),
            organisation_id=filters.get("organisation"),
        )
        if request.GET.get("format") == "csv":
            return progress_matrix_csv(matrix, cohort=cohort)
    context = {"cohort": cohort, "form": form, "matrix": matrix, "courses": courses}
    return render(request, "courses/cohort_progress.html", context)


@login_required
def course_search(request):
    """Wagtail search over the published lessons the person may open, and nothing else,
    in the source language and in the reader's own."""
    query = request.GET.get("q", "").strip()[:200]
    results = []
    if query:
        results = selectors.search_lessons(
            allowed=course_access.lessons_open_to(request.user), query=query, language=reading_language()
        )
    return render(request, "courses/search.html", {"query": query, "results": results})


def _lesson_block_or_404(request, lesson_id: int, block_id: str, block_type: str):
    lesson = course_access.access_lesson(request.user, lesson_id)
    if not services.lesson_has_block(lesson=lesson, block_id=block_id, block_type=block_type):
        raise Http404
    return lesson


def _lesson_with_form_errors(request, lesson, **context):
    """The lesson again, status 400, with a refused form and what was typed."""
    response = lesson.serve(request)
    response.context_data.update(context)
    response.status_code = 400
    return response


@login_required
@require_POST
def reflection_save(request, lesson_id: int, block_id: str):
    lesson = _lesson_block_or_404(request, lesson_id, block_id, "reflection")
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return _lesson_with_form_errors(request, lesson, reflection_forms={block_id: form})
    services.reflection_save(
        user=request.user,
        lesson=lesson,
        block_id=block_id,
        text=form.cleaned_data["text"],
        shared=form.cleaned_data["shared"],
    )
    messages.success(request, _("Your reflection is saved."))
    return redirect(f"{lesson.url}#block-{block_id}")


@login_required
@require_POST
def improvement_action_add(request, lesson_id: int, block_id: str):
    lesson = _lesson_block_or_404(request, lesson_id, block_id, "improvement_step")
    form = ImprovementActionForm(request.POST)
    if not form.is_valid():
        return _lesson_with_form_errors(request, lesson, action_forms={block_id: form})
    services.improvement_action_add(user=request.user, lesson=lesson, block_id=block_id, **form.cleaned_data)
    messages.success(request, _("The action is in your improvement plan."))
    return redirect(f"{lesson.url}#block-{block_id}")


@login_required
def improvement_plan(request):
    """The learner's own list of actions, from every lesson."""
    actions = selectors.improvement_plan_of(user=request.user)
    return render(request, "courses/improvement_plan.html", {"actions": actions})


@login_required
@require_POST
def improvement_action_status(request, action_id: int):
    action = course_access.access_own_action(request.user, action_id)
    try:
        services.improvement_action_set_status(action=action, status=request.POST.get("status", ""))
    except services.LessonError as error:
        messages.error(request, str(error))
    return redirect("improvement_plan")


@login_required
def cohort_reflections(request, slug: str):
    """Reflections the cohort's participants chose to share with its facilitators."""
    cohort = academy_access.access_cohort_to_manage(request.user, slug)
    reflections = selectors.shared_reflections(cohort=cohort)
    return render(request, "courses/cohort_reflections.html", {"cohort": cohort, "reflections": reflections})
