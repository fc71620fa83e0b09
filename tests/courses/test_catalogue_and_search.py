"""The catalogue's filters, and search limited to lessons the person may open."""

import pytest
from django.urls import reverse

from courses.models import ComplianceCluster, CourseIndexPage, CoursePage
from tests.factories import assign_course, course_tree


def test_the_eight_compliance_clusters_exist(db):
    names = list(ComplianceCluster.objects.values_list("name", flat=True))
    assert len(names) == 8 and "Occupational safety and health" in names and "Working time" in names


@pytest.mark.django_db
def test_the_catalogue_filters_by_cluster_and_by_audience(client):
    osh, _ = course_tree(title="OSH Leadership")
    ir, _ = course_tree(title="IR Leadership")
    osh.clusters.add(ComplianceCluster.objects.get(slug="occupational-safety-and-health"))
    osh.save()
    CoursePage.objects.filter(pk=osh.pk).update(audience=["factory_management"])
    CoursePage.objects.filter(pk=ir.pk).update(audience=["trade_union", "factory_management"])
    catalogue = CourseIndexPage.objects.get()
    titles = lambda response: [shown.title for _course, shown in response.context["courses"]]  # noqa: E731
    assert titles(client.get(catalogue.url)) == ["OSH Leadership", "IR Leadership"]
    assert titles(client.get(catalogue.url + "?cluster=occupational-safety-and-health")) == ["OSH Leadership"]
    assert titles(client.get(catalogue.url + "?audience=trade_union")) == ["IR Leadership"]
    response = client.get(catalogue.url + "?cluster=no-such&audience=pirates")
    assert response.status_code == 200 and "No course matches these filters." in response.content.decode()


@pytest.fixture
def searchable(cohort_a):
    body = [("text", "<p>A blocked fire exit on the sewing floor is a root cause waiting to kill.</p>")]
    assigned, assigned_lessons = course_tree(title="OSH Leadership", body=body)
    assign_course(cohort_a, assigned)
    other, other_lessons = course_tree(title="Fire safety elsewhere", body=body)
    return assigned_lessons[0], other_lessons[0]


def search(client, words):
    return [hit.lesson for hit in client.get(reverse("course_search"), {"q": words}).context["results"]]


def test_search_finds_published_lessons_of_courses_you_may_open_and_nothing_else(client, searchable, participant_a):
    mine, not_mine = searchable
    client.force_login(participant_a)
    assert [lesson.pk for lesson in search(client, "fire exit")] == [mine.pk]


def test_search_skips_unpublished_lessons(client, searchable, participant_a):
    mine, _ = searchable
    mine.unpublish()
    client.force_login(participant_a)
    assert search(client, "fire exit") == []


def test_someone_outside_every_assigned_cohort_finds_nothing(client, searchable, participant_b):
    client.force_login(participant_b)
    response = client.get(reverse("course_search"), {"q": "fire exit"})
    assert list(response.context["results"]) == []
    assert "No lesson you can open matches" in response.content.decode()


def test_trainers_search_every_course(client, searchable, trainer):
    client.force_login(trainer)
    assert len(search(client, "fire exit")) == 2
