"""Who opens which course: overviews are public, lessons open to assigned cohorts."""

import pytest
from django.urls import reverse

from courses import access as course_access
from tests.factories import assign_course, course_tree


@pytest.fixture
def osh_course(cohort_a):
    course, lessons = course_tree(title="OSH Leadership", modules=2, lessons=2)
    assign_course(cohort_a, course)
    return course, lessons


@pytest.mark.parametrize("persona", ["anonymous", "participant_b", "outsider", "participant_a"])
def test_anyone_may_read_a_course_overview(client, osh_course, persona, request):
    course, _lessons = osh_course
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(course.url)
    assert response.status_code == 200
    assert "OSH Leadership" in response.content.decode()


def test_a_visitor_opening_a_lesson_is_asked_to_sign_in(client, osh_course):
    _course, lessons = osh_course
    response = client.get(lessons[0].url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["participant_b", "outsider"])
def test_a_lesson_of_a_course_not_assigned_to_your_cohorts_is_a_404(client, osh_course, persona, request):
    course, lessons = osh_course
    client.force_login(request.getfixturevalue(persona))
    assert client.get(lessons[0].url).status_code == 404
    assert client.get(lessons[0].get_parent().url).status_code == 404


@pytest.mark.parametrize("persona", ["participant_a", "observer", "facilitator_a", "trainer", "staff"])
def test_members_of_an_assigned_cohort_trainers_and_staff_open_lessons(client, osh_course, persona, request):
    _course, lessons = osh_course
    client.force_login(request.getfixturevalue(persona))
    assert client.get(lessons[-1].url).status_code == 200


def test_an_unpublished_lesson_is_a_404_even_for_a_member(client, osh_course, participant_a):
    _course, lessons = osh_course
    url = lessons[0].url
    client.force_login(participant_a)
    assert client.get(url).status_code == 200
    lessons[0].unpublish()
    assert client.get(url).status_code == 404


def test_courses_open_to_a_member_are_those_assigned_to_their_cohorts(osh_course, participant_a, participant_b):
    other, _ = course_tree(title="Industrial Relations Leadership")
    assert list(course_access.courses_open_to(participant_a)) == [osh_course[0]]
    assert list(course_access.courses_open_to(participant_b)) == []


def test_wagtails_front_end_login_goes_through_allauth(client, db):
    response = client.get("/_util/login/?next=/courses/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fcourses%2F"
