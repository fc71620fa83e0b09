"""Trainers author the course tree in the CMS; senior trainers review and publish."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from academy.choices import TRAINERS_GROUP_NAME
from courses.authoring import SENIOR_TRAINERS_GROUP_NAME, WORKFLOW_NAME, setup_course_authoring
from courses.models import LessonPage
from tests.factories import UserFactory, course_tree


@pytest.fixture
def authoring(db):
    catalogue = setup_course_authoring()
    course, lessons = course_tree()
    trainer = UserFactory(email="author@example.org")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP_NAME))
    senior = UserFactory(email="senior@example.org")
    senior.groups.add(Group.objects.get(name=SENIOR_TRAINERS_GROUP_NAME))
    return {"catalogue": catalogue, "course": course, "lesson": lessons[0], "trainer": trainer, "senior": senior}


def test_setting_up_authoring_twice_changes_nothing(authoring):
    from wagtail.models import GroupPagePermission, Workflow

    before = (GroupPagePermission.objects.count(), Workflow.objects.count(), Group.objects.count())
    setup_course_authoring()
    assert (GroupPagePermission.objects.count(), Workflow.objects.count(), Group.objects.count()) == before


def test_a_trainer_edits_the_course_tree_in_the_cms(client, authoring):
    client.force_login(authoring["trainer"])
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/{authoring['lesson'].pk}/edit/").status_code == 200
    module = authoring["lesson"].get_parent()
    assert client.get(f"/cms/pages/add/courses/lessonpage/{module.pk}/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/cms/users/", "/cms/groups/", "/cms/sites/", "/cms/workflows/list/", "/django-admin/"]
)
def test_a_trainer_reaching_outside_the_course_tree_is_denied(client, authoring, path):
    client.force_login(authoring["trainer"])
    response = client.get(path, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else path
    assert response.status_code == 403 or not final.startswith(path)


def test_a_trainer_cannot_edit_pages_outside_the_course_tree(client, authoring):
    client.force_login(authoring["trainer"])
    home = Site.objects.get(is_default_site=True).root_page
    response = client.get(f"/cms/pages/{home.pk}/edit/", follow=True)
    assert response.status_code == 403 or response.redirect_chain[-1][0] == "/cms/"


def test_trainers_submit_and_only_senior_trainers_publish(authoring):
    lesson, trainer, senior = authoring["lesson"], authoring["trainer"], authoring["senior"]
    assert not lesson.permissions_for_user(trainer).can_publish()
    assert lesson.permissions_for_user(senior).can_publish()
    assert lesson.get_workflow().name == WORKFLOW_NAME


def test_a_submitted_lesson_is_published_when_a_senior_trainer_approves(authoring):
    lesson, trainer, senior = authoring["lesson"], authoring["trainer"], authoring["senior"]
    lesson.title = "Finding the root cause, revised"
    lesson.save_revision(user=trainer)
    workflow_state = lesson.get_workflow().start(lesson, trainer)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(lesson, trainer) == []  # a trainer cannot approve
    assert "approve" in [action[0] for action in task.get_actions(lesson, senior)]
    task.on_action(task_state, senior, "approve")
    assert LessonPage.objects.get(pk=lesson.pk).title == "Finding the root cause, revised"


def test_seed_demo_puts_the_demo_trainers_in_their_groups(db):
    from io import StringIO

    from django.core.management import call_command

    from academy.models import User

    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(email="trainer@example.org").groups.filter(name=TRAINERS_GROUP_NAME).exists()
    assert User.objects.get(email="trainer.senior@example.org").groups.filter(name=SENIOR_TRAINERS_GROUP_NAME).exists()


def test_a_trainer_previews_a_draft_lesson_of_an_unpublished_course_and_nothing_is_recorded(client, authoring):
    from courses.models import LessonProgress
    from tests.factories import quiz_block_value

    course, lesson = authoring["course"], authoring["lesson"]
    course.unpublish()
    lesson.body = [("text", "<p>A draft about the floor walk.</p>"), ("quiz", quiz_block_value())]
    lesson.save_revision()
    client.force_login(authoring["trainer"])
    response = client.get(f"/cms/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert "A draft about the floor walk." in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_a_lesson_not_yet_saved_previews_with_its_quiz(authoring):
    from tests.factories import quiz_block_value

    module = authoring["lesson"].get_parent()
    unsaved = LessonPage(
        title="The floor walk", slug="the-floor-walk", body=[("quiz", quiz_block_value())], path=module.path + "9999"
    )
    response = unsaved.make_preview_request()
    assert response.status_code == 200
    assert "Who should own an action on a blocked fire exit?" in response.content.decode()
