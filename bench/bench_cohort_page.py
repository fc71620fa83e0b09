"""Cohort page throughput against a bare Django view, in the same process.

    DJANGO_SETTINGS_MODULE=academy.settings.test .venv/bin/python bench/bench_cohort_page.py

Last line: {"bare_rps": …, "cohort_page_rps": …, "members": 30, "ratio": …}
"""

from harness import paired_throughput, report, setup_django

setup_django()

from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from tests.factories import CohortFactory, MembershipFactory, OrganisationFactory, UserFactory  # noqa: E402

MEMBERS = 30


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("academy.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def main() -> None:
    cohort = CohortFactory(name="Building Bridges Cambodia", slug="bb-kh")
    viewer = UserFactory()
    MembershipFactory(user=viewer, cohort=cohort)
    for n in range(MEMBERS - 1):
        MembershipFactory(cohort=cohort, user=UserFactory(organisation=OrganisationFactory(name=f"Factory {n}")))
    client = Client()
    client.force_login(viewer)
    url = cohort.get_absolute_url()
    assert client.get(url).status_code == 200

    bare_rps, page_rps, ratio = paired_throughput(lambda: client.get("/bench/bare/"), lambda: client.get(url))
    report(
        {
            "benchmark": "cohort_page",
            "members": MEMBERS,
            "bare_rps": round(bare_rps, 1),
            "cohort_page_rps": round(page_rps, 1),
            "ratio": round(ratio, 3),
        }
    )


if __name__ == "__main__":
    main()
