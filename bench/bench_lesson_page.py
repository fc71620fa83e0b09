"""Lesson page for a signed-in learner, against a bare Django view rendering a similar
template, in the same process; and the facilitator's matrix for 200 participants and 60
lessons, against the lesson page.

    DJANGO_SETTINGS_MODULE=academy.settings.test .venv/bin/python bench/bench_lesson_page.py

Last line: {"bare_rps": …, "lesson_rps": …, "ratio": …, "matrix_ms": …, "lesson_ms": …, "matrix_to_lesson": …,
"lesson_page_kb": …} (the lesson page's HTML plus the CSS and JS it loads, uncompressed)
"""

import random
import re
import statistics
import time
from pathlib import Path

from harness import paired_throughput, report, setup_django

setup_django()

from django.db import connection  # noqa: E402
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


def baseline_context() -> dict:
    """The lesson's content as plain values, for the baseline's template."""
    quiz = quiz_block_value()
    return {
        "lesson": {
            "title": "Lesson 1.4",
            "minutes": 15,
            "percent": 0,
            "course_title": "OSH Leadership",
            "course_url": "/courses/osh-leadership/",
            "module_title": "Module 1",
            "module_url": "/courses/osh-leadership/module-1/",
            "heading": "Finding the root cause",
            "text": "<p>Ask <b>why</b> until you reach something you can change.</p>" * 6,
            "key_point": {"title": "Key point", "text": "Prevention beats fixing."},
            "next_title": "Lesson 1.5",
            "next_url": "/courses/osh-leadership/module-1/lesson-5/",
        },
        "quiz": {
            "id": "quiz",
            "title": quiz["title"],
            "pass_mark": quiz["pass_mark"],
            "questions": [
                {
                    "id": f"q{n}",
                    "kind": question["kind"],
                    "text": question["text"],
                    "options": [
                        {"id": f"q{n}o{m}", "text": option["text"]} for m, option in enumerate(question["options"])
                    ],
                }
                for n, question in enumerate(quiz["questions"])
            ],
        },
    }


def bare(request):
    """The baseline: a template like the lesson page's, from plain values, no database work."""
    return render(request, "courses/bench_baseline.html", baseline_context())


urlpatterns = [path("bench/bare/", bare), path("", include("academy.urls"))]


def page_weight_bytes(html: str) -> int:
    """The HTML plus every stylesheet and script it loads from the project's static files."""
    static_root = Path(__file__).resolve().parent.parent / "static"
    total = len(html.encode())
    for url in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        total += (static_root / url).stat().st_size
    return total


def paired_ms(first, second, repeat: int = 41) -> tuple[float, float, float]:
    """Median milliseconds of each, the two calls alternating, and the median of the
    per-pair ratios (first / second)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for index, call in enumerate((first, second)):
            start = time.perf_counter()
            call()
            times[index].append((time.perf_counter() - start) * 1000)
    ratios = [a / b for a, b in zip(*times, strict=True)]
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(ratios)


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

    # A live database has planner statistics (autovacuum keeps them); a fresh one must be told.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    learner_client = Client()
    learner_client.force_login(learner)
    lesson_url = lessons[3].url
    first = learner_client.get(lesson_url)
    assert first.status_code == 200
    weight = page_weight_bytes(first.content.decode())
    bare_rps, lesson_rps, ratio = paired_throughput(
        lambda: learner_client.get("/bench/bare/"), lambda: learner_client.get(lesson_url)
    )

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(facilitator, generate_totp_secret())
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    matrix_url = f"/cohorts/{cohort.slug}/progress/"
    assert facilitator_client.get(matrix_url).status_code == 200
    matrix_ms, lesson_ms, matrix_to_lesson = paired_ms(
        lambda: facilitator_client.get(matrix_url), lambda: learner_client.get(lesson_url)
    )
    report(
        {
            "benchmark": "lesson_page",
            "lessons": len(lessons),
            "participants": PARTICIPANTS,
            "bare_rps": round(bare_rps, 1),
            "lesson_rps": round(lesson_rps, 1),
            "ratio": round(ratio, 3),
            "matrix_ms": round(matrix_ms, 1),
            "lesson_ms": round(lesson_ms, 1),
            "matrix_to_lesson": round(matrix_to_lesson, 2),
            "lesson_page_kb": round(weight / 1024, 1),
        }
    )


if __name__ == "__main__":
    main()
