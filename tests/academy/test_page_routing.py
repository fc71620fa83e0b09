"""Serving Wagtail pages from the cache of the page tree: fast, and never stale."""

from wagtail.models import PageViewRestriction

from courses.models import LessonPage
from tests.factories import assign_course, course_tree


def test_a_warm_route_costs_no_page_query(client, cohort_a, participant_a, django_assert_max_num_queries):
    course, (lesson,) = course_tree()
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    client.get(lesson.url)
    with django_assert_max_num_queries(20) as queries:
        assert client.get(lesson.url).status_code == 200
    page_queries = [q["sql"] for q in queries.captured_queries if 'FROM "wagtailcore_page"' in q["sql"]]
    assert page_queries == []


def test_unpublishing_a_lesson_takes_effect_at_once(client, cohort_a, participant_a):
    course, (lesson,) = course_tree()
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_page_created_where_there_was_none_is_found(client, cohort_a, participant_a):
    course, (lesson,) = course_tree()
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    new_url = lesson.url.replace("lesson-1", "lesson-2")
    assert client.get(new_url).status_code == 404
    lesson.get_parent().add_child(instance=LessonPage(title="Lesson 1.2", slug="lesson-2", body=[]))
    assert client.get(new_url).status_code == 200


def test_a_new_slug_moves_the_page_and_the_old_address_is_gone(client, cohort_a, participant_a):
    course, (lesson,) = course_tree()
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    lesson.slug = "prevention-beats-fixing"
    lesson.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(LessonPage.objects.get(pk=lesson.pk).url).status_code == 200


def test_a_view_restriction_added_later_applies_at_once(client, cohort_a, participant_a):
    course, (lesson,) = course_tree()
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="kick-off-2026"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
