"""Progress: one row per learner and lesson, completion rolled up, sequential courses."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from courses import services
from courses.authoring import setup_course_authoring
from courses.models import CoursePage, LessonProgress
from courses.selectors import course_outline
from tests.factories import assign_course, course_tree, quiz_block_value


@pytest.fixture
def course(cohort_a):
    course, lessons = course_tree(title="OSH Leadership", modules=2, lessons=2)
    assign_course(cohort_a, course)
    return course, lessons


def complete(client, lesson):
    return client.post(reverse("lesson_complete", kwargs={"lesson_id": lesson.pk}))


def test_opening_a_lesson_starts_one_progress_row(client, course, participant_a):
    _course, lessons = course
    client.force_login(participant_a)
    client.get(lessons[0].url)
    client.get(lessons[0].url)
    row = LessonProgress.objects.get(user=participant_a, lesson=lessons[0])
    assert row.completed_at is None and row.started_at is not None


def test_marking_complete_goes_on_to_the_next_lesson_and_rolls_up(client, course, participant_a):
    course_page, lessons = course
    client.force_login(participant_a)
    response = complete(client, lessons[0])
    assert response.status_code == 302 and response.url == lessons[1].url
    outline = course_outline(user=participant_a, course_path=course_page.path)
    assert [module.percent for module in outline.modules] == [50, 0]
    assert outline.percent == 25 and not outline.completed
    for lesson in lessons[1:]:
        complete(client, lesson)
    outline = course_outline(user=participant_a, course_path=course_page.path)
    assert outline.completed and all(module.completed for module in outline.modules)


def test_the_course_page_shows_a_progress_bar_per_module(client, course, participant_a):
    course_page, lessons = course
    client.force_login(participant_a)
    complete(client, lessons[0])
    page = client.get(course_page.url).content.decode()
    assert "1 of 2 lessons completed" in page and 'value="50"' in page
    assert "You have completed 25% of this course." in page


def test_a_lesson_with_a_quiz_completes_by_passing_it_and_keeps_the_best_score(client, cohort_a, participant_a):
    course_page, lessons = course_tree(title="IR Leadership", body=[("quiz", quiz_block_value(max_attempts=0))])
    assign_course(cohort_a, course_page)
    lesson = lessons[0]
    client.force_login(participant_a)
    response = complete(client, lesson)
    assert response.status_code == 302
    assert escape(str(services.QUIZ_NOT_PASSED)) in client.get(lesson.url).content.decode()
    quiz = lesson.body[0]
    questions = quiz.value["questions"].bound_blocks
    right = {f"q-{q.id}": [o.id for o in q.value["options"].bound_blocks if o.value["correct"]] for q in questions}
    wrong = {
        f"q-{q.id}": [next(o.id for o in q.value["options"].bound_blocks if not o.value["correct"])] for q in questions
    }
    url = reverse("quiz_submit", kwargs={"lesson_id": lesson.pk, "quiz_id": quiz.id})
    client.post(url, {"attempt": 1, **right})
    client.post(url, {"attempt": 2, **wrong})
    row = LessonProgress.objects.get(user=participant_a, lesson=lesson)
    assert row.completed_at is not None and row.best_score == 100


def test_time_spent_adds_up_and_one_view_counts_at_most_an_hour(client, course, participant_a):
    _course, lessons = course
    client.force_login(participant_a)
    client.get(lessons[0].url)
    url = reverse("lesson_time", kwargs={"lesson_id": lessons[0].pk})
    assert client.post(url, {"seconds": "95"}).status_code == 204
    client.post(url, {"seconds": "99999"})
    assert client.post(url, {"seconds": "soon"}).status_code == 400
    assert LessonProgress.objects.get(user=participant_a, lesson=lessons[0]).time_spent == 95 + 3600


def test_time_for_a_lesson_outside_your_cohorts_is_a_404(client, course, participant_b):
    _course, lessons = course
    client.force_login(participant_b)
    assert client.post(reverse("lesson_time", kwargs={"lesson_id": lessons[0].pk}), {"seconds": 5}).status_code == 404


def test_in_a_sequential_course_a_later_lesson_waits_for_the_earlier_ones(client, course, participant_a):
    course_page, lessons = course
    CoursePage.objects.filter(pk=course_page.pk).update(sequential=True)
    client.force_login(participant_a)
    response = client.get(lessons[2].url)
    assert response.status_code == 302 and response.url == lessons[0].url
    assert complete(client, lessons[2]).status_code == 302
    assert not LessonProgress.objects.filter(lesson=lessons[2], completed_at__isnull=False).exists()
    complete(client, lessons[0])
    complete(client, lessons[1])
    assert client.get(lessons[2].url).status_code == 200


def test_the_dashboard_offers_to_continue_where_you_left_off(client, course, participant_a):
    _course, lessons = course
    client.force_login(participant_a)
    complete(client, lessons[0])
    page = client.get(reverse("dashboard")).content.decode()
    assert "Continue where you left off" in page
    assert lessons[1].url in page and "25% complete" in page


def heavy_body():
    """A lesson with every block that costs a query: quiz, reflection, improvement step."""
    from courses.demo_content import plan_step, reflection

    return [
        ("text", "<p>Find the problem and its root cause.</p>"),
        ("quiz", quiz_block_value()),
        reflection("What would you change first?"),
        plan_step("Write one action.", "Clear exit B. Owner: Dara. Due: Friday."),
    ]


LESSON_PAGE_QUERY_BUDGET = 12  # the budget for a signed-in learner


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_lesson_page_takes_the_same_queries_for_a_course_of_10_or_200_lessons(
    client, cohort_a, participant_a, django_assert_max_num_queries, language
):
    from courses.translations import translate_page

    small, small_lessons = course_tree(title="Small course", modules=2, lessons=5, body=heavy_body())
    big, big_lessons = course_tree(title="Big course", modules=10, lessons=20, body=heavy_body())
    assign_course(cohort_a, small)
    assign_course(cohort_a, big)
    if language != "en":
        setup_course_authoring()
        for course, lesson in ((small, small_lessons[3]), (big, big_lessons[3])):
            for page in (course, lesson.get_parent().specific, lesson):
                translate_page(page, language, {"Write one action.": "Viết một hành động."})
    participant_a.preferred_language = language
    participant_a.save(update_fields=["preferred_language"])
    client.force_login(participant_a)
    client.get(small_lessons[3].url)
    client.get(big_lessons[3].url)
    with django_assert_max_num_queries(LESSON_PAGE_QUERY_BUDGET) as few:
        response = client.get(small_lessons[3].url)
    assert response.status_code == 200
    if language != "en":
        assert "Viết một hành động." in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(big_lessons[3].url).status_code == 200


def test_cached_course_structure_never_shows_one_learners_progress_to_another(
    client, cohort_a, participant_a, participant_b
):
    from academy.choices import MembershipRole
    from academy.models import Membership

    Membership.objects.create(cohort=cohort_a, user=participant_b, role=MembershipRole.PARTICIPANT)
    course, lessons = course_tree(modules=1, lessons=2)
    assign_course(cohort_a, course)
    services.lesson_complete(user=participant_a, lesson=lessons[0])
    client.force_login(participant_a)
    assert "You have completed this lesson." in client.get(lessons[0].url).content.decode()
    client.force_login(participant_b)
    page = client.get(lessons[0].url).content.decode()
    assert "You have completed this lesson." not in page and "Course 0% complete" in page
