"""Languages: a learner reads the lesson in their language, or the source when there is no
translation; progress belongs to the lesson whatever language it was read in; trainers
see which translations have fallen behind their source."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from courses.authoring import setup_course_authoring
from courses.models import LessonPage, LessonProgress, QuizAttempt
from courses.translations import display_version, stale_translations, translate_page
from tests.courses.test_quizzes import answers, quiz_ids
from tests.factories import assign_course, course_tree, quiz_block_value

VIETNAMESE = {
    "OSH Leadership": "Lãnh đạo An toàn vệ sinh lao động",
    "Module 1": "Học phần 1",
    "Lesson 1.1": "Phòng ngừa tốt hơn khắc phục",
    "Read first.": "Hãy đọc trước.",
    "Check your understanding": "Kiểm tra hiểu biết của bạn",
    "Who should own an action on a blocked fire exit?": "Ai nên chịu trách nhiệm về hành động với lối thoát hiểm bị chặn?",
    "A named person with a due date": "Một người cụ thể, có hạn hoàn thành",
    "The whole committee": "Cả ủy ban",
    "Yes: owned and dated.": "Đúng: có người phụ trách và có thời hạn.",
    "Shared by all is owned by none.": "Việc của tất cả là việc của không ai.",
}


@pytest.fixture
def translated(cohort_a):
    """A course of one lesson with a quiz, its course, module and lesson translated into
    Vietnamese through wagtail-localize."""
    setup_course_authoring()
    course, (lesson,) = course_tree(body=[("text", "<p>Read first.</p>"), ("quiz", quiz_block_value())])
    assign_course(cohort_a, course)
    translate_page(course, "vi", VIETNAMESE)
    translate_page(lesson.get_parent().specific, "vi", VIETNAMESE)
    vi_lesson = translate_page(lesson, "vi", VIETNAMESE)
    return course, lesson, vi_lesson


def sign_in(client, user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)


def test_a_translation_keeps_the_source_block_ids(translated):
    _course, lesson, vi_lesson = translated
    assert vi_lesson.locale.language_code == "vi" and vi_lesson.translation_key == lesson.translation_key
    assert quiz_ids(vi_lesson)[0] == quiz_ids(lesson)[0]
    assert [q for q, _ in quiz_ids(vi_lesson)[1].values()] == [q for q, _ in quiz_ids(lesson)[1].values()]


def test_the_learner_reads_their_language_at_the_lessons_one_address(client, translated, participant_a):
    _course, lesson, _vi_lesson = translated
    sign_in(client, participant_a, "vi")
    page = client.get(lesson.url).content.decode()
    assert "Phòng ngừa tốt hơn khắc phục" in page and "Hãy đọc trước." in page
    assert 'lang="vi"' in page and "Học phần 1" in page  # the breadcrumb's module, translated too
    assert "Read first." not in page and "not yet translated" not in page


def test_without_a_translation_the_learner_reads_the_source(client, translated, participant_a):
    _course, lesson, _vi_lesson = translated
    sign_in(client, participant_a, "fr")
    page = client.get(lesson.url).content.decode()
    assert "Read first." in page and '<article class="lesson" lang="en">' in page
    assert "pas encore traduite dans votre langue" in page  # and says so, in French


def test_an_untranslated_segment_falls_back_to_the_source_text(translated):
    _course, _lesson, vi_lesson = translated
    # "Which are root causes rather than symptoms?" has no Vietnamese: it stays in English.
    assert "Which are root causes rather than symptoms?" in quiz_ids(vi_lesson)[1]


def test_progress_and_quiz_attempts_belong_to_the_source_lesson(client, translated, participant_a):
    _course, lesson, vi_lesson = translated
    sign_in(client, participant_a, "vi")
    client.get(lesson.url)
    quiz_id, _ = quiz_ids(lesson)
    submitted = {f"q-{q}": options for q, options in answers(lesson).items()}
    response = client.post(
        reverse("quiz_submit", kwargs={"lesson_id": lesson.pk, "quiz_id": quiz_id}), {"attempt": 1, **submitted}
    )
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=participant_a)
    assert attempt.lesson_id == lesson.pk and attempt.passed
    assert "Đúng: có người phụ trách và có thời hạn." in str(attempt.results)  # feedback as read
    progress = LessonProgress.objects.get(user=participant_a)
    assert progress.lesson_id == lesson.pk and progress.completed_at

    # Switching to English keeps everything: the same lesson, completed.
    sign_in(client, participant_a, "en")
    page = client.get(lesson.url).content.decode()
    assert "You have completed this lesson." in page
    assert not LessonProgress.objects.filter(lesson=vi_lesson).exists()


def test_forms_post_to_the_source_lesson_and_a_translations_id_is_refused(client, translated, participant_a):
    _course, lesson, vi_lesson = translated
    sign_in(client, participant_a, "vi")
    page = client.get(lesson.url).content.decode()
    assert reverse("quiz_submit", kwargs={"lesson_id": lesson.pk, "quiz_id": quiz_ids(lesson)[0]}) in page
    response = client.post(reverse("lesson_complete", kwargs={"lesson_id": vi_lesson.pk}))
    assert response.status_code == 404


def test_the_course_outline_shows_translated_titles(client, translated, participant_a):
    course, _lesson, _vi_lesson = translated
    sign_in(client, participant_a, "vi")
    page = client.get(course.url).content.decode()
    assert "Lãnh đạo An toàn vệ sinh lao động" in page and "Học phần 1" in page


def test_a_reader_of_the_source_language_costs_no_translation_query(translated, django_assert_num_queries):
    _course, lesson, _vi_lesson = translated
    with django_assert_num_queries(0):
        assert display_version(lesson, "en") is lesson
    vietnamese = Locale.objects.get(language_code="vi").pk
    with django_assert_num_queries(1):
        assert display_version(lesson, "vi").locale_id == vietnamese


def test_a_translation_behind_its_source_is_flagged_to_trainers(client, translated, trainer):
    _course, lesson, vi_lesson = translated
    assert stale_translations() == []
    lesson.title = "Prevention beats fixing"
    lesson.save_revision().publish()
    stale = stale_translations()
    assert [(item.page.pk, item.source.pk) for item in stale] == [(vi_lesson.pk, lesson.pk)]

    client.force_login(trainer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Translations behind their source" in dashboard and "Phòng ngừa tốt hơn khắc phục" in dashboard

    # Synchronising the translation with its source clears the flag.
    translate_page(LessonPage.objects.get(pk=lesson.pk), "vi", VIETNAMESE)
    assert stale_translations() == []


def test_trainers_may_edit_translations_in_the_course_tree_only(client, translated, trainer):
    _course, _lesson, vi_lesson = translated
    client.force_login(trainer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[vi_lesson.pk])).status_code == 200
    vi_root = vi_lesson.get_ancestors().filter(depth=2).get()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[vi_root.pk])).status_code in (302, 403)


def test_search_finds_a_lesson_by_the_words_of_its_translation_and_leads_to_its_one_address(
    client, translated, participant_a, participant_b
):
    _course, lesson, _vi_lesson = translated
    sign_in(client, participant_a, "vi")
    response = client.get(reverse("course_search"), {"q": "khắc phục"})
    assert [(hit.lesson.pk, hit.title) for hit in response.context["results"]] == [
        (lesson.pk, "Phòng ngừa tốt hơn khắc phục")
    ]
    assert f'href="{lesson.url}"' in response.content.decode()
    # Someone outside the course finds nothing, in any language.
    sign_in(client, participant_b, "vi")
    assert list(client.get(reverse("course_search"), {"q": "khắc phục"}).context["results"]) == []
