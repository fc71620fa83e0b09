"""Forum fixtures: cohort A's forum with its default categories (one of them anonymous
to peers), cohort B's forum, and the programme's commons."""

import pytest

from forums import services
from forums.choices import IdentityMode


@pytest.fixture
def space_a(cohort_a):
    return services.space_ensure_for_cohort(cohort=cohort_a)


@pytest.fixture
def space_b(cohort_b):
    return services.space_ensure_for_cohort(cohort=cohort_b)


@pytest.fixture
def commons(programme):
    return services.space_ensure_commons(programme=programme)


@pytest.fixture
def named_category(space_a):
    return space_a.categories.filter(identity=IdentityMode.NAMED).order_by("position").first()


@pytest.fixture
def anonymous_category(space_a):
    return space_a.categories.get(identity=IdentityMode.ANONYMOUS)


@pytest.fixture
def thread_a(named_category, inspector):
    return services.thread_create(
        author=inspector,
        category=named_category,
        title="Fire exits blocked by finished goods",
        text="After the audit, cartons were back in front of exit B within a week. What has worked for you?",
    )


@pytest.fixture
def anonymous_thread(anonymous_category, union_official):
    return services.thread_create(
        author=union_official,
        category=anonymous_category,
        title="Wages held back after a walkout",
        text="Workers who joined last month's walkout say part of their wages is being held back.",
    )
