"""Reflections (private unless shared) and improvement-plan actions."""

import pytest
from django.urls import reverse

from courses.models import ImprovementAction, Reflection
from tests.factories import assign_course, course_tree

BODY = [
    ("reflection", {"prompt": "Which hazard on your floor worries you most?", "guidance": ""}),
    ("improvement_step", {"prompt": "Write one action for that hazard.", "example": ""}),
]


@pytest.fixture
def lesson(cohort_a):
    course, lessons = course_tree(body=BODY)
    assign_course(cohort_a, course)
    return lessons[0]


def block_id(lesson, block_type):
    return next(child.id for child in lesson.body if child.block_type == block_type)


def reflect(client, lesson, **data):
    url = reverse("reflection_save", kwargs={"lesson_id": lesson.pk, "block_id": block_id(lesson, "reflection")})
    return client.post(url, data)


def add_action(client, lesson, **data):
    url = reverse(
        "improvement_action_add", kwargs={"lesson_id": lesson.pk, "block_id": block_id(lesson, "improvement_step")}
    )
    return client.post(url, data)


def test_a_reflection_is_saved_privately_and_can_be_rewritten(client, lesson, participant_a):
    client.force_login(participant_a)
    reflect(client, lesson, text="The blocked exit behind cutting.")
    reflect(client, lesson, text="The blocked exit behind cutting, and the chemicals store.")
    reflection = Reflection.objects.get()
    assert reflection.text.endswith("chemicals store.") and reflection.shared is False
    assert "the chemicals store." in client.get(lesson.url).content.decode()


def test_an_empty_or_too_long_reflection_is_refused_and_kept(client, lesson, participant_a):
    client.force_login(participant_a)
    response = reflect(client, lesson, text="   ")
    assert response.status_code == 400 and "Write your reflection before saving it." in response.content.decode()
    long_text = "x" * 10_001
    response = reflect(client, lesson, text=long_text)
    assert response.status_code == 400 and long_text in response.content.decode()
    assert Reflection.objects.count() == 0


def test_facilitators_read_only_the_reflections_shared_with_them(
    client, lesson, cohort_a, participant_a, union_official, facilitator_a
):
    client.force_login(participant_a)
    reflect(client, lesson, text="Shared with the facilitators.", shared="on")
    client.force_login(union_official)
    reflect(client, lesson, text="Kept to myself.")
    client.force_login(facilitator_a)
    page = client.get(reverse("cohort_reflections", kwargs={"slug": cohort_a.slug})).content.decode()
    assert "Shared with the facilitators." in page and "Kept to myself." not in page


@pytest.mark.parametrize("persona,status", [("participant_a", 403), ("participant_b", 404), ("staff", 200)])
def test_only_facilitators_and_staff_open_the_shared_reflections(client, lesson, cohort_a, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("cohort_reflections", kwargs={"slug": cohort_a.slug})).status_code == status


def test_an_improvement_step_adds_an_owned_dated_action_to_the_learners_plan(client, lesson, participant_a):
    client.force_login(participant_a)
    response = add_action(client, lesson, title="Clear exit B every shift", owner="Dara Kim", due_date="2026-12-15")
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.user, action.lesson, action.owner) == (participant_a, lesson, "Dara Kim")
    plan = client.get(reverse("improvement_plan")).content.decode()
    assert "Clear exit B every shift" in plan
    client.post(reverse("improvement_action_status", kwargs={"action_id": action.pk}), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    assert "Clear exit B every shift" in client.get(lesson.url).content.decode()


def test_an_action_with_a_bad_date_or_no_owner_is_refused_and_kept(client, lesson, participant_a):
    client.force_login(participant_a)
    response = add_action(client, lesson, title="Train the new PICC members", owner="", due_date="next Tuesday")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Train the new PICC members" in page and "Enter a valid date." in page
    assert ImprovementAction.objects.count() == 0


def test_nobody_else_can_change_your_actions(client, lesson, participant_a, union_official):
    client.force_login(participant_a)
    add_action(client, lesson, title="Clear exit B", owner="Dara", due_date="2026-12-15")
    action = ImprovementAction.objects.get()
    client.force_login(union_official)
    assert (
        client.post(
            reverse("improvement_action_status", kwargs={"action_id": action.pk}), {"status": "done"}
        ).status_code
        == 404
    )
    assert "Clear exit B" not in client.get(reverse("improvement_plan")).content.decode()


def test_a_block_id_that_is_not_that_kind_of_block_is_a_404(client, lesson, participant_a):
    client.force_login(participant_a)
    wrong = reverse(
        "reflection_save", kwargs={"lesson_id": lesson.pk, "block_id": block_id(lesson, "improvement_step")}
    )
    assert client.post(wrong, {"text": "x"}).status_code == 404


def test_the_dashboard_lists_open_actions(client, lesson, participant_a):
    client.force_login(participant_a)
    add_action(client, lesson, title="Clear exit B", owner="Dara", due_date="2026-12-15")
    assert "Clear exit B" in client.get(reverse("dashboard")).content.decode()
