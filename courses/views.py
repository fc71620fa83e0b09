"""Views of the courses app that are not Wagtail pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from courses import access as course_access
from courses import services


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
            user=request.user, lesson=lesson, quiz_id=quiz_id, attempt_number=attempt_number, submitted=submitted
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
