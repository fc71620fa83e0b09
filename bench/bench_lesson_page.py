"""Lesson page for a signed-in learner, against a bare Django view rendering a similar
template, in the same process; and the facilitator's matrix for 200 participants and 60
lessons, against the lesson page.

    DJANGO_SETTINGS_MODULE=academy.settings.test .venv/bin/python bench/bench_lesson_page.py

Last line: {"bare_rps": …, "lesson_rps": …, "ratio": …, "matrix_ms": …, "lesson_ms": …, "matrix_to_lesson": …}
"""

import random
import time

from harness import report, setup_django, throughput

setup_django()

from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from academy.choices import MembershipRole  # noqa: E402
from courses.models import LessonProgress  # noqa: E402
from tests.factories import (  # noqa: E402
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    assign_course,
    course_tree,
    quiz_block_value,
)

PARTICIPANTS, MODULES, LESSONS_PER_MODULE = 200, 6, 10
BODY = [
    ("heading", "Finding the root cause"),
    ("text", "<p>Ask <b>why</b> until you reach something you can change.</p>" * 6),
    ("key_point", {"title": "Key point", "text": "Prevention beats fixing."}),
    ("quiz", quiz_block_value()),
]
BASELINE_HTML = (
    "<h2>Finding the root cause</h2>" + "<p>Ask <b>why</b> until you reach something you can change.</p>" * 6
)


def bare(request):
    """The baseline: the site's base template with a lesson-sized body, no database work."""
    return render(request, "courses/bench_baseline.html", {"title": "Lesson", "body": BASELINE_HTML})


urlpatterns = [path("bench/bare/", bare), path("", include("academy.urls"))]


def timed_ms(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


@override_settings(ROOT_URLCONF=__name__)
def main() -> None:
    cohort = CohortFactory(name="Building Bridges Cambodia", slug="bb-kh")
    course, lessons = course_tree(title="OSH Leadership", modules=MODULES, lessons=LESSONS_PER_MODULE, body=BODY)
    assign_course(cohort, course)
    learner = UserFactory()
    MembershipFactory(user=learner, cohort=cohort)
    facilitator = UserFactory(email="facilitator.bench@example.org")
    MembershipFactory(user=facilitator, cohort=cohort, role=MembershipRole.FACILITATOR)
    random.seed(7)
    now = timezone.now()
    for n in range(PARTICIPANTS):
        person = UserFactory(organisation=OrganisationFactory(name=f"Factory {n}"))
        MembershipFactory(user=person, cohort=cohort)
        LessonProgress.objects.bulk_create(
            LessonProgress(user=person, lesson=lesson, completed_at=now) for lesson in lessons[: random.randint(0, 60)]
        )

    learner_client = Client()
    learner_client.force_login(learner)
    lesson_url = lessons[3].url
    assert learner_client.get(lesson_url).status_code == 200
    bare_rps = throughput(lambda: learner_client.get("/bench/bare/"))
    lesson_rps = throughput(lambda: learner_client.get(lesson_url))

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(facilitator, generate_totp_secret())
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    matrix_url = f"/cohorts/{cohort.slug}/progress/"
    assert facilitator_client.get(matrix_url).status_code == 200
    matrix_ms = timed_ms(lambda: facilitator_client.get(matrix_url))
    lesson_ms = timed_ms(lambda: learner_client.get(lesson_url))
    report(
        {
            "benchmark": "lesson_page",
            "lessons": len(lessons),
            "participants": PARTICIPANTS,
            "bare_rps": round(bare_rps, 1),
            "lesson_rps": round(lesson_rps, 1),
            "ratio": round(lesson_rps / bare_rps, 3),
            "matrix_ms": round(matrix_ms, 1),
            "lesson_ms": round(lesson_ms, 1),
            "matrix_to_lesson": round(matrix_ms / lesson_ms, 2),
        }
    )


if __name__ == "__main__":
    main()
