"""The course tree's page types: where each may live, and that each renders."""

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import course_tree, quiz_block_value


@pytest.mark.parametrize(
    "child,parents",
    [
        (CourseIndexPage, {Page}),
        (CoursePage, {CourseIndexPage}),
        (ModulePage, {CoursePage}),
        (LessonPage, {ModulePage}),
    ],
)
def test_each_page_type_declares_its_parents(child, parents):
    assert set(child.allowed_parent_page_models()) == parents


@pytest.mark.parametrize(
    "parent,children",
    [
        (CourseIndexPage, {CoursePage}),
        (CoursePage, {ModulePage}),
        (ModulePage, {LessonPage}),
        (LessonPage, set()),
    ],
)
def test_each_page_type_declares_its_children(parent, children):
    assert set(parent.allowed_subpage_models()) == children


def test_a_lesson_cannot_be_created_directly_under_a_course(db):
    course, _lessons = course_tree()
    assert not LessonPage.can_create_at(course)
    assert ModulePage.can_create_at(course)


def test_there_is_one_catalogue(db):
    course_tree(title="OSH Leadership")
    assert not CourseIndexPage.can_create_at(Page.get_first_root_node())


def test_a_published_lesson_with_every_block_renders_for_a_member(client, cohort_a, participant_a):
    from tests.factories import assign_course

    body = [
        ("heading", "Finding the root cause"),
        ("text", "<p>Ask <b>why</b> five times.</p>"),
        (
            "video",
            {
                "url": "https://example.org/v/1",
                "title": "A walk on the floor",
                "duration_minutes": 4,
                "transcript": "We start at the cutting room.",
            },
        ),
        ("key_point", {"title": "Key point", "text": "Prevention beats fixing."}),
        ("quiz", quiz_block_value()),
        ("reflection", {"prompt": "Which hazard on your floor worries you most?", "guidance": ""}),
        (
            "improvement_step",
            {"prompt": "Write one action for that hazard.", "example": "Clear exit B by Friday: Dara."},
        ),
        ("discussion", {"prompt": "How do inspectors and managers see the same hazard?"}),
    ]
    course, lessons = course_tree(body=body)
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    response = client.get(lessons[0].url)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Finding the root cause",
        "A walk on the floor",
        "Prevention beats fixing",
        "Which hazard",
        "Write one action",
        "How do inspectors",
    ):
        assert text in page


def test_a_quiz_never_shows_which_options_are_correct_or_their_feedback(client, cohort_a, participant_a):
    from tests.factories import assign_course

    course, lessons = course_tree(body=[("quiz", quiz_block_value())])
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    page = client.get(lessons[0].url).content.decode()
    assert "Who should own an action" in page and "A named person with a due date" in page
    for secret in ("Yes: owned and dated.", "Shared by all is owned by none.", "A missing routine.", "correct"):
        assert secret not in page


def test_trainer_rich_text_cannot_carry_scripts_or_javascript_links(client, cohort_a, participant_a):
    from tests.factories import assign_course

    dirty = '<p>Read <a href="javascript:alert(1)">this</a><script>alert(2)</script><img src=x onerror=alert(3)></p>'
    course, lessons = course_tree(body=[("text", dirty)])
    assign_course(cohort_a, course)
    client.force_login(participant_a)
    page = client.get(lessons[0].url).content.decode()
    assert "javascript:" not in page and "<script>alert(2)" not in page and "onerror" not in page
