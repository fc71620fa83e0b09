"""Certificates: issued once on completing a course, printable, verifiable by anyone."""

import re

import pytest
from django.urls import reverse

from courses.models import Certificate
from tests.factories import assign_course, course_tree


@pytest.fixture
def short_course(cohort_a):
    course, lessons = course_tree(title="OSH Leadership", modules=1, lessons=2)
    assign_course(cohort_a, course)
    return course, lessons


def complete_all(client, lessons):
    for lesson in lessons:
        client.post(reverse("lesson_complete", kwargs={"lesson_id": lesson.pk}))


def test_completing_every_lesson_issues_one_certificate(client, short_course, participant_a, cohort_a):
    course, lessons = short_course
    client.force_login(participant_a)
    complete_all(client, lessons[:1])
    assert not Certificate.objects.exists()
    complete_all(client, lessons)
    complete_all(client, lessons)  # again: still one
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.course, certificate.cohort) == (participant_a, course, cohort_a)
    assert certificate.learner_name == "Vannak Heng" and certificate.course_title == "OSH Leadership"
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", certificate.code)


def test_the_learner_opens_a_printable_certificate_from_the_dashboard(client, short_course, participant_a):
    _course, lessons = short_course
    client.force_login(participant_a)
    complete_all(client, lessons)
    certificate = Certificate.objects.get()
    assert certificate.get_absolute_url() in client.get(reverse("dashboard")).content.decode()
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Certificate of completion" in page and "Vannak Heng" in page and certificate.code in page
    assert reverse("certificate_verify", kwargs={"code": certificate.code}) in page


@pytest.mark.parametrize("persona", ["participant_b", "facilitator_a", "outsider"])
def test_someone_elses_certificate_page_is_a_404(client, short_course, participant_a, persona, request):
    _course, lessons = short_course
    client.force_login(participant_a)
    complete_all(client, lessons)
    certificate = Certificate.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(certificate.get_absolute_url()).status_code == 404


def test_anyone_can_verify_a_certificate_and_sees_only_the_certificate(client, short_course, participant_a):
    _course, lessons = short_course
    client.force_login(participant_a)
    complete_all(client, lessons)
    certificate = Certificate.objects.get()
    client.logout()
    response = client.get(reverse("certificate_verify", kwargs={"code": certificate.code.lower()}))
    page = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid" in page
    assert "Vannak Heng" in page and "OSH Leadership" in page
    assert participant_a.email not in page  # nothing beyond the certificate itself


def test_an_unknown_code_says_so(client, db):
    response = client.get(reverse("certificate_verify", kwargs={"code": "AAAA-BBBB-CCCC"}))
    assert response.status_code == 404 and "No certificate has this code" in response.content.decode()
