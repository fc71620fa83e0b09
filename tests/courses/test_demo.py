"""The courses part of `seed_demo`."""

from io import StringIO

from django.core.management import call_command

from courses.models import CohortCourse, CoursePage, LessonPage, LessonProgress, ModulePage


def seed():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_osh_leadership_with_seven_modules_each_ending_in_an_improvement_plan(db):
    seed()
    course = CoursePage.objects.get(slug="osh-leadership", locale__language_code="en")
    modules = ModulePage.objects.child_of(course)
    assert modules.count() == 7
    for module in modules:
        lessons = LessonPage.objects.child_of(module)
        assert lessons.exists()
        assert any(child.block_type == "improvement_step" for lesson in lessons for child in lesson.body)
    assert course.clusters.filter(slug="occupational-safety-and-health").exists()


def test_the_first_osh_module_is_in_vietnamese_and_the_rest_falls_back_to_english(client, db):
    from academy.models import User

    seed()
    course = CoursePage.objects.get(slug="osh-leadership", locale__language_code="en")
    first, second = ModulePage.objects.child_of(course).order_by("path")[:2]
    lesson = LessonPage.objects.child_of(first).get()
    translation = lesson.get_translations().get()
    assert translation.locale.language_code == "vi" and translation.live
    assert not LessonPage.objects.child_of(second).get().get_translations().exists()

    learner = User.objects.get(email="inspector.vn@example.org")
    learner.preferred_language = "vi"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)
    page = client.get(lesson.url).content.decode()
    assert translation.title in page and 'lang="vi"' in page
    page = client.get(LessonPage.objects.child_of(second).get().url).content.decode()
    assert 'lang="en"' in page


def test_seeding_twice_keeps_one_course_its_assignments_and_progress(db):
    seed()
    counts = (CoursePage.objects.count(), CohortCourse.objects.count(), LessonProgress.objects.count())
    seed()
    assert (CoursePage.objects.count(), CohortCourse.objects.count(), LessonProgress.objects.count()) == counts
    assert set(CohortCourse.objects.values_list("cohort__slug", flat=True)) == {
        "building-bridges-cambodia",
        "building-bridges-vietnam",
    }


def test_demo_learners_are_part_way_through(client, db):
    seed()
    from academy.models import User

    inspector = User.objects.get(email="inspector.kh@example.org")
    assert LessonProgress.objects.filter(user=inspector, completed_at__isnull=False).count() == 3
    client.force_login(inspector)
    page = client.get("/dashboard/").content.decode()
    assert "Continue where you left off" in page and "OSH Leadership" in page


def test_the_demo_has_industrial_relations_leadership_with_mapping_kick_off_and_nine_modules(db):
    seed()
    course = CoursePage.objects.get(slug="industrial-relations-leadership")
    titles = list(ModulePage.objects.child_of(course).order_by("path").values_list("title", flat=True))
    assert len(titles) == 11
    assert titles[0].startswith("Mapping") and titles[1].startswith("Kick-off")
    assert [title.split(".")[0] for title in titles[2:]] == [str(n) for n in range(1, 10)]
    assert CohortCourse.objects.filter(course=course, cohort__slug="building-bridges-cambodia").exists()
